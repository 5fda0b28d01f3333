import { describe, expect, it } from 'vitest';

import { loadModelRegistry } from '../registry';
import { CalibratedDifferential, explainCalibrated, flattenTo, validateDifferentialCalibration, type DifferentialCalibration } from './calibratedDifferential';

const registry = loadModelRegistry();
const diff = registry.calibratedDifferential('symptom-differential') as CalibratedDifferential;
const labels = diff.model.labels;
const features = diff.model.features;
const maxOf = (p: Record<string, number>): number => Math.max(...Object.values(p));
const ranked = (p: Record<string, number>): string[] =>
  Object.entries(p)
    .sort((a, b) => b[1] - a[1] || labels.indexOf(a[0]) - labels.indexOf(b[0]))
    .map(([l]) => l);

describe('calibrated symptom differential (shipped artefacts)', () => {
  it('is loaded from the manifest with its calibration and frequencies', () => {
    expect(diff).toBeInstanceOf(CalibratedDifferential);
    expect(diff.calibration.minimumEvidence.minFindings).toBeGreaterThanOrEqual(2);
  });

  it('abstains INSUFFICIENT_INPUTS on one unspecific finding, naming findings to add', () => {
    for (const f of ['chest_pain', 'headache', 'high_fever']) {
      const a = diff.assess({ [f]: 1 });
      expect(a.kind, f).toBe('abstained');
      if (a.kind !== 'abstained') continue;
      expect(a.abstained.code).toBe('INSUFFICIENT_INPUTS');
      expect(a.abstained.missing).toHaveLength(diff.calibration.askCount);
      for (const m of a.abstained.missing ?? []) {
        expect(features).toContain(m);
        expect(m).not.toBe(f);
      }
      expect(a.abstained.message).toMatch(/Add findings/);
    }
  });

  it('answers a single finding only where validation showed it carries (calibrated top ≥ the carry probability)', () => {
    let answered = 0;
    for (const f of features) {
      const a = diff.assess({ [f]: 1 });
      if (a.kind === 'answered') {
        answered++;
        expect(maxOf(a.probabilities)).toBeGreaterThanOrEqual(diff.calibration.minimumEvidence.carryProbability);
      }
    }
    expect(answered).toBeLessThan(features.length);
  });

  it('gives probabilities that sum to 1 for every label', () => {
    const a = diff.assess({ continuous_sneezing: 1, chills: 1, watering_from_eyes: 1 });
    expect(a.kind).toBe('answered');
    if (a.kind !== 'answered') return;
    expect(Object.keys(a.probabilities)).toEqual([...labels]);
    expect(Object.values(a.probabilities).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 9);
    expect(ranked(a.probabilities)[0]).toBe('Allergy');
    expect(a.warning).toBeUndefined();
  });

  it('says "presentation not covered" with no probability above 0.5 for combinations no known disease shows', () => {
    const notCovered: Record<string, Record<string, 1>> = {
      meningitisTriad: { headache: 1, stiff_neck: 1, high_fever: 1 },
      sepsis: { high_fever: 1, fast_heart_rate: 1, altered_sensorium: 1, breathlessness: 1 },
      heartFailure: { breathlessness: 1, swollen_legs: 1, fluid_overload: 1, fatigue: 1 },
      dka: { polyuria: 1, vomiting: 1, abdominal_pain: 1, altered_sensorium: 1, dehydration: 1 },
      ectopicPregnancy: { abnormal_menstruation: 1, belly_pain: 1, dizziness: 1, fast_heart_rate: 1 },
      everything: Object.fromEntries(features.map((f) => [f, 1 as const])),
    };
    for (const [name, findings] of Object.entries(notCovered)) {
      const a = diff.assess(findings);
      expect(a.kind, name).toBe('answered');
      if (a.kind !== 'answered') continue;
      expect(a.warning?.code, name).toBe('OUT_OF_DISTRIBUTION');
      expect(a.warning?.message).toMatch(/not covered/);
      expect(maxOf(a.probabilities), name).toBeLessThanOrEqual(0.5 + 1e-9);
    }
  });

  it('abstains OUT_OF_DISTRIBUTION on only absent findings, INSUFFICIENT_INPUTS on none', () => {
    const a = diff.assess({ headache: 0, cough: 0, high_fever: 0 });
    expect(a.kind === 'abstained' && a.abstained.code).toBe('OUT_OF_DISTRIBUTION');
    const b = diff.assess({});
    expect(b.kind === 'abstained' && b.abstained.code).toBe('INSUFFICIENT_INPUTS');
  });

  it('counts an absent finding as evidence and an unknown one not at all', () => {
    const base = { cough: 1, high_fever: 1, breathlessness: 1 } as const;
    const a = diff.assess(base);
    const unknown = diff.assess({ ...base, chest_pain: null });
    const absent = diff.assess({ ...base, chest_pain: 0 });
    if (a.kind !== 'answered' || unknown.kind !== 'answered' || absent.kind !== 'answered') throw new Error('expected answers');
    expect(unknown.probabilities).toEqual(a.probabilities);
    expect(absent.probabilities).not.toEqual(a.probabilities);
  });

  it('marking absent two hallmark findings of the runner-up lowers it by at least a fifth', () => {
    // Every disease's two most frequent findings as the presentation; the runner-up's two most
    // frequent findings not yet given are its hallmarks.
    const t = diff.tables;
    const top2 = (d: number, skip: ReadonlySet<number>): number[] =>
      Array.from({ length: t.nFeatures }, (_, f) => f)
        .filter((f) => !skip.has(f))
        .sort((x, y) => (t.theta[d * t.nFeatures + y] as number) - (t.theta[d * t.nFeatures + x] as number) || x - y)
        .slice(0, 2);
    let checked = 0;
    for (let d = 0; d < labels.length; d++) {
      const shown = top2(d, new Set());
      const values: Record<string, number> = Object.fromEntries(shown.map((f) => [features[f] as string, 1]));
      const before = diff.assess(values);
      if (before.kind !== 'answered' || before.warning) continue;
      const runnerUp = ranked(before.probabilities)[1] as string;
      const hallmarks = top2(labels.indexOf(runnerUp), new Set(shown));
      const after = diff.assess({ ...values, ...Object.fromEntries(hallmarks.map((f) => [features[f] as string, 0])) });
      if (after.kind !== 'answered') throw new Error('marking findings absent must not stop the answer');
      expect(after.probabilities[runnerUp], `${labels[d]}: runner-up ${runnerUp}`).toBeLessThanOrEqual(0.8 * (before.probabilities[runnerUp] as number));
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('explains each suggestion by the given findings only and asks about unanswered ones', () => {
    const values = { cough: 1, high_fever: 1, breathlessness: 1, chest_pain: 0 };
    const r = explainCalibrated(diff, values, 10);
    expect(r.explanations).toHaveLength(10);
    for (const e of r.explanations) {
      for (const c of e.contributions) expect(Object.keys(values)).toContain(c.feature);
      // Shapley shares from "nothing known" (1/41 each) add up to the probability shown.
      expect(1 / labels.length + e.contributions.reduce((a, c) => a + c.weight, 0)).toBeCloseTo(e.probability, 9);
    }
    // A saturated answer still names what supports it (leaving one finding out alone would not move it).
    const sure = explainCalibrated(diff, { continuous_sneezing: 1, shivering: 1, chills: 1, watering_from_eyes: 1, high_fever: 0 }, 1).explanations[0]!;
    expect(sure.label).toBe('Allergy');
    expect(sure.contributions.filter((c) => c.weight > 0.01).length).toBeGreaterThanOrEqual(3);
    // More findings than the exact limit: sampled orders, still adding up.
    const many = explainCalibrated(
      diff,
      { itching: 1, skin_rash: 1, nodal_skin_eruptions: 1, 'dischromic _patches': 0, cough: 0, high_fever: 0, headache: 0, vomiting: 0, fatigue: 0, chills: 0 },
      3,
    );
    for (const e of many.explanations) expect(1 / labels.length + e.contributions.reduce((a, c) => a + c.weight, 0)).toBeCloseTo(e.probability, 9);
    expect(r.askNext).toHaveLength(3);
    for (const q of r.askNext) expect(Object.keys(values)).not.toContain(q.feature);
    const abstained = explainCalibrated(diff, { headache: 1 }, 10);
    expect(abstained.explanations).toEqual([]);
    expect(abstained.askNext.length).toBeGreaterThan(0);
  });

  it('refuses a non-binary value or an unknown finding, naming it', () => {
    expect(() => diff.assess({ cough: 0.5 })).toThrow(/cough/);
    expect(() => diff.assess({ not_a_finding: 1 })).toThrow(/not_a_finding/);
  });
});

describe('calibration helpers', () => {
  it('flattenTo caps the top probability and keeps the ranking', () => {
    const z = Float64Array.from([5, 1, 0.5, -2]);
    const p = flattenTo(z, 0.5);
    expect(Math.max(...p)).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(Math.max(...p)).toBeGreaterThan(0.49);
    expect(
      [...p]
        .map((v, i) => [v, i])
        .sort((a, b) => (b[0] as number) - (a[0] as number))
        .map((x) => x[1]),
    ).toEqual([0, 1, 2, 3]);
  });

  it('validation rejects a calibration file with gaps in its buckets or for another model', () => {
    const ok = diff.calibration;
    expect(() => validateDifferentialCalibration(ok, 'symptom-differential')).not.toThrow();
    expect(() => validateDifferentialCalibration(ok, 'heart-disease')).toThrow(/model/);
    const gap: DifferentialCalibration = { ...ok, buckets: ok.buckets.filter((b) => b.minFindings !== 2) };
    expect(() => validateDifferentialCalibration(gap, 'symptom-differential')).toThrow(/bucket/);
  });
});
