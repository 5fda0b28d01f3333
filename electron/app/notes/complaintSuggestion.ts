/**
 * The free-text classifier (`symptom-text`) run on a case's note when the case is saved, stored as one more
 * suggestion of the case (model id, version, sha256, what it read), so history, reports and the audit show it like
 * the differential and image models. Scope: English symptom descriptions; a note with too few words the model
 * knows (a Chinese note, a list of numbers) gets an abstention, not a ranking.
 */
import { createHash } from 'node:crypto';

import type { SymptomTextModel } from '../../../models/runtime/nlp/symptomText';
import type { SuggestionRecord } from '../../../db/repositories/suggestionRepository';
import type { Abstention, ComplaintSuggestion } from '../../contract/ipcContract';

export const COMPLAINT_MODEL_ID = 'symptom-text';
/** As many labels as the note panel shows. */
export const COMPLAINT_TOP = 3;
/** Fewer distinct known words than this and the ranking would be the model's priors, not the note. */
export const MIN_KNOWN_WORDS = 3;

export interface ComplaintOutput {
  kind: 'complaint-classification';
  ranking: { label: string; probability: number }[];
  abstained: Abstention | null;
  knownWords: number;
}

export interface ComplaintInputSnapshot {
  source: 'case.note';
  characters: number;
  noteSha256: string;
}

export function classifyNote(model: SymptomTextModel, note: string): ComplaintOutput {
  const knownWords = model.knownWords(note).length;
  if (knownWords < MIN_KNOWN_WORDS) {
    return {
      kind: 'complaint-classification',
      ranking: [],
      abstained: {
        code: 'OUT_OF_SCOPE',
        message: `The free-text classifier reads English descriptions of symptoms; this note has ${knownWords} word${knownWords === 1 ? '' : 's'} it knows (it needs ${MIN_KNOWN_WORDS}). Read the note itself; the findings extracted from it still apply.`,
      },
      knownWords,
    };
  }
  return { kind: 'complaint-classification', ranking: model.classify(note).slice(0, COMPLAINT_TOP), abstained: null, knownWords };
}

export function isComplaintOutput(output: unknown): output is ComplaintOutput {
  return typeof output === 'object' && output !== null && (output as { kind?: unknown }).kind === 'complaint-classification';
}

/** The suggestion row for a saved case's note, or null when there is no note to read. */
export function complaintSuggestionRecord(
  model: SymptomTextModel,
  note: string,
  row: { id: string; encounterId: string; createdAt: string; createdBy: string },
): SuggestionRecord | null {
  if (note.trim() === '') return null;
  const input: ComplaintInputSnapshot = { source: 'case.note', characters: note.length, noteSha256: createHash('sha256').update(note, 'utf8').digest('hex') };
  return {
    ...row,
    modelId: COMPLAINT_MODEL_ID,
    modelVersion: model.version,
    artefactSha256: model.sha256,
    inputSnapshot: input,
    output: classifyNote(model, note),
  };
}

export function toComplaintSuggestion(s: SuggestionRecord): ComplaintSuggestion | null {
  if (!isComplaintOutput(s.output)) return null;
  return {
    suggestionId: s.id,
    modelId: s.modelId,
    modelVersion: s.modelVersion,
    modelSha256: s.artefactSha256,
    createdAt: s.createdAt,
    ranking: s.output.ranking,
    abstained: s.output.abstained,
  };
}
