/**
 * The DDXPlus interview (issue 15): the clinician's answers in the release's format go to the
 * `ddxplus-differential` model; back come the leading conditions (names in English and Chinese,
 * ICD-10, severity) and the next questions with their answer widgets. Each run that gives numbers is
 * audited (model.run, the sha256 of the exact inputs); the interview itself is not stored as a case.
 */
import type {
  InterviewCondition,
  InterviewQuestion,
  InterviewRequest,
  InterviewResult,
  LocalText,
} from '../contract/ipcContract';
import { recordNotFound } from '../../db/dbErrors';
import { DDXPLUS_MODEL_ID, loadDdxplusModel } from '../../models/ddxplus/ddxplusFiles';
import { DdxInputError, type EvidenceInfo } from '../../models/ddxplus/ddxplusEncoding';
import type { DdxplusModel } from '../../models/ddxplus/ddxplusModel';
import type { ConditionInfo } from '../../models/registry';
import type { Actor } from './actor';
import { ageInYears, sha256OfJson, type ClinicalModels } from './diagnosisService';
import { LanternError } from './serviceErrors';

/** Conditions shown: the leading ones, and any can't-miss condition with a non-zero probability among them. */
export const INTERVIEW_DIFFERENTIAL_SIZE = 10;
export const INTERVIEW_ASK_NEXT = 5;
/** An answer is named as moving a condition when it raised it by at least this much (2 of 50 trees would be 0.04). */
export const MOVED_BY_MIN = 0.02;
export const MOVED_BY_COUNT = 3;

const text = (t: { en: string; zh?: string }): LocalText => (t.zh === undefined ? { en: t.en } : { en: t.en, zh: t.zh });

/** The answer widget a question needs: yes/no, a 0–10 scale, one option, or several. */
export function questionOf(e: EvidenceInfo): InterviewQuestion {
  const base = { feature: e.name, question: text(e.question), antecedent: e.antecedent };
  if (e.type === 'binary') return { ...base, kind: 'binary' };
  const values = e.values ?? [];
  const options = values.map((value, i) => {
    const label = e.valueLabels?.[i];
    return { value, label: label === null || label === undefined ? { en: String(value) } : text(label) };
  });
  if (e.type === 'multi') return { ...base, kind: 'multi', options };
  return { ...base, kind: values.every((v) => typeof v === 'number') ? 'scale' : 'choice', options };
}

export function runInterview({ store, user }: Actor, models: ClinicalModels, request: InterviewRequest, now = new Date()): InterviewResult {
  const ddx: DdxplusModel = loadDdxplusModel(undefined, models.registry);
  const described = models.registry.describe(DDXPLUS_MODEL_ID);
  let ageYears = request.ageYears;
  let sex = request.sex;
  if (request.patientId !== undefined) {
    const patient = store.patients.get(request.patientId);
    if (patient === undefined) throw recordNotFound('patient', request.patientId);
    ageYears = /^\d{4}-\d{2}-\d{2}$/.test(patient.birthDate) ? ageInYears(patient.birthDate, now) : undefined;
    // 'other' and 'unknown' are not the release's categories: the model then asks for sex (INSUFFICIENT_INPUTS).
    sex = patient.sex === 'female' || patient.sex === 'male' ? patient.sex : undefined;
  }
  let parsed: ReturnType<DdxplusModel['parse']>;
  try {
    parsed = ddx.parse({ ...(ageYears === undefined ? {} : { ageYears }), ...(sex === undefined ? {} : { sex }) }, request.answers);
  } catch (e) {
    if (e instanceof DdxInputError) throw new LanternError('VALIDATION_FAILED', e.message, { field: e.field.replace(/^features\./, 'answers.') });
    throw e;
  }
  const byName = new Map(ddx.encoder.evidences.map((e) => [e.name, e]));
  const complaints = ddx.scope.initialEvidences.flatMap((n) => {
    const e = byName.get(n);
    return e === undefined ? [] : [questionOf(e)];
  });
  const base = {
    modelId: DDXPLUS_MODEL_ID,
    modelVersion: described.version,
    modelSha256: described.sha256,
    population: described.scope?.population ?? '',
    ageYears: parsed.patient.ageYears ?? null,
    sex: parsed.patient.sex ?? null,
    complaints,
  };
  const prediction = ddx.predictChecked(parsed.patient, parsed.features);
  if ('abstained' in prediction) return { ...base, differential: [], askNext: [], abstained: prediction.abstained };

  // Leave-one-out over the answers, one forest pass each (cheap next to ask-next); an answer without
  // which the model would abstain (the only presenting complaint) is not compared with a number it would not give.
  // The clinician's own answers are left out one at a time and re-read as a run without them would
  // read them (a "no" to a parent brings its children's defaults, which go with it).
  const without = Object.keys(request.answers).flatMap((feature) => {
    const rest = { ...request.answers };
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
        return e === undefined ? [] : [{ feature: m.feature, question: text(e.question), delta: m.delta }];
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
  // The run is audited like every preview: which model, on exactly which inputs (no patient text).
  const inputSha256 = sha256OfJson({ patient: parsed.patient, answers: parsed.features });
  store.transaction(() =>
    store.audit.append({
      at: now.toISOString(),
      userId: user.id,
      action: 'model.run',
      encounterId: null,
      modelId: DDXPLUS_MODEL_ID,
      modelVersion: described.version,
      modelSha256: described.sha256,
      detail: { purpose: 'interview', inputSha256 },
    }),
  );
  return { ...base, differential, askNext };
}
