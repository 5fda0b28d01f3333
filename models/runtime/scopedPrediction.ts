/**
 * Runs a forest only where its scope says it holds: the one path from raw inputs to a number (or an
 * abstention) that the CLI, the app and the auditor's re-run share.
 */
import { InsufficientInputsError } from './forest/inputSpec';
import type { ForestModel, ValuesExplanation, ValuesPrediction } from './forest/forestRuntime';
import { checkScope, type Abstention, type ModelScope, type PatientContext } from './scope';

export interface ScopeContext {
  patient?: PatientContext;
  labsByLoinc?: Readonly<Record<string, number>>;
  labelOf?: (input: string) => string;
}

export type Scoped<T> = { kind: 'answered'; result: T } | { kind: 'abstained'; abstained: Abstention };

/**
 * Validates and runs `run` (bad values still throw InputValueError: a wrong value is an error, not an
 * abstention), then checks the scope on what was actually known. The model's answer is discarded
 * when the scope check fails, so no number computed from imputed inputs ever leaves this function.
 */
function scoped<T extends ValuesPrediction>(
  model: ForestModel,
  scope: ModelScope | null,
  raw: Record<string, unknown>,
  ctx: ScopeContext,
  run: () => T,
): Scoped<T> {
  let result: T;
  try {
    result = run();
  } catch (err) {
    if (err instanceof InsufficientInputsError) {
      return {
        kind: 'abstained',
        abstained: { code: 'INSUFFICIENT_INPUTS', message: `Not assessed: ${err.message}.`, missing: model.features.filter((f) => raw[f] === undefined) },
      };
    }
    throw err;
  }
  const missing = new Set(result.missing);
  const known: Record<string, number | string> = {};
  for (const name of model.features) {
    const v = raw[name];
    if (!missing.has(name) && (typeof v === 'number' || typeof v === 'string')) known[name] = v;
  }
  const abstained = checkScope(scope, {
    modelId: model.id,
    inputNames: model.features,
    known,
    ...(ctx.patient ? { patient: ctx.patient } : {}),
    ...(ctx.labsByLoinc ? { labsByLoinc: ctx.labsByLoinc } : {}),
    ...(ctx.labelOf ? { labelOf: ctx.labelOf } : {}),
  });
  return abstained ? { kind: 'abstained', abstained } : { kind: 'answered', result };
}

export function predictInScope(model: ForestModel, scope: ModelScope | null, raw: Record<string, unknown>, ctx: ScopeContext = {}): Scoped<ValuesPrediction> {
  return scoped(model, scope, raw, ctx, () => model.predictValues(raw));
}

export function explainInScope(
  model: ForestModel,
  scope: ModelScope | null,
  raw: Record<string, unknown>,
  topK: number,
  ctx: ScopeContext = {},
): Scoped<ValuesExplanation> {
  return scoped(model, scope, raw, ctx, () => model.explainValues(raw, topK));
}

/** Parses a JSON `patient` object ({ageYears, sex}); returns a problem text for a bad one. */
export function parsePatientContext(value: unknown): { patient: PatientContext } | { problem: string; field: string } {
  if (value === undefined || value === null) return { patient: {} };
  if (typeof value !== 'object' || Array.isArray(value)) return { problem: '"patient" must be an object {"ageYears", "sex"}', field: 'patient' };
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== 'ageYears' && key !== 'sex') return { problem: `"patient" has no field "${key}" (fields: ageYears, sex)`, field: `patient.${key}` };
  }
  const patient: PatientContext = {};
  const age = o['ageYears'];
  if (age !== undefined && age !== null) {
    if (typeof age !== 'number' || !Number.isFinite(age) || age < 0 || age > 125) {
      return { problem: `"patient.ageYears" must be a number of years 0–125, got ${JSON.stringify(age)}`, field: 'patient.ageYears' };
    }
    patient.ageYears = age;
  }
  const sex = o['sex'];
  if (sex !== undefined && sex !== null) {
    if (sex !== 'female' && sex !== 'male') return { problem: `"patient.sex" must be "female" or "male", got ${JSON.stringify(sex)}`, field: 'patient.sex' };
    patient.sex = sex;
  }
  return { patient };
}
