/**
 * Worker-thread entry for note analysis (NER, findings with ConText assertions, the complaint
 * classifier): a long note can take seconds of CPU, and on the main thread every other request
 * (another user's save, the host's status call, the UI) would wait for it. Started and fed by
 * noteAnalysisRunner.ts; models/runtime/nlp is used as is.
 */
import { classifyComplaint, extractFindings, recogniseEntities } from '../../../models/runtime/nlp/clinicalText';
import { serveWorkerJobs } from '../workerJobRunner';
import type { NoteAnalysisResult } from './noteAnalysisRunner';

serveWorkerJobs<string, NoteAnalysisResult>(async (text) => {
  const entities = await recogniseEntities(text);
  const findings = extractFindings(text);
  const complaint = (await classifyComplaint(text)).slice(0, 3);
  return { entities, findings, complaint };
});
