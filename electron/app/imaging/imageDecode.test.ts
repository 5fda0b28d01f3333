/**
 * PNG / JPEG / TIFF / DICOM through one entry point. The small fixtures were written with Pillow
 * (an independent encoder) from known pixel values.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyExifOrientation, decodeImageFile, exifOrientation, sniffImageKind, type DecodedImage } from './imageDecode';
import { imageElements, le16, writeDicom } from './dicomWriter';
import { UnsupportedImageFormatError } from './imagingErrors';
import type { DecodedImage as ModelDecodedImage } from '../../../models/runtime/imaging/decodedImage';

const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(__dirname, 'fixtures', name)));

/** Pixel (x, y) of a decoded image. */
const px = (img: DecodedImage, x: number, y: number) =>
  Array.from(img.data.subarray((y * img.width + x) * img.channels, (y * img.width + x + 1) * img.channels));

describe('decodeImageFile', () => {
  it('16-bit grey PNG keeps its full depth', async () => {
    const img = await decodeImageFile(fixture('grey16.png'), 'grey16.png');
    expect(img).toMatchObject({ width: 4, height: 3, channels: 1 });
    expect(Array.from(img.data.subarray(0, 4))).toEqual([0, 1000 / 65535, 32768 / 65535, 1].map(Math.fround));
    expect(img.data[6]).toBe(Math.fround(1 / 65535));
  });

  it('8-bit RGB PNG', async () => {
    const img = await decodeImageFile(fixture('rgb8.png'), 'rgb8.png');
    expect(img).toMatchObject({ width: 3, height: 2, channels: 3 });
    expect(px(img, 0, 0)).toEqual([1, 0, 0]);
    expect(px(img, 2, 0)).toEqual([0, 0, 1]);
    expect(px(img, 1, 1)).toEqual([128 / 255, 128 / 255, 128 / 255].map(Math.fround));
  });

  it('JPEG, and EXIF orientation 6 turns it upright', async () => {
    const plain = await decodeImageFile(fixture('red-blue.jpg'), 'red-blue.jpg');
    expect(plain).toMatchObject({ width: 16, height: 8, channels: 3 });
    const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) < 0.03);
    expect(near(px(plain, 2, 4), [1, 0, 0])).toBe(true);
    expect(near(px(plain, 13, 4), [0, 0, 1])).toBe(true);
    expect(exifOrientation(fixture('red-blue-exif6.jpg'))).toBe(6);
    const turned = await decodeImageFile(fixture('red-blue-exif6.jpg'), 'photo.jpg');
    // Stored 16×8 (red left, blue right); orientation 6 = rotate 90° clockwise: 8×16, red on top.
    expect(turned).toMatchObject({ width: 8, height: 16, channels: 3 });
    expect(near(px(turned, 4, 2), [1, 0, 0])).toBe(true);
    expect(near(px(turned, 4, 13), [0, 0, 1])).toBe(true);
  });

  it('TIFF: 16-bit grey (LZW) and RGB (Deflate)', async () => {
    const grey = await decodeImageFile(fixture('grey16-lzw.tif'), 'grey16-lzw.tif');
    expect(grey).toMatchObject({ width: 4, height: 3, channels: 1 });
    expect(Array.from(grey.data.subarray(0, 4))).toEqual([0, 1000 / 65535, 32768 / 65535, 1].map(Math.fround));
    const rgb = await decodeImageFile(fixture('rgb8-deflate.tif'), 'rgb8-deflate.tif');
    expect(rgb).toMatchObject({ width: 3, height: 2, channels: 3 });
    expect(px(rgb, 1, 0)).toEqual([0, 1, 0]);
    expect(px(rgb, 2, 1)).toEqual([1, 1, 1]);
  });

  it('DICOM: first frame, rescaled and windowed, MONOCHROME1 inverted', async () => {
    const dcm = writeDicom(
      imageElements({
        rows: 1,
        columns: 3,
        frames: 2,
        photometric: 'MONOCHROME1',
        pixelData: le16([0, 50, 100, 9, 9, 9]),
        extra: [
          { tag: 0x00281053, vr: 'DS', value: '2' },
          { tag: 0x00281052, vr: 'DS', value: '-100' },
          { tag: 0x00281050, vr: 'DS', value: '0' },
          { tag: 0x00281051, vr: 'DS', value: '199' },
        ],
      }),
    );
    const img = await decodeImageFile(dcm, 'scan.bin'); // the name does not matter
    // Rescaled: -100, 0, 100; window 0/199 (LINEAR: bounds -99.5 and 98.5) → 0, 0.5025, 1; then inverted.
    expect(img).toMatchObject({ width: 3, height: 1, channels: 1 });
    expect(img.data[0]).toBe(1);
    expect(img.data[1]).toBeCloseTo(1 - ((0 + 0.5) / 198 + 0.5), 6);
    expect(img.data[2]).toBe(0);
    // The type is the one the imaging models take.
    const forModel: ModelDecodedImage = img;
    expect(forModel.data).toBe(img.data);
  });

  it('sniffs by content, not by name', () => {
    expect(sniffImageKind(fixture('rgb8.png'), 'photo.jpg')).toBe('png');
    expect(sniffImageKind(fixture('red-blue.jpg'), 'x.png')).toBe('jpeg');
    expect(sniffImageKind(fixture('grey16-lzw.tif'), 'x.dcm')).toBe('tiff');
    expect(sniffImageKind(fixture('MR_neg_jpeg_lossless_sv1.dcm'), 'x.tif')).toBe('dicom'); // TIFF header in its preamble
    expect(() => sniffImageKind(new TextEncoder().encode('%PDF-1.7 ...'), 'scan.png')).toThrow(UnsupportedImageFormatError);
    expect(() => sniffImageKind(Uint8Array.from([0x1f, 0x8b, 8, 0]), 'scan.dcm.gz')).toThrow(/gzip/);
  });

  it('applyExifOrientation covers all eight orientations', () => {
    // 3×2 image with distinct values; each orientation is checked against its definition.
    const src: DecodedImage = { width: 3, height: 2, channels: 1, data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    const shapes: Record<number, number[]> = {
      1: [1, 2, 3, 4, 5, 6],
      2: [3, 2, 1, 6, 5, 4],
      3: [6, 5, 4, 3, 2, 1],
      4: [4, 5, 6, 1, 2, 3],
      5: [1, 4, 2, 5, 3, 6],
      6: [4, 1, 5, 2, 6, 3],
      7: [6, 3, 5, 2, 4, 1],
      8: [3, 6, 2, 5, 1, 4],
    };
    for (const [o, expected] of Object.entries(shapes)) {
      const out = applyExifOrientation(src, Number(o));
      expect(Array.from(out.data), `orientation ${o}`).toEqual(expected);
      expect(out.width).toBe(Number(o) >= 5 ? 2 : 3);
    }
  });
});
