/**
 * Localised symptom names. The catalogue supplies English labels; for zh-CN the model's feature
 * codes map to Chinese names (clinicalNameTables.ts). Codes are normalised first because the source data spells some
 * with stray spaces ("spotting_ urination") that the app may or may not have trimmed.
 */
import { clinicalNamesFor } from './clinicalNameTables';

export function normaliseSymptomCode(code: string): string {
  return code
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** "swelled_lymph_nodes" → "Swelled lymph nodes": last resort when nothing names a code. */
export function humaniseCode(code: string): string {
  const words = code.replace(/[_\s]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function localisedSymptomName(code: string, englishLabel: string | undefined, locale: string): string {
  const translated = clinicalNamesFor(locale)?.symptoms[normaliseSymptomCode(code)];
  return translated ?? englishLabel ?? humaniseCode(code);
}
