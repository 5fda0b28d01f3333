/**
 * The Chinese clinical names (symptoms, conditions, labs, vital signs). The table is one file,
 * models/artefacts/vocab/clinicalNames.zh-CN.json, which the app also prints the PDF report from;
 * the renderer may not import models/ (it reaches the app only through the contract), so the app
 * hands the table over in the catalogue and loadCatalogue stores it here. Until then names show
 * in English.
 */
import type { ClinicalNameTable } from '../../../electron/contract/ipcContract';

let chinese: ClinicalNameTable | null = null;

export function setChineseClinicalNames(table: ClinicalNameTable | undefined): void {
  chinese = table ?? null;
}

/** The table for a locale, or null where the names are the catalogue's English ones. */
export function clinicalNamesFor(locale: string): ClinicalNameTable | null {
  return locale === 'zh-CN' ? chinese : null;
}
