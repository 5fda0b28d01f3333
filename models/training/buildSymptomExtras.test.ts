import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { parseCsv } from '../runtime/common/csv';
import { resolveDataDir } from '../runtime/common/paths';
import { buildConditions, CONDITIONS_FILE, FREQUENCIES_FILE, labelFeatureFrequencies, loadDdxplus, loadIcd10, lookupIcd10 } from './buildSymptomExtras';
import { CONDITION_TABLE } from './symptomConditionTable';
import { loadSymptomCsv } from './symptomData';

const dataDir = resolveDataDir(__dirname);
const modelsDir = path.resolve(__dirname, '..', 'artefacts');
const files = {
  symptoms: path.join(dataDir, 'symptoms', 'training.csv'),
  ddxplus: path.join(dataDir, 'knowledge', 'ddxplus', 'release_conditions.json'),
  icd: path.join(dataDir, 'vocab', 'icd10cm-categories.csv'),
  descriptions: path.join(dataDir, 'symptoms', 'symptom_description.csv'),
};
const hasData = Object.values(files).every((f) => fs.existsSync(f));
const committed = (rel: string): string => fs.readFileSync(path.join(modelsDir, rel), 'utf8');

describe('condition mapping table', () => {
  it('has a row for each of the 41 labels, with a summary and either a DDXPlus match or a team severity where names differ', () => {
    const labels = (JSON.parse(committed('manifest.json')) as { models: { id: string; labels: string[] }[] }).models.find(
      (m) => m.id === 'symptom-differential',
    )!.labels;
    expect(Object.keys(CONDITION_TABLE).sort()).toEqual([...labels].sort());
  });
});

describe.skipIf(!hasData)('symptom side files reproduce from the data (needs ../shared/data)', () => {
  const ds = hasData ? loadSymptomCsv(files.symptoms) : undefined;

  it('conditions.json and label-symptom-frequencies.json are exactly what the script builds', () => {
    const cond = buildConditions(ds!.labels, loadDdxplus(files.ddxplus), loadIcd10(files.icd));
    expect(committed(CONDITIONS_FILE)).toBe(JSON.stringify(cond, null, 1) + '\n');
    expect(committed(FREQUENCIES_FILE)).toBe(JSON.stringify(labelFeatureFrequencies(ds!), null, 1) + '\n');
  });

  it('ICD-10-CM codes resolve in the categories file (walking up to the category where a code is missing)', () => {
    const icd = loadIcd10(files.icd);
    expect(lookupIcd10(icd, 'I21')).toEqual({ code: 'I21', title: 'Acute myocardial infarction' });
    expect(lookupIcd10(icd, 'N39.0')?.code).toBe('N39');
    expect(lookupIcd10(icd, 'Z99.999')?.code).toBe('Z99');
  });

  it('summaries are our own text: no 6-word run shared with the dataset descriptions', () => {
    const words = (t: string) =>
      t
        .toLowerCase()
        .replace(/[^a-z0-9 ]+/g, ' ')
        .split(/\s+/)
        .filter(Boolean);
    const shingles = new Set<string>();
    for (const row of parseCsv(fs.readFileSync(files.descriptions, 'utf8'))) {
      const w = words(row.join(' '));
      for (let i = 0; i + 6 <= w.length; i++) shingles.add(w.slice(i, i + 6).join(' '));
    }
    for (const [label, row] of Object.entries(CONDITION_TABLE)) {
      const w = words(row.summary);
      for (let i = 0; i + 6 <= w.length; i++) expect(shingles.has(w.slice(i, i + 6).join(' ')), label).toBe(false);
    }
  });
});
