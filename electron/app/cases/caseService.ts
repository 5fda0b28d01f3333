import { imageRemoval } from '../../../db/repositories/imageRepository';
import { randomUUID } from 'node:crypto';
import type { CaseDetail, CaseInput, CaseSummary, Decision, Differential, Patient, PatientInput } from '../../contract/ipcContract';
import type { CaseStore } from '../../../db/caseStore';
import { toImageSummary } from '../imaging/imagingService';
import { assessCase, inputSnapshot, runDifferential, sha256OfJson } from '../diagnosis/diagnosisService';
import type { AssessedCase, ClinicalModels } from '../diagnosis/diagnosisService';
import { complaintSuggestionRecord, toComplaintSuggestion } from '../notes/complaintSuggestion';
import { recordNotFound } from '../../../db/dbErrors';
import { LanternError } from '../serviceErrors';
import { type Actor } from '../actor';
import { type StoredInterview } from '../../contract/ipcContract';
import { type SuggestionRecord } from '../../../db/repositories/suggestionRepository';
import { type InterviewSnapshot, type StoredInterviewOutput } from '../diagnosis/interviewService';

/** The DDXPlus interview's model id (models/runtime/ddxplus/ddxplusFiles.ts), the model a saved interview ran. */
const INTERVIEW_MODEL_ID = 'ddxplus-differential';

export function createPatient({ store, user }: Actor, input: PatientInput, now = new Date()): Patient {
  const patient: Patient = { id: randomUUID(), ...input, createdAt: now.toISOString(), noKnownAllergies: false, allergies: [], medications: [] };
  store.transaction(() => {
    store.patients.insert(patient, user.id);
    store.audit.append({ at: patient.createdAt, userId: user.id, action: 'patient.create', detail: { patientId: patient.id } });
  });
  return patient;
}

export function getPatient({ store }: Actor, patientId: string): Patient {
  const p = store.patients.get(patientId);
  if (!p) throw recordNotFound('patient', patientId);
  return p;
}

/** `displayNames` maps the differential's labels to clinical names (the dataset's spellings are not shown). */
export function listCases(actor: Actor, patientId: string, displayNames: ReadonlyMap<string, string> = new Map()): CaseSummary[] {
  getPatient(actor, patientId);
  return actor.store.cases
    .listForPatient(patientId)
    .map((c) => ({ ...c, topDiagnosisName: c.topDiagnosis === null ? null : (displayNames.get(c.topDiagnosis) ?? c.topDiagnosis) }));
}

/**
 * One audit event per model that ran (the differential and each risk model), each naming the
 * model's id, version and artefact sha256, so an auditor can filter runs by model version.
 */
function auditDiagnosisRuns(
  store: CaseStore,
  run: { at: string; userId: string; encounterId: string | null; purpose: 'preview' | 'saved'; assessed: AssessedCase; differential: Differential },
): void {
  const inputSha256 = sha256OfJson(inputSnapshot(run.assessed));
  const ran = [
    { modelId: run.differential.modelId, modelVersion: run.differential.modelVersion, modelSha256: run.differential.modelSha256 },
    ...run.differential.riskAssessments.flatMap((r) =>
      r.status === 'ran' ? [{ modelId: r.modelId, modelVersion: r.modelVersion, modelSha256: r.modelSha256 }] : [],
    ),
  ];
  for (const model of ran) {
    store.audit.append({
      at: run.at,
      userId: run.userId,
      action: 'model.run',
      encounterId: run.encounterId,
      ...model,
      detail: { purpose: run.purpose, inputSha256 },
    });
  }
}

export function isEmptyCase(input: CaseInput): boolean {
  return (
    Object.values(input.findings).every((state) => state === 'unknown') &&
    input.vitals.length === 0 &&
    input.labs.length === 0 &&
    Object.values(input.modelInputs).every((values) => Object.keys(values).length === 0)
  );
}

/** Runs the differential without saving the case; the run itself is audited. */
export function previewDiagnosis({ store, user }: Actor, models: ClinicalModels, input: CaseInput, patientId?: string, now = new Date()): Differential {
  const patient = patientId === undefined ? null : store.patients.get(patientId);
  if (patient === undefined) throw recordNotFound('patient', patientId!);
  // An empty case is not a question: no model runs on nothing (it would answer with its priors).
  if (isEmptyCase(input))
    throw new LanternError('VALIDATION_FAILED', 'Nothing to assess yet: enter at least one finding, vital sign, lab result or risk-model input, then run.', {
      field: 'findings',
    });
  const assessed = assessCase(models, input, patient, now);
  const differential = runDifferential(models, assessed);
  store.transaction(() => auditDiagnosisRuns(store, { at: now.toISOString(), userId: user.id, encounterId: null, purpose: 'preview', assessed, differential }));
  return differential;
}

/**
 * Saves the case, the differential made from exactly these inputs (re-run here, so what is stored is
 * what the model gives for what is stored) and the audit events, in one transaction.
 */
export function saveCase({ store, user }: Actor, models: ClinicalModels, patientId: string, input: CaseInput, now = new Date()): CaseDetail {
  const patient = store.patients.get(patientId);
  if (!patient) throw recordNotFound('patient', patientId);
  const assessed = assessCase(models, input, patient, now);
  const differential = runDifferential(models, assessed);
  const caseId = randomUUID();
  const at = now.toISOString();
  store.transaction(() => {
    store.cases.insert({
      id: caseId,
      patientId,
      clinicianId: user.id,
      createdAt: at,
      findings: assessed.findings,
      vitals: assessed.vitals,
      labs: assessed.labs.map((l) => ({ ...l })),
      note: input.note,
      modelInputs: input.modelInputs,
    });
    store.audit.append({ at, userId: user.id, action: 'case.create', encounterId: caseId, detail: { patientId } });
    const snapshot = inputSnapshot(assessed);
    store.suggestions.insert({
      id: randomUUID(),
      encounterId: caseId,
      modelId: differential.modelId,
      modelVersion: differential.modelVersion,
      artefactSha256: differential.modelSha256,
      inputSnapshot: snapshot,
      output: differential,
      createdAt: at,
      createdBy: user.id,
    });
    auditDiagnosisRuns(store, { at, userId: user.id, encounterId: caseId, purpose: 'saved', assessed, differential });
    // The free-text classifier's reading of the note is kept with the case, like the differential.
    const complaint =
      models.complaintText &&
      complaintSuggestionRecord(models.complaintText, input.note, { id: randomUUID(), encounterId: caseId, createdAt: at, createdBy: user.id });
    if (complaint) {
      store.suggestions.insert(complaint);
      store.audit.append({
        at,
        userId: user.id,
        action: 'model.run',
        encounterId: caseId,
        modelId: complaint.modelId,
        modelVersion: complaint.modelVersion,
        modelSha256: complaint.artefactSha256,
        detail: { purpose: 'saved', input: 'case.note', inputSha256: sha256OfJson(complaint.inputSnapshot) },
      });
    }
  });
  return readCase(store, caseId);
}

/** Image-model runs are suggestions of the same case; the differential is the one with ranked items. */
export function isDifferentialOutput(output: unknown): output is Differential {
  return typeof output === 'object' && output !== null && Array.isArray((output as { items?: unknown }).items);
}

function userName(store: CaseStore, userId: string | null): string | null {
  return userId === null ? null : (store.users.get(userId)?.displayName ?? null);
}

/** Every decision on the case's suggestions, oldest first, with who made it. */
export function caseDecisions(store: CaseStore, caseId: string): Decision[] {
  return store.decisions.listForEncounter(caseId).map((d) => ({
    suggestionId: d.suggestionId,
    label: d.label,
    action: d.action,
    reason: d.reason,
    userId: d.userId,
    userName: userName(store, d.userId),
    createdAt: d.createdAt,
  }));
}

export function readCase(store: CaseStore, caseId: string): CaseDetail {
  const c = store.cases.get(caseId);
  if (!c) throw recordNotFound('case', caseId);
  const suggestions = store.suggestions.listForEncounter(caseId);
  const latest = suggestions.filter((s) => isDifferentialOutput(s.output)).at(-1);
  const interviews = suggestions.filter((s) => s.modelId === INTERVIEW_MODEL_ID).map(storedInterviewOf);
  const complaint =
    suggestions
      .map(toComplaintSuggestion)
      .filter((c) => c !== null)
      .at(-1) ?? null;
  const final = store.decisions.finalDiagnosis(caseId);
  return {
    id: c.id,
    patientId: c.patientId,
    createdAt: c.createdAt,
    findings: c.findings,
    vitals: c.vitals.map((v) => ({
      code: v.code as CaseDetail['vitals'][number]['code'],
      value: v.value,
      unit: v.unit,
      flag: v.flag as CaseDetail['vitals'][number]['flag'],
    })),
    labs: c.labs.map((l) => ({ loinc: l.loinc, value: l.value, unit: l.unit, flag: l.flag as CaseDetail['labs'][number]['flag'] })),
    note: c.note,
    modelInputs: c.modelInputs,
    differential: (latest?.output as Differential | undefined) ?? null,
    suggestionId: latest?.id ?? null,
    images: store.images
      .listForEncounter(caseId)
      .filter((r) => imageRemoval(r) === undefined)
      .map(toImageSummary),
    decisions: caseDecisions(store, caseId),
    finalDiagnosis: final && { ...final, recordedByName: userName(store, final.recordedBy) },
    complaintSuggestion: complaint,
    ...(interviews.length > 0 ? { interviews } : {}),
  };
}

/** A stored interview read back for the case screen. */
export function storedInterviewOf(s: SuggestionRecord): StoredInterview {
  const out = s.output as StoredInterviewOutput;
  const snap = s.inputSnapshot as InterviewSnapshot;
  return {
    suggestionId: s.id,
    createdAt: s.createdAt,
    modelId: s.modelId,
    modelVersion: s.modelVersion,
    answers: snap.answers,
    answered: out.answered,
    differential: out.differential,
    ...(out.triage === undefined ? {} : { triage: out.triage }),
  };
}

/** Opening a case is audited: who read which record is part of the trail. */
export function getCase({ store, user }: Actor, caseId: string, now = new Date()): CaseDetail {
  const detail = readCase(store, caseId);
  store.transaction(() => store.audit.append({ at: now.toISOString(), userId: user.id, action: 'case.read', encounterId: caseId }));
  return detail;
}
