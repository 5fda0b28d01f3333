import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { resolveDataDir } from '../runtime/common/paths';
import { mulberry32 } from '../runtime/common/rng';
import { loadModelRegistry } from '../runtime/registry';
import { augment, loadSymptomCsv, presentIndices, splitByPattern } from './symptomData';

const csvFile = path.join(resolveDataDir(__dirname), 'symptoms', 'training.csv');
const hasData = fs.existsSync(csvFile);

describe.skipIf(!hasData)('symptom training data (needs ../shared/data)', () => {
  const ds = hasData ? loadSymptomCsv(csvFile) : undefined;

  it('trims names, merges the duplicated column, de-duplicates rows', () => {
    expect(ds!.features).toContain('spotting_ urination');
    expect(ds!.features.every((f) => f === f.trim())).toBe(true);
    expect(ds!.labels).toContain('Diabetes');
    expect(ds!.labels.every((l) => l === l.trim())).toBe(true);
    expect(ds!.mergedColumns).toEqual(['fluid_overload']);
    expect(new Set(ds!.patterns.map((p) => `${p.x.join('')}|${p.label}`)).size).toBe(ds!.patterns.length);
    expect(ds!.patterns.length).toBeLessThan(ds!.rowCount);
  });

  it('splits by pattern: no pattern on both sides, every disease trained on', () => {
    const s = splitByPattern(ds!.patterns, ds!.labels.length, 0.2, mulberry32(1));
    const key = (x: Uint8Array) => x.join('');
    const train = new Set(s.train.map((p) => key(p.x)));
    expect(s.validation.some((p) => train.has(key(p.x)))).toBe(false);
    expect(new Set(s.train.map((p) => p.label)).size).toBe(ds!.labels.length);
    expect(s.train.length + s.validation.length).toBe(ds!.patterns.length);
  });

  it('augmentation only removes present symptoms and keeps at least one', () => {
    const s = splitByPattern(ds!.patterns, ds!.labels.length, 0.2, mulberry32(1));
    const aug = augment(s.train.slice(0, 20), { copies: 5, minDrop: 0.1, maxDrop: 0.9, keepAtLeast: 1 }, mulberry32(2));
    expect(aug).toHaveLength(20 * 6);
    aug.forEach((a, i) => {
      const src = s.train[Math.floor(i / 6)]!;
      expect(a.label).toBe(src.label);
      expect(presentIndices(a.x).length).toBeGreaterThanOrEqual(1);
      a.x.forEach((v, j) => expect(v).toBeLessThanOrEqual(src.x[j]!));
    });
  });

  it('the committed model uses exactly these inputs and labels, and ranks every full pattern first', () => {
    const model = loadModelRegistry(path.resolve(__dirname, '..', 'artefacts')).get('symptom-differential');
    expect(model.features).toEqual(ds!.features);
    expect(model.labels).toEqual(ds!.labels);
    let correct = 0;
    for (const p of ds!.patterns) {
      const values = Object.fromEntries(presentIndices(p.x).map((i) => [ds!.features[i]!, 1]));
      if (model.explain(values, 1)[0]?.label === ds!.labels[p.label]) correct++;
    }
    expect(correct / ds!.patterns.length).toBeGreaterThanOrEqual(0.99);
  });
});
