/**
 * The committed risk forests follow the known directions of effect (issue 12) and declare their scope.
 * No data needed: everything here reads the committed artefacts and manifest.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadModelRegistry } from '../runtime/registry';
import type { InputSpec } from '../runtime/forest/inputSpec';
import { mulberry32 } from '../runtime/common/rng';
import { CHRONIC_KIDNEY_DISEASE, DIABETES_ONSET, HEART_DISEASE, TABULAR_MODELS, type TabularModelDef } from './tabularModels';
import { definitionCopies, monotoneOf, UNCONSTRAINED_BELOW, UNKNOWN_CODE } from './trainTabular';
import { normalCkdProfileWithoutCreatinine } from './fixtures/ckdProfiles';

const modelsDir = path.resolve(__dirname, '..', 'artefacts');
const reg = loadModelRegistry(modelsDir);

/** A healthy adult per model, as a clinician enters it. */
const NORMAL: Record<string, Record<string, number | string>> = {
  'heart-disease': { age: 50, sex: 1, cp: 3, trestbps: 120, chol: 190, fbs: 0, restecg: 0, thalach: 165, exang: 0, oldpeak: 0, slope: 1, ca: 0, thal: 3 },
  'chronic-kidney-disease': {
    age: 48,
    ...normalCkdProfileWithoutCreatinine,
    sc: 0.9,
  },
  'diabetes-onset': {
    pregnancies: 2,
    plasma_glucose: 110,
    diastolic_bp: 70,
    triceps_skinfold: 25,
    serum_insulin: 80,
    bmi: 25,
    diabetes_pedigree: 0.4,
    age: 35,
  },
};

/** A patient with the condition's usual findings, so that sweeps also run where the risk is high. */
const ILL: Record<string, Record<string, number | string>> = {
  'heart-disease': { age: 63, sex: 1, cp: 4, trestbps: 145, chol: 233, fbs: 1, restecg: 2, thalach: 130, exang: 1, oldpeak: 2.3, slope: 2, ca: 2, thal: 7 },
  'chronic-kidney-disease': {
    age: 60,
    bp: 90,
    sg: 1.01,
    al: 3,
    su: 0,
    rbc: 'abnormal',
    pc: 'abnormal',
    pcc: 'notpresent',
    ba: 'notpresent',
    bgr: 150,
    bu: 90,
    sc: 4,
    sod: 133,
    pot: 5.0,
    hemo: 9.5,
    pcv: 29,
    wbcc: 9000,
    rbcc: 3.5,
    htn: 'yes',
    dm: 'yes',
    cad: 'no',
    appet: 'poor',
    pe: 'yes',
    ane: 'yes',
  },
  'diabetes-onset': {
    pregnancies: 6,
    plasma_glucose: 170,
    diastolic_bp: 80,
    triceps_skinfold: 35,
    serum_insulin: 200,
    bmi: 36,
    diabetes_pedigree: 0.8,
    age: 50,
  },
};

/** The input's physiological range in 400 steps (every code for a nominal input). */
function sweep(s: InputSpec): (number | string)[] {
  if (s.type === 'nominal') return (s.values ?? []).slice();
  const { min, max } = s.range!;
  return Array.from({ length: 401 }, (_, i) => min + ((max - min) * i) / 400);
}

function stepsAgainst(def: TabularModelDef, base: Record<string, number | string>, input: string, direction: 1 | -1): string[] {
  const model = reg.get(def.id);
  const pos = def.labels[def.positive]!;
  const spec = def.inputs.find((s) => s.name === input)!;
  const bad: string[] = [];
  let prev: { v: number | string; p: number } | null = null;
  for (const v of sweep(spec)) {
    const p = model.predictValues({ ...base, [input]: v }).probabilities[pos]!;
    if (prev !== null && (p - prev.p) * direction < 0) bad.push(`${input} ${String(prev.v)} → ${String(v)}: P ${prev.p} → ${p}`);
    prev = { v, p };
  }
  return bad;
}

describe.each(TABULAR_MODELS.map((d) => [d.id, d] as const))('%s follows the known directions', (id, def) => {
  it('declares at least one direction, each on an input of the model', () => {
    expect(def.monotone.length).toBeGreaterThan(0);
    for (const m of def.monotone) expect(def.inputs.map((s) => s.name)).toContain(m.input);
  });

  it.each(def.monotone.map((m) => [m.input, m] as const))(
    '%s swept over its physiological range, rest of a normal profile: no step against the direction',
    (_input, m) => {
      expect(stepsAgainst(def, NORMAL[id]!, m.input, m.direction)).toEqual([]);
    },
  );

  it.each(def.monotone.map((m) => [m.input, m] as const))(
    '%s swept with the rest of an ill profile, and with other inputs unknown: no step against the direction',
    (_input, m) => {
      expect(stepsAgainst(def, ILL[id]!, m.input, m.direction)).toEqual([]);
      const sparse = Object.fromEntries(Object.entries(NORMAL[id]!).filter((_, i) => i % 2 === 0));
      expect(stepsAgainst(def, sparse, m.input, m.direction)).toEqual([]);
    },
  );

  it('the sweep moves the risk somewhere (the constraints did not flatten the model)', () => {
    const model = reg.get(id);
    const pos = def.labels[def.positive]!;
    const moved = def.monotone.filter((m) => {
      const ps = sweep(def.inputs.find((s) => s.name === m.input)!).map((v) => model.predictValues({ ...NORMAL[id]!, [m.input]: v }).probabilities[pos]!);
      return Math.max(...ps) - Math.min(...ps) >= 0.1;
    });
    expect(moved.length).toBeGreaterThan(0);
  });
});

describe('chronic-kidney-disease: creatinine', () => {
  const model = reg.get('chronic-kidney-disease');
  const normal = NORMAL['chronic-kidney-disease']!;
  it('with the rest of a normal profile, creatinine >= 3 mg/dL reads as kidney disease (P >= 0.5), normal creatinine does not', () => {
    for (let sc = 3; sc <= 40; sc += 0.1) expect(model.predictValues({ ...normal, sc }).probabilities['ckd'], `sc ${sc}`).toBeGreaterThanOrEqual(0.5);
    for (const sc of [0.6, 0.8, 0.9, 1.0, 1.1]) expect(model.predictValues({ ...normal, sc }).probabilities['ckd'], `sc ${sc}`).toBeLessThan(0.5);
  });
});

describe('scope declared in the manifest entry, as in tabularModels.ts', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, 'manifest.json'), 'utf8')) as { models: { id: string; scope?: unknown }[] };
  it.each(TABULAR_MODELS.map((d) => [d.id, d] as const))('%s', (id, def) => {
    const entry = manifest.models.find((m) => m.id === id)!;
    expect(entry.scope).toEqual(def.scope);
    const names = def.inputs.map((s) => s.name);
    for (const g of def.scope.requiredInputs ?? []) for (const n of g) expect(names).toContain(n);
    for (const c of def.scope.diagnosticCriteria ?? []) {
      expect(c.input !== undefined || c.loinc !== undefined).toBe(true);
      if (c.input !== undefined) expect(names).toContain(c.input);
    }
    expect(def.scope.maxImputedShare).toBeGreaterThan(0);
    expect(def.scope.maxImputedShare).toBeLessThan(1);
    const card = fs.readFileSync(path.join(modelsDir, id, 'model-card.md'), 'utf8');
    expect(card).toContain('## Scope');
    expect(card).toContain(def.scope.population);
    expect(card).toContain('## Known directions');
  });

  it('diabetes-onset: women 21+, glucose and BMI required, diagnostic criteria on the 2-hour OGTT, fasting glucose (1558-6) and HbA1c (4548-4)', () => {
    const s = TABULAR_MODELS.find((d) => d.id === 'diabetes-onset')!.scope;
    expect(s.sex).toEqual(['female']);
    expect(s.ageYears?.min).toBe(21);
    expect(s.requiredInputs).toEqual([['plasma_glucose', 'bmi']]);
    expect(s.diagnosticCriteria?.map((c) => [c.input ?? c.loinc, c.atLeast, c.unit])).toEqual([
      ['plasma_glucose', 200, 'mg/dL'],
      ['1558-6', 126, 'mg/dL'],
      ['4548-4', 6.5, '%'],
    ]);
    expect(CHRONIC_KIDNEY_DISEASE.scope.requiredInputs).toEqual([['sc'], ['hemo', 'sg'], ['hemo', 'al']]);
  });
});

describe('training inputs of the constraints', () => {
  it('monotoneOf: one constraint per input, on the positive label, unknown code free', () => {
    const m = monotoneOf(HEART_DISEASE);
    expect(m.constraints).toHaveLength(HEART_DISEASE.inputs.length);
    expect(m.classIndex).toBe(HEART_DISEASE.positive);
    const dir = (n: string): number => m.constraints[HEART_DISEASE.inputs.findIndex((s) => s.name === n)]!;
    expect([dir('age'), dir('trestbps'), dir('chol'), dir('oldpeak'), dir('thalach'), dir('sex'), dir('cp')]).toEqual([1, 1, 1, 1, -1, 0, 0]);
    expect(UNKNOWN_CODE).toBeLessThan(UNCONSTRAINED_BELOW);
    // every physiological range lies above the free zone
    for (const d of TABULAR_MODELS) for (const s of d.inputs) if (s.range) expect(s.range.min).toBeGreaterThan(UNCONSTRAINED_BELOW);
    expect(monotoneOf(DIABETES_ONSET).constraints.filter((c) => c !== 0)).toHaveLength(2);
  });

  it('definitionCopies: one copy per row without the positive label, creatinine 3–15, labelled positive; none for other models', () => {
    const def = CHRONIC_KIDNEY_DISEASE;
    const sc = def.inputs.findIndex((s) => s.name === 'sc');
    const X = [0, 1, 2, 3].map((i) => def.inputs.map((_, f) => (f === sc ? 0.8 + i / 10 : null)));
    const y = [def.positive, 1 - def.positive, 1 - def.positive, def.positive];
    const c = definitionCopies(def, X, y, mulberry32(1));
    expect(c.y).toEqual([def.positive, def.positive]);
    for (const r of c.X) {
      expect(r[sc]).toBeGreaterThanOrEqual(3);
      expect(r[sc]).toBeLessThanOrEqual(15);
      expect(r.filter((v, f) => f !== sc && v !== null)).toEqual([]);
    }
    expect(definitionCopies(HEART_DISEASE, X, y, mulberry32(1))).toEqual({ X: [], y: [] });
  });
});
