import { describe, expect, it } from 'vitest';
import { headerSpacing } from '../../contract/pixelSpacing';
import { measuredLength, regionStats } from './measurementMath';

describe('measurements in physical units', () => {
  it('reads PixelSpacing as row\\column mm, falling back to ImagerPixelSpacing', () => {
    expect(headerSpacing({ PixelSpacing: '0.5\\0.25' })).toEqual({ row: 0.5, column: 0.25, source: 'PixelSpacing' });
    expect(headerSpacing({ ImagerPixelSpacing: '0.139\\0.139' })).toEqual({ row: 0.139, column: 0.139, source: 'ImagerPixelSpacing' });
    expect(headerSpacing({ PixelSpacing: 'junk' })).toBeNull();
    expect(headerSpacing({})).toBeNull();
  });

  it('measures lengths with anisotropic spacing (columns horizontal, rows vertical)', () => {
    const s = { row: 0.5, column: 0.25, source: 'PixelSpacing' as const };
    expect(measuredLength({ x: 0, y: 0 }, { x: 40, y: 0 }, s)).toEqual({ value: 10, unit: 'mm' });
    expect(measuredLength({ x: 0, y: 0 }, { x: 0, y: 40 }, s)).toEqual({ value: 20, unit: 'mm' });
    expect(measuredLength({ x: 0, y: 0 }, { x: 3, y: 4 }, null)).toEqual({ value: 5, unit: 'px' });
  });

  it('gives mean and sample SD of the pixels inside a rectangle, with its area', () => {
    // 4 × 2 image: row 0 = 0 1 2 3, row 1 = 10 11 12 13.
    const px = new Float32Array([0, 1, 2, 3, 10, 11, 12, 13]);
    const stats = regionStats(px, 4, 2, 1, { x: 1, y: 0 }, { x: 3, y: 2 }, { row: 2, column: 1, source: 'PixelSpacing' })!;
    expect(stats.count).toBe(4); // pixels 1, 2, 11, 12
    expect(stats.mean).toBeCloseTo(6.5);
    const values = [1, 2, 11, 12];
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - 6.5) ** 2, 0) / 3);
    expect(stats.sd).toBeCloseTo(sd);
    expect(stats.area).toEqual({ value: 8, unit: 'mm²' });
    expect(regionStats(px, 4, 2, 1, { x: 1.1, y: 0.1 }, { x: 1.2, y: 0.2 }, null)).toBeNull();
  });
});
