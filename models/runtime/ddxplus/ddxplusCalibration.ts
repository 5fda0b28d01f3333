/**
 * Calibration of the `ddxplus-differential` forest: a temperature on its vote fractions,
 * p_i ∝ v_i^(1/T). The forest's fractions are under-confident (bagged trees trained on masked rows
 * split their votes); a power transform keeps the ranking, so every top-k figure is unchanged, and a
 * condition with no votes stays at 0. Fitted by models/training/calibrateDdxplus.ts. Node built-ins only.
 */
export const DDXPLUS_CALIBRATION_FORMAT = 'lantern-ddxplus-calibration/1';

export interface DdxCalibrationFile {
  format: typeof DDXPLUS_CALIBRATION_FORMAT;
  method: 'temperature-on-vote-fractions';
  temperature: number;
}

export function validateDdxCalibration(value: unknown): DdxCalibrationFile {
  const v = value as Partial<DdxCalibrationFile> | null;
  if (v === null || typeof v !== 'object' || v.format !== DDXPLUS_CALIBRATION_FORMAT)
    throw new TypeError(`DDXPlus calibration: format must be ${DDXPLUS_CALIBRATION_FORMAT}`);
  if (v.method !== 'temperature-on-vote-fractions') throw new TypeError('DDXPlus calibration: unknown method');
  if (typeof v.temperature !== 'number' || !Number.isFinite(v.temperature) || v.temperature <= 0)
    throw new TypeError('DDXPlus calibration: temperature must be a positive number');
  return { format: DDXPLUS_CALIBRATION_FORMAT, method: v.method, temperature: v.temperature };
}

/** Vote fractions (summing to 1) → calibrated probabilities (summing to 1), same order. */
export function applyTemperature(fractions: ArrayLike<number>, temperature: number): Float64Array {
  const out = Float64Array.from(fractions, (v) => (v > 0 ? v ** (1 / temperature) : 0));
  let total = 0;
  for (const v of out) total += v;
  if (total > 0) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / total;
  return out;
}
