/**
 * Reading a clinical note: disease mentions (disease-ner) and symptoms mapped to the differential's
 * findings, each with its assertion (ConText), plus the free-text complaint classifier. Long notes
 * arrive in chunks; offsets are returned relative to the whole note.
 */
import type { NoteAnalysis } from '../contract/ipcContract';
import { classifyComplaint, extractFindings, recogniseEntities } from '../../models/nlp/clinicalText';
import type { Actor } from './caseService';

export async function analyseNote({ store, user }: Actor, text: string, offset: number, now = new Date()): Promise<NoteAnalysis> {
  const entities = await recogniseEntities(text);
  const findings = extractFindings(text);
  const complaint = (await classifyComplaint(text)).slice(0, 3);
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
