/**
 * A model's scope: who it was trained on, what it must be given, and when it does not apply. Every
 * manifest entry may declare one; `checkScope` decides before a model runs whether it may answer,
 * and otherwise returns an abstention a clinician can act on. Node built-ins only.
 *
 * Order of checks (the first that fails wins):
 *   1. diagnostic criteria: the condition is already diagnosed, a risk of getting it is meaningless;
 *   2. population: age and sex, where known (an unknown age or sex is not out of scope);
 *   3. required inputs: at least one group entirely known (entered or measured, never imputed);
 *   4. imputed share: how much of the answer may rest on filled-in inputs.
 */
import type { BinarySex } from './vocab/clinicalTypes';

export const abstentionCodes = ['INSUFFICIENT_INPUTS', 'OUT_OF_SCOPE', 'OUT_OF_DISTRIBUTION', 'MEETS_DIAGNOSTIC_CRITERIA'] as const;
export type AbstentionCode = (typeof abstentionCodes)[number];

export interface Abstention {
  code: AbstentionCode;
  /** What happened and what to do, in words a clinician can act on. */
  message: string;
  /** Inputs whose values would let the model answer, where adding them helps. */
  missing?: string[];
}

export interface DiagnosticCriterion {
  id: string;
  /** The model input the threshold applies to, or a lab's LOINC (one of the two). */
  input?: string;
  loinc?: string;
  atLeast: number;
  unit: string;
  /** Shown to the clinician, e.g. "2-hour OGTT plasma glucose >= 200 mg/dL meets the diagnostic criterion for diabetes". */
  description: string;
  source: string;
}

export const inputKinds = ['tabular', 'findings', 'chest-xray', 'fundus-photo', 'clinical-text', 'interview'] as const;
export type InputKind = (typeof inputKinds)[number];

export interface ModelScope {
  /** The training population in words: shown beside every number and on the card. */
  population: string;
  ageYears?: { min?: number; max?: number };
  sex?: BinarySex[];
  inputKind: InputKind;
  /** Groups of input names: the model runs only when every input of at least one group is known. */
  requiredInputs?: string[][];
  /** Largest share (0..1) of the model's inputs that may be imputed. */
  maxImputedShare?: number;
  diagnosticCriteria?: DiagnosticCriterion[];
  notes?: string;
}

/** What is known about the patient; unknown fields are left out. */
export interface PatientContext {
  ageYears?: number;
  sex?: BinarySex;
}

export interface ScopeQuestion {
  modelId: string;
  /** Every input name of the model, in order (for the imputed share). */
  inputNames: readonly string[];
  /** Inputs with a known value (entered or measured); anything else would be imputed. */
  known: Readonly<Record<string, number | string>>;
  patient?: PatientContext;
  /** Lab results by LOINC, for diagnostic criteria on labs the model does not take. */
  labsByLoinc?: Readonly<Record<string, number>>;
  /** Labels for input names in messages (defaults to the name). */
  labelOf?: (input: string) => string;
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Returns what is wrong with a manifest's `scope` object (null when valid). */
export function scopeProblem(value: unknown, inputNames: readonly string[] | null): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const s = value as Record<string, unknown>;
  if (typeof s['population'] !== 'string' || s['population'].trim() === '') return 'population';
  if (!(inputKinds as readonly unknown[]).includes(s['inputKind'])) return 'inputKind';
  const age = s['ageYears'];
  if (age !== undefined) {
    if (typeof age !== 'object' || age === null) return 'ageYears';
    const { min, max } = age as Record<string, unknown>;
    if ((min !== undefined && !isFiniteNumber(min)) || (max !== undefined && !isFiniteNumber(max))) return 'ageYears';
    if (isFiniteNumber(min) && isFiniteNumber(max) && min > max) return 'ageYears';
  }
  const sex = s['sex'];
  if (sex !== undefined && (!isStringArray(sex) || sex.length === 0 || !sex.every((x) => x === 'female' || x === 'male'))) return 'sex';
  const req = s['requiredInputs'];
  if (req !== undefined) {
    if (!Array.isArray(req) || !req.every((g) => isStringArray(g) && g.length > 0)) return 'requiredInputs';
    if (inputNames !== null) {
      for (const name of (req as string[][]).flat()) if (!inputNames.includes(name)) return `requiredInputs: no input "${name}"`;
    }
  }
  const share = s['maxImputedShare'];
  if (share !== undefined && (!isFiniteNumber(share) || share < 0 || share > 1)) return 'maxImputedShare';
  const crit = s['diagnosticCriteria'];
  if (crit !== undefined) {
    if (!Array.isArray(crit)) return 'diagnosticCriteria';
    for (const c of crit as unknown[]) {
      const o = c as Record<string, unknown> | null;
      if (o === null || typeof o !== 'object' || typeof o['id'] !== 'string' || !isFiniteNumber(o['atLeast']) || typeof o['unit'] !== 'string') {
        return 'diagnosticCriteria entry';
      }
      if (typeof o['description'] !== 'string' || typeof o['source'] !== 'string') return `diagnosticCriteria ${String(o['id'])}: description/source`;
      const hasInput = typeof o['input'] === 'string';
      const hasLoinc = typeof o['loinc'] === 'string';
      if (hasInput === hasLoinc) return `diagnosticCriteria ${o['id']}: exactly one of input, loinc`;
      if (hasInput && inputNames !== null && !inputNames.includes(o['input'] as string))
        return `diagnosticCriteria ${o['id']}: no input "${String(o['input'])}"`;
    }
  }
  if (s['notes'] !== undefined && typeof s['notes'] !== 'string') return 'notes';
  return null;
}

const list = (names: readonly string[]): string => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

function ageText(age: NonNullable<ModelScope['ageYears']>): string {
  if (age.min !== undefined && age.max !== undefined) return `aged ${age.min}–${age.max}`;
  if (age.min !== undefined) return `aged ${age.min} or older`;
  return `aged ${age.max} or younger`;
}

/** The age the scope check uses: the patient's, else the model's own `age` input. */
function knownAge(q: ScopeQuestion): number | undefined {
  if (q.patient?.ageYears !== undefined) return q.patient.ageYears;
  const a = q.known['age'];
  return isFiniteNumber(a) ? a : undefined;
}

/** Null when the model may answer; otherwise why not. */
export function checkScope(scope: ModelScope | null | undefined, q: ScopeQuestion): Abstention | null {
  if (!scope) return null;
  const label = q.labelOf ?? ((n: string) => n);

  for (const c of scope.diagnosticCriteria ?? []) {
    const value = c.input !== undefined ? q.known[c.input] : c.loinc !== undefined ? q.labsByLoinc?.[c.loinc] : undefined;
    if (isFiniteNumber(value) && value >= c.atLeast) {
      return {
        code: 'MEETS_DIAGNOSTIC_CRITERIA',
        message: `${c.description} (measured ${value} ${c.unit}; ${c.source}). The ${q.modelId} model estimates the risk of future onset and does not apply: confirm the diagnosis instead.`,
      };
    }
  }

  const age = knownAge(q);
  const range = scope.ageYears;
  if (range && age !== undefined && ((range.min !== undefined && age < range.min) || (range.max !== undefined && age > range.max))) {
    return {
      code: 'OUT_OF_SCOPE',
      message: `The ${q.modelId} model was trained on ${scope.population}, ${ageText(range)}; this patient is ${age}. No risk is given outside that population.`,
    };
  }
  const sex = q.patient?.sex;
  if (scope.sex && sex !== undefined && !scope.sex.includes(sex)) {
    return {
      code: 'OUT_OF_SCOPE',
      message: `The ${q.modelId} model was trained on ${scope.population} (${scope.sex.join(' and ')} only); it does not score a ${sex} patient.`,
    };
  }

  const isKnown = (n: string) => q.known[n] !== undefined && q.known[n] !== null;
  const groups = scope.requiredInputs ?? [];
  if (groups.length > 0 && !groups.some((g) => g.every(isKnown))) {
    // Suggest the group needing fewest additions.
    const best = groups.map((g) => g.filter((n) => !isKnown(n))).sort((a, b) => a.length - b.length)[0] as string[];
    const options = groups.map((g) => list(g.map(label))).join('; or ');
    return {
      code: 'INSUFFICIENT_INPUTS',
      message: `Not assessed: the ${q.modelId} model needs ${groups.length > 1 ? 'one of these sets' : ''}${groups.length > 1 ? ': ' : ''}${options}. Add ${list(best.map(label))} to assess.`,
      missing: best,
    };
  }

  if (scope.maxImputedShare !== undefined && q.inputNames.length > 0) {
    const unknown = q.inputNames.filter((n) => !isKnown(n));
    const share = unknown.length / q.inputNames.length;
    if (share > scope.maxImputedShare + 1e-9) {
      const allowed = Math.floor(scope.maxImputedShare * q.inputNames.length + 1e-9);
      const needed = unknown.length - allowed;
      return {
        code: 'INSUFFICIENT_INPUTS',
        message: `Not assessed: ${unknown.length} of the ${q.modelId} model's ${q.inputNames.length} inputs are unknown (at most ${allowed} may be filled in). Add ${needed} more of: ${list(unknown.slice(0, 8).map(label))}${unknown.length > 8 ? ', …' : ''}.`,
        missing: unknown,
      };
    }
  }
  return null;
}
