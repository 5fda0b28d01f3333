/**
 * A worker for workerJobRunner.test.ts: answers 'ok' and fails 'tampered' the way a note or image model
 * whose file fails its check does, so the test sees what crosses the thread boundary.
 */
import { ModelIntegrityError } from '../../../models/runtime/modelFiles';
import { serveWorkerJobs } from '../workerJobRunner';

serveWorkerJobs<string, string>((job) => {
  if (job === 'tampered') return Promise.reject(new ModelIntegrityError('disease-ner', 'disease-ner/model.onnx', 'a'.repeat(64), 'b'.repeat(64)));
  return Promise.resolve(`done: ${job}`);
});
