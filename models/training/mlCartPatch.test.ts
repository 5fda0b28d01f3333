/**
 * The patched ml-cart (patches/ml-cart+2.1.1.patch) must keep ml-random-forest working and fast.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';

import { createForestModel } from '../runtime/forest/forestRuntime';
import { validateForestArtefact } from '../runtime/forest/forestFormat';
import { exportForest, libraryVotes, trainForest, type RfClassifier } from './exportForest';
import { mulberry32 } from '../runtime/common/rng';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RandomForestClassifier } = require('ml-random-forest') as {
  RandomForestClassifier: new (o: object) => RfClassifier;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DecisionTreeClassifier } = require('ml-cart') as {
  DecisionTreeClassifier: new (o?: object) => { train(X: number[][], y: number[]): void; predict(X: number[][]): number[] };
};

/** Class c has feature c set (and some noise features); 3 classes, 6 features. */
function tiny(): { X: number[][]; y: number[] } {
  const rng = mulberry32(3);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 60; i++) {
    const c = i % 3;
    const row = [0, 0, 0, rng() < 0.5 ? 1 : 0, rng() < 0.5 ? 1 : 0, rng() < 0.5 ? 1 : 0];
    row[c] = 1;
    X.push(row);
    y.push(c);
  }
  return { X, y };
}

describe('patched ml-cart', () => {
  it('is the patched build that Node loads', () => {
    const file = require.resolve('ml-cart');
    expect(fs.readFileSync(file, 'utf8')).toContain('patched (lantern)');
  });

  it('a decision tree learns the obvious rule', () => {
    const { X, y } = tiny();
    const t = new DecisionTreeClassifier();
    t.train(X, y);
    expect(t.predict(X)).toEqual(y);
    expect(
      t.predict([
        [1, 0, 0, 1, 1, 1],
        [0, 1, 0, 0, 0, 0],
        [0, 0, 1, 1, 0, 1],
      ]),
    ).toEqual([0, 1, 2]);
  });

  it('ml-random-forest trains on it and predicts the expected classes', () => {
    const { X, y } = tiny();
    const rf = new RandomForestClassifier({ nEstimators: 15, maxFeatures: 1.0, seed: 5, noOOB: true, replacement: false });
    rf.train(X, y);
    expect(rf.predict(X)).toEqual(y);
    expect(
      rf.predict([
        [0, 0, 1, 0, 1, 0],
        [1, 0, 0, 0, 0, 1],
      ]),
    ).toEqual([2, 0]);
  });

  it('our export reproduces ml-random-forest per-tree votes exactly', () => {
    const { X, y } = tiny();
    const trained = trainForest(X, y, 3, { nEstimators: 12, maxFeatures: 0.5, replacement: false, seed: 11, useSampleBagging: true, noOOB: true });
    const model = createForestModel(
      validateForestArtefact(
        exportForest(trained, { id: 't', version: '0', features: ['a', 'b', 'c', 'd', 'e', 'f'], labels: ['A', 'B', 'C'], missingValue: 0 }),
      ),
      'x',
    );
    const votes = libraryVotes(trained.rf, X);
    X.forEach((row, r) => {
      const p = model.predict(Object.fromEntries(row.map((v, j) => [model.features[j]!, v])));
      const counts = [0, 0, 0];
      for (const v of votes[r]!) counts[v]! += 1;
      expect(model.labels.map((l) => p.probabilities[l])).toEqual(counts.map((c) => c / 12));
    });
  });

  it('trains 690 × 132 binary rows × 10 trees (the size that took minutes unpatched) into a working forest', () => {
    const rng = mulberry32(9);
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 690; i++) {
      const c = i % 41;
      X.push(Array.from({ length: 132 }, (_, j) => (j % 41 === c ? (rng() < 0.8 ? 1 : 0) : rng() < 0.05 ? 1 : 0)));
      y.push(c);
    }
    // Speed is measured by `npm run bench`, not asserted here; this checks the patched trainer still learns.
    const rf = new RandomForestClassifier({ nEstimators: 10, seed: 1, noOOB: true });
    rf.train(X, y);
    const predicted = rf.predict(X) as number[];
    const correct = predicted.filter((p, i) => p === y[i]).length;
    expect(correct / X.length).toBeGreaterThan(0.9);
  });

  describe('monotone constraints', () => {
    /** Two classes; class 0 is likelier with a high x0 and a low x1, but the labels are noisy and x2 is free. */
    function noisy(n: number, seed: number): { X: number[][]; y: number[] } {
      const rng = mulberry32(seed);
      const X: number[][] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        const row = [rng() * 10, rng() * 10, rng() * 10];
        // a bump against the direction (x0 in 6..7 lowers the chance) that an unconstrained tree learns
        const z = 0.6 * row[0]! - 0.4 * row[1]! + (row[0]! > 6 && row[0]! < 7 ? -4 : 0) + (rng() - 0.5) * 4;
        X.push(row);
        y.push(z > 1 ? 0 : 1);
      }
      return { X, y };
    }
    const NUMERIC_META = {
      id: 't',
      version: '0',
      features: ['a', 'b', 'c'],
      labels: ['A', 'B'],
      missingValue: 0,
      featureEncoding: 'numeric' as const,
      inputs: ['a', 'b', 'c'].map((name) => ({ name, type: 'numeric' as const })),
    };
    const NUMERIC_SPECS = {
      inputs: ['a', 'b', 'c'].map((name) => ({ name, label: name, unit: '', type: 'numeric' as const, range: { min: 0, max: 10 } })),
      minInputs: 1,
    };
    const sweep = Array.from({ length: 101 }, (_, i) => i / 10);

    function steps(p: (row: number[]) => number, base: number[], col: number): number[] {
      const out: number[] = [];
      let prev: number | null = null;
      for (const v of sweep) {
        const row = base.slice();
        row[col] = v;
        const q = p(row);
        if (prev !== null) out.push(q - prev);
        prev = q;
      }
      return out;
    }

    /** A forest on the noisy data (with or without monotone constraints) and its P(A) for a row, through our runtime. */
    function noisyForest(monotone?: Parameters<typeof trainForest>[3]['monotone']) {
      const { X, y } = noisy(400, 21);
      const trained = trainForest(X, y, 2, {
        nEstimators: 25,
        maxFeatures: 0.67,
        replacement: false,
        seed: 4,
        useSampleBagging: true,
        noOOB: true,
        treeOptions: { maxDepth: 8, minNumSamples: 3, gainThreshold: 0 },
        ...(monotone ? { monotone } : {}),
      });
      const model = createForestModel(validateForestArtefact(exportForest(trained, NUMERIC_META)), 'x', NUMERIC_SPECS);
      const p = (row: number[]): number => model.predict({ a: row[0]!, b: row[1]!, c: row[2]! }).probabilities['A']!;
      return { X, trained, p };
    }

    it('a forest of constrained trees is monotone in every constrained column (fraction of class 0 votes)', () => {
      const { X, trained, p } = noisyForest({ constraints: [1, -1, 0], classIndex: 0 });
      const rng = mulberry32(8);
      let moved = 0;
      for (let k = 0; k < 30; k++) {
        const base = [rng() * 10, rng() * 10, rng() * 10];
        const up = steps(p, base, 0);
        const down = steps(p, base, 1);
        expect(Math.min(...up)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...down)).toBeLessThanOrEqual(0);
        moved += up.filter((d) => d > 0).length;
      }
      expect(moved).toBeGreaterThan(0);
      // our runtime still gives ml-random-forest's own votes (clipped leaves vote by their clipped value)
      const votes = libraryVotes(trained.rf, X);
      X.slice(0, 50).forEach((row, r) => {
        const share = votes[r]!.filter((v) => v === 0).length / votes[r]!.length;
        expect(p(row)).toBeCloseTo(share, 12);
      });
    });

    it('the same data without constraints breaks monotonicity (the test above is not vacuous)', () => {
      const { p } = noisyForest();
      const rng = mulberry32(8);
      let against = 0;
      for (let k = 0; k < 30; k++) against += steps(p, [rng() * 10, rng() * 10, rng() * 10], 0).filter((d) => d < 0).length;
      expect(against).toBeGreaterThan(0);
    });

    it('a threshold below unconstrainedBelow (an "unknown" code) is free; measured values stay monotone', () => {
      const { X, y } = noisy(400, 22);
      // x0 unknown (-1e6) in a fifth of the rows, mostly class 0 there: an unconstrained "unknown" branch
      const Xu = X.map((r, i) => (i % 5 === 0 ? [-1e6, r[1]!, r[2]!] : r));
      const yu = y.map((v, i) => (i % 5 === 0 ? (i % 10 === 0 ? 0 : v) : v));
      const trained = trainForest(Xu, yu, 2, {
        nEstimators: 25,
        maxFeatures: 1.0,
        replacement: false,
        seed: 4,
        useSampleBagging: true,
        noOOB: true,
        treeOptions: { maxDepth: 8, minNumSamples: 3, gainThreshold: 0 },
        monotone: { constraints: [1, 0, 0], classIndex: 0, unconstrainedBelow: -1e5 },
      });
      const model = createForestModel(validateForestArtefact(exportForest(trained, NUMERIC_META)), 'x', NUMERIC_SPECS);
      const p = (row: number[]): number => model.predict({ a: row[0]!, b: row[1]!, c: row[2]! }).probabilities['A']!;
      const rng = mulberry32(9);
      for (let k = 0; k < 20; k++) expect(Math.min(...steps(p, [rng() * 10, rng() * 10, rng() * 10], 0))).toBeGreaterThanOrEqual(0);
    });

    it('refuses more than two classes', () => {
      const { X, y } = tiny();
      expect(() =>
        trainForest(X, y, 3, {
          nEstimators: 2,
          maxFeatures: 1.0,
          replacement: false,
          seed: 1,
          useSampleBagging: true,
          noOOB: true,
          monotone: { constraints: [1, 0, 0, 0, 0, 0], classIndex: 0 },
        }),
      ).toThrow(/monotone/);
    });
  });
});
