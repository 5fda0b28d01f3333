/**
 * From a clinician's case to a ranked differential: findings become the forest's features, vitals
 * and labs are checked against physiological limits and flagged against the reference ranges, and
 * the top ten labels come back with the findings that moved each one.
 */
import { ModelError } from '../../../models/runtime/modelErrors';
import type { SymptomTextModel } from '../../../models/runtime/nlp/symptomText';
import { createHash } from 'node:crypto';
import type {
  Abstention,
  CaseInput,
  CaseObservations,
  CaseTriage,
  CriticalValue,
  Differential,
  DifferentialItem,
  FindingState,
  RecordedLab,
  RecordedVital,
  RiskAssessment,
} from '../../contract/ipcContract';
import type { ModelDescription, ModelRegistry } from '../../../models/runtime/registry';
import { explainInScope } from '../../../models/runtime/scopedPrediction';
import type { PatientContext } from '../../../models/runtime/scope';
import { askNext } from '../../../models/runtime/forest/askNext';
import { explainCalibrated, type CalibratedDifferential } from '../../../models/runtime/forest/calibratedDifferential';
import type { ConditionInfo } from '../../../models/runtime/forest/conditions';
import type { ClinicalCatalogue } from '../../../models/runtime/vocab/clinicalCatalogue';
import { checkPlausible, classifyValue } from '../../../models/runtime/vocab/clinicalCatalogue';
import { news2Missing } from '../../../models/runtime/rules/news2';
import type { RuleLab } from '../../../models/runtime/rules/redFlags';
import { triage, type TriageVitals } from '../../../models/runtime/rules/triage';
import { LanternError } from '../serviceErrors';
import { kidneyFunctionOfCase } from './kidneyFunction';
import {
  cantMissMeasurementNote,
  contradictedNow,
  HALLMARK_MIN_FREQUENCY,
  measuredFindings,
  type MeasuredFinding,
  type Measurements,
} from '../../../models/runtime/forest/measuredFindings';

export const differentialModelId = 'symptom-differential';
export const differentialSize = 10;

export interface ClinicalModels {
  registry: ModelRegistry;
  catalogue: ClinicalCatalogue;
  /** The free-text classifier, run on a saved case's note (complaintSuggestion.ts); absent, no note is classified. */
  complaintText?: SymptomTextModel;
}

export interface AssessedCase {
  findings: Record<string, FindingState>;
  /** Risk-model inputs: as entered, plus those taken from the case's vitals and labs (same LOINC). */
  modelInputs: Record<string, Record<string, number | string>>;
  /** Inputs filled from elsewhere in the case, per model: `input ← vitals.systolicBp`. */
  derivedInputs: Record<string, Record<string, string>>;
  /** Model input: present = 1, absent = 0; unknown findings are left out. */
  features: Record<string, number>;
  vitals: (RecordedVital & { loinc: string })[];
  labs: RecordedLab[];
  criticalValues: CriticalValue[];
  /** Age and sex for the models' scope checks (part of the input snapshot, so a re-run checks the same). */
  patient?: PatientContext;
  /** Measured labs by LOINC for the models' diagnostic criteria (HbA1c, fasting glucose), kept in the snapshot for re-runs. */
  criteriaLabs?: Record<string, number>;
  /** Consciousness and oxygen for NEWS2/qSOFA, as entered (absent in re-runs from a stored snapshot). */
  observations?: CaseObservations;
  /** Findings derived from vitals and labs; the applied ones are also in `features` (never in `findings`). */
  measuredFindings?: MeasuredFinding[];
}

const isCritical = (flag: string) => flag === 'critical-low' || flag === 'critical-high';

/** What the risk models may take from the patient record. */
export interface PatientFacts {
  birthDate: string;
  sex: 'female' | 'male' | 'other' | 'unknown';
}

/** Whole years between a birth date (YYYY-MM-DD) and a moment. */
export function ageInYears(birthDate: string, at: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = at.getUTCFullYear() - y;
  if (at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d)) age -= 1;
  return age;
}

export function assessCase(models: ClinicalModels, input: CaseInput, patient: PatientFacts | null = null, at = new Date()): AssessedCase {
  const model = models.registry.get(differentialModelId);
  const known = new Set(model.features);
  const features: Record<string, number> = {};
  for (const [name, state] of Object.entries(input.findings)) {
    if (!known.has(name)) throw new LanternError('VALIDATION_FAILED', `Unknown finding "${name}".`, { field: `findings.${name}` });
    if (state !== 'unknown') features[name] = state === 'present' ? 1 : 0;
  }

  const criticalValues: CriticalValue[] = [];
  const seenVitals = new Set<string>();
  const vitals = input.vitals.map((v, i) => {
    const def = models.catalogue.vitals.find((d) => d.code === v.code);
    if (!def) throw new LanternError('VALIDATION_FAILED', `Unknown vital sign "${v.code}".`, { field: `vitals.${i}.code` });
    if (seenVitals.has(v.code)) throw new LanternError('VALIDATION_FAILED', `Vital sign "${v.code}" was given twice.`, { field: `vitals.${i}.code` });
    seenVitals.add(v.code);
    checkPlausible(def, v.value, `vitals.${v.code}`);
    const flag = classifyValue(def, v.value);
    if (isCritical(flag)) criticalValues.push({ kind: 'vital', code: v.code, value: v.value, unit: def.unit, flag });
    return { code: v.code, loinc: def.loinc, value: v.value, unit: def.unit, flag };
  });
  const labs = input.labs.map((l, i) => {
    const def = models.catalogue.labs.find((d) => d.loinc === l.loinc);
    if (!def) throw new LanternError('VALIDATION_FAILED', `Lab test ${l.loinc} is not in the catalogue.`, { field: `labs.${i}.loinc` });
    checkPlausible(def, l.value, `labs.${l.loinc}`);
    const flag = classifyValue(def, l.value);
    if (isCritical(flag)) criticalValues.push({ kind: 'lab', code: l.loinc, value: l.value, unit: def.unit, flag });
    return { loinc: l.loinc, value: l.value, unit: def.unit, flag };
  });
  const { modelInputs, derivedInputs } = gatherRiskInputs(models.registry, input.modelInputs, vitals, labs, patient, at);
  const context = patientContext(patient, at);
  const assessed: AssessedCase = {
    findings: { ...input.findings },
    modelInputs,
    derivedInputs,
    features,
    vitals,
    labs,
    criticalValues,
    ...(input.observations !== undefined ? { observations: { ...input.observations } } : {}),
    ...(context ? { patient: context } : {}),
    ...(labs.length > 0 ? { criteriaLabs: Object.fromEntries(labs.map((l) => [l.loinc, l.value])) } : {}),
  };
  return withMeasuredFindings(models, assessed, model.features);
}

/** The case's measurements as the measured-findings rules read them (temperature in °C, glucose in mg/dL). */
function measurementsOf(models: ClinicalModels, assessed: AssessedCase): Measurements {
  const vital = (code: string) => assessed.vitals.find((v) => v.code === code)?.value;
  const temperature = vital('temperature');
  const heartRate = vital('heartRate');
  const glucose = measuredGlucose(models, assessed);
  return {
    ...(temperature !== undefined ? { temperature } : {}),
    ...(heartRate !== undefined ? { heartRate } : {}),
    ...(glucose.length > 0 ? { glucose } : {}),
    ...(assessed.patient?.ageYears !== undefined ? { ageYears: assessed.patient.ageYears } : {}),
  };
}

/** Findings the measurements settle enter the model input where the clinician left them unknown. */
function withMeasuredFindings(models: ClinicalModels, assessed: AssessedCase, modelFeatures: readonly string[]): AssessedCase {
  const derived = measuredFindings(measurementsOf(models, assessed), modelFeatures, assessed.features);
  if (derived.length === 0) return assessed;
  const features = { ...assessed.features };
  for (const d of derived) if (d.applied) features[d.feature] = 1;
  return { ...assessed, features, measuredFindings: derived };
}

function patientContext(patient: PatientFacts | null, at: Date): PatientContext | null {
  if (!patient) return null;
  const context: PatientContext = { ageYears: ageInYears(patient.birthDate, at) };
  if (patient.sex === 'female' || patient.sex === 'male') context.sex = patient.sex;
  return context;
}

export function riskModelDescriptions(registry: ModelRegistry): ModelDescription[] {
  return registry.describeAll().filter((d) => d.task === 'risk');
}

/** Units that name the same quantity scale (mEq/L equals mmol/L for the monovalent ions we map). */
function sameUnit(a: string, b: string): boolean {
  const norm = (u: string) => u.toLowerCase().replace(/\s+/g, '').replace('meq/l', 'mmol/l').replace('mgs/dl', 'mg/dl').replace('gms/dl', 'g/dl');
  return norm(a) === norm(b);
}

/**
 * A value measured once is used by every model that takes it: the systolic pressure typed in the
 * vitals is the heart model's `trestbps` when the LOINC and unit agree. Explicit model inputs win.
 */
function gatherRiskInputs(
  registry: ModelRegistry,
  given: Record<string, Record<string, number | string>>,
  vitals: AssessedCase['vitals'],
  labs: RecordedLab[],
  patient: PatientFacts | null,
  at: Date,
): Pick<AssessedCase, 'modelInputs' | 'derivedInputs'> {
  const descriptions = riskModelDescriptions(registry);
  for (const id of Object.keys(given)) {
    if (!descriptions.some((d) => d.id === id)) throw new LanternError('VALIDATION_FAILED', `Unknown risk model "${id}".`, { field: `modelInputs.${id}` });
  }
  const modelInputs: AssessedCase['modelInputs'] = {};
  const derivedInputs: AssessedCase['derivedInputs'] = {};
  for (const d of descriptions) {
    const values: Record<string, number | string> = {};
    for (const [name, value] of Object.entries(given[d.id] ?? {})) {
      const spec = d.inputs.find((i) => i.name === name);
      // A form's select gives strings; coded inputs (UCI codes, binary 0/1) are numbers to the model.
      const coded =
        typeof value === 'string' &&
        value.trim() !== '' &&
        !Number.isNaN(Number(value)) &&
        (spec?.type === 'binary' || spec?.type === 'numeric' || (spec?.values ?? []).some((v) => typeof v === 'number'));
      values[name] = coded ? Number(value) : value;
    }
    const derived: Record<string, string> = {};
    for (const spec of d.inputs) {
      if (values[spec.name] !== undefined) continue;
      if (patient && spec.name === 'age') {
        values.age = ageInYears(patient.birthDate, at);
        derived.age = 'patient.birthDate';
        continue;
      }
      // UCI heart data codes sex as 1 = male, 0 = female; other values stay unknown.
      const codedZeroOne = spec.type === 'binary' || (spec.values ?? []).some((v) => v === 0 || v === 1);
      if (patient && spec.name === 'sex' && (patient.sex === 'male' || patient.sex === 'female') && codedZeroOne) {
        values.sex = patient.sex === 'male' ? 1 : 0;
        derived.sex = 'patient.sex';
        continue;
      }
      if (!spec.loinc || spec.type !== 'numeric') continue;
      const vital = vitals.find((v) => v.loinc === spec.loinc && sameUnit(v.unit, spec.unit));
      const lab = labs.find((l) => l.loinc === spec.loinc && sameUnit(l.unit, spec.unit));
      const source = vital ? { value: vital.value, from: `vitals.${vital.code}` } : lab ? { value: lab.value, from: `labs.${lab.loinc}` } : null;
      if (source) {
        values[spec.name] = source.value;
        derived[spec.name] = source.from;
      }
    }
    if (Object.keys(values).length > 0) modelInputs[d.id] = values;
    if (Object.keys(derived).length > 0) derivedInputs[d.id] = derived;
  }
  return { modelInputs, derivedInputs };
}

function runRiskModels(models: ClinicalModels, assessed: AssessedCase): RiskAssessment[] {
  const labsByLoinc: Record<string, number> = { ...assessed.criteriaLabs };
  for (const l of assessed.labs) labsByLoinc[l.loinc] = l.value;
  return riskModelDescriptions(models.registry).map((d): RiskAssessment => {
    const model = models.registry.get(d.id);
    const raw = assessed.modelInputs[d.id] ?? {};
    const positive = d.positiveLabel ?? d.labels[0]!;
    const labelOf = (name: string) => d.inputs.find((i) => i.name === name)?.label ?? name;
    const notRun = (abstained: Abstention): RiskAssessment => ({
      status: 'not-run',
      modelId: d.id,
      modelVersion: d.version,
      abstained,
      reason: abstained.message,
      missing: abstained.missing ?? d.inputs.map((i) => i.name).filter((n) => raw[n] === undefined),
    });
    // A model without declared required inputs still needs its minimum number of inputs.
    const given = Object.keys(raw).length;
    if (given < d.minInputs) {
      return notRun({
        code: 'INSUFFICIENT_INPUTS',
        message: `Not assessed: needs at least ${d.minInputs} of its ${d.inputs.length} inputs; ${given} given.`,
        missing: d.inputs.map((i) => i.name).filter((n) => raw[n] === undefined),
      });
    }
    const outcome = explainInScope(model, d.scope, raw, d.labels.length, { ...(assessed.patient ? { patient: assessed.patient } : {}), labsByLoinc, labelOf });
    if (outcome.kind === 'abstained') return notRun(outcome.abstained);
    const result = outcome.result;
    const explanation = result.explanations.find((e) => e.label === positive);
    return {
      status: 'ran',
      ...(d.scope ? { scope: d.scope.population } : {}),
      modelId: d.id,
      modelVersion: d.version,
      modelSha256: model.sha256,
      positiveLabel: positive,
      probability: result.probabilities[positive] ?? 0,
      probabilities: result.probabilities,
      imputed: result.imputed,
      contributions: (explanation?.contributions ?? []).slice(0, 8).map((c) => ({
        input: c.feature,
        value: raw[c.feature] ?? null,
        imputed: result.imputed.includes(c.feature),
        weight: roundWeight(c.weight),
      })),
      ...(d.calibration ? { calibration: { ...d.calibration } } : {}),
    };
  });
}

/** Contributions kept per direction: as many as the UI and the report show. */
export const contributionsKeptEachWay = 5;

/**
 * Every item would otherwise carry a weight for each of ~130 findings (mostly unknown ones with
 * tiny weights): 80 KB per stored differential, 8 GB per 100,000 cases. The strongest for and
 * against are kept in their order; the rest is summed in otherContributionsWeight.
 */
/**
 * Explanation weights are shown as whole or tenth percentages; six decimals keep far more than that
 * and halve their stored size. Probabilities are never rounded (re-runs compare them exactly).
 */
function roundWeight(w: number): number {
  // `|| 0`: a -0 would not survive the JSON round trip of a stored differential.
  return Math.round(w * 1e6) / 1e6 || 0;
}

function strongestContributions<T extends { weight: number }>(sortedByStrength: readonly T[]): T[] {
  const up = sortedByStrength.filter((x) => x.weight > 0).slice(0, contributionsKeptEachWay);
  const down = sortedByStrength.filter((x) => x.weight < 0).slice(0, contributionsKeptEachWay);
  return sortedByStrength.filter((x) => up.includes(x) || down.includes(x));
}

/**
 * Risk-model inputs that are measurements of a catalogue lab (same LOINC and unit), entered on the
 * model's form rather than in the labs: they feed the rules too. The whole-blood glucose the kidney
 * model takes (2339-0) is read as the catalogue's serum glucose (2345-7): the same quantity and unit,
 * and the catalogue's glucose critical limits come from that very row.
 */
const ruleLoincAliases: Readonly<Record<string, string>> = { '2339-0': '2345-7' };

function measuredLabsForRules(models: ClinicalModels, assessed: AssessedCase): RuleLab[] {
  const labs: RuleLab[] = assessed.labs.map((l) => ({ loinc: l.loinc, value: l.value }));
  for (const d of riskModelDescriptions(models.registry)) {
    const given = assessed.modelInputs[d.id] ?? {};
    for (const spec of d.inputs) {
      const value = given[spec.name];
      // Derived inputs came from the case's own labs or vitals: already counted.
      if (typeof value !== 'number' || !spec.loinc || assessed.derivedInputs[d.id]?.[spec.name] !== undefined) continue;
      const loinc = ruleLoincAliases[spec.loinc] ?? spec.loinc;
      const def = models.catalogue.labs.find((l) => l.loinc === loinc);
      if (def !== undefined && sameUnit(def.unit, spec.unit)) labs.push({ loinc, value });
    }
  }
  return labs;
}

/** The numeric vitals (catalogue codes and units: temperature in °C) and the observations, as the rules read them. */
export function triageVitalsOfCase(assessed: Pick<AssessedCase, 'vitals' | 'observations'>): TriageVitals {
  const v: TriageVitals = {};
  for (const x of assessed.vitals) if (x.code !== 'weight') v[x.code] = x.value;
  const o = assessed.observations ?? {};
  if (o.consciousness !== undefined) v.consciousness = o.consciousness;
  if (o.onSupplementalOxygen !== undefined) v.onSupplementalOxygen = o.onSupplementalOxygen;
  if (o.hypercapnicRespiratoryFailure !== undefined) v.hypercapnicRespiratoryFailure = o.hypercapnicRespiratoryFailure;
  return v;
}

/** NEWS2, qSOFA and red flags of the case, from its vitals, observations, findings and measured labs: on every run. */
export function triageCase(models: ClinicalModels, assessed: AssessedCase): CaseTriage {
  const vitals = triageVitalsOfCase(assessed);
  const r = triage({ vitals, findings: assessed.findings, labs: measuredLabsForRules(models, assessed) }, models.catalogue);
  return {
    news2: r.news2 === null ? null : { score: r.news2.score, risk: r.news2.risk },
    qsofa: r.qsofa === null ? null : { score: r.qsofa.score },
    flags: r.flags.map(({ code, severity, reason, reasonParts }) => ({ code, severity, reason, reasonParts })),
    // qSOFA's three parameters are among NEWS2's seven.
    missing: news2Missing(vitals),
  };
}

/**
 * Glucose measured on the case, in mg/dL, with where it came from: the serum glucose lab, the kidney
 * model's random blood glucose, the diabetes model's 2-hour OGTT glucose (each a measurement).
 */
function measuredGlucose(models: ClinicalModels, assessed: AssessedCase): { value: number; from: string }[] {
  const out = measuredLabsForRules(models, assessed)
    .filter((l) => l.loinc === '2345-7')
    .map((l) => ({ value: l.value, from: 'glucose' }));
  const ogtt = assessed.modelInputs['diabetes-onset']?.['plasma_glucose'];
  if (typeof ogtt === 'number') out.push({ value: ogtt, from: '2-hour OGTT glucose' });
  return out;
}

/**
 * Can't-miss alarms a measured value rules out. Only where one measurement settles it: hypoglycaemia
 * is a glucose below 70 mg/dL (ADA level 1), so every measured glucose at or above 70 rules the alarm
 * out; any measured value below 70 keeps it. The other can't-miss conditions (myocardial infarction,
 * haemorrhagic stroke, malaria, dengue, typhoid, AIDS, alcoholic hepatitis) are not excluded by one
 * normal value and keep their alarm.
 */
function cantMissContradiction(label: string, glucose: readonly { value: number; from: string }[]): string | null {
  if (label === 'Hypoglycemia' && glucose.length > 0 && glucose.every((g) => g.value >= 70)) {
    return `measured ${glucose.map((g) => `${g.from} ${Math.round(g.value * 10) / 10} mg/dL`).join(', ')} (hypoglycaemia is below 70 mg/dL)`;
  }
  return null;
}

type Weighted = { feature: string; weight: number };

/**
 * One ranked item with the contributions kept for storage, its condition, and its can't-miss flag;
 * a can't-miss alarm a measured value rules out is not raised (no hypoglycaemia with glucose 182).
 */
function differentialItem(
  e: { label: string; probability: number; contributions: readonly Weighted[] },
  kept: readonly Weighted[],
  alarm: boolean,
  c: ConditionInfo | undefined,
  stateOf: (feature: string) => FindingState,
  glucose: ReturnType<typeof measuredGlucose>,
  measured: MeasuredContext = noMeasuredContext,
): DifferentialItem {
  const contradictedBy = alarm ? cantMissContradiction(e.label, glucose) : null;
  const note =
    alarm && contradictedBy === null ? cantMissMeasurementNote(measured.hallmarks(e.label), measured.contradicted, (f) => f.replace(/_+/g, ' ').trim()) : null;
  return {
    label: e.label,
    probability: e.probability,
    contributions: kept.map((x) => {
      const from = measured.derived.get(x.feature);
      return { feature: x.feature, state: stateOf(x.feature), weight: roundWeight(x.weight), ...(from !== undefined ? { fromMeasurement: from } : {}) };
    }),
    otherContributionsWeight: roundWeight(e.contributions.filter((x) => !kept.includes(x)).reduce((sum, x) => sum + x.weight, 0)),
    displayName: c?.displayName ?? e.label,
    summary: c?.summary ?? '',
    icd10: c?.icd10 ?? null,
    severity: c?.severity ?? 0,
    cantMiss: alarm && contradictedBy === null,
    ...(contradictedBy !== null ? { cantMissContradictedBy: contradictedBy } : {}),
    ...(note !== null ? { cantMissNote: note } : {}),
  };
}

/** A finding's state as the model saw it: the clinician's entry, else present where a measurement settled it. */
function stateOfFinding(assessed: AssessedCase): (feature: string) => FindingState {
  const derived = new Set((assessed.measuredFindings ?? []).filter((d) => d.applied).map((d) => d.feature));
  return (feature) => assessed.findings[feature] ?? (derived.has(feature) ? 'present' : 'unknown');
}

/** What the items need from the measurements: derived findings (feature → what was measured), hallmark notes. */
interface MeasuredContext {
  derived: ReadonlyMap<string, string>;
  contradicted: ReadonlyMap<string, string>;
  hallmarks: (label: string) => string[];
}

const noMeasuredContext: MeasuredContext = { derived: new Map(), contradicted: new Map(), hallmarks: () => [] };

function measuredContext(models: ClinicalModels, assessed: AssessedCase, modelId: string): MeasuredContext {
  const freq = models.registry.labelFeatureFrequencies(modelId);
  return {
    derived: new Map((assessed.measuredFindings ?? []).filter((d) => d.applied).map((d) => [d.feature, d.measured])),
    contradicted: contradictedNow(measurementsOf(models, assessed)),
    hallmarks: (label) => {
      const d = freq?.labels.indexOf(label) ?? -1;
      if (freq === null || d < 0) return [];
      const n = freq.patterns[d] as number;
      return freq.features.filter((_, f) => n > 0 && ((freq.counts[d] as number[])[f] as number) / n >= HALLMARK_MIN_FREQUENCY);
    },
  };
}

export function runDifferential(models: ClinicalModels, assessed: AssessedCase): Differential {
  const model = models.registry.get(differentialModelId);
  const stateOf = stateOfFinding(assessed);
  const conditions = new Map((models.registry.conditions(model.id) ?? []).map((c) => [c.label, c]));
  const glucose = measuredGlucose(models, assessed);
  const measured = measuredContext(models, assessed, model.id);
  const calibrated = models.registry.calibratedDifferential(model.id);
  if (calibrated !== null) return calibratedDifferential(models, assessed, calibrated, conditions, glucose);
  const items = model.explain(assessed.features, differentialSize).map((e): DifferentialItem => {
    const c = conditions.get(e.label);
    const kept = strongestContributions(e.contributions);
    // Only candidates the model gives any weight count: a zero-vote filler in the top 10 is not a flag.
    const alarm = (c?.cantMiss ?? false) && e.probability > 0;
    return differentialItem(e, kept, alarm, c, stateOf, glucose, measured);
  });
  const frequencies = models.registry.labelFeatureFrequencies(model.id);
  // Ask-next only suggests findings nobody has answered yet, including ones marked absent.
  const answered: Record<string, number> = { ...assessed.features };
  return {
    modelId: model.id,
    modelVersion: model.version,
    modelSha256: model.sha256,
    items,
    unknownFindings: model.features.length - Object.keys(assessed.features).length,
    ...(assessed.measuredFindings && assessed.measuredFindings.length > 0 ? { measuredFindings: assessed.measuredFindings } : {}),
    criticalValues: assessed.criticalValues,
    askNext: frequencies
      ? askNext(model, answered, { frequencies, count: 3 }).map((a) => ({ feature: a.feature, expectedInformationGain: a.expectedInformationGain }))
      : [],
    riskAssessments: runRiskModels(models, assessed),
    triage: triageCase(models, assessed),
    ...kidneyFunctionField(assessed),
  };
}

/** Calibrated probabilities shown at or above this count as a can't-miss flag (every label has some). */
export const cantMissMinProbability = 0.01;

/**
 * The calibrated differential: absent findings count, a presentation too thin to carry a differential
 * abstains (no items; ask-next says what to add), one no known disease shows is answered with capped
 * probabilities and a warning pointing to the red-flag rules.
 */
function calibratedDifferential(
  models: ClinicalModels,
  assessed: AssessedCase,
  calibrated: CalibratedDifferential,
  conditions: ReadonlyMap<string, ConditionInfo>,
  glucose: ReturnType<typeof measuredGlucose>,
): Differential {
  const model = calibrated.model;
  const stateOf = stateOfFinding(assessed);
  const measured = measuredContext(models, assessed, model.id);
  const r = explainCalibrated(calibrated, assessed.features, differentialSize);
  const items = r.explanations.map((e): DifferentialItem => {
    const c = conditions.get(e.label);
    // A finding that moved the probability by less than the stored precision moved nothing worth showing.
    const kept = strongestContributions(e.contributions.filter((x) => roundWeight(x.weight) !== 0));
    const alarm = (c?.cantMiss ?? false) && e.probability >= cantMissMinProbability;
    return differentialItem(e, kept, alarm, c, stateOf, glucose, measured);
  });
  const a = r.assessment;
  return {
    modelId: model.id,
    modelVersion: model.version,
    modelSha256: model.sha256,
    items,
    ...(a.kind === 'abstained' ? { abstained: a.abstained } : {}),
    ...(a.kind === 'answered' && a.warning ? { coverageWarning: a.warning } : {}),
    unknownFindings: model.features.length - Object.keys(assessed.features).length,
    ...(assessed.measuredFindings && assessed.measuredFindings.length > 0 ? { measuredFindings: assessed.measuredFindings } : {}),
    criticalValues: assessed.criticalValues,
    askNext: r.askNext,
    riskAssessments: runRiskModels(models, assessed),
    triage: triageCase(models, assessed),
    ...kidneyFunctionField(assessed),
  };
}

function kidneyFunctionField(assessed: AssessedCase): Pick<Differential, 'kidneyFunction'> {
  const k = kidneyFunctionOfCase(assessed);
  return k === null ? {} : { kidneyFunction: k };
}

/** What an auditor needs to re-run the model exactly: its inputs, hashed for the audit event. */
export function inputSnapshot(
  assessed: AssessedCase,
): Pick<AssessedCase, 'features' | 'findings' | 'modelInputs' | 'derivedInputs' | 'patient' | 'criteriaLabs' | 'measuredFindings'> {
  return {
    // Which of `features` came from measurements (left out when none, so older snapshots hash the same).
    ...(assessed.measuredFindings ? { measuredFindings: assessed.measuredFindings } : {}),
    features: assessed.features,
    findings: assessed.findings,
    modelInputs: assessed.modelInputs,
    derivedInputs: assessed.derivedInputs,
    ...(assessed.patient ? { patient: assessed.patient } : {}),
    ...(assessed.criteriaLabs ? { criteriaLabs: assessed.criteriaLabs } : {}),
  };
}

export function sha256OfJson(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** The differential's labels to their clinical display names (case history, reports). */
export function conditionDisplayNames(models: ClinicalModels): Map<string, string> {
  return new Map((models.registry.conditions(differentialModelId) ?? []).map((c) => [c.label, c.displayName]));
}

/**
 * Display names for the case history. A model file that fails its check (MODEL_INTEGRITY) must not
 * hide the records: the history then shows the labels as stored.
 */
export function conditionDisplayNamesIfReadable(models: () => ClinicalModels): Map<string, string> {
  try {
    return conditionDisplayNames(models());
  } catch (err) {
    if (err instanceof ModelError) return new Map();
    throw err;
  }
}
