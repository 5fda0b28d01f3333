/**
 * Model inputs as the manifest declares them, and the validation/encoding of raw JSON values
 * (what a clinician or `lantern predict` gives) into the numbers a forest reads. Node built-ins only.
 *
 * Raw values:
 *   binary   0 | 1 (true | false accepted)
 *   numeric  a finite number inside the input's PHYSIOLOGICAL range (authored, not the training
 *            data's range); a value in `missingCodes` (e.g. Pima's 0 = not measured) means unknown
 *   nominal  one of `values`, as the source data writes it: strings (`"normal"`, `"yes"`), or
 *            numbers where the source's values are numbers (UCI heart codes, CKD albumin grade)
 *   unknown  key absent, null, "" or "?"
 * Encoding for the forest: binary → 0/1; numeric → the number; nominal with numeric values → the
 * number itself (the codes are ordered); nominal with string values → index in `values`.
 */
import { FeatureError } from './errors';

export type InputType = 'binary' | 'numeric' | 'nominal';
export type NominalValue = string | number;

export interface InputRange {
  min: number;
  max: number;
}

export interface InputSpec {
  /** Feature name exactly as the model (and its source data) names it. */
  name: string;
  /** Clinician-facing English. */
  label: string;
  /** Unit of a numeric input ('' where none). */
  unit: string;
  type: InputType;
  /** Nominal only: the allowed values, in the source's order. */
  values?: NominalValue[];
  /** Nominal only: clinician-facing text per value (same order as `values`). */
  valueLabels?: string[];
  /** Physiological limits (inclusive), authored and documented in the model card. Required for numeric. */
  range?: InputRange;
  /** LOINC code of the quantity, where one exists. */
  loinc?: string;
  /** Raw numbers that stand for "not recorded" in the source data (e.g. 0 for Pima's glucose). */
  missingCodes?: number[];
  /** Why the range is what it is, or how the source records the value. */
  note?: string;
}

export type InputValueProblem = 'unknown-input' | 'wrong-type' | 'out-of-range' | 'not-in-values' | 'not-binary';

/**
 * A raw input the model cannot take: unknown name, wrong type, outside its physiological range, or
 * not one of its nominal values. `feature` names the field (it is a FeatureError, so existing
 * callers that map FeatureError to a field-level validation error keep working).
 */
export class InputValueError extends FeatureError {
  readonly problem: InputValueProblem;
  readonly value: unknown;
  readonly range?: InputRange;
  readonly allowed?: readonly NominalValue[];
  constructor(
    feature: string,
    problem: InputValueProblem,
    value: unknown,
    message: string,
    extra: { range?: InputRange; allowed?: readonly NominalValue[] } = {},
  ) {
    super(feature, message);
    this.name = 'InputValueError';
    this.problem = problem;
    this.value = value;
    if (extra.range !== undefined) this.range = extra.range;
    if (extra.allowed !== undefined) this.allowed = extra.allowed;
  }
}

/** Fewer inputs given than the model's `minInputs`. `feature` is '' (no single field is wrong). */
export class InsufficientInputsError extends FeatureError {
  readonly given: number;
  readonly required: number;
  constructor(modelId: string, given: number, required: number) {
    super('', `model ${modelId} needs at least ${required} known input${required === 1 ? '' : 's'}, got ${given}`);
    this.name = 'InsufficientInputsError';
    this.given = given;
    this.required = required;
  }
}

/** "itching" → "Itching", "spotting_ urination" → "Spotting urination", "toxic_look_(typhos)" → "Toxic look (typhos)". */
export function labelFromName(name: string): string {
  const s = name.replace(/_/g, ' ').replace(/\s+/g, ' ').replace(/\s+\)/g, ')').replace(/\(\s+/g, '(').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Input specs for a model whose manifest lists plain binary feature names (the symptom model). */
export function binaryInputsFromNames(names: readonly string[]): InputSpec[] {
  return names.map((name) => ({ name, label: labelFromName(name), unit: '', type: 'binary', range: { min: 0, max: 1 } }));
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Structural check of one spec; returns a reason or null. */
export function specProblem(s: unknown): string | null {
  if (typeof s !== 'object' || s === null) return 'not an object';
  const o = s as Record<string, unknown>;
  if (typeof o['name'] !== 'string' || o['name'] === '') return 'name';
  if (typeof o['label'] !== 'string' || o['label'] === '') return `${o['name']}: label`;
  if (typeof o['unit'] !== 'string') return `${o['name']}: unit`;
  const type = o['type'];
  if (type !== 'binary' && type !== 'numeric' && type !== 'nominal') return `${o['name']}: type`;
  const range = o['range'] as Record<string, unknown> | undefined;
  if (range !== undefined && (!isFiniteNumber(range['min']) || !isFiniteNumber(range['max']) || range['min'] > range['max'])) {
    return `${o['name']}: range`;
  }
  if (type === 'numeric' && range === undefined) return `${o['name']}: numeric input without a range`;
  const values = o['values'];
  if (type === 'nominal') {
    if (!Array.isArray(values) || values.length < 2) return `${o['name']}: nominal input needs values`;
    const allNum = values.every(isFiniteNumber);
    const allStr = values.every((v) => typeof v === 'string' && v !== '' && v === v.trim());
    if (!allNum && !allStr) return `${o['name']}: values must be all numbers or all strings`;
    if (new Set(values.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))).size !== values.length) return `${o['name']}: duplicate values`;
    const vl = o['valueLabels'];
    if (vl !== undefined && (!Array.isArray(vl) || vl.length !== values.length || !vl.every((l) => typeof l === 'string'))) {
      return `${o['name']}: valueLabels`;
    }
  } else if (values !== undefined) {
    return `${o['name']}: values on a ${String(type)} input`;
  }
  if (o['loinc'] !== undefined && (typeof o['loinc'] !== 'string' || !/^\d{1,7}-\d$/.test(o['loinc']))) return `${o['name']}: loinc`;
  const mc = o['missingCodes'];
  if (mc !== undefined && (!Array.isArray(mc) || !mc.every(isFiniteNumber))) return `${o['name']}: missingCodes`;
  return null;
}

/** True where a nominal input's values are numbers (encoded as themselves) rather than strings (encoded as index). */
export function nominalIsNumeric(spec: InputSpec): boolean {
  return (spec.values ?? []).every(isFiniteNumber);
}

const fmt = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** True for the raw values that mean "unknown". */
export function isUnknownRaw(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && (v.trim() === '' || v.trim() === '?'));
}

/**
 * One raw value → its forest encoding, or null for unknown (including a missing code).
 * Throws InputValueError naming the field.
 */
export function encodeRawValue(spec: InputSpec, raw: unknown, modelId: string): number | null {
  if (isUnknownRaw(raw)) return null;
  const name = spec.name;
  switch (spec.type) {
    case 'binary': {
      if (raw === 0 || raw === false) return 0;
      if (raw === 1 || raw === true) return 1;
      throw new InputValueError(name, 'not-binary', raw, `input "${name}" of model ${modelId} is binary: expected 0 or 1, got ${fmt(raw)}`);
    }
    case 'numeric': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) {
        throw new InputValueError(
          name,
          'wrong-type',
          raw,
          `input "${name}" of model ${modelId} must be a number${spec.unit ? ` in ${spec.unit}` : ''}, got ${fmt(raw)}`,
        );
      }
      if (spec.missingCodes?.includes(raw)) return null;
      const r = spec.range as InputRange;
      if (raw < r.min || raw > r.max) {
        const unit = spec.unit ? ` ${spec.unit}` : '';
        throw new InputValueError(
          name,
          'out-of-range',
          raw,
          `input "${name}" (${spec.label}) of model ${modelId}: ${raw}${unit} is outside the physiological range ${r.min}–${r.max}${unit}`,
          { range: r },
        );
      }
      return raw;
    }
    case 'nominal': {
      const values = spec.values ?? [];
      if (nominalIsNumeric(spec)) {
        if (typeof raw === 'number' && Number.isFinite(raw)) {
          if (values.includes(raw)) return raw;
          if (spec.missingCodes?.includes(raw)) return null;
        }
      } else if (typeof raw === 'string') {
        const t = raw.trim().toLowerCase();
        const i = values.findIndex((v) => (v as string).toLowerCase() === t);
        if (i >= 0) return i;
      }
      throw new InputValueError(
        name,
        'not-in-values',
        raw,
        `input "${name}" (${spec.label}) of model ${modelId} must be one of ${values.map(fmt).join(', ')}; got ${fmt(raw)}`,
        { allowed: values },
      );
    }
  }
}

export interface EncodedInputs {
  /** Encoded value per input, in spec order; null = unknown. */
  encoded: (number | null)[];
  /** Inputs not given (absent, null, "", "?", or a missing code), in spec order. */
  missing: string[];
}

/**
 * Validates and encodes a raw record; unknown keys and invalid values throw InputValueError.
 * Reads only the keys the record has (records of many different shapes stay fast).
 */
export function encodeRawInputs(
  specs: readonly InputSpec[],
  indexByName: ReadonlyMap<string, number>,
  raw: Record<string, unknown>,
  modelId: string,
): EncodedInputs {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InputValueError('', 'wrong-type', raw, `inputs of model ${modelId} must be an object of input name → value`);
  }
  const entries = Object.entries(raw);
  for (const [key, value] of entries) {
    if (!indexByName.has(key)) throw new InputValueError(key, 'unknown-input', value, `model ${modelId} has no input "${key}"`);
  }
  const encoded = new Array<number | null>(specs.length).fill(null);
  for (const [key, value] of entries) {
    const i = indexByName.get(key) as number;
    encoded[i] = encodeRawValue(specs[i] as InputSpec, value, modelId);
  }
  const missing: string[] = [];
  for (let i = 0; i < specs.length; i++) if (encoded[i] === null) missing.push((specs[i] as InputSpec).name);
  return { encoded, missing };
}
