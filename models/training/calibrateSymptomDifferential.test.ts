import { describe, expect, it } from 'vitest';

import { chooseCarryRule } from './calibrateSymptomDifferential';
import type { Scored } from './metrics';

/** n cases with probabilities p whose true label is 0 for a share `right` of them, else 1. */
const cases = (n: number, p: number[], right: number): Scored[] =>
  Array.from({ length: n }, (_, i) => ({ p: Float64Array.from(p), label: i < Math.round(n * right) ? 0 : 1 }));

describe('one-finding carry rule', () => {
  it('answers the most cases whose answers stay calibrated: an over-confident band is left out by probability or lead', () => {
    const honest = cases(300, [0.95, 0.0125, 0.0125, 0.0125, 0.0125], 0.95);
    // Says 55 % and is right 20 % of the time, lead 0.25 over the runner-up.
    const overConfident = cases(300, [0.55, 0.3, 0.05, 0.05, 0.05], 0.2);
    const rule = chooseCarryRule([...honest, ...overConfident]);
    // The first grid pair that drops the over-confident band: any probability with a lead ≥ 0.3.
    expect(rule).toMatchObject({ carryProbability: 0.3, carryMargin: 0.3 });
    const chosen = rule.candidates.find((c) => c.carryProbability === 0.3 && c.carryMargin === 0.3);
    expect(chosen).toMatchObject({ answered: 300, qualifies: true });
    expect(rule.candidates.find((c) => c.carryProbability === 0.3 && c.carryMargin === 0)).toMatchObject({ answered: 600, qualifies: false });
  });

  it('never answers when no threshold keeps calibrated answers', () => {
    const rule = chooseCarryRule(cases(300, [0.95, 0.0125, 0.0125, 0.0125, 0.0125], 0.5));
    expect(rule).toMatchObject({ carryProbability: 1, carryMargin: 0 });
    expect(rule.candidates.every((c) => !c.qualifies)).toBe(true);
  });
});
