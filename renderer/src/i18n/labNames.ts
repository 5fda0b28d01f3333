/**
 * Lab names and units as a clinician reads them. The catalogue names tests in English and gives
 * units in UCUM code form ("10*3/uL"); the display form is "×10³/µL" in every language, and zh-CN
 * names follow Chinese laboratory usage, keyed by LOINC (the stable code).
 */
import type { LabDefinition } from '../../../electron/contract/ipcContract';
import { displayUnit } from '../../../electron/contract/redFlagReason';
import { clinicalNamesFor } from './clinicalNameTables';

export function localisedLabName(loinc: string, englishName: string, locale: string): string {
  return clinicalNamesFor(locale)?.labs[loinc] ?? englishName;
}

/** UCUM code form to the printed form (10*3/uL → ×10³/µL), as the PDF prints it: the same function, through the contract's leaf. */
export { displayUnit };

export function localiseLab<T extends Pick<LabDefinition, 'loinc' | 'name' | 'unit'>>(lab: T, locale: string): T {
  return { ...lab, name: localisedLabName(lab.loinc, lab.name, locale), unit: displayUnit(lab.unit) };
}
