import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeJpegDct, jpegFrameInfo, JpegDecodeError } from './jpegExtended';
import { decodeJpeg8 } from './codecs';

const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(__dirname, 'fixtures', name)));

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('extended-precision JPEG decoder', () => {
  it('reads the frame header', () => {
    expect(jpegFrameInfo(fixture('grey-restart.jpg'))).toMatchObject({ sof: 0xc0, precision: 8, width: 40, height: 24, components: 1 });
    expect(jpegFrameInfo(Uint8Array.from([1, 2, 3]))).toBeNull();
  });

  it('agrees with libjpeg-turbo within one unit on an 8-bit image with restart markers', () => {
    const data = fixture('grey-restart.jpg');
    const ours = decodeJpegDct(data);
    const turbo = decodeJpeg8(data);
    expect(ours).toMatchObject({ width: turbo.width, height: turbo.height, components: 1 });
    expect(maxDiff(ours.samples, turbo.samples)).toBeLessThanOrEqual(1);
  });

  it('agrees with libjpeg-turbo on colour (YCbCr → RGB, no subsampling)', () => {
    const data = fixture('red-blue.jpg');
    const ours = decodeJpegDct(data);
    const turbo = decodeJpeg8(data);
    expect(ours.components).toBe(3);
    expect(maxDiff(ours.samples, turbo.samples)).toBeLessThanOrEqual(2);
  });

  it('refuses what it does not do, with a JpegDecodeError', () => {
    expect(() => decodeJpegDct(Uint8Array.from([0, 1, 2]))).toThrow(JpegDecodeError);
    // Make the SOF0 of a real file claim 16-bit precision.
    const data = fixture('grey-restart.jpg').slice();
    const sof = data.findIndex((b, i) => b === 0xff && data[i + 1] === 0xc0);
    data[sof + 4] = 16;
    expect(() => decodeJpegDct(data)).toThrow(/16-bit precision/);
  });
});
