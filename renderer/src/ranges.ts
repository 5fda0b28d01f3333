/**
 * Live range checks for vitals and labs, from the limits the app's catalogue supplies. The app
 * re-checks and flags everything it stores; this only gives immediate feedback while typing.
 */
import type { LabDefinition, RangeFlag } from '../../electron/contract/ipcContract';

/** The limits of a vital or lab definition, as the catalogue declares them (clinicalTypes.ts). */
export type RangeLimits = Pick<LabDefinition, 'normalLow' | 'normalHigh' | 'criticalLow' | 'criticalHigh' | 'plausibleMin' | 'plausibleMax'>;

export function rangeFlag(value: number, limits: RangeLimits): RangeFlag {
  if (limits.criticalLow !== null && value < limits.criticalLow) return 'critical-low';
  if (limits.criticalHigh !== null && value > limits.criticalHigh) return 'critical-high';
  if (limits.normalLow !== null && value < limits.normalLow) return 'low';
  if (limits.normalHigh !== null && value > limits.normalHigh) return 'high';
  return 'normal';
}

export function isPlausible(value: number, limits: RangeLimits): boolean {
  return value >= limits.plausibleMin && value <= limits.plausibleMax;
}

/** What a number field holds: nothing yet, a finite number, or text that is not a number. */
export type ParsedNumber = { kind: 'empty' } | { kind: 'number'; value: number } | { kind: 'invalid' };

export function parseNumber(text: string): ParsedNumber {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty' };
  const value = Number(trimmed);
  return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'invalid' };
}

export type ValueCheck =
  { status: 'empty' } | { status: 'invalid' } | { status: 'implausible'; value: number } | { status: 'ok'; value: number; flag: RangeFlag };

export function checkValue(text: string, limits: RangeLimits): ValueCheck {
  const parsed = parseNumber(text);
  if (parsed.kind === 'empty') return { status: 'empty' };
  if (parsed.kind === 'invalid') return { status: 'invalid' };
  if (!isPlausible(parsed.value, limits)) return { status: 'implausible', value: parsed.value };
  return { status: 'ok', value: parsed.value, flag: rangeFlag(parsed.value, limits) };
}
