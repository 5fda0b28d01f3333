/**
 * The clinical vocabulary every room shares, declared once: vital sign codes, the range flags, the
 * shape of a vital or lab definition, sex, and the clinical-name table with its code helpers. A leaf module (it imports nothing), so the contract,
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

/** One language's clinical names: code (symptom code, model label, LOINC, vital code, risk model id, folded risk input name) → name. */
export interface ClinicalNameTable {
  symptoms: Record<string, string>;
  conditions: Record<string, string>;
  labs: Record<string, string>;
  vitals: Record<string, string>;
  riskModels: Record<string, string>;
  riskInputs: Record<string, string>;
}

/** The source data spells some symptom codes with stray spaces ("spotting_ urination"). */
export function normaliseSymptomCode(code: string): string {
  return code
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** "swelled_lymph_nodes" → "Swelled lymph nodes": a code made readable when nothing names it. */
export function humaniseCode(code: string): string {
  const words = code.replace(/[_\s]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
