/**
 * The clinician's answer to each suggestion and the final diagnosis. Both are audited with the
 * model id, version and sha256 of the suggestion they answer, so agreement can be measured per
 * model version later.
 */
import type { CaseDetail, DecisionAction } from '../../contract/ipcContract';
import { recordNotFound } from '../../../db/dbErrors';
import type { SuggestionRecord } from '../../../db/repositories/suggestionRepository';
import type { Actor } from '../actor';
import { isDifferentialOutput, readCase } from '../cases/caseService';
import { LanternError } from '../serviceErrors';

/** Labels a decision may name: ranked diagnoses, risk models that ran, image-model labels. */
export function decidableLabels(s: SuggestionRecord): Map<string, { cantMiss: boolean }> {
  const labels = new Map<string, { cantMiss: boolean }>();
  const output = s.output;
  if (isDifferentialOutput(output)) {
    for (const item of output.items) labels.set(item.label, { cantMiss: item.cantMiss });
    for (const r of output.riskAssessments ?? []) if (r.status === 'ran') labels.set(r.modelId, { cantMiss: false });
  } else {
    const probabilities = (output as { probabilities?: Record<string, number> | null }).probabilities;
    for (const label of Object.keys(probabilities ?? {})) labels.set(label, { cantMiss: false });
    labels.set(s.modelId, { cantMiss: false });
  }
  return labels;
}

export function recordDecision(
  { store, user }: Actor,
  request: { caseId: string; suggestionId: string; label: string; action: DecisionAction; reason?: string | undefined },
  now = new Date(),
): CaseDetail {
  const suggestion = store.suggestions.get(request.suggestionId);
  if (!suggestion || suggestion.encounterId !== request.caseId) throw recordNotFound('suggestion on this case', request.suggestionId);
  const target = decidableLabels(suggestion).get(request.label);
  if (!target) throw new LanternError('VALIDATION_FAILED', `"${request.label}" is not one of this suggestion's labels.`, { field: 'label' });
  const reason = request.reason?.trim() || null;
  if (request.action === 'reject' && target.cantMiss && reason === null) {
    throw new LanternError('VALIDATION_FAILED', `Rejecting "${request.label}", a can't-miss diagnosis, needs a reason.`, { field: 'reason' });
  }
  const at = now.toISOString();
  store.transaction(() => {
    store.decisions.insert({ suggestionId: suggestion.id, label: request.label, action: request.action, reason, userId: user.id, createdAt: at });
    store.audit.append({
      at,
      userId: user.id,
      action: 'decision.record',
      encounterId: request.caseId,
      modelId: suggestion.modelId,
      modelVersion: suggestion.modelVersion,
      modelSha256: suggestion.artefactSha256,
      detail: { suggestionId: suggestion.id, label: request.label, decision: request.action, reason, cantMiss: target.cantMiss },
    });
  });
  return readCase(store, request.caseId);
}

export function recordFinalDiagnosis({ store, user }: Actor, request: { caseId: string; label: string; icd10: string | null }, now = new Date()): CaseDetail {
  if (!store.cases.get(request.caseId)) throw recordNotFound('case', request.caseId);
  const previous = store.decisions.finalDiagnosis(request.caseId);
  const at = now.toISOString();
  store.transaction(() => {
    store.decisions.setFinalDiagnosis(request.caseId, { label: request.label, icd10: request.icd10, recordedBy: user.id, recordedAt: at });
    store.audit.append({
      at,
      userId: user.id,
      action: 'diagnosis.final',
      encounterId: request.caseId,
      detail: { label: request.label, icd10: request.icd10, previous: previous && { label: previous.label, icd10: previous.icd10 } },
    });
  });
  return readCase(store, request.caseId);
}
