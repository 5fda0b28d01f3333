import { describe, expect, it } from 'vitest';

import { brier, fitTemperature, halves } from './ddxplusCalibrationFit';
import type { DdxRecord } from './ddxplusData';

describe('DDXPlus temperature fit', () => {
  it('sharpens under-confident fractions (always right with 0.6 on the top label)', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ p: Float64Array.from([0.6, 0.3, 0.1]), label: 0 * i }));
    const t = fitTemperature(rows);
    expect(t).toBeLessThan(1);
    expect(brier(rows, t)).toBeLessThan(brier(rows, 1));
  });

  it('flattens over-confident fractions (right half the time with 0.9)', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ p: Float64Array.from([0.9, 0.1]), label: i % 2 }));
    expect(fitTemperature(rows)).toBeGreaterThan(1);
  });

  it('alternates the patients of each pathology between the halves, in order', () => {
    const rec = (pathology: string, row: number): DdxRecord => ({ pathology, row }) as DdxRecord;
    const { fit, evaluate } = halves([rec('A', 1), rec('A', 2), rec('B', 3), rec('A', 4), rec('B', 5)]);
    expect(evaluate.map((r) => r.row)).toEqual([1, 3, 4]);
    expect(fit.map((r) => r.row)).toEqual([2, 5]);
  });
});
