import { beforeAll, describe, expect, it } from 'vitest';
import en from './en.json';
import chineseNames from '../../../models/artefacts/vocab/clinicalNames.zh-CN.json';
import { setChineseClinicalNames } from './clinicalNameTables';
import { localisedSymptomName, normaliseSymptomCode } from './symptomNames';
import zhCN from './zh-CN.json';
import conditionsFile from '../../../models/artefacts/symptom-differential/conditions.json';
import { localisedConditionName } from './conditionNames';

const zhSymptoms = chineseNames.symptoms;
const zhConditionNames = chineseNames.conditions;

beforeAll(() => setChineseClinicalNames(chineseNames));

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of leaves(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/** Chinese has a single plural form, so an English `_one` key is covered by `_other`. */
function required(key: string): string {
  return key.replace(/_one$/, '_other');
}

describe('translation catalogues', () => {
  const enKeys = leaves(en);
  const zhKeys = leaves(zhCN);

  it('zh-CN translates every English string', () => {
    const missing = [...enKeys.keys()].map(required).filter((k) => !zhKeys.has(k));
    expect(missing).toEqual([]);
  });

  it('zh-CN has no keys English lacks', () => {
    const extra = [...zhKeys.keys()].filter((k) => !enKeys.has(k));
    expect(extra).toEqual([]);
  });

  it('keeps the same interpolation variables in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of enKeys) {
      const zh = zhKeys.get(required(key));
      if (zh !== undefined) expect([key, vars(zh)]).toEqual([key, vars(text)]);
    }
  });

  it('names every symptom of the source data in Chinese', () => {
    expect(Object.keys(zhSymptoms)).toHaveLength(132);
    expect(localisedSymptomName('spotting_ urination', 'Spotting urination', 'zh-CN')).toBe('尿中带血点');
    expect(localisedSymptomName('itching', 'Itching', 'en')).toBe('Itching');
    expect(localisedSymptomName('not_a_symptom', undefined, 'zh-CN')).toBe('Not a symptom');
    expect(normaliseSymptomCode(' Foul_smell_of urine ')).toBe('foul_smell_of_urine');
  });
});

describe('condition names in Chinese', () => {
  const zhConditions: Record<string, string> = zhConditionNames;
  const conditions = conditionsFile.conditions;

  it('names every condition the differential model can suggest, in Chinese characters', () => {
    const missing = conditions.filter((c) => !/[\u4e00-\u9fff]/.test(zhConditions[c.label] ?? ''));
    expect(missing.map((c) => c.label)).toEqual([]);
    expect(Object.keys(zhConditions).filter((label) => !conditions.some((c) => c.label === label))).toEqual([]);
  });

  it('shows the clinical name, never the dataset label, in either language', () => {
    expect(localisedConditionName('Heart attack', 'Acute myocardial infarction', 'en')).toBe('Acute myocardial infarction');
    expect(localisedConditionName('Heart attack', 'Acute myocardial infarction', 'zh-CN')).toBe('急性心肌梗死');
    expect(localisedConditionName('Unknown label', undefined, 'zh-CN')).toBe('Unknown label');
  });
});
