import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveModelsDir } from '../common/paths';
import { loadClinicalCatalogue } from './clinicalCatalogue';
import { clinicalNamer, displayUnit, loadChineseClinicalNames } from './clinicalNames';
import { vitalCodes } from './clinicalTypes';

const han = /[\u4e00-\u9fff]/;

describe('clinical names in Chinese (models/artefacts/vocab/clinicalNames.zh-CN.json)', () => {
  const table = loadChineseClinicalNames();
  const catalogue = loadClinicalCatalogue();

  it('names every catalogue lab and vital sign in Chinese characters', () => {
    expect(catalogue.labs.filter((l) => !han.test(table.labs[l.loinc] ?? '')).map((l) => l.loinc)).toEqual([]);
    expect(vitalCodes.filter((code) => !han.test(table.vitals[code] ?? ''))).toEqual([]);
    expect(Object.keys(table.labs).filter((loinc) => !catalogue.labs.some((l) => l.loinc === loinc))).toEqual([]);
  });

  it('names every risk model and every input its manifest declares', () => {
    const manifest = JSON.parse(readFileSync(join(resolveModelsDir(__dirname), 'manifest.json'), 'utf8')) as {
      models: { id: string; inputs?: { name: string }[] }[];
    };
    const risk = manifest.models.filter((m) => ['heart-disease', 'chronic-kidney-disease', 'diabetes-onset'].includes(m.id));
    expect(risk).toHaveLength(3);
    expect(risk.filter((m) => !han.test(table.riskModels[m.id] ?? '')).map((m) => m.id)).toEqual([]);
    const unnamed = risk.flatMap((m) => (m.inputs ?? []).map((i) => i.name)).filter((name) => !han.test(clinicalNamer('zh-CN').riskInput(name)));
    expect(unnamed).toEqual([]);
  });

  it('looks names up by their stable codes and falls back to the English name, never to nothing', () => {
    const zh = clinicalNamer('zh-CN');
    expect(zh.symptom('spotting_ urination')).toBe('尿中带血点');
    expect(zh.condition('Heart attack', 'Acute myocardial infarction')).toBe('急性心肌梗死');
    // The free-text classifier's lower-case spelling of a label.
    expect(zh.condition('drug reaction')).toBe(table.conditions['Drug Reaction']);
    expect(zh.condition('Not a label', 'Shown as given')).toBe('Shown as given');
    expect(zh.lab('26464-8', 'White cell count')).toBe('白细胞计数');
    expect(zh.vital('temperature', 'Body temperature')).toBe('体温');
    const en = clinicalNamer('en');
    expect(en.symptom('spotting_ urination')).toBe('Spotting urination');
    expect(en.condition('Heart attack', 'Acute myocardial infarction')).toBe('Acute myocardial infarction');
    expect(en.lab('26464-8', 'White cell count')).toBe('White cell count');
  });

  it('prints UCUM units as people write them', () => {
    expect(displayUnit('10*3/uL')).toBe('×10³/µL');
    expect(displayUnit('mmol/L')).toBe('mmol/L');
  });
});
