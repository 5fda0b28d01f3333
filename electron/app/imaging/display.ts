/**
 * From stored values to display values, in the order of the DICOM grayscale pipeline
 * (PS3.4 N.2): stored → modality transform (rescale slope/intercept) → VOI transform (window
 * centre/width, PS3.3 C.11.2.1.2) → presentation (MONOCHROME1 inverted). Each step is its own
 * function so callers and tests can take them one at a time.
 */

export type VoiLutFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

export interface VoiWindow {
  center: number;
  width: number;
  fn: VoiLutFunction;
}

/** Modality transform: output = stored * slope + intercept. */
export function applyRescale(stored: ArrayLike<number>, slope: number, intercept: number): Float32Array {
  const out = new Float32Array(stored.length);
  for (let i = 0; i < stored.length; i++) out[i] = stored[i]! * slope + intercept;
  return out;
}

/** One value through the VOI function, to [0, 1]. */
export function windowValue(x: number, w: VoiWindow): number {
  const { center: c, width } = w;
  switch (w.fn) {
    case 'SIGMOID':
      return 1 / (1 + Math.exp((-4 * (x - c)) / width));
    case 'LINEAR_EXACT': {
      if (width <= 0) return x <= c ? 0 : 1;
      if (x <= c - width / 2) return 0;
      if (x > c + width / 2) return 1;
      return (x - c) / width + 0.5;
    }
    case 'LINEAR':
    default: {
      // PS3.3 C.11.2.1.2.1: width >= 1; the -0.5 and -1 make integer windows exact.
      const wd = Math.max(width, 1);
      if (wd <= 1) return x <= c - 0.5 ? 0 : 1;
      if (x <= c - 0.5 - (wd - 1) / 2) return 0;
      if (x > c - 0.5 + (wd - 1) / 2) return 1;
      return (x - (c - 0.5)) / (wd - 1) + 0.5;
    }
  }
}

/** VOI transform of a whole array into [0, 1]. */
export function applyWindow(values: ArrayLike<number>, w: VoiWindow, out: Float32Array = new Float32Array(values.length)): Float32Array {
  for (let i = 0; i < values.length; i++) out[i] = windowValue(values[i]!, w);
  return out;
}

export function minMax(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return values.length ? { min, max } : { min: 0, max: 0 };
}

/** The window that maps [min, max] linearly onto [0, 1] (used when the file names no window). */
export function minMaxWindow(values: ArrayLike<number>): VoiWindow {
  const { min, max } = minMax(values);
  return { center: (min + max) / 2, width: max - min, fn: 'LINEAR_EXACT' };
}

/** Presentation for MONOCHROME1: 0 means white. In place. */
export function invertInPlace(unit: Float32Array): Float32Array {
  for (let i = 0; i < unit.length; i++) unit[i] = 1 - unit[i]!;
  return unit;
}

/** Scales raw samples (e.g. RGB) to [0, 1] by their full range, 0 .. 2^bits - 1. */
export function normaliseByBits(values: ArrayLike<number>, bits: number): Float32Array {
  const max = 2 ** bits - 1;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]! / max;
    out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return out;
}

export function parseVoiLutFunction(text: string | null | undefined): VoiLutFunction {
  const t = (text ?? '').trim().toUpperCase();
  return t === 'SIGMOID' || t === 'LINEAR_EXACT' ? t : 'LINEAR';
}
