import { describe, expect, it } from 'vitest';

import { applyTemperature, DDXPLUS_CALIBRATION_FORMAT, validateDdxCalibration } from './ddxplusCalibration';

describe('DDXPlus temperature on vote fractions', () => {
  const v = [0.5, 0.3, 0.2, 0];

  it('keeps the order and the zeros, and sums to 1', () => {
    const p = applyTemperature(v, 0.5);
    expect(Array.from(p).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(p[0]).toBeGreaterThan(p[1] as number);
    expect(p[1]).toBeGreaterThan(p[2] as number);
    expect(p[3]).toBe(0);
  });

  it('sharpens below 1, flattens above 1, and is the identity at 1', () => {
    expect(applyTemperature(v, 0.5)[0]).toBeCloseTo(0.25 / (0.25 + 0.09 + 0.04), 12);
    expect(applyTemperature(v, 2)[0]).toBeLessThan(0.5);
    expect(Array.from(applyTemperature(v, 1))).toEqual(v);
  });

  it('accepts the committed format and refuses a bad temperature', () => {
    expect(validateDdxCalibration({ format: DDXPLUS_CALIBRATION_FORMAT, method: 'temperature-on-vote-fractions', temperature: 0.36 }).temperature).toBe(0.36);
    expect(() => validateDdxCalibration({ format: DDXPLUS_CALIBRATION_FORMAT, method: 'temperature-on-vote-fractions', temperature: 0 })).toThrow(
      'temperature',
    );
    expect(() => validateDdxCalibration({ format: 'other', method: 'temperature-on-vote-fractions', temperature: 1 })).toThrow('format');
  });
});
