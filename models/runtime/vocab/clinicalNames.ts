/**
 * Clinical names in the languages the app offers, from the hand-written table
 * models/artefacts/vocab/clinicalNames.zh-CN.json: symptoms (the differential model's feature codes),
 * conditions (its labels), labs (by LOINC) and vital signs (by code). The app prints them in the PDF
 * report and hands the same table to the renderer in the catalogue, so both read one file.
 *
 * Every lookup falls back to the English name it is given: a name missing here shows untranslated,
 * never blank. Node built-ins only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { resolveModelsDir } from '../common/paths';
import { humaniseCode, normaliseSymptomCode, type ClinicalNameTable } from './clinicalTypes';

export const clinicalNameLocales = ['en', 'zh-CN'] as const;
export type ClinicalNameLocale = (typeof clinicalNameLocales)[number];

export const clinicalNamesFile = 'vocab/clinicalNames.zh-CN.json';

const cache = new Map<string, ClinicalNameTable>();

/** The Chinese table, read once per models folder. */
export function loadChineseClinicalNames(modelsDir: string = resolveModelsDir(__dirname)): ClinicalNameTable {
  const cached = cache.get(modelsDir);
  if (cached) return cached;
  const raw = JSON.parse(fs.readFileSync(path.join(modelsDir, clinicalNamesFile), 'utf8')) as Partial<ClinicalNameTable>;
  const table: ClinicalNameTable = {
    symptoms: raw.symptoms ?? {},
    conditions: raw.conditions ?? {},
    labs: raw.labs ?? {},
    vitals: raw.vitals ?? {},
    riskModels: raw.riskModels ?? {},
    riskInputs: raw.riskInputs ?? {},
  };
  cache.set(modelsDir, table);
  return table;
}

function conditionByLabel(table: ClinicalNameTable, label: string): string | undefined {
  const exact = table.conditions[label];
  if (exact !== undefined) return exact;
  const folded = label.trim().toLowerCase();
  return Object.entries(table.conditions).find(([key]) => key.trim().toLowerCase() === folded)?.[1];
}

/** Names in one language; English returns the names it is given. */
export interface ClinicalNamer {
  symptom(code: string): string;
  condition(label: string, displayName?: string | null): string;
  lab(loinc: string, englishName: string): string;
  vital(code: string, englishName: string): string;
  /** A risk model by id; null where the table has no name (English: always null, the id is printed). */
  riskModel(id: string): string | null;
  /** A risk model's input by its dataset name (`trestbps`, `blood_pressure`), matched folded. */
  riskInput(name: string): string;
}

export function clinicalNamer(locale: ClinicalNameLocale, modelsDir?: string): ClinicalNamer {
  const table = locale === 'zh-CN' ? loadChineseClinicalNames(modelsDir) : null;
  return {
    symptom: (code) => table?.symptoms[normaliseSymptomCode(code)] ?? humaniseCode(code),
    // The free-text classifier spells some labels in another case ("drug reaction" for "Drug Reaction").
    condition: (label, displayName) => (table ? conditionByLabel(table, label) : undefined) ?? (displayName?.trim() ? displayName : label),
    lab: (loinc, englishName) => table?.labs[loinc] ?? englishName,
    vital: (code, englishName) => table?.vitals[code] ?? englishName,
    riskModel: (id) => table?.riskModels[id] ?? null,
    riskInput: (name) => table?.riskInputs[name.toLowerCase().replace(/_/g, '')] ?? name,
  };
}

/** UCUM code form to the printed form (10*3/uL → ×10³/µL): one function, in the red-flag leaf the renderer can reach too. */
export { displayUnit } from '../rules/redFlagReason';
