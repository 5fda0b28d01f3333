/**
 * The DDXPlus interview (issue 15): the clinician's answers in the release's format go to the
 * `ddxplus-differential` model; back come the leading conditions (names in English and Chinese,
 * ICD-10, severity) and the next questions with their answer widgets. Each run that gives numbers is
 * audited (model.run, the sha256 of the exact inputs); a saved interview is a case with one suggestion
 * (the exact answers, age and sex as they were, the output) that the auditor can re-run.
 */
import { randomUUID } from 'node:crypto';

import type {
  CaseDetail,
  CaseTriage,
  InterviewAnswered,
  InterviewCondition,
  InterviewQuestion,
  InterviewRequest,
  InterviewResult,
  LocalText,
  RerunResult,
} from '../../contract/ipcContract';
import { recordNotFound } from '../../../db/dbErrors';
import { DDXPLUS_MODEL_ID, loadDdxplusModel } from '../../../models/runtime/ddxplus/ddxplusFiles';
import { DdxInputError, type EvidenceInfo } from '../../../models/runtime/ddxplus/ddxplusEncoding';
import { questionTexts } from '../../../models/runtime/ddxplus/ddxplusQuestionsZh';
import { ruleFindingsOfAnswers } from '../../../models/runtime/ddxplus/ddxplusRedFlags';
import { news2Missing } from '../../../models/runtime/rules/news2';
import { triage } from '../../../models/runtime/rules/triage';
import type { DdxplusModel } from '../../../models/runtime/ddxplus/ddxplusModel';
import type { ConditionInfo } from '../../../models/runtime/registry';
import type { SuggestionRecord } from '../../../db/repositories/suggestionRepository';
import { readCase } from '../cases/caseService';
import type { Actor } from '../actor';
import { ageInYears, sha256OfJson, type ClinicalModels } from './diagnosisService';
import { LanternError } from '../serviceErrors';

/** Conditions shown: the leading ones, and any can't-miss condition with a non-zero probability among them. */
export const INTERVIEW_DIFFERENTIAL_SIZE = 10;
export const INTERVIEW_ASK_NEXT = 5;
/** An answer is named as moving a condition when it raised it by at least this much (2 of 50 trees would be 0.04). */
export const MOVED_BY_MIN = 0.02;
export const MOVED_BY_COUNT = 3;

const text = (t: { en: string; zh?: string }): LocalText => (t.zh === undefined ? { en: t.en } : { en: t.en, zh: t.zh });

/** The answer widget a question needs: yes/no, a 0–10 scale, one option, or several. */
export function questionOf(e: EvidenceInfo): InterviewQuestion {
  const base = { feature: e.name, question: questionTexts(e.name, e.question), antecedent: e.antecedent };
  if (e.type === 'binary') return { ...base, kind: 'binary' };
  const values = e.values ?? [];
  const options = values.map((value, i) => {
    const label = e.valueLabels?.[i];
    return { value, label: label === null || label === undefined ? { en: String(value) } : text(label) };
  });
  if (e.type === 'multi') return { ...base, kind: 'multi', options };
  return { ...base, kind: values.every((v) => typeof v === 'number') ? 'scale' : 'choice', options };
}

/** Age and sex for the model: from the patient record when given (age on `now`), else the request's own. */
function patientFacts(store: Actor['store'], request: InterviewRequest, now: Date): { ageYears?: number; sex?: 'female' | 'male' } {
  if (request.patientId === undefined)
    return { ...(request.ageYears === undefined ? {} : { ageYears: request.ageYears }), ...(request.sex === undefined ? {} : { sex: request.sex }) };
  const patient = store.patients.get(request.patientId);
  if (patient === undefined) throw recordNotFound('patient', request.patientId);
  const ageYears = /^\d{4}-\d{2}-\d{2}$/.test(patient.birthDate) ? ageInYears(patient.birthDate, now) : undefined;
  // 'other' and 'unknown' are not the release's categories: the model then asks for sex (INSUFFICIENT_INPUTS).
  const sex = patient.sex === 'female' || patient.sex === 'male' ? patient.sex : undefined;
  return { ...(ageYears === undefined ? {} : { ageYears }), ...(sex === undefined ? {} : { sex }) };
}

/**
 * The red-flag rules on the answers (no vitals in an interview: NEWS2 and qSOFA say what to record).
 * Computed on every run, the model's abstention included: rules need no model.
 */
export function interviewTriage(models: ClinicalModels, answers: InterviewRequest['answers']): CaseTriage {
  const r = triage({ vitals: {}, findings: ruleFindingsOfAnswers(answers) }, models.catalogue);
  return {
    news2: null,
    qsofa: null,
    flags: r.flags.map(({ code, severity, reason, reasonParts }) => ({ code, severity, reason, reasonParts })),
    missing: news2Missing({}),
  };
}

/** One interview step computed, nothing recorded: what a run shows, and what a stored run keeps. */
export interface InterviewComputation {
  result: InterviewResult;
  /** Every condition's probability (null when the model abstained): what a re-run is compared on. */
  probabilities: Record<string, number> | null;
  /** The sha256 of exactly what the model was given (age, sex, the normalised answers). */
  inputSha256: string;
  /** The answered questions with their texts, for the case history. */
  answered: InterviewAnswered[];
}

/** Runs the model on explicit age, sex and answers (the re-run path uses this with a stored snapshot). */
export function computeInterview(
  models: ClinicalModels,
  facts: { ageYears?: number; sex?: 'female' | 'male' },
  answers: InterviewRequest['answers'],
): InterviewComputation {
  const ddx: DdxplusModel = loadDdxplusModel(undefined, models.registry);
  const described = models.registry.describe(DDXPLUS_MODEL_ID);
  let parsed: ReturnType<DdxplusModel['parse']>;
  try {
    parsed = ddx.parse(facts, answers);
  } catch (e) {
    if (e instanceof DdxInputError) throw new LanternError('VALIDATION_FAILED', e.message, { field: e.field.replace(/^features\./, 'answers.') });
    throw e;
  }
  const byName = new Map(ddx.encoder.evidences.map((e) => [e.name, e]));
  const complaints = ddx.scope.initialEvidences.flatMap((n) => {
    const e = byName.get(n);
    return e === undefined ? [] : [questionOf(e)];
  });
  const answered = Object.entries(answers).flatMap(([feature, value]) => {
    const e = byName.get(feature);
    return e === undefined ? [] : [{ feature, question: questionTexts(e.name, e.question), value }];
  });
  const base = {
    modelId: DDXPLUS_MODEL_ID,
    modelVersion: described.version,
    modelSha256: described.sha256,
    population: described.scope?.population ?? '',
    ageYears: parsed.patient.ageYears ?? null,
    sex: parsed.patient.sex ?? null,
    complaints,
    triage: interviewTriage(models, answers),
  };
  const inputSha256 = sha256OfJson({ patient: parsed.patient, answers: parsed.features });
  const prediction = ddx.predictChecked(parsed.patient, parsed.features);
  if ('abstained' in prediction)
    return { result: { ...base, differential: [], askNext: [], abstained: prediction.abstained }, probabilities: null, inputSha256, answered };

  // Leave-one-out over the answers, one forest pass each (cheap next to ask-next); an answer without
  // which the model would abstain (the only presenting complaint) is not compared with a number it would not give.
  // The clinician's own answers are left out one at a time and re-read as a run without them would
  // read them (a "no" to a parent brings its children's defaults, which go with it).
  const without = Object.keys(answers).flatMap((feature) => {
    const rest = { ...answers };
    delete rest[feature];
    const r = ddx.parse(parsed.patient, rest);
    if (ddx.checkScope(r.patient, r.features) !== null) return [];
    return [{ feature, p: ddx.probabilitiesOf(ddx.votesOf(ddx.encoder.encode(r.patient, r.features))) }];
  });
  const movedBy = (pathology: string, probability: number): InterviewCondition['movedBy'] =>
    without
      .map((w) => ({ feature: w.feature, delta: probability - (w.p[pathology] ?? 0) }))
      .filter((m) => m.delta >= MOVED_BY_MIN)
      .sort((a, b) => b.delta - a.delta || a.feature.localeCompare(b.feature))
      .slice(0, MOVED_BY_COUNT)
      .flatMap((m) => {
        const e = byName.get(m.feature);
        return e === undefined ? [] : [{ feature: m.feature, question: questionTexts(e.name, e.question), delta: m.delta }];
      });
  const conditions = new Map((models.registry.conditions(DDXPLUS_MODEL_ID) ?? []).map((c) => [c.label, c as ConditionInfo & { nameZh?: string }]));
  const differential: InterviewCondition[] = Object.entries(prediction.probabilities)
    .filter(([, p]) => p > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, INTERVIEW_DIFFERENTIAL_SIZE)
    .map(([pathology, probability]) => {
      const c = conditions.get(pathology);
      return {
        pathology,
        displayName: c?.nameZh === undefined ? { en: c?.displayName ?? pathology } : { en: c.displayName, zh: c.nameZh },
        icd10: c?.icd10 ?? null,
        severity: c?.severity ?? 0,
        cantMiss: c?.cantMiss ?? false,
        probability,
        movedBy: movedBy(pathology, probability),
      };
    });
  const askNext = ddx.askNext(parsed.patient, parsed.features, INTERVIEW_ASK_NEXT).flatMap((a) => {
    const e = byName.get(a.feature);
    return e === undefined ? [] : [{ ...questionOf(e), gain: a.gain }];
  });
  return { result: { ...base, differential, askNext }, probabilities: prediction.probabilities, inputSha256, answered };
}

function auditRun(
  store: Actor['store'],
  userId: string,
  result: InterviewResult,
  detail: Record<string, unknown>,
  encounterId: string | null,
  at: string,
): void {
  store.audit.append({
    at,
    userId,
    action: 'model.run',
    encounterId,
    modelId: DDXPLUS_MODEL_ID,
    modelVersion: result.modelVersion,
    modelSha256: result.modelSha256,
    detail,
  });
}

export function runInterview({ store, user }: Actor, models: ClinicalModels, request: InterviewRequest, now = new Date()): InterviewResult {
  const run = computeInterview(models, patientFacts(store, request, now), request.answers);
  if (run.result.abstained !== undefined) return run.result;
  // The run is audited like every preview: which model, on exactly which inputs (no patient text).
  store.transaction(() => auditRun(store, user.id, run.result, { purpose: 'interview', inputSha256: run.inputSha256 }, null, now.toISOString()));
  return run.result;
}

/** What a saved interview keeps as its suggestion's input: enough to re-run it exactly (age as it was then). */
export interface InterviewSnapshot {
  patient: { ageYears?: number; sex?: 'female' | 'male' };
  answers: InterviewRequest['answers'];
}

/** A saved interview's output: the run as shown (without the complaint list), every probability, the answers in words. */
export type StoredInterviewOutput = Omit<InterviewResult, 'complaints'> & { probabilities: Record<string, number>; answered: InterviewAnswered[] };

/**
 * Saves the interview as a case of the patient with one suggestion (model id, version, sha256, the
 * exact answers, the output), audited in the same transaction; an auditor can re-run it.
 */
export function saveInterview({ store, user }: Actor, models: ClinicalModels, request: InterviewRequest & { patientId: string }, now = new Date()): CaseDetail {
  const facts = patientFacts(store, request, now);
  const run = computeInterview(models, facts, request.answers);
  if (run.result.abstained !== undefined || run.probabilities === null) {
    throw new LanternError('VALIDATION_FAILED', `Nothing to save: ${run.result.abstained?.message ?? 'the model gave no differential'}`, { field: 'answers' });
  }
  const { complaints: _complaints, ...shown } = run.result;
  const output: StoredInterviewOutput = { ...shown, probabilities: run.probabilities, answered: run.answered };
  const snapshot: InterviewSnapshot = { patient: facts, answers: request.answers };
  const caseId = randomUUID();
  const suggestionId = randomUUID();
  const at = now.toISOString();
  store.transaction(() => {
    store.cases.insert({
      id: caseId,
      patientId: request.patientId,
      clinicianId: user.id,
      createdAt: at,
      findings: {},
      vitals: [],
      labs: [],
      note: '',
      modelInputs: {},
    });
    store.audit.append({ at, userId: user.id, action: 'case.create', encounterId: caseId, detail: { patientId: request.patientId, via: 'interview' } });
    store.suggestions.insert({
      id: suggestionId,
      encounterId: caseId,
      modelId: DDXPLUS_MODEL_ID,
      modelVersion: run.result.modelVersion,
      artefactSha256: run.result.modelSha256,
      inputSnapshot: snapshot,
      output,
      createdAt: at,
      createdBy: user.id,
    });
    auditRun(store, user.id, run.result, { purpose: 'interview-saved', inputSha256: run.inputSha256, suggestionId }, caseId, at);
  });
  return readCase(store, caseId);
}

/** Floating-point sums in another order may differ in the last bits; anything more is a different answer. */
const reproductionTolerance = 1e-9;

/** The auditor's re-run of a stored interview: the stored answers, age and sex, the installed model. */
export function rerunInterview(
  models: ClinicalModels,
  s: SuggestionRecord,
): Pick<RerunResult, 'installedVersion' | 'installedSha256' | 'reproduced' | 'maxDifference' | 'reason'> {
  const installed = models.registry.describe(DDXPLUS_MODEL_ID);
  if (installed.sha256 !== s.artefactSha256) {
    return {
      installedVersion: installed.version,
      installedSha256: installed.sha256,
      reproduced: false,
      maxDifference: null,
      reason: `The stored model version ${s.modelVersion} (sha256 ${s.artefactSha256.slice(0, 12)}…) is not installed; this app has ${installed.version}. Not re-run.`,
    };
  }
  const snap = s.inputSnapshot as InterviewSnapshot;
  const stored = s.output as StoredInterviewOutput;
  const run = computeInterview(models, snap.patient, snap.answers);
  const now = run.probabilities ?? {};
  let diff = 0;
  for (const label of new Set([...Object.keys(stored.probabilities), ...Object.keys(now)]))
    diff = Math.max(diff, Math.abs((stored.probabilities[label] ?? 0) - (now[label] ?? 0)));
  const sameOrder = stored.differential.map((d) => d.pathology).join('\u0000') === run.result.differential.map((d) => d.pathology).join('\u0000');
  const reproduced = run.probabilities !== null && diff <= reproductionTolerance && sameOrder;
  return {
    installedVersion: installed.version,
    installedSha256: installed.sha256,
    reproduced,
    maxDifference: diff,
    reason: reproduced
      ? 'Re-ran the stored model version on the stored interview answers, age and sex: same ranking and probabilities.'
      : `Re-run differs from the stored interview (largest probability difference ${diff.toFixed(6)}${sameOrder ? '' : ', ranking differs'}).`,
  };
}
