import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadModelRegistry } from '../registry';
import { askNext, LABEL_FEATURE_FREQUENCIES_FORMAT, type LabelFeatureFrequencies } from './askNext';
import { runDifferential } from './differential';
import { FOREST_FORMAT, validateForestArtefact } from './forestFormat';
import { createForestModel } from './forestRuntime';

const modelsDir = path.resolve(__dirname, '..', '..', 'artefacts');

describe('askNext on a hand-made forest', () => {
  // Labels A, B; features a, b, c. Tree 0 always votes A; tree 1 votes A if b = 1, else B.
  const artefact = validateForestArtefact({
    format: FOREST_FORMAT,
    id: 'tiny',
    version: '0',
    kind: 'random-forest',
    features: ['a', 'b', 'c'],
    featureEncoding: 'binary',
    missingValue: 0,
    labels: ['A', 'B'],
    trees: [
      { feature: [-1], threshold: [0], left: [-1], right: [-1], vote: [0], samples: [4], dist: [[0, 4]] },
      {
        feature: [1, -1, -1],
        threshold: [0.5, 0, 0],
        left: [1, -1, -1],
        right: [2, -1, -1],
        vote: [-1, 1, 0],
        samples: [4, 2, 2],
        dist: [
          [0, 2, 1, 2],
          [1, 2],
          [0, 2],
        ],
      },
    ],
  });
  const model = createForestModel(artefact, 'tiny');
  const frequencies: LabelFeatureFrequencies = {
    format: LABEL_FEATURE_FREQUENCIES_FORMAT,
    modelId: 'tiny',
    source: 'test',
    features: ['a', 'b', 'c'],
    labels: ['A', 'B'],
    patterns: [2, 2],
    counts: [
      [1, 2, 0],
      [1, 0, 0],
    ],
    alpha: 0.5,
  };

  it('picks the finding that separates the candidates, with the expected gain', () => {
    const r = askNext(model, {}, { frequencies, count: 3 });
    expect(r.map((s) => s.feature)).toEqual(['b', 'a', 'c']);
    // H = 1 bit; P(b) = ½·(2.5/3) + ½·(0.5/3) = ½; b = 1 leaves A only → gain ½ · (1 − 0)
    expect(r[0]!.probabilityPresent).toBeCloseTo(0.5, 12);
    expect(r[0]!.expectedInformationGain).toBeCloseTo(0.5, 12);
    expect(r[1]!.expectedInformationGain).toBe(0); // a is on no tree's path
  });

  it('never proposes a finding already given (present or absent)', () => {
    expect(askNext(model, { b: 0 }, { frequencies }).map((s) => s.feature)).not.toContain('b');
    expect(askNext(model, { b: 1, a: 0 }, { frequencies }).map((s) => s.feature)).toEqual(['c']);
  });

  it('refuses frequencies of another model', () => {
    expect(() => askNext(model, {}, { frequencies: { ...frequencies, labels: ['B', 'A'] } })).toThrow(TypeError);
  });
});

describe('askNext and the differential engine on the committed symptom model', () => {
  const reg = loadModelRegistry(modelsDir);
  const model = reg.get('symptom-differential');
  const frequencies = reg.labelFeatureFrequencies('symptom-differential')!;
  const conditions = reg.conditions('symptom-differential')!;
  const cases: Record<string, number>[] = [
    { cough: 1, high_fever: 1 },
    { itching: 1, skin_rash: 1, cough: 0 },
    { vomiting: 1, chest_pain: 1 },
    { headache: 1 },
    {},
  ];

  it('the side files are loaded and sha-checked through the manifest', () => {
    expect(frequencies.features).toEqual(model.features);
    expect(frequencies.labels).toEqual(model.labels);
    expect(conditions).toHaveLength(model.labels.length);
  });

  it.each(cases)('returns 3 distinct unasked findings, deterministically (%o)', (values) => {
    const a = askNext(model, values, { frequencies });
    expect(a).toHaveLength(3);
    expect(new Set(a.map((s) => s.feature)).size).toBe(3);
    for (const s of a) {
      expect(model.features).toContain(s.feature);
      expect(Object.keys(values)).not.toContain(s.feature);
      expect(Number.isFinite(s.expectedInformationGain)).toBe(true);
      expect(s.probabilityPresent).toBeGreaterThan(0);
      expect(s.probabilityPresent).toBeLessThan(1);
    }
    for (let i = 1; i < a.length; i++) expect(a[i]!.expectedInformationGain).toBeLessThanOrEqual(a[i - 1]!.expectedInformationGain);
    expect(askNext(model, values, { frequencies })).toEqual(a);
    expect(askNext(model, { ...values }, { frequencies, count: 5 }).slice(0, 3)).toEqual(a);
  });

  it('the whole engine: top 10 with conditions, can-miss flags, ask-next', () => {
    const r = runDifferential(model, { vomiting: 1, breathlessness: 1, sweating: 1, chest_pain: 1 }, { conditions, frequencies });
    expect(r.suggestions).toHaveLength(10);
    expect(r.suggestions[0]!.label).toBe('Heart attack');
    expect(r.suggestions[0]!.condition).toMatchObject({ displayName: 'Acute myocardial infarction', icd10: { code: 'I21' }, cantMiss: true });
    expect(r.cantMiss[0]!.label).toBe('Heart attack');
    expect(r.cantMiss.every((s) => s.condition?.cantMiss)).toBe(true);
    expect(r.askNext).toHaveLength(3);
    expect(runDifferential(model, {}, {}).askNext).toEqual([]);
  });
});
