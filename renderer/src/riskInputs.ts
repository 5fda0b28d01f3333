/**
 * Risk model inputs as the case form holds them (text per input, '' = unknown) and as the
 * contract sends them (`modelInputs`). Everything here is driven by the manifest definitions the
 * catalogue supplies, so a new risk model needs no renderer code.
 */
import type { ModelInputDefinition, RiskModelDefinition } from '../../electron/contract/ipcContract';
import { parseNumber } from './ranges';

/** modelId → input name → what the field holds ('' = unknown). */
export type RiskInputTexts = Record<string, Record<string, string>>;
export type ModelInputs = Record<string, Record<string, number | string>>;

/** Binary inputs are offered as a select; these are its option values. */
export const BINARY_YES = '1';
export const BINARY_NO = '0';

export type RiskInputCheck = { status: 'empty' } | { status: 'invalid' } | { status: 'implausible'; value: number } | { status: 'ok'; value: number | string };

export function checkRiskInput(def: ModelInputDefinition, text: string): RiskInputCheck {
  if (text.trim() === '') return { status: 'empty' };
  switch (def.type) {
    case 'binary':
      if (text === BINARY_YES) return { status: 'ok', value: 1 };
      if (text === BINARY_NO) return { status: 'ok', value: 0 };
      return { status: 'invalid' };
    case 'nominal': {
      // The manifest's own value, as the catalogue gives it (codes may be numbers in the manifest).
      const value = def.values?.find((v) => String(v) === text);
      return value === undefined ? { status: 'invalid' } : { status: 'ok', value };
    }
    case 'numeric': {
      const parsed = parseNumber(text);
      if (parsed.kind === 'empty') return { status: 'empty' };
      if (parsed.kind === 'invalid') return { status: 'invalid' };
      if (def.range && (parsed.value < def.range.min || parsed.value > def.range.max)) {
        return { status: 'implausible', value: parsed.value };
      }
      return { status: 'ok', value: parsed.value };
    }
  }
}

/**
 * The `modelInputs` of a case request. Empty fields are unknown and not sent. Out-of-range numbers
 * are sent like the vitals' are: the app is the authority and answers naming the exact field.
 * Models with nothing filled in are left out altogether.
 */
export function buildModelInputs(models: readonly RiskModelDefinition[], texts: RiskInputTexts): ModelInputs {
  const out: ModelInputs = {};
  for (const model of models) {
    const entered = texts[model.id];
    if (!entered) continue;
    const values: Record<string, number | string> = {};
    for (const def of model.inputs) {
      const check = checkRiskInput(def, entered[def.name] ?? '');
      if (check.status === 'ok') values[def.name] = check.value;
      else if (check.status === 'implausible') values[def.name] = check.value;
    }
    if (Object.keys(values).length > 0) out[model.id] = values;
  }
  return out;
}

/** How many of a model's inputs hold a usable value. */
export function filledCount(model: RiskModelDefinition, texts: RiskInputTexts): number {
  const entered = texts[model.id] ?? {};
  return model.inputs.filter((def) => checkRiskInput(def, entered[def.name] ?? '').status === 'ok').length;
}

/** True when any field of the model holds something the app would refuse. */
export function hasInputError(model: RiskModelDefinition, texts: RiskInputTexts): boolean {
  const entered = texts[model.id] ?? {};
  return model.inputs.some((def) => {
    const s = checkRiskInput(def, entered[def.name] ?? '').status;
    return s === 'invalid' || s === 'implausible';
  });
}

export function findRiskModel(models: readonly RiskModelDefinition[] | undefined, id: string) {
  return models?.find((m) => m.id === id);
}

export function findRiskInput(models: readonly RiskModelDefinition[] | undefined, modelId: string, input: string) {
  return findRiskModel(models, modelId)?.inputs.find((d) => d.name === input);
}

/**
 * The app names a refused input by its path, e.g. `case.modelInputs.heart-disease.chol` or
 * `modelInputs.heart-disease.chol`. Model ids are kebab-case, so they never contain a dot.
 */
export function parseModelInputField(field: string): { modelId: string; input: string | null } | null {
  const m = /(?:^|\.)modelInputs\.([a-z0-9-]+)(?:\.([A-Za-z0-9_]+))?/.exec(field);
  if (!m || !m[1]) return null;
  return { modelId: m[1], input: m[2] ?? null };
}
