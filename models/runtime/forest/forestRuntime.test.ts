import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadModelRegistry } from '../registry';
import { FOREST_FORMAT, validateForestArtefact, type ForestArtefact, type ForestTreeJson } from './forestFormat';
import { createForestModel, FeatureError } from './forestRuntime';
import { InputValueError, InsufficientInputsError, type InputSpec } from './inputSpec';

const modelsDir = path.resolve(__dirname, '..', '..', 'artefacts');

/** One split on `feature`: value 1 → leaf voting `yes`, value 0 → leaf voting `no`. */
function stump(feature: number, no: number, yes: number, rowsNo = 2, rowsYes = 2): ForestTreeJson {
  return {
    feature: [feature, -1, -1],
    threshold: [0.5, 0, 0],
    left: [1, -1, -1],
    right: [2, -1, -1],
    vote: [-1, no, yes],
    samples: [rowsNo + rowsYes, rowsNo, rowsYes],
    dist: [
      no === yes ? [no, rowsNo + rowsYes] : [Math.min(no, yes), no < yes ? rowsNo : rowsYes, Math.max(no, yes), no < yes ? rowsYes : rowsNo],
      [no, rowsNo],
      [yes, rowsYes],
    ],
  };
}

function leafOnly(vote: number): ForestTreeJson {
  return { feature: [-1], threshold: [0], left: [-1], right: [-1], vote: [vote], samples: [3], dist: [[vote, 3]] };
}

function fixture(trees: ForestTreeJson[]): ForestArtefact {
  return validateForestArtefact({
    format: FOREST_FORMAT,
    id: 'fixture',
    version: '0.0.1',
    kind: 'random-forest',
    features: ['a', 'b'],
    featureEncoding: 'binary',
    missingValue: 0,
    labels: ['A', 'B'],
    trees,
  });
}

describe('forest runtime: vote counting', () => {
  it('a one-tree forest gives its single vote probability 1', () => {
    const m = createForestModel(fixture([stump(0, 0, 1)]), 'x');
    expect(m.predict({ a: 1 }).probabilities).toEqual({ A: 0, B: 1 });
    expect(m.predict({ a: 0 }).probabilities).toEqual({ A: 1, B: 0 });
    expect(m.predict({}).probabilities).toEqual({ A: 1, B: 0 }); // missing = unknown = 0
  });

  it('counts the FIRST tree too (ml-random-forest predictProbability drops it)', () => {
    // tree 0 always votes A, trees 1 and 2 always vote B
    const m = createForestModel(fixture([leafOnly(0), leafOnly(1), leafOnly(1)]), 'x');
    const p = m.predict({}).probabilities;
    expect(p['A']).toBeCloseTo(1 / 3, 12);
    expect(p['B']).toBeCloseTo(2 / 3, 12);
  });

  it('each tree reads its own feature', () => {
    const m = createForestModel(fixture([stump(0, 0, 1), stump(1, 0, 1)]), 'x');
    expect(m.predict({ a: 1 }).probabilities).toEqual({ A: 0.5, B: 0.5 });
    expect(m.predict({ a: 1, b: 1 }).probabilities).toEqual({ A: 0, B: 1 });
  });

  it('Saabas contributions: baseline + contributions = probability, credited to the split feature', () => {
    const m = createForestModel(fixture([stump(0, 0, 1, 3, 1), stump(1, 0, 1, 1, 1)]), 'x');
    const [top] = m.explain({ a: 1, b: 1 }, 1);
    expect(top?.label).toBe('B');
    expect(top?.probability).toBe(1);
    // tree 0: root P(B) = 1/4 → 1 (+0.75 to a); tree 1: 1/2 → 1 (+0.5 to b); averaged over 2 trees
    expect(top?.baseline).toBeCloseTo((0.25 + 0.5) / 2, 12);
    expect(top?.contributions).toEqual([
      { feature: 'a', weight: 0.375 },
      { feature: 'b', weight: 0.25 },
    ]);
  });

  it('rejects unknown features and non-binary values with FeatureError', () => {
    const m = createForestModel(fixture([stump(0, 0, 1)]), 'x');
    expect(() => m.predict({ c: 1 })).toThrow(FeatureError);
    try {
      m.predict({ a: 2 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FeatureError);
      expect((e as FeatureError).feature).toBe('a');
    }
    expect(() => m.predict({ a: Number.NaN })).toThrow(FeatureError);
  });

  it('refuses malformed artefacts', () => {
    const bad = { ...fixture([stump(0, 0, 1)]) } as ForestArtefact;
    bad.trees = [{ ...stump(0, 0, 1), left: [2, -1, -1], right: [1, -1, -1], feature: [5, -1, -1] }];
    expect(() => validateForestArtefact(bad)).toThrow(/bad node arrays/);
    expect(() => validateForestArtefact({ ...bad, format: 'other' })).toThrow(/format/);
  });
});

/** Numeric forest: x (numeric, range 0–100, 0 = not recorded), k (nominal strings), c (nominal codes 1/2/3). */
function numericFixture(unknownValues: number[]): { artefact: ForestArtefact; inputs: InputSpec[] } {
  const tree = (feature: number, threshold: number): ForestTreeJson => ({
    feature: [feature, -1, -1],
    threshold: [threshold, 0, 0],
    left: [1, -1, -1],
    right: [2, -1, -1],
    vote: [-1, 0, 1],
    samples: [4, 2, 2],
    dist: [
      [0, 2, 1, 2],
      [0, 2],
      [1, 2],
    ],
  });
  const artefact = validateForestArtefact({
    format: FOREST_FORMAT,
    id: 'num',
    version: '0.0.1',
    kind: 'random-forest',
    features: ['x', 'k', 'c'],
    featureEncoding: 'numeric',
    missingValue: -1e6,
    unknownValues,
    unknownHandling: 'median',
    inputs: [
      { name: 'x', type: 'numeric' },
      { name: 'k', type: 'nominal', values: ['low', 'high'] },
      { name: 'c', type: 'nominal', values: [1, 2, 3] },
    ],
    labels: ['yes', 'no'],
    trees: [tree(0, 50), tree(1, 0.5), tree(2, 2.5)],
  });
  const inputs: InputSpec[] = [
    { name: 'x', label: 'X', unit: 'mg', type: 'numeric', range: { min: 0, max: 100 }, missingCodes: [0] },
    { name: 'k', label: 'K', unit: '', type: 'nominal', values: ['low', 'high'] },
    { name: 'c', label: 'C', unit: '', type: 'nominal', values: [1, 2, 3] },
  ];
  return { artefact, inputs };
}

describe('forest runtime: numeric inputs and predictValues', () => {
  const { artefact, inputs } = numericFixture([60, 0, 1]);
  const m = createForestModel(artefact, 'x', { inputs, minInputs: 0 });

  it('encodes numbers, nominal strings (as index) and nominal codes (as themselves)', () => {
    // x 70 ≥ 50 → no; k high (1) ≥ 0.5 → no; c 3 ≥ 2.5 → no
    expect(m.predictValues({ x: 70, k: 'high', c: 3 })).toEqual({ probabilities: { yes: 0, no: 1 }, imputed: [], missing: [], imputedShare: 0 });
    expect(m.predictValues({ x: 10, k: 'low', c: 1 }).probabilities).toEqual({ yes: 1, no: 0 });
    expect(m.predictValues({ x: 10, k: ' HIGH ', c: 1 }).probabilities['no']).toBeCloseTo(1 / 3, 12);
  });

  it('unknown inputs (absent, null, "", "?", a missing code) take the fill-in value and are reported', () => {
    // fill-ins: x 60 → no, k 0 (low) → yes, c 1 → yes
    for (const raw of [{}, { x: null, k: '', c: '?' }, { x: 0 }]) {
      const r = m.predictValues(raw as Record<string, unknown>);
      expect(r.probabilities['no']).toBeCloseTo(1 / 3, 12);
      expect(r.missing).toEqual(['x', 'k', 'c']);
      expect(r.imputed).toEqual(['x', 'k', 'c']);
      expect(r.imputedShare).toBe(1);
    }
    const partial = m.predictValues({ c: 3 });
    expect(partial.imputed).toEqual(['x', 'k']);
  });

  it('minInputs: a model needing one known input refuses an all-unknown case', () => {
    expect(() => createForestModel(artefact, 'x', { inputs, minInputs: 1 }).predictValues({ x: null })).toThrow(InsufficientInputsError);
  });

  it('impossible values raise InputValueError naming the field (and it is a FeatureError)', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ x: 101 }, 'x', 'out-of-range'],
      [{ x: -1 }, 'x', 'out-of-range'],
      [{ x: '50' }, 'x', 'wrong-type'],
      [{ x: Number.NaN }, 'x', 'wrong-type'],
      [{ k: 'medium' }, 'k', 'not-in-values'],
      [{ k: 1 }, 'k', 'not-in-values'],
      [{ c: 4 }, 'c', 'not-in-values'],
      [{ c: '3' }, 'c', 'not-in-values'],
      [{ zz: 1 }, 'zz', 'unknown-input'],
    ];
    for (const [raw, field, problem] of cases) {
      let err: unknown;
      try {
        m.predictValues(raw);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(raw)).toBeInstanceOf(InputValueError);
      expect(err).toBeInstanceOf(FeatureError);
      expect((err as InputValueError).feature).toBe(field);
      expect((err as InputValueError).problem).toBe(problem);
      expect((err as Error).message).toContain(field);
    }
  });

  it('predict() takes encoded values: indices for string nominals, and validates numeric ranges too', () => {
    expect(m.predict({ x: 70, k: 1, c: 3 }).probabilities).toEqual({ yes: 0, no: 1 });
    expect(() => m.predict({ k: 2 })).toThrow(InputValueError);
    expect(() => m.predict({ x: 250 })).toThrow(InputValueError);
    expect(m.predict({ x: 0 }).probabilities).toEqual(m.predictValues({}).probabilities); // 0 = not recorded
  });

  it('explainValues: contributions add up to the probability', () => {
    const r = m.explainValues({ x: 70, c: 1 }, 2);
    expect(r.imputed).toEqual(['k']);
    for (const e of r.explanations) {
      expect(e.probability).toBe(r.probabilities[e.label]);
      expect(e.contributions.reduce((a, c) => a + c.weight, e.baseline)).toBeCloseTo(e.probability, 12);
    }
  });

  it('refuses input declarations that disagree with the artefact encoding', () => {
    const swapped = inputs.map((s) => (s.name === 'k' ? { ...s, values: ['high', 'low'] } : s));
    expect(() => createForestModel(artefact, 'x', { inputs: swapped })).toThrow(/k/);
    expect(() => createForestModel(artefact, 'x', { inputs: inputs.slice(1) })).toThrow(TypeError);
  });
});

// Full symptom lists of a few diseases, as in the training data (the model's own input names).
const OBVIOUS: Record<string, string[]> = {
  'Fungal infection': ['itching', 'skin_rash', 'nodal_skin_eruptions', 'dischromic _patches'],
  Malaria: ['chills', 'vomiting', 'high_fever', 'sweating', 'headache', 'nausea', 'diarrhoea', 'muscle_pain'],
  Diabetes: [
    'weight_loss',
    'restlessness',
    'lethargy',
    'irregular_sugar_level',
    'blurred_and_distorted_vision',
    'obesity',
    'excessive_hunger',
    'increased_appetite',
    'polyuria',
  ],
  'Urinary tract infection': ['burning_micturition', 'bladder_discomfort', 'foul_smell_of urine', 'continuous_feel_of_urine'],
  'Heart attack': ['vomiting', 'breathlessness', 'sweating', 'chest_pain'],
};
const present = (names: string[]): Record<string, number> => Object.fromEntries(names.map((n) => [n, 1]));

describe('symptom-differential (committed model)', () => {
  const model = loadModelRegistry(modelsDir).get('symptom-differential');

  it('predictValues: binary findings (0/1/true/false); unknown = absent, listed as missing, not imputed', () => {
    const r = model.predictValues({ itching: 1, skin_rash: true, cough: 0, chills: null });
    expect(r.probabilities).toEqual(model.predict({ itching: 1, skin_rash: 1, cough: 0 }).probabilities);
    expect(r.imputed).toEqual([]);
    expect(r.imputedShare).toBe(0);
    expect(r.missing).toHaveLength(model.features.length - 3);
    expect(r.missing).toContain('chills');
    expect(() => model.predictValues({ itching: 2 })).toThrow(InputValueError);
    expect(() => model.predictValues({ itching: 'yes' })).toThrow(InputValueError);
  });

  it.each(Object.entries(OBVIOUS))('full pattern of %s ranks it first', (disease, symptoms) => {
    for (const s of symptoms) expect(model.features).toContain(s);
    const p = model.predict(present(symptoms)).probabilities;
    const top = Object.entries(p).sort((x, y) => y[1] - x[1])[0];
    expect(top?.[0]).toBe(disease);
    expect(model.explain(present(symptoms), 3)[0]?.label).toBe(disease);
  });

  it.each(Object.entries(OBVIOUS))('contributions for %s are mostly positive for its present symptoms', (_disease, symptoms) => {
    const [top] = model.explain(present(symptoms), 1);
    const weights = new Map(top?.contributions.map((c) => [c.feature, c.weight]));
    const presentWeights = symptoms.map((s) => weights.get(s) ?? 0).filter((w) => w !== 0);
    const positive = presentWeights.filter((w) => w > 0).length;
    expect(positive).toBeGreaterThan(presentWeights.length / 2);
    expect(presentWeights.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('explanations add up: baseline + sum(weights) = vote probability, sorted by |weight|', () => {
    const values = present(['vomiting', 'sweating', 'chest_pain']);
    const probs = model.predict(values).probabilities;
    const ex = model.explain(values, 10);
    expect(ex).toHaveLength(10);
    for (let i = 0; i < ex.length; i++) {
      const e = ex[i]!;
      expect(e.probability).toBe(probs[e.label]);
      if (i > 0) expect(e.probability).toBeLessThanOrEqual(ex[i - 1]!.probability);
      const sum = e.contributions.reduce((a, c) => a + c.weight, e.baseline);
      expect(sum).toBeCloseTo(e.probability, 9);
      for (let j = 1; j < e.contributions.length; j++) {
        expect(Math.abs(e.contributions[j]!.weight)).toBeLessThanOrEqual(Math.abs(e.contributions[j - 1]!.weight));
      }
      expect(e.contributions.every((c) => c.weight !== 0)).toBe(true);
    }
  });
});
