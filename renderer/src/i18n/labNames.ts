/**
 * Lab names and units as a clinician reads them. The catalogue names tests in English and gives
 * units in UCUM code form ("10*3/uL"); the display form is "×10³/µL" in every language, and zh-CN
 * names follow Chinese laboratory usage, keyed by LOINC (the stable code).
 */
import type { LabDefinition } from '../../../electron/contract/ipcContract';
import { clinicalNamesFor } from './clinicalNameTables';

export function localisedLabName(loinc: string, englishName: string, locale: string): string {
  return clinicalNamesFor(locale)?.labs[loinc] ?? englishName;
}

/** UCUM code form to the printed form: 10*3/uL → ×10³/µL. Units without either part are unchanged. */
export function displayUnit(ucum: string): string {
  const superscript: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
  return ucum.replace(/^10\*(\d+)/, (_m, exp: string) => `×10${[...exp].map((d) => superscript[d]).join('')}`).replace(/(^|\/)u(L|g|mol)\b/g, '$1µ$2');
}

export function localiseLab<T extends Pick<LabDefinition, 'loinc' | 'name' | 'unit'>>(lab: T, locale: string): T {
  return { ...lab, name: localisedLabName(lab.loinc, lab.name, locale), unit: displayUnit(lab.unit) };
}
