/**
 * Condition names in the reader's language. The differential model's labels are its training
 * data's spellings ("Heart attack", "Peptic ulcer diseae"); the catalogue gives an English clinical
 * display name; for zh-CN the clinical name is looked up by the model label (the stable key).
 */
import zhNames from './conditions.zh-CN.json';

const byLocale: Record<string, Record<string, string> | undefined> = { 'zh-CN': zhNames };

export function localisedConditionName(label: string, displayName: string | undefined, locale: string): string {
  return byLocale[locale]?.[label] ?? (displayName?.trim() ? displayName : label);
}
