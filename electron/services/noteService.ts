/**
 * Reading a clinical note: disease mentions (disease-ner) and symptoms mapped to the differential's
 * findings, each with its assertion (ConText), plus the free-text complaint classifier. Long notes
 * arrive in chunks; offsets are returned relative to the whole note.
 */
import type { NoteAnalysis } from '../contract/ipcContract';
import { LockedError } from './serviceErrors';
import type { Actor } from './caseService';
import type { NoteAnalysisRunner } from './noteAnalysisRunner';

/** The analysis runs in the runner's worker thread (see noteAnalysisRunner.ts); the audit event is written here. */
export async function analyseNote({ store, user }: Actor, runner: NoteAnalysisRunner, text: string, offset: number, now = new Date()): Promise<NoteAnalysis> {
  const { entities, findings, complaint } = await runner.analyse(text);
  // Signed out while the worker ran: the result goes nowhere and nothing is recorded.
  if (!store.db.open) throw new LockedError();
  store.transaction(() =>
    store.audit.append({
      at: now.toISOString(),
      userId: user.id,
      action: 'model.run',
      modelId: 'disease-ner',
      detail: { purpose: 'note-analysis', characters: text.length, offset, alsoRan: ['symptom-text'] },
    }),
  );
  const shift = <T extends { start: number; end: number }>(x: T): T => ({ ...x, start: x.start + offset, end: x.end + offset });
  return { offset, entities: entities.map(shift), findings: findings.map(shift), complaint };
}
