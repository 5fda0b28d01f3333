import { describe, expect, it } from 'vitest';
import { applyRescale, applyWindow, invertInPlace, minMaxWindow, normaliseByBits, parseVoiLutFunction, windowValue } from './display';

describe('modality and VOI transforms', () => {
  it('rescale is stored × slope + intercept', () => {
    expect(Array.from(applyRescale([0, 1024, 2048], 1, -1024))).toEqual([-1024, 0, 1024]);
    expect(Array.from(applyRescale([10, 20], 0.5, 3))).toEqual([8, 13]);
  });

  it('LINEAR follows PS3.3 C.11.2.1.2.1 (the -0.5 / -1 terms)', () => {
    const w = { center: 40, width: 400, fn: 'LINEAR' as const };
    // Bounds: c - 0.5 - (w-1)/2 = -160, c - 0.5 + (w-1)/2 = 239
    expect(windowValue(-160, w)).toBe(0);
    expect(windowValue(-1024, w)).toBe(0);
    expect(windowValue(239.5, w)).toBe(1);
    expect(windowValue(0, w)).toBeCloseTo((0 - 39.5) / 399 + 0.5, 12);
    expect(windowValue(39.5, w)).toBeCloseTo(0.5, 12);
    // Width 1 is a threshold at c - 0.5.
    expect(windowValue(9, { center: 10, width: 1, fn: 'LINEAR' })).toBe(0);
    expect(windowValue(10, { center: 10, width: 1, fn: 'LINEAR' })).toBe(1);
  });

  it('LINEAR_EXACT and SIGMOID', () => {
    const exact = { center: 100, width: 50, fn: 'LINEAR_EXACT' as const };
    expect(windowValue(75, exact)).toBe(0);
    expect(windowValue(100, exact)).toBe(0.5);
    expect(windowValue(112.5, exact)).toBe(0.75);
    expect(windowValue(126, exact)).toBe(1);
    const sig = { center: 0, width: 10, fn: 'SIGMOID' as const };
    expect(windowValue(0, sig)).toBe(0.5);
    expect(windowValue(10, sig)).toBeCloseTo(1 / (1 + Math.exp(-4)), 12);
    expect(parseVoiLutFunction('SIGMOID ')).toBe('SIGMOID');
    expect(parseVoiLutFunction(undefined)).toBe('LINEAR');
  });

  it('min/max window maps the range onto [0, 1]; a constant image maps to 0', () => {
    const v = [-5, 0, 5, 15];
    const out = applyWindow(v, minMaxWindow(v));
    expect(Array.from(out)).toEqual([0, 0.25, 0.5, 1]);
    expect(Array.from(applyWindow([3, 3], minMaxWindow([3, 3])))).toEqual([0, 0]);
  });

  it('MONOCHROME1 inversion and bit-depth scaling', () => {
    expect(Array.from(invertInPlace(Float32Array.from([0, 0.25, 1])))).toEqual([1, 0.75, 0]);
    expect(Array.from(normaliseByBits([0, 4095, 5000], 12))).toEqual([0, 1, 1]);
  });
});
