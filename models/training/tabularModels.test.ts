/**
 * The three committed risk models, through the registry as the app and `lantern predict` use them.
 * No data needed: everything here reads the committed artefacts, manifest and metrics.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { mulberry32 } from '../runtime/common/rng';
import { FeatureError, InputValueError, loadModelRegistry } from '../runtime/registry';
import { TABULAR_MODELS } from './tabularModels';

const modelsDir = path.resolve(__dirname, '..', 'artefacts');
const reg = loadModelRegistry(modelsDir);

/** A plausible patient per model (raw JSON as a clinician enters it). */
const PLAUSIBLE: Record<string, Record<string, unknown>> = {
  'heart-disease': { age: 63, sex: 1, cp: 4, trestbps: 145, chol: 233, fbs: 1, restecg: 2, thalach: 150, exang: 1, oldpeak: 2.3, slope: 2, ca: 2, thal: 7 },
  'chronic-kidney-disease': {
    age: 48,
    bp: 80,
    sg: 1.02,
    al: 1,
    su: 0,
    rbc: 'normal',
    pc: 'normal',
    pcc: 'notpresent',
    ba: 'notpresent',
    bgr: 121,
    bu: 36,
    sc: 1.2,
    sod: 137,
    pot: 4.4,
    hemo: 15.4,
    pcv: 44,
    wbcc: 7800,
    rbcc: 5.2,
    htn: 'yes',
    dm: 'yes',
    cad: 'no',
    appet: 'good',
    pe: 'no',
    ane: 'no',
  },
  'diabetes-onset': {
    pregnancies: 6,
    plasma_glucose: 148,
    diastolic_bp: 72,
    triceps_skinfold: 35,
    serum_insulin: 120,
    bmi: 33.6,
    diabetes_pedigree: 0.627,
    age: 50,
  },
};

/** Impossible values (outside physiological limits, or not among the nominal values). */
const IMPOSSIBLE: Record<string, [Record<string, unknown>, string][]> = {
  'heart-disease': [
    [{ age: 250 }, 'age'],
    [{ trestbps: 0 }, 'trestbps'],
    [{ oldpeak: -12 }, 'oldpeak'],
    [{ thalach: 400 }, 'thalach'],
    [{ chol: 20 }, 'chol'],
  ],
  'chronic-kidney-disease': [
    [{ sg: 3.0 }, 'sg'],
    [{ sod: 4.5 }, 'sod'],
    [{ pot: 47 }, 'pot'],
    [{ hemo: 0 }, 'hemo'],
    [{ wbcc: 7.8 }, 'wbcc'],
  ],
  'diabetes-onset': [
    [{ age: 250 }, 'age'],
    [{ bmi: 400 }, 'bmi'],
    [{ plasma_glucose: 5000 }, 'plasma_glucose'],
    [{ pregnancies: -1 }, 'pregnancies'],
  ],
};
const NOT_IN_LIST: Record<string, [Record<string, unknown>, string][]> = {
  'heart-disease': [
    [{ cp: 5 }, 'cp'],
    [{ thal: 4 }, 'thal'],
    [{ sex: 2 }, 'sex'],
    [{ ca: 'two' }, 'ca'],
  ],
  'chronic-kidney-disease': [
    [{ rbc: 'purple' }, 'rbc'],
    [{ htn: 'maybe' }, 'htn'],
    [{ al: 6 }, 'al'],
    [{ appet: 1 }, 'appet'],
  ],
  'diabetes-onset': [[{ bmi: 'thirty' }, 'bmi']],
};

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe.each(TABULAR_MODELS.map((d) => [d.id, d] as const))('%s (committed model)', (id, def) => {
  const model = reg.get(id);
  const entry = reg.describe(id);
  const pos = def.labels[def.positive]!;

  it('loads, sha-verified against the manifest, inputs and labels as declared', () => {
    const bytes = fs.readFileSync(path.join(modelsDir, id, 'model.json'));
    expect(model.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(reg.list().find((m) => m.id === id)!.sha256).toBe(model.sha256);
    expect(model.features).toEqual(def.inputs.map((s) => s.name));
    expect(entry.inputs).toEqual(def.inputs);
    expect(entry.labels).toEqual(def.labels);
    expect(entry.positiveLabel).toBe(pos);
    expect(entry.minInputs).toBe(def.minInputs);
    for (const s of entry.inputs) {
      expect(s.label.length).toBeGreaterThan(1);
      if (s.type === 'numeric') expect(s.range!.min).toBeLessThan(s.range!.max);
      if (s.type === 'nominal') expect(s.values!.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('predictValues on a plausible case: probabilities sum to 1, nothing imputed', () => {
    const r = model.predictValues(PLAUSIBLE[id]!);
    expect(Object.keys(r.probabilities).sort()).toEqual([...def.labels].sort());
    expect(Object.values(r.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(r.imputed).toEqual([]);
    expect(r.missing).toEqual([]);
    expect(r.imputedShare).toBe(0);
  });

  it('any subset of inputs works and reports what was imputed', () => {
    const full = PLAUSIBLE[id]!;
    const names = Object.keys(full);
    const rng = mulberry32(5);
    const subsets: string[][] = names.map((n) => [n]); // every single input alone
    for (let i = 0; i < 40; i++) subsets.push(names.filter(() => rng() < 0.5));
    subsets.push(names);
    for (const keep of subsets) {
      if (keep.length < def.minInputs) continue;
      const raw = Object.fromEntries(keep.map((k) => [k, full[k]]));
      const r = model.predictValues(raw);
      const expected = names.filter((n) => !keep.includes(n));
      expect(r.missing).toEqual(expected);
      expect(r.imputed).toEqual(expected);
      expect(r.imputedShare).toBeCloseTo(expected.length / names.length, 12);
      const p = r.probabilities[pos]!;
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      // null / "?" / "" say the same as leaving the key out
      const withNulls = { ...raw, ...Object.fromEntries(expected.map((k, i) => [k, [null, '?', ''][i % 3]])) };
      expect(model.predictValues(withNulls).probabilities).toEqual(r.probabilities);
    }
  });

  it('an impossible value raises InputValueError naming the field', () => {
    for (const [raw, field] of IMPOSSIBLE[id]!) {
      const e = errorOf(() => model.predictValues({ ...PLAUSIBLE[id]!, ...raw }));
      expect(e, JSON.stringify(raw)).toBeInstanceOf(InputValueError);
      expect(e).toBeInstanceOf(FeatureError);
      expect((e as InputValueError).feature).toBe(field);
      expect((e as InputValueError).problem).toBe('out-of-range');
      expect((e as Error).message).toContain(field);
    }
  });

  it('a nominal value not in the list (or a value of the wrong type) raises InputValueError naming the field', () => {
    for (const [raw, field] of NOT_IN_LIST[id]!) {
      const e = errorOf(() => model.predictValues({ ...PLAUSIBLE[id]!, ...raw }));
      expect(e, JSON.stringify(raw)).toBeInstanceOf(InputValueError);
      expect((e as InputValueError).feature).toBe(field);
    }
    expect((errorOf(() => model.predictValues({ no_such_input: 1 })) as InputValueError).problem).toBe('unknown-input');
  });

  it('explainValues: Saabas contributions add up to the vote probability', () => {
    const r = model.explainValues(PLAUSIBLE[id]!, 2);
    for (const e of r.explanations) {
      expect(e.probability).toBe(r.probabilities[e.label]);
      expect(e.contributions.reduce((a, c) => a + c.weight, e.baseline)).toBeCloseTo(e.probability, 9);
    }
  });

  it('metrics.json has the documented keys, validation with inputs removed, calibration, AUC, accuracy, per-class recall', () => {
    const m = JSON.parse(fs.readFileSync(path.join(modelsDir, id, 'metrics.json'), 'utf8')) as {
      artefactSha256: string;
      validation: {
        conditions: {
          name: string;
          cases: number;
          auc: number;
          accuracy: number;
          brier: number;
          ece: number;
          recall: Record<string, number>;
          reliability: unknown[];
        }[];
      };
      selection: { chosen: unknown };
      finalModel: { featureUsage: unknown[] };
    };
    expect(m.artefactSha256).toBe(model.sha256);
    const names = m.validation.conditions.map((c) => c.name);
    expect(names[0]).toBe('all inputs');
    expect(names.some((n) => /removed/.test(n))).toBe(true);
    if (id === 'heart-disease') expect(names).toContain('without ca, thal, slope');
    for (const c of m.validation.conditions) {
      expect(c.cases).toBeGreaterThan(0);
      for (const k of ['auc', 'accuracy', 'brier', 'ece'] as const) expect(c[k]).toBeGreaterThanOrEqual(0);
      expect(Object.keys(c.recall).sort()).toEqual([...def.labels].sort());
      expect(c.reliability).toHaveLength(10);
    }
    expect(m.validation.conditions[0]!.auc).toBeGreaterThan(0.75);
    expect(m.selection.chosen).toBeDefined();
    expect(m.finalModel.featureUsage).toHaveLength(def.inputs.length);
    const card = fs.readFileSync(path.join(modelsDir, id, 'model-card.md'), 'utf8');
    for (const s of ['Licence', 'Validation metrics', 'Calibration', 'Known limits', 'ml-cart patch', 'Vote counting', model.sha256]) expect(card).toContain(s);
  });
});

describe('heart-disease: inputs other hospitals record differently', () => {
  const heart = reg.get('heart-disease');
  it('chol 0 = not measured (unknown), negative ST depression is accepted, trestbps 0 is an error', () => {
    const base = { age: 54, sex: 1, cp: 4, trestbps: 130, thalach: 120, exang: 1, oldpeak: 1 };
    const r = heart.predictValues({ ...base, chol: 0 });
    expect(r.imputed).toContain('chol');
    expect(r.probabilities).toEqual(heart.predictValues(base).probabilities);
    expect(() => heart.predictValues({ ...base, oldpeak: -2.6 })).not.toThrow();
    expect(() => heart.predictValues({ ...base, trestbps: 0 })).toThrow(InputValueError);
  });
});

describe('diabetes-onset: Pima zeros', () => {
  const d = reg.get('diabetes-onset');
  it('zeros in glucose, BP, skinfold, insulin, BMI are unknown; zero pregnancies is a value', () => {
    const r = d.predictValues({
      pregnancies: 0,
      plasma_glucose: 0,
      diastolic_bp: 0,
      triceps_skinfold: 0,
      serum_insulin: 0,
      bmi: 0,
      diabetes_pedigree: 0.3,
      age: 30,
    });
    expect(r.missing).toEqual(['plasma_glucose', 'diastolic_bp', 'triceps_skinfold', 'serum_insulin', 'bmi']);
  });
});
