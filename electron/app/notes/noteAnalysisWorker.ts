/**
 * Worker-thread entry for note analysis (NER, findings with ConText assertions, the complaint
 * classifier): a long note can take seconds of CPU, and on the main thread every other request
 * (another user's save, the host's status call, the UI) would wait for it. Started and fed by
 * noteAnalysisRunner.ts; models/runtime/nlp is used as is.
 */
import { parentPort } from 'node:worker_threads';
import { classifyComplaint, extractFindings, recogniseEntities } from '../../../models/runtime/nlp/clinicalText';
import type { NoteAnalysisJob, NoteAnalysisReply } from './noteAnalysisRunner';

parentPort?.on('message', (job: NoteAnalysisJob) => {
  void (async (): Promise<NoteAnalysisReply> => {
    try {
      const entities = await recogniseEntities(job.text);
      const findings = extractFindings(job.text);
      const complaint = (await classifyComplaint(job.text)).slice(0, 3);
      return { id: job.id, ok: true, result: { entities, findings, complaint } };
    } catch (err) {
      return { id: job.id, ok: false, error: { name: String((err as Error)?.name ?? 'Error'), message: String((err as Error)?.message ?? err) } };
    }
  })().then((reply) => parentPort?.postMessage(reply));
});
