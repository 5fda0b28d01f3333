/**
 * The auditor's workspace: find suggestions, see exactly what the model saw and said, re-run the
 * stored model version on the stored inputs, measure agreement with clinicians' final diagnoses,
 * and verify the hash chain. Reads of case content are themselves audited.
 */
import type {
  AgreementRow,
  AuditChainStatus,
  AuditEventView,
  AuditFilter,
  AuditRow,
  Differential,
  RerunResult,
  SuggestionAuditDetail,
} from '../../contract/ipcContract';
import type { AuditSuggestionRow } from '../../../db/repositories/auditSearchRepository';
import type { SuggestionRecord } from '../../../db/repositories/suggestionRepository';
import type { CaseStore } from '../../../db/caseStore';
import { caseDecisions, isDifferentialOutput } from '../cases/caseService';
import { runDifferential } from '../diagnosis/diagnosisService';
import type { AssessedCase, ClinicalModels } from '../diagnosis/diagnosisService';
import { computeImageModel } from '../imaging/imagingService';
import type { ImageModelId } from '../imaging/imagingService';
import { imageModelIds } from '../../contract/ipcContract';
import { classifyNote, isComplaintOutput, type ComplaintInputSnapshot, type ComplaintOutput } from '../notes/complaintSuggestion';
import type { SymptomTextModel } from '../../../models/runtime/nlp/symptomText';
import { createHash } from 'node:crypto';
import { recordNotFound } from '../../../db/dbErrors';
import { type Actor } from '../actor';
import { DDXPLUS_MODEL_ID } from '../../../models/runtime/ddxplus/ddxplusFiles';
import { rerunInterview } from '../diagnosis/interviewService';
import { readInstallPublicKey } from '../../../db/installKey';

/** Rows scanned per search; the UI asks the auditor to narrow the filter beyond this. */
const scanLimit = 5000;
const resultLimit = 500;

function nextDay(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

function topOf(output: unknown): { label: string; probability: number }[] {
  if (isDifferentialOutput(output)) return output.items.slice(0, 3).map((i) => ({ label: i.label, probability: i.probability }));
  const probabilities = (output as { probabilities?: Record<string, number> | null }).probabilities ?? {};
  return Object.entries(probabilities)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([label, probability]) => ({ label, probability }));
}

function toAuditRow(r: AuditSuggestionRow): AuditRow {
  return {
    suggestionId: r.suggestionId,
    caseId: r.caseId,
    patientId: r.patientId,
    createdAt: r.createdAt,
    clinicianId: r.clinicianId,
    clinicianName: r.clinicianName,
    modelId: r.modelId,
    modelVersion: r.modelVersion,
    modelSha256: r.modelSha256,
    top: topOf(r.output),
    finalDiagnosis: r.finalDiagnosis,
    decisions: r.decisions,
  };
}

function scan(store: CaseStore, filter: AuditFilter): AuditSuggestionRow[] {
  const rows = store.auditSearch.suggestions(
    {
      fromIso: filter.from && `${filter.from}T00:00:00.000Z`,
      toIsoExclusive: filter.to && nextDay(filter.to),
      clinicianId: filter.clinicianId,
      modelId: filter.modelId,
      modelVersion: filter.modelVersion,
    },
    scanLimit,
  );
  const wanted = filter.diagnosis?.trim().toLowerCase();
  return rows.filter((r) => {
    if (wanted) {
      const names = [r.finalDiagnosis, r.finalDiagnosisIcd10, topOf(r.output)[0]?.label].filter((x): x is string => !!x).map((x) => x.toLowerCase());
      if (!names.some((n) => n.includes(wanted))) return false;
    }
    switch (filter.decision) {
      case undefined:
        return true;
      case 'none':
        return r.decisions.length === 0;
      case 'accept':
      case 'reject':
      case 'defer':
        return r.decisions.some((d) => d.action === filter.decision);
      default: {
        const unreachable: never = filter.decision;
        return unreachable;
      }
    }
  });
}

export function searchAudit({ store }: Actor, filter: AuditFilter): AuditRow[] {
  return scan(store, filter).slice(0, resultLimit).map(toAuditRow);
}

function requireSuggestion(store: CaseStore, suggestionId: string): SuggestionRecord {
  const s = store.suggestions.get(suggestionId);
  if (!s) throw recordNotFound('suggestion', suggestionId);
  return s;
}

export function getSuggestionAudit({ store, user }: Actor, suggestionId: string, now = new Date()): SuggestionAuditDetail {
  const s = requireSuggestion(store, suggestionId);
  const row = store.auditSearch.suggestions({ suggestionId }, 1)[0]!;
  store.transaction(() =>
    store.audit.append({ at: now.toISOString(), userId: user.id, action: 'case.read', encounterId: s.encounterId, detail: { via: 'audit', suggestionId } }),
  );
  return {
    row: toAuditRow(row),
    inputSnapshot: s.inputSnapshot,
    output: s.output,
    decisions: caseDecisions(store, s.encounterId).filter((d) => d.suggestionId === suggestionId),
  };
}

/** Largest absolute difference between two label→probability maps over the union of labels. */
function maxProbabilityDifference(a: Record<string, number>, b: Record<string, number>): number {
  let max = 0;
  for (const label of new Set([...Object.keys(a), ...Object.keys(b)])) max = Math.max(max, Math.abs((a[label] ?? 0) - (b[label] ?? 0)));
  return max;
}

function differentialProbabilities(d: Differential): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of d.items) out[item.label] = item.probability;
  for (const r of d.riskAssessments ?? []) if (r.status === 'ran') for (const [label, p] of Object.entries(r.probabilities)) out[`${r.modelId}:${label}`] = p;
  return out;
}

/** Floating-point sums in another order may differ in the last bits; anything more is a different answer. */
const reproductionTolerance = 1e-9;

/** The free-text classifier re-read on the case's stored note (the snapshot holds the note's sha256). */
function rerunComplaint(
  store: CaseStore,
  model: SymptomTextModel,
  s: SuggestionRecord,
  stored: ComplaintOutput,
): Omit<RerunResult, 'suggestionId' | 'modelId' | 'storedVersion' | 'storedSha256'> {
  const installed = { installedVersion: model.version, installedSha256: model.sha256 };
  if (model.sha256 !== s.artefactSha256) {
    return {
      ...installed,
      reproduced: false,
      maxDifference: null,
      reason: `The stored model version ${s.modelVersion} is not installed; this app has ${model.version}. Not re-run.`,
    };
  }
  const note = store.cases.get(s.encounterId)?.note ?? '';
  const snapshot = s.inputSnapshot as ComplaintInputSnapshot;
  if (createHash('sha256').update(note, 'utf8').digest('hex') !== snapshot.noteSha256) {
    return { ...installed, reproduced: false, maxDifference: null, reason: 'The case note differs from the one the classifier read (sha256). Not compared.' };
  }
  const rerun = classifyNote(model, note);
  const probs = (o: ComplaintOutput): Record<string, number> => Object.fromEntries(o.ranking.map((r) => [r.label, r.probability]));
  const diff = maxProbabilityDifference(probs(stored), probs(rerun));
  const sameAnswer =
    stored.abstained?.code === rerun.abstained?.code && stored.ranking.map((r) => r.label).join('\u0000') === rerun.ranking.map((r) => r.label).join('\u0000');
  const reproduced = sameAnswer && diff <= reproductionTolerance;
  return {
    ...installed,
    reproduced,
    maxDifference: diff,
    reason: reproduced
      ? 'Re-ran the stored classifier version on the stored note: same answer.'
      : `Re-run differs from the stored output (largest probability difference ${diff.toFixed(6)}${sameAnswer ? '' : ', ranking or abstention differs'}).`,
  };
}

export async function rerunSuggestion({ store, user }: Actor, models: () => ClinicalModels, suggestionId: string, now = new Date()): Promise<RerunResult> {
  const s = requireSuggestion(store, suggestionId);
  const base = { suggestionId, modelId: s.modelId, storedVersion: s.modelVersion, storedSha256: s.artefactSha256 };
  let result: RerunResult;
  if (isDifferentialOutput(s.output)) {
    const installed = models().registry.get(s.modelId);
    if (installed.sha256 !== s.artefactSha256) {
      result = {
        ...base,
        installedVersion: installed.version,
        installedSha256: installed.sha256,
        reproduced: false,
        maxDifference: null,
        reason: `The stored model version ${s.modelVersion} (sha256 ${s.artefactSha256.slice(0, 12)}…) is not installed; this app has ${installed.version}. Not re-run.`,
      };
    } else {
      // Patient context and criteria labs are in snapshots stored since model scopes; older ones lack them.
      const snapshot = s.inputSnapshot as Pick<AssessedCase, 'features' | 'findings' | 'modelInputs' | 'derivedInputs' | 'patient' | 'criteriaLabs'>;
      const rerun = runDifferential(models(), { ...snapshot, vitals: [], labs: [], criticalValues: [] });
      const stored = s.output;
      const storedRisk = new Map((stored.riskAssessments ?? []).flatMap((r) => (r.status === 'ran' ? [[r.modelId, r.modelSha256] as const] : [])));
      const changedRisk = rerun.riskAssessments.find((r) => r.status === 'ran' && storedRisk.has(r.modelId) && storedRisk.get(r.modelId) !== r.modelSha256);
      const diff = maxProbabilityDifference(differentialProbabilities(stored), differentialProbabilities(rerun));
      const sameOrder = stored.items.map((i) => i.label).join('\u0000') === rerun.items.map((i) => i.label).join('\u0000');
      const reproduced = !changedRisk && diff <= reproductionTolerance && sameOrder;
      result = {
        ...base,
        installedVersion: installed.version,
        installedSha256: installed.sha256,
        reproduced,
        maxDifference: diff,
        reason: changedRisk
          ? `Risk model ${changedRisk.modelId} has changed since this suggestion; its part cannot be reproduced.`
          : reproduced
            ? 'Re-ran the stored model version on the stored inputs: same ranking and probabilities.'
            : `Re-run differs from the stored output (largest probability difference ${diff.toFixed(6)}${sameOrder ? '' : ', ranking differs'}).`,
      };
    }
  } else if (s.modelId === DDXPLUS_MODEL_ID) {
    result = { ...base, ...rerunInterview(models(), s) };
  } else if ((imageModelIds as readonly string[]).includes(s.modelId)) {
    const snapshot = s.inputSnapshot as { imageId: string; imageSha256: string };
    const stored = s.output as { probabilities: Record<string, number> | null; overlaySha256: string };
    const run = await computeImageModel(store, snapshot.imageId, s.modelId as ImageModelId);
    if (run.model.sha256 !== s.artefactSha256) {
      result = {
        ...base,
        installedVersion: run.model.version,
        installedSha256: run.model.sha256,
        reproduced: false,
        maxDifference: null,
        reason: `The stored model version ${s.modelVersion} is not installed; this app has ${run.model.version}. Not compared.`,
      };
    } else {
      const diff = maxProbabilityDifference(stored.probabilities ?? {}, run.probabilities ?? {});
      const sameImage = run.record.sha256 === snapshot.imageSha256;
      const sameOverlay = run.overlaySha256 === stored.overlaySha256;
      const reproduced = sameImage && sameOverlay && diff <= reproductionTolerance;
      result = {
        ...base,
        installedVersion: run.model.version,
        installedSha256: run.model.sha256,
        reproduced,
        maxDifference: diff,
        reason: reproduced
          ? 'Re-ran the stored model version on the stored image: same probabilities and the same overlay (sha256).'
          : `Re-run differs: ${[!sameImage && 'image bytes changed', !sameOverlay && 'overlay differs', diff > reproductionTolerance && `probabilities differ by ${diff.toFixed(6)}`].filter(Boolean).join(', ')}.`,
      };
    }
  } else if (isComplaintOutput(s.output) && models().complaintText !== undefined) {
    result = { ...base, ...rerunComplaint(store, models().complaintText!, s, s.output) };
  } else {
    result = {
      ...base,
      installedVersion: null,
      installedSha256: null,
      reproduced: false,
      maxDifference: null,
      reason: `No runtime for model ${s.modelId} in this app.`,
    };
  }
  store.transaction(() =>
    store.audit.append({
      at: now.toISOString(),
      userId: user.id,
      action: 'model.rerun',
      encounterId: s.encounterId,
      modelId: s.modelId,
      modelVersion: s.modelVersion,
      modelSha256: s.artefactSha256,
      detail: { suggestionId, reproduced: result.reproduced, maxDifference: result.maxDifference },
    }),
  );
  return result;
}

/**
 * Clinician's final diagnosis vs the stored differential, per model version. A suggestion agrees
 * when the final diagnosis names the same label or the same ICD-10 code (or one within its category).
 */
export function agreementStats({ store }: Actor, filter: AuditFilter): AgreementRow[] {
  const byVersion = new Map<string, AgreementRow>();
  // The latest differential per case counts once.
  const seenCases = new Set<string>();
  for (const r of scan(store, filter)) {
    if (!isDifferentialOutput(r.output) || r.finalDiagnosis === null || seenCases.has(r.caseId)) continue;
    seenCases.add(r.caseId);
    const key = `${r.modelId}\u0000${r.modelVersion}`;
    const row = byVersion.get(key) ?? { modelId: r.modelId, modelVersion: r.modelVersion, cases: 0, top1: 0, top3: 0, top1Rate: null, top3Rate: null };
    const final = r.finalDiagnosis.trim().toLowerCase();
    const code = r.finalDiagnosisIcd10?.toUpperCase() ?? null;
    const matches = (item: Differential['items'][number]) =>
      item.label.toLowerCase() === final ||
      item.displayName.toLowerCase() === final ||
      (code !== null &&
        item.icd10 !== null &&
        (item.icd10.code.toUpperCase() === code || code.startsWith(item.icd10.code.toUpperCase()) || item.icd10.code.toUpperCase().startsWith(code)));
    const rank = r.output.items.findIndex(matches);
    row.cases += 1;
    if (rank === 0) row.top1 += 1;
    if (rank >= 0 && rank < 3) row.top3 += 1;
    byVersion.set(key, row);
  }
  return [...byVersion.values()]
    .map((r) => ({ ...r, top1Rate: r.cases ? r.top1 / r.cases : null, top3Rate: r.cases ? r.top3 / r.cases : null }))
    .sort((a, b) => a.modelId.localeCompare(b.modelId) || a.modelVersion.localeCompare(b.modelVersion));
}

/** The chain's links and its events' signatures (the install key's public half is read beside the database file). */
export function verifyAuditChain(store: CaseStore, now = new Date()): AuditChainStatus {
  const v = store.audit.verifyChain();
  const checkedAt = now.toISOString();
  if (v.intact) {
    const head = v.events ? { seq: v.events, hash: v.head } : null;
    const sig = store.audit.verifySignatures(readInstallPublicKey(store.db.name));
    const unsignedLegacyEvents = sig.unsignedLegacy;
    if (sig.broken)
      return { intact: false, events: v.events, head, firstBrokenSeq: sig.broken.seq, reason: sig.broken.reason, checkedAt, unsignedLegacyEvents };
    return { intact: true, events: v.events, head, firstBrokenSeq: null, reason: null, checkedAt, unsignedLegacyEvents };
  }
  return { intact: false, events: v.events, head: store.audit.head(), firstBrokenSeq: v.firstBrokenSeq, reason: v.reason, checkedAt };
}

/**
 * A broken trail is written into itself once per distinct break (who saw it, where, why), so the
 * break is on record and nothing after it looks as if it were appended to an intact trail.
 */
export function recordBreak({ store, user }: Actor, status: AuditChainStatus, now = new Date()): AuditChainStatus {
  if (status.intact) return status;
  const last = store.db.prepare("SELECT detail FROM audit_events WHERE action = 'audit.break-detected' ORDER BY seq DESC LIMIT 1").pluck().get() as
    string | undefined;
  const previous = last === undefined ? null : (JSON.parse(last) as { firstBrokenSeq?: number; reason?: string });
  if (previous?.firstBrokenSeq === status.firstBrokenSeq && previous?.reason === status.reason) return status;
  store.transaction(() =>
    store.audit.append({
      at: now.toISOString(),
      userId: user.id,
      action: 'audit.break-detected',
      detail: { firstBrokenSeq: status.firstBrokenSeq, reason: status.reason },
    }),
  );
  return status;
}

export function listAuditEvents({ store }: Actor, request: { caseId?: string | undefined; limit: number }): AuditEventView[] {
  const names = new Map(store.users.list().map((u) => [u.id, u.displayName]));
  return store.audit.list({ encounterId: request.caseId, limit: request.limit }).map((e) => ({
    seq: e.seq,
    at: e.at,
    userId: e.user_id,
    userName: e.user_id === null ? null : (names.get(e.user_id) ?? null),
    action: e.action,
    caseId: e.encounter_id,
    modelId: e.model_id,
    modelVersion: e.model_version,
    modelSha256: e.model_sha256,
    detail: e.detail,
  }));
}
