/**
 * Vital-sign and lab definitions (reference ranges, critical limits, physiological limits) from the
 * committed models/artefacts/vocab/clinicalCatalogue.json, and the two checks every entered value goes through:
 * checkPlausible (is this a typing error?) then classifyValue (normal / low / high / critical).
 *
 * The interfaces are structurally identical to electron/contract/ipcContract.ts; models/ imports
 * nothing of the app's. Node built-ins only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { resolveModelsDir } from '../common/paths';
import { ModelError } from '../modelErrors';
import { vitalCodes, type LabDefinition, type RangeFlag, type VitalCode, type VitalDefinition } from './clinicalTypes';

export interface CatalogueSource {
  file: string;
  sha256: string;
  origin: string;
  licence: string;
  attribution: string;
}

export interface ClinicalCatalogue {
  vitals: VitalDefinition[];
  labs: LabDefinition[];
  source: CatalogueSource;
}

type RangeDefinition = Pick<LabDefinition, 'unit' | 'normalLow' | 'normalHigh' | 'criticalLow' | 'criticalHigh' | 'plausibleMin' | 'plausibleMax'> &
  ({ code: VitalCode } | { loinc: string; name: string });

/** A value outside a definition's physiological limits (or not a finite number): an input error. */
export class ImplausibleValueError extends ModelError {
  readonly code = 'VALUE_OUT_OF_RANGE' as const;
  /** Where the value came from, e.g. `vitals.temperature` or `labs.2823-3`. */
  override field: string;
  /** Vital code or LOINC code. */
  readonly valueCode: string;
  readonly value: number;
  readonly plausibleMin: number;
  readonly plausibleMax: number;
  readonly unit: string;
  constructor(def: RangeDefinition, value: number, field?: string) {
    const isVital = 'code' in def;
    const code = isVital ? def.code : def.loinc;
    const what = isVital ? def.code : `${def.name} (${def.loinc})`;
    const unit = def.unit === '%' ? '%' : ` ${def.unit}`;
    const shown = Number.isFinite(value) ? `${value}${unit}` : String(value);
    super(`${what}: ${shown} is outside the plausible range ${def.plausibleMin}–${def.plausibleMax}${unit}. ` + `Check the value and its unit.`);
    this.name = 'ImplausibleValueError';
    this.field = field ?? (isVital ? `vitals.${code}` : `labs.${code}`);
    this.valueCode = code;
    this.value = value;
    this.plausibleMin = def.plausibleMin;
    this.plausibleMax = def.plausibleMax;
    this.unit = def.unit;
  }
}

/** Throws ImplausibleValueError unless plausibleMin <= value <= plausibleMax (and finite). */
export function checkPlausible(def: VitalDefinition | LabDefinition, value: number, field?: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < def.plausibleMin || value > def.plausibleMax) {
    throw new ImplausibleValueError(def, value, field);
  }
}

/**
 * Flags a value against a definition. Normal range is inclusive; critical limits are exceeded
 * strictly (value < criticalLow, value > criticalHigh), and win over low/high. A missing (null)
 * limit never flags. Check plausibility first; a non-finite value throws RangeError.
 */
export function classifyValue(def: VitalDefinition | LabDefinition, value: number): RangeFlag {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`not a finite number: ${String(value)}`);
  if (def.criticalLow !== null && value < def.criticalLow) return 'critical-low';
  if (def.criticalHigh !== null && value > def.criticalHigh) return 'critical-high';
  if (def.normalLow !== null && value < def.normalLow) return 'low';
  if (def.normalHigh !== null && value > def.normalHigh) return 'high';
  return 'normal';
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const numOrNull = (v: unknown): boolean => v === null || num(v);

function validate(json: unknown, file: string): ClinicalCatalogue {
  const bad = (why: string): never => {
    throw new TypeError(`${file}: invalid clinical catalogue: ${why}`);
  };
  const c = json as Partial<ClinicalCatalogue> | null;
  if (c === null || typeof c !== 'object' || !Array.isArray(c.vitals) || !Array.isArray(c.labs)) return bad('no vitals/labs arrays');
  const ranges = (d: Record<string, unknown>, id: string, nullableNormal: boolean): void => {
    const okNormal = nullableNormal ? numOrNull(d['normalLow']) && numOrNull(d['normalHigh']) : num(d['normalLow']) && num(d['normalHigh']);
    if (!okNormal || !numOrNull(d['criticalLow']) || !numOrNull(d['criticalHigh']) || !num(d['plausibleMin']) || !num(d['plausibleMax'])) {
      bad(`${id}: bad numbers`);
    }
    if (typeof d['unit'] !== 'string') bad(`${id}: unit`);
    if ((d['plausibleMin'] as number) >= (d['plausibleMax'] as number)) bad(`${id}: plausibleMin >= plausibleMax`);
  };
  for (const v of c.vitals as unknown[]) {
    const d = v as Record<string, unknown>;
    if (!vitalCodes.includes(d['code'] as VitalCode) || typeof d['loinc'] !== 'string') bad(`vital ${JSON.stringify(d['code'])}`);
    ranges(d, String(d['code']), false);
  }
  for (const l of c.labs as unknown[]) {
    const d = l as Record<string, unknown>;
    if (typeof d['loinc'] !== 'string' || typeof d['name'] !== 'string') bad(`lab ${JSON.stringify(d['loinc'])}`);
    ranges(d, String(d['loinc']), true);
  }
  return c as ClinicalCatalogue;
}

/**
 * Reads `<modelsDir>/vocab/clinicalCatalogue.json` (default: the project's models/ folder, from the
 * TypeScript sources or from build/).
 */
export function loadClinicalCatalogue(modelsDir?: string): ClinicalCatalogue {
  const file = path.join(path.resolve(modelsDir ?? resolveModelsDir(__dirname)), 'vocab', 'clinicalCatalogue.json');
  const c = validate(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown, file);
  return { vitals: c.vitals, labs: c.labs, source: c.source };
}
