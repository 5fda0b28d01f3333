/**
 * Reading a clinical note: disease mentions (disease-ner + clinical vocabulary) and symptoms mapped to the
 * differential's findings, each with its assertion (ConText + sections, English and Chinese), plus the free-text
 * complaint classifier. Long notes arrive in chunks; offsets are returned relative to the whole note.
 */
import type { NoteAnalysis } from '../../contract/ipcContract';
import { readNlpManifest, type NlpManifestEntry } from '../../../models/runtime/nlp/nlpModels';
import { LanternError, LOCKED_MESSAGE } from '../serviceErrors';
import type { Actor } from '../actor';
import type { NoteAnalysisRunner } from './noteAnalysisRunner';

/** The NLP artefacts a note analysis uses, with the versions and sha256 that ran (read once: the manifest is fixed). */
let nlpVersions: Map<string, NlpManifestEntry> | null = null;
function nlpEntry(id: string): NlpManifestEntry | undefined {
  nlpVersions ??= new Map(readNlpManifest().map((e) => [e.id, e]));
  return nlpVersions.get(id);
}
const ALSO_RAN = ['context-rules', 'clinical-vocabulary', 'symptom-lexicon', 'symptom-text'];

/** The analysis runs in the runner's worker thread (see noteAnalysisRunner.ts); the audit event is written here. */
export async function analyseNote({ store, user }: Actor, runner: NoteAnalysisRunner, text: string, offset: number, now = new Date()): Promise<NoteAnalysis> {
  const { entities, findings, complaint } = await runner.analyse(text);
  // Signed out while the worker ran: the result goes nowhere and nothing is recorded.
  if (!store.db.open) throw new LanternError('LOCKED', LOCKED_MESSAGE);
  const ner = nlpEntry('disease-ner');
  store.transaction(() =>
    store.audit.append({
      at: now.toISOString(),
      userId: user.id,
      action: 'model.run',
      modelId: 'disease-ner',
      modelVersion: ner?.version ?? null,
      modelSha256: ner?.sha256 ?? null,
      detail: {
        purpose: 'note-analysis',
        characters: text.length,
        offset,
        // every artefact that shaped the answer, as id@version, so an auditor can tell which rules ran
        alsoRan: ALSO_RAN.map((id) => `${id}@${nlpEntry(id)?.version ?? '?'}`),
      },
    }),
  );
  const shift = <T extends { start: number; end: number }>(x: T): T => ({ ...x, start: x.start + offset, end: x.end + offset });
  return { offset, entities: entities.map(shift), findings: findings.map(shift), complaint };
}
