/**
 * The clinical vocabulary every room shares, declared once: vital sign codes, the range flags, the
 * shape of a vital or lab definition, and sex. A leaf module (it imports nothing), so the contract,
 * db/, models/ and through the contract the renderer may all import it without an arrow back.
 */

export const vitalCodes = ['temperature', 'heartRate', 'respiratoryRate', 'systolicBp', 'diastolicBp', 'spo2', 'weight'] as const;
export type VitalCode = (typeof vitalCodes)[number];

export type RangeFlag = 'normal' | 'low' | 'high' | 'critical-low' | 'critical-high';

export interface VitalDefinition {
  code: VitalCode;
  loinc: string;
  unit: string;
  normalLow: number;
  normalHigh: number;
  criticalLow: number | null;
  criticalHigh: number | null;
  /** Physiological limits: a value outside them is a typing error, not a patient. */
  plausibleMin: number;
  plausibleMax: number;
}

export interface LabDefinition {
  loinc: string;
  name: string;
  unit: string;
  normalLow: number | null;
  normalHigh: number | null;
  criticalLow: number | null;
  criticalHigh: number | null;
  plausibleMin: number;
  plausibleMax: number;
}

/** A patient's recorded sex. */
export const sexes = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof sexes)[number];

/** The sexes an equation or a training population tells apart (eGFR, a model's scope). */
export type BinarySex = Extract<Sex, 'female' | 'male'>;
