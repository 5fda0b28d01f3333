import * as fs from 'node:fs';
import * as path from 'node:path';

import { describe, expect, it } from 'vitest';

import { decodedImageFromInts, ImageInputError, validateDecodedImage } from './decodedImage';
import { pneumoniaInput } from './imagingModels';
import { centreSquare, crop, greenChannel, padToMultiple, resizeBicubic, toGrey, upsampleInto, type GreyImage } from './preprocess';

function f32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float32Array(buf.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}
/** Same formula as pattern() in train_pneumonia.py: ((3x^2 + 7y + xy) mod 251) / 250, exact in float32. */
function pattern(w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = Math.fround(((3 * x * x + 7 * y + x * y) % 251) / 250);
  return out;
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'preprocess-fixture.json'), 'utf8')) as {
  cases: { width: number; height: number; expectedF32: string }[];
};

describe('pneumonia preprocessing matches Pillow (grey -> centre square -> BICUBIC 28x28)', () => {
  for (const c of fixture.cases) {
    it(`${c.width}x${c.height}`, () => {
      const { input } = pneumoniaInput({ width: c.width, height: c.height, channels: 1, data: pattern(c.width, c.height) });
      const expected = f32(c.expectedF32);
      expect(input.data).toHaveLength(784);
      let max = 0;
      for (let i = 0; i < 784; i++) max = Math.max(max, Math.abs((input.data[i] as number) - (expected[i] as number)));
      expect(max).toBeLessThan(1e-5);
    });
  }
});

describe('preprocessing helpers', () => {
  it('grey uses ITU-R 601-2 luma; green takes channel 1; grey images pass through', () => {
    const rgb = decodedImageFromInts(2, 1, 3, new Uint8Array([255, 0, 0, 0, 255, 0]));
    expect(toGrey(rgb).data[0]).toBeCloseTo(0.299, 6);
    expect(toGrey(rgb).data[1]).toBeCloseTo(0.587, 6);
    expect([...greenChannel(rgb).data]).toEqual([0, 1]);
    const grey = decodedImageFromInts(2, 1, 1, new Uint8Array([0, 255]));
    expect([...toGrey(grey).data]).toEqual([0, 1]);
    expect([...greenChannel(grey).data]).toEqual([0, 1]);
  });

  it('grey of a region equals the crop of the grey image', () => {
    const w = 7;
    const h = 5;
    const data = new Float32Array(w * h * 3).map((_, i) => (i % 11) / 10);
    const img = { width: w, height: h, channels: 3 as const, data };
    const rect = { x: 2, y: 1, width: 3, height: 3 };
    expect([...toGrey(img, rect).data]).toEqual([...crop(toGrey(img), rect).data]);
    const g = { width: w, height: h, channels: 1 as const, data: data.subarray(0, w * h) };
    expect([...toGrey(g, rect).data]).toEqual([...crop(toGrey(g), rect).data]);
  });

  it('centre square and crop', () => {
    expect(centreSquare(300, 200)).toEqual({ x: 50, y: 0, width: 200, height: 200 });
    expect(centreSquare(97, 640)).toEqual({ x: 0, y: 271, width: 97, height: 97 });
    const img: GreyImage = { width: 3, height: 2, data: Float32Array.from([0, 1, 2, 3, 4, 5]) };
    expect([...crop(img, { x: 1, y: 0, width: 2, height: 2 }).data]).toEqual([1, 2, 4, 5]);
  });

  it('bicubic resize keeps a constant image constant and same-size input unchanged', () => {
    const c: GreyImage = { width: 123, height: 77, data: new Float32Array(123 * 77).fill(0.25) };
    const r = resizeBicubic(c, 28, 28);
    for (const v of r.data) expect(v).toBeCloseTo(0.25, 6);
    const same = resizeBicubic(c, 123, 77);
    expect(same.data).not.toBe(c.data);
    expect([...same.data]).toEqual([...c.data]);
  });

  it('pads at the bottom/right with zeros to multiples', () => {
    const img: GreyImage = { width: 3, height: 2, data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    const p = padToMultiple(img, 4);
    expect(p.width).toBe(4);
    expect(p.height).toBe(4);
    expect([...p.data]).toEqual([1, 2, 3, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const q: GreyImage = { width: 8, height: 8, data: new Float32Array(64) };
    expect(padToMultiple(q, 8)).toBe(q);
  });

  it('upsamples a map into a rectangle, zero outside', () => {
    const map: GreyImage = { width: 2, height: 2, data: Float32Array.from([0, 1, 1, 1]) };
    const out = upsampleInto(map, 6, 4, { x: 2, y: 0, width: 4, height: 4 });
    expect(out).toHaveLength(24);
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(0);
    expect(out[2]).toBe(0); // top-left of the map
    expect(out[5]).toBe(1); // top-right
    expect(out[3 * 6 + 5]).toBe(1);
    for (const v of out) expect(v >= 0 && v <= 1).toBe(true);
  });
});

describe('DecodedImage validation', () => {
  it('accepts a well-formed image and rejects bad ones with ImageInputError', () => {
    expect(() => validateDecodedImage({ width: 2, height: 1, channels: 3, data: new Float32Array(6) })).not.toThrow();
    const bad = [
      { width: 0, height: 1, channels: 1 as const, data: new Float32Array(0) },
      { width: 2, height: 2, channels: 1 as const, data: new Float32Array(3) },
      { width: 1, height: 1, channels: 2 as unknown as 1, data: new Float32Array(2) },
      { width: 1, height: 1, channels: 1 as const, data: Float32Array.from([Number.NaN]) },
      { width: 1, height: 1, channels: 1 as const, data: Float32Array.from([1.5]) },
      { width: 1, height: 1, channels: 1 as const, data: [0.5] as unknown as Float32Array },
      { width: 5000, height: 5000, channels: 1 as const, data: new Float32Array(1) },
    ];
    for (const b of bad) expect(() => validateDecodedImage(b)).toThrow(ImageInputError);
  });

  it('builds from 8- and 16-bit samples', () => {
    expect([...decodedImageFromInts(2, 1, 1, new Uint8Array([0, 255])).data]).toEqual([0, 1]);
    expect([...decodedImageFromInts(2, 1, 1, new Uint16Array([0, 65535])).data]).toEqual([0, 1]);
  });
});
