import { describe, expect, it } from 'vitest';
import { decodeRleFrame, encodeRleFrame, packBitsSegment, RleError, unpackBitsSegment } from './rle';
import { mulberry32 } from '../../../models/runtime/common/rng';

describe('RLE (PS3.5 Annex G)', () => {
  it('unpacks the PackBits example: literal runs, replicate runs and the -128 no-op', () => {
    // Apple's PackBits example, with a -128 (0x80) no-op in it.
    const src = Uint8Array.from([0xfe, 0xaa, 0x02, 0x80, 0x00, 0x2a, 0x80, 0xfd, 0xaa, 0x03, 0x80, 0x00, 0x2a, 0x22, 0xf7, 0xaa]);
    const out = new Uint8Array(24);
    const n = unpackBitsSegment(src, 0, src.length, out);
    expect(n).toBe(24);
    expect(Array.from(out)).toEqual([
      0xaa, 0xaa, 0xaa, 0x80, 0x00, 0x2a, 0xaa, 0xaa, 0xaa, 0xaa, 0x80, 0x00, 0x2a, 0x22, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
    ]);
  });

  it('stops at the segment end and never writes past the output', () => {
    const out = new Uint8Array(3);
    expect(unpackBitsSegment(Uint8Array.from([0xf0, 7]), 0, 2, out)).toBe(3);
    expect(Array.from(out)).toEqual([7, 7, 7]);
  });

  it('orders segments most significant byte first and interleaves samples (16-bit RGB)', () => {
    // One pixel, RGB, 16 bits: R=0x0102 G=0x0304 B=0x0506 → segments R-hi, R-lo, G-hi, G-lo, B-hi, B-lo.
    const segs = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06].map((b) => Uint8Array.from([0x00, b]));
    const header = new DataView(new ArrayBuffer(64));
    header.setUint32(0, 6, true);
    let off = 64;
    segs.forEach((s, k) => {
      header.setUint32(4 + 4 * k, off, true);
      off += s.length;
    });
    const frame = new Uint8Array(off);
    frame.set(new Uint8Array(header.buffer));
    segs.forEach((s, k) => frame.set(s, 64 + 2 * k));
    const le = decodeRleFrame(frame, { rows: 1, columns: 1, samplesPerPixel: 3, bitsAllocated: 16 });
    expect(Array.from(le)).toEqual([0x02, 0x01, 0x04, 0x03, 0x06, 0x05]);
  });

  it.each([
    [1, 8],
    [1, 16],
    [3, 8],
    [3, 16],
    [1, 32],
  ])('round-trips random data (%i sample(s), %i bits)', (spp, bits) => {
    const rng = mulberry32(bits * 10 + spp);
    const layout = { rows: 7, columns: 9, samplesPerPixel: spp, bitsAllocated: bits };
    const data = new Uint8Array(7 * 9 * spp * (bits / 8));
    // Runs and noise, so both kinds of packet occur.
    for (let i = 0; i < data.length; i++) data[i] = rng() < 0.5 ? 0x11 : Math.floor(rng() * 256);
    const frame = encodeRleFrame(data, layout);
    expect(Array.from(decodeRleFrame(frame, layout))).toEqual(Array.from(data));
  });

  it('packBits output is even-length and decodes back', () => {
    const data = Uint8Array.from([1, 1, 1, 1, 2, 3, 4, 4, 5]);
    const packed = packBitsSegment(data);
    expect(packed.length % 2).toBe(0);
    const out = new Uint8Array(data.length);
    unpackBitsSegment(packed, 0, packed.length, out);
    expect(Array.from(out)).toEqual(Array.from(data));
  });

  it('rejects a header whose segment count does not fit the image', () => {
    const frame = encodeRleFrame(new Uint8Array(4), { rows: 2, columns: 2, samplesPerPixel: 1, bitsAllocated: 8 });
    expect(() => decodeRleFrame(frame, { rows: 2, columns: 2, samplesPerPixel: 3, bitsAllocated: 8 })).toThrow(RleError);
    expect(() => decodeRleFrame(frame.subarray(0, 10), { rows: 2, columns: 2, samplesPerPixel: 1, bitsAllocated: 8 })).toThrow(/64 bytes/);
  });

  it('rejects a segment that decodes short', () => {
    const frame = encodeRleFrame(new Uint8Array(16).fill(3), { rows: 4, columns: 4, samplesPerPixel: 1, bitsAllocated: 8 });
    expect(() => decodeRleFrame(frame, { rows: 8, columns: 8, samplesPerPixel: 1, bitsAllocated: 8 })).toThrow(/decodes to 16 bytes, 64 expected/);
  });
});
