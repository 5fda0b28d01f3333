import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadModelRegistry } from '../registry';
import { CANT_MISS_MIN_SEVERITY, validateConditionsFile } from './conditions';

const modelsDir = path.resolve(__dirname, '..', '..', 'artefacts');

describe('symptom-differential conditions.json', () => {
  const reg = loadModelRegistry(modelsDir);
  const labels = reg.get('symptom-differential').labels;
  const conditions = reg.conditions('symptom-differential')!;

  it('covers all 41 labels exactly once, in label order', () => {
    expect(labels).toHaveLength(41);
    expect(conditions.map((c) => c.label)).toEqual(labels);
  });

  it('every entry is complete: display name, ICD-10-CM code and title, severity 1–5, source, can’t-miss rule, summary', () => {
    for (const c of conditions) {
      expect(c.displayName.length).toBeGreaterThan(2);
      expect(c.icd10).not.toBeNull();
      expect(c.icd10!.code).toMatch(/^[A-Z]\d{2}(\.[0-9A-Z]{1,4})?$/);
      expect(c.icd10!.title.length).toBeGreaterThan(3);
      expect([1, 2, 3, 4, 5]).toContain(c.severity);
      expect(['ddxplus', 'team']).toContain(c.severitySource);
      expect(c.cantMiss).toBe(c.severity >= CANT_MISS_MIN_SEVERITY);
      expect(c.summary.length).toBeGreaterThan(20);
      if (c.severitySource === 'ddxplus') expect(c.severity).toBe(6 - c.ddxplusSeverity!);
    }
    expect(new Set(conditions.map((c) => c.summary)).size).toBe(conditions.length);
  });

  it('DDXPlus severities where names match; heart attack and brain haemorrhage are can’t-miss; the common cold is not', () => {
    const by = new Map(conditions.map((c) => [c.label, c]));
    expect(by.get('GERD')).toMatchObject({ severitySource: 'ddxplus', ddxplusCondition: 'GERD', icd10: { code: 'K21' } });
    expect(by.get('Heart attack')).toMatchObject({
      severitySource: 'ddxplus',
      severity: 5,
      cantMiss: true,
      icd10: { code: 'I21', title: 'Acute myocardial infarction' },
    });
    expect(by.get('Paralysis (brain hemorrhage)')).toMatchObject({ severitySource: 'team', cantMiss: true });
    expect(by.get('Common Cold')).toMatchObject({ cantMiss: false, severity: 1 });
  });

  it('the validator refuses a file that misses a label or breaks the can’t-miss rule', () => {
    const file = JSON.parse(fs.readFileSync(path.join(modelsDir, 'symptom-differential', 'conditions.json'), 'utf8')) as {
      conditions: { cantMiss: boolean }[];
    };
    expect(() => validateConditionsFile(file, labels)).not.toThrow();
    expect(() => validateConditionsFile({ ...file, conditions: file.conditions.slice(1) }, labels)).toThrow(/labels/);
    const flipped = { ...file, conditions: file.conditions.map((c, i) => (i === 0 ? { ...c, cantMiss: !c.cantMiss } : c)) };
    expect(() => validateConditionsFile(flipped, labels)).toThrow(/cantMiss/);
  });
});
