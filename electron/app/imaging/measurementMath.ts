/**
 * Measurements in physical units, computed by the app from the stored pixels (the number it keeps
 * and prints), with the spacing the header gives (../../contract/pixelSpacing.ts). Without one,
 * lengths are in pixels and say so. The viewer shows these figures as stored.
 */
import type { Point, Spacing } from '../../contract/pixelSpacing';

export function measuredLength(a: Point, b: Point, spacing: Spacing | null): { value: number; unit: 'mm' | 'px' } {
  const dx = (b.x - a.x) * (spacing?.column ?? 1);
  const dy = (b.y - a.y) * (spacing?.row ?? 1);
  return { value: Math.hypot(dx, dy), unit: spacing ? 'mm' : 'px' };
}

export interface RegionStats {
  count: number;
  mean: number;
  /** Sample standard deviation (n − 1), as workstations report it. */
  sd: number;
  area: { value: number; unit: 'mm²' | 'px²' };
}

/** Mean and SD of the values (first channel) of whole pixels whose centre lies in the rectangle. */
export function regionStats(
  pixels: Float32Array,
  width: number,
  height: number,
  channels: 1 | 3,
  a: Point,
  b: Point,
  spacing: Spacing | null,
): RegionStats | null {
  const x0 = Math.max(0, Math.ceil(Math.min(a.x, b.x) - 0.5));
  const x1 = Math.min(width - 1, Math.floor(Math.max(a.x, b.x) - 0.5));
  const y0 = Math.max(0, Math.ceil(Math.min(a.y, b.y) - 0.5));
  const y1 = Math.min(height - 1, Math.floor(Math.max(a.y, b.y) - 0.5));
  if (x1 < x0 || y1 < y0) return null;
  let n = 0;
  let mean = 0;
  let m2 = 0;
  // Welford: stable for 16-bit values over large regions.
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const v = pixels[(y * width + x) * channels]!;
      n += 1;
      const d = v - mean;
      mean += d / n;
      m2 += d * (v - mean);
    }
  }
  const areaPx = Math.abs(b.x - a.x) * Math.abs(b.y - a.y);
  return {
    count: n,
    mean,
    sd: n > 1 ? Math.sqrt(m2 / (n - 1)) : 0,
    area: spacing ? { value: areaPx * spacing.row * spacing.column, unit: 'mm²' } : { value: areaPx, unit: 'px²' },
  };
}
