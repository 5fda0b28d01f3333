/**
 * Allergies and medications as the clinician reads and types them: a coded entry shows its name in
 * the chosen language (the catalogue carries English and Chinese); typed text that matches a
 * listed name (either language, any case) becomes that coded entry, anything else stays free text.
 */
import type { PatientListEntry, SubstanceDefinition } from '../../electron/contract/ipcContract';

export function substanceName(s: SubstanceDefinition, language: string): string {
  return language.startsWith('zh') ? s.nameZh : s.name;
}

/** The entry's name in `language`; free text as typed. */
export function entryName(entry: PatientListEntry, substances: readonly SubstanceDefinition[], language: string): string {
  const known = entry.code === null ? undefined : substances.find((s) => s.code === entry.code);
  return known ? substanceName(known, language) : entry.display;
}

const key = (text: string) => text.normalize('NFKC').trim().toLocaleLowerCase('und');

/** The listed substance whose English or Chinese name (or ATC code) is exactly `text`, if any. */
export function matchSubstance(text: string, substances: readonly SubstanceDefinition[]): SubstanceDefinition | undefined {
  const k = key(text);
  if (k === '') return undefined;
  return substances.find((s) => key(s.name) === k || key(s.nameZh) === k || key(s.code) === k);
}

export interface DraftEntry {
  text: string;
  note: string;
}

/** A draft row as the request sends it: coded when it matches the list, else free text. */
export function toEntryInput(draft: DraftEntry, substances: readonly SubstanceDefinition[]): { code: string | null; text?: string; note?: string } {
  const match = matchSubstance(draft.text, substances);
  const note = draft.note.trim() === '' ? {} : { note: draft.note.trim() };
  return match ? { code: match.code, ...note } : { code: null, text: draft.text.trim(), ...note };
}

export function toDraft(entry: PatientListEntry, substances: readonly SubstanceDefinition[], language: string): DraftEntry {
  return { text: entryName(entry, substances, language), note: entry.note ?? '' };
}
