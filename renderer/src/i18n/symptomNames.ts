/**
 * Localised symptom names. The catalogue supplies English labels; for zh-CN the model's feature
 * codes map to Chinese names (clinicalNameTables.ts). Codes are normalised first because the source data spells some
 * with stray spaces ("spotting_ urination") that the app may or may not have trimmed.
 */
import { humaniseCode, normaliseSymptomCode } from '../../../electron/contract/clinicalNameCodes';
import { clinicalNamesFor } from './clinicalNameTables';

export { humaniseCode, normaliseSymptomCode };

export function localisedSymptomName(code: string, englishLabel: string | undefined, locale: string): string {
  const translated = clinicalNamesFor(locale)?.symptoms[normaliseSymptomCode(code)];
  return translated ?? englishLabel ?? humaniseCode(code);
}
