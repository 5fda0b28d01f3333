/**
 * Unit conversions the rules need where a value may arrive in another unit than the catalogue's
 * (US conventional: mg/dL, °C). Factors from molar masses: glucose 180.16 g/mol, creatinine
 * 113.12 g/mol (1 mg/dL = 88.42 µmol/L), urea nitrogen 28.014 g/mol (2 N per urea).
 */

export const GLUCOSE_MGDL_PER_MMOLL = 18.016;
export const CREATININE_UMOLL_PER_MGDL = 88.42;
export const BUN_MGDL_PER_MMOLL_UREA = 2.8014;

export const glucoseMmolLToMgDl = (mmolL: number): number => mmolL * GLUCOSE_MGDL_PER_MMOLL;
export const glucoseMgDlToMmolL = (mgDl: number): number => mgDl / GLUCOSE_MGDL_PER_MMOLL;
export const creatinineUmolLToMgDl = (umolL: number): number => umolL / CREATININE_UMOLL_PER_MGDL;
export const fahrenheitToCelsius = (f: number): number => ((f - 32) * 5) / 9;

/** Conversions into the catalogue unit, by LOINC code and source unit (spelt as labs print them). */
const labConversions: Readonly<Record<string, Readonly<Record<string, (v: number) => number>>>> = {
  '2345-7': { 'mmol/L': glucoseMmolLToMgDl },
  '2160-0': { 'umol/L': creatinineUmolLToMgDl, 'µmol/L': creatinineUmolLToMgDl },
  '3094-0': { 'mmol/L': (v) => v * BUN_MGDL_PER_MMOLL_UREA },
};

/**
 * A lab value in `unit` expressed in the catalogue's `catalogueUnit`; null when we know no
 * conversion (the caller refuses the value rather than guessing).
 */
export function toCatalogueUnit(loinc: string, value: number, unit: string, catalogueUnit: string): number | null {
  const norm = (u: string) => u.trim().toLowerCase().replace(/\s+/g, '');
  if (norm(unit) === norm(catalogueUnit)) return value;
  const byUnit = labConversions[loinc] ?? {};
  const key = Object.keys(byUnit).find((u) => norm(u) === norm(unit));
  return key === undefined ? null : byUnit[key]!(value);
}
