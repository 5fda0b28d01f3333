/**
 * Condition names in the reader's language. The differential model's labels are its training
 * data's spellings ("Heart attack", "Peptic ulcer diseae"); the catalogue gives an English clinical
 * display name; for zh-CN the clinical name is looked up by the model label (the stable key).
 */
import { clinicalNamesFor } from './clinicalNameTables';

export function localisedConditionName(label: string, displayName: string | undefined, locale: string): string {
  return clinicalNamesFor(locale)?.conditions[label] ?? (displayName?.trim() ? displayName : label);
}
