import type { TFunction } from 'i18next';
import type { VitalCode } from '../../../electron/contract/ipcContract';
import type { RangeLimits } from '../ranges';

/** Every vital the contract knows (`satisfies` keeps this in step with it). */
const vitalNames = {
  temperature: true,
  heartRate: true,
  respiratoryRate: true,
  systolicBp: true,
  diastolicBp: true,
  spo2: true,
  weight: true,
} as const satisfies Record<VitalCode, true>;

export function isKnownVital(code: string): code is VitalCode {
  return Object.hasOwn(vitalNames, code);
}

/** "Normal 36.1–37.8 °C", or a one-sided version where the catalogue gives only one bound. */
export function normalRangeText(t: TFunction, limits: RangeLimits, unit: string, number: (v: number) => string): string | null {
  const { normalLow: low, normalHigh: high } = limits;
  if (low !== null && high !== null) return t('measure.normalRange', { low: number(low), high: number(high), unit });
  if (low !== null) return t('measure.normalFrom', { low: number(low), unit });
  if (high !== null) return t('measure.normalUpTo', { high: number(high), unit });
  return null;
}

/** "Temperature must be between 25 and 45 °C". */
export function implausibleText(t: TFunction, name: string, limits: RangeLimits, unit: string, number: (v: number) => string): string {
  return t('measure.implausible', { name, min: number(limits.plausibleMin), max: number(limits.plausibleMax), unit });
}
