import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { resolveDataDir } from '../runtime/common/paths';
import { mulberry32 } from '../runtime/common/rng';
import { frequencyTheta, LABEL_FEATURE_FREQUENCIES_FORMAT, type LabelFeatureFrequencies } from '../runtime/forest/askNext';
import { FREQUENCY_ALPHA, FREQUENCY_LIST_POOLING } from './buildSymptomExtras';
import { chooseFrequencySmoothing } from './frequencySmoothing';
import { loadSymptomCsv, splitByPattern, type Pattern } from './symptomData';

const pattern = (label: number, bits: string): Pattern => ({ label, x: Uint8Array.from(bits, (b) => Number(b)) });

const freq = (counts: number[][], patterns: number[], alpha: number, listPooling?: number): LabelFeatureFrequencies => ({
  format: LABEL_FEATURE_FREQUENCIES_FORMAT,
  modelId: 'm',
  source: 'test',
  features: counts[0]!.map((_, f) => `f${f}`),
  labels: counts.map((_, c) => `l${c}`),
  patterns,
  counts,
  alpha,
  ...(listPooling === undefined ? {} : { listPooling }),
});

describe('frequencyTheta', () => {
  it('is Laplace without pooling', () => {
    const t = frequencyTheta(freq([[4, 1, 0]], [4], 0.5));
    expect(Array.from(t)).toEqual([4.5 / 5, 1.5 / 5, 0.5 / 5]);
  });

  it('pools listed findings towards the label’s share of its list and leaves unlisted ones to Laplace', () => {
    // Two listed findings shown 4 and 2 times in 4 patterns: share = 6 / (4 · 2) = 0.75.
    const t = frequencyTheta(freq([[4, 2, 0]], [4], 0.01, 4));
    expect(t[0]).toBeCloseTo((4 + 4 * 0.75) / 8, 12);
    expect(t[1]).toBeCloseTo((2 + 4 * 0.75) / 8, 12);
    expect(t[2]).toBeCloseTo(0.01 / 4.02, 12);
    // Large β: every listed finding at the share, whatever its count.
    const flat = frequencyTheta(freq([[4, 2, 0]], [4], 0.01, 1e9));
    expect(flat[0]).toBeCloseTo(0.75, 6);
    expect(flat[1]).toBeCloseTo(0.75, 6);
  });

  it('keeps a pooled θ below 1: a label with one pattern, or β = 0, stays at the Laplace bound', () => {
    for (const t of [frequencyTheta(freq([[1, 1, 0]], [1], 0.01, 1000)), frequencyTheta(freq([[3, 1, 0]], [3], 0.01, 0))]) {
      expect(Math.max(...t)).toBeLessThan(1);
      expect(Math.log(1 - (t[0] as number))).toBeGreaterThan(-Infinity);
    }
    expect(frequencyTheta(freq([[3, 1, 0]], [3], 0.01, 0))[0]).toBeCloseTo(3.01 / 3.02, 12);
  });
});

describe('chooseFrequencySmoothing (leave one pattern out)', () => {
  it('pools when patterns are one list with random findings left out, and pools less when one finding is always there and another half the time', () => {
    const rng = mulberry32(5);
    // Label 0: a list of 6 findings, each pattern drops one at random; label 1 likewise on other findings.
    const listed: Pattern[] = [];
    for (let label = 0; label < 2; label++) {
      for (let i = 0; i < 6; i++) {
        const x = new Uint8Array(12);
        for (let f = 0; f < 6; f++) x[label * 6 + f] = 1;
        x[label * 6 + Math.floor(rng() * 6)] = 0;
        listed.push({ label, x });
      }
    }
    const pooled = chooseFrequencySmoothing(listed, 2);
    expect(pooled.listPooling).not.toBeNull();
    expect(pooled.scores).toHaveLength(6 * 7);
    // One finding always present, one present in half the patterns and sharing nothing else: pooling them
    // to one share misstates both, so no pooling (or the weakest) wins.
    const mixed = [pattern(0, '11'), pattern(0, '10'), pattern(0, '11'), pattern(0, '10'), pattern(0, '11'), pattern(0, '10')];
    const laplace = chooseFrequencySmoothing(mixed, 1);
    const best = laplace.scores.find((s) => s.alpha === laplace.alpha && s.listPooling === laplace.listPooling)!;
    const strongest = laplace.scores.find((s) => s.alpha === laplace.alpha && s.listPooling === 1000)!;
    expect(best.meanLogLikelihood).toBeGreaterThan(strongest.meanLogLikelihood);
  });

  const csv = path.join(resolveDataDir(__dirname), 'symptoms', 'training.csv');
  const metricsFile = path.resolve(__dirname, '..', 'artefacts', 'symptom-differential', 'metrics.json');
  it.skipIf(!fs.existsSync(csv))('the shipped α and β are what the training patterns choose (needs ../shared/data)', () => {
    const ds = loadSymptomCsv(csv);
    const { split } = JSON.parse(fs.readFileSync(metricsFile, 'utf8')) as { split: { seed: number; validationFraction: number } };
    const s = splitByPattern(ds.patterns, ds.labels.length, split.validationFraction, mulberry32(split.seed));
    const chosen = chooseFrequencySmoothing(s.train, ds.labels.length);
    expect({ alpha: chosen.alpha, listPooling: chosen.listPooling }).toEqual({ alpha: FREQUENCY_ALPHA, listPooling: FREQUENCY_LIST_POOLING });
  });
});
