/**
 * DICOM RLE Lossless (PS3.5 Annex G). A frame is a 64-byte header (number of segments, then 15
 * segment offsets, all uint32 little endian) followed by PackBits-coded segments. Segment k holds
 * one byte plane: for sample s and byte b of that sample (most significant byte first),
 * k = s * bytesPerSample + b. Each decoded segment has rows * columns bytes.
 */

export class RleError extends Error {
  override readonly name = 'RleError';
}

/** Decodes one PackBits segment into `out` (exactly out.length bytes; missing bytes stay 0). Returns bytes written. */
export function unpackBitsSegment(src: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let i = start;
  let o = 0;
  const n = out.length;
  while (i < end && o < n) {
    const header = src[i++]!;
    if (header < 128) {
      // Literal run of header + 1 bytes.
      const count = Math.min(header + 1, end - i, n - o);
      out.set(src.subarray(i, i + count), o);
      i += header + 1;
      o += count;
    } else if (header > 128) {
      // Replicate the next byte 257 - header times (i.e. 1 - (header as int8)).
      if (i >= end) break;
      const value = src[i++]!;
      const count = Math.min(257 - header, n - o);
      out.fill(value, o, o + count);
      o += count;
    }
    // header === 128 (-128): no operation.
  }
  return o;
}

export interface RleFrameLayout {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
}

/**
 * Decodes one RLE frame into little-endian, pixel-interleaved bytes (the layout of Explicit VR
 * Little Endian with Planar Configuration 0), so the native pixel reader can take it from there.
 */
export function decodeRleFrame(frame: Uint8Array, layout: RleFrameLayout): Uint8Array {
  const { rows, columns, samplesPerPixel } = layout;
  if (layout.bitsAllocated % 8 !== 0) throw new RleError(`RLE needs whole bytes per sample, got ${layout.bitsAllocated} bits`);
  const bytesPerSample = layout.bitsAllocated / 8;
  if (frame.length < 64) throw new RleError(`RLE header needs 64 bytes, frame has ${frame.length}`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const expected = samplesPerPixel * bytesPerSample;
  if (segments < 1 || segments > 15) throw new RleError(`RLE header announces ${segments} segments (1-15 allowed)`);
  if (segments !== expected) {
    throw new RleError(`RLE header announces ${segments} segments; ${samplesPerPixel} sample(s) of ${bytesPerSample} byte(s) need ${expected}`);
  }
  const offsets: number[] = [];
  for (let k = 0; k < segments; k++) offsets.push(view.getUint32(4 + 4 * k, true));
  const pixels = rows * columns;
  const out = new Uint8Array(pixels * expected);
  const plane = new Uint8Array(pixels);
  for (let k = 0; k < segments; k++) {
    const start = offsets[k]!;
    const end = k + 1 < segments ? offsets[k + 1]! : frame.length;
    if (start < 64 || start > frame.length || end < start || end > frame.length) {
      throw new RleError(`RLE segment ${k + 1} has offset ${start}, outside the ${frame.length}-byte frame`);
    }
    plane.fill(0);
    const written = unpackBitsSegment(frame, start, end, plane);
    if (written < pixels) throw new RleError(`RLE segment ${k + 1} decodes to ${written} bytes, ${pixels} expected`);
    const sample = Math.floor(k / bytesPerSample);
    const byteInSample = k % bytesPerSample; // 0 = most significant
    const dst = sample * bytesPerSample + (bytesPerSample - 1 - byteInSample);
    const stride = expected;
    for (let p = 0, q = dst; p < pixels; p++, q += stride) out[q] = plane[p]!;
  }
  return out;
}

/** PackBits encoder for one byte plane; used by tests to build RLE frames. */
export function packBitsSegment(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < data.length) {
    let run = 1;
    while (i + run < data.length && run < 128 && data[i + run] === data[i]) run++;
    if (run >= 2) {
      out.push(257 - run, data[i]!);
      i += run;
      continue;
    }
    let lit = 1;
    while (i + lit < data.length && lit < 128 && !(i + lit + 1 < data.length && data[i + lit] === data[i + lit + 1])) lit++;
    out.push(lit - 1);
    for (let k = 0; k < lit; k++) out.push(data[i + k]!);
    i += lit;
  }
  if (out.length % 2 === 1) out.push(128); // segments are even-length; -128 is a no-op
  return Uint8Array.from(out);
}

/** Builds an RLE frame from little-endian interleaved bytes (the inverse of decodeRleFrame). */
export function encodeRleFrame(interleavedLE: Uint8Array, layout: RleFrameLayout): Uint8Array {
  const bytesPerSample = layout.bitsAllocated / 8;
  const stride = layout.samplesPerPixel * bytesPerSample;
  const pixels = layout.rows * layout.columns;
  const segs: Uint8Array[] = [];
  for (let s = 0; s < layout.samplesPerPixel; s++) {
    for (let b = 0; b < bytesPerSample; b++) {
      const plane = new Uint8Array(pixels);
      const src = s * bytesPerSample + (bytesPerSample - 1 - b);
      for (let p = 0; p < pixels; p++) plane[p] = interleavedLE[p * stride + src]!;
      segs.push(packBitsSegment(plane));
    }
  }
  const total = 64 + segs.reduce((a, s) => a + s.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, segs.length, true);
  let offset = 64;
  segs.forEach((seg, k) => {
    view.setUint32(4 + 4 * k, offset, true);
    out.set(seg, offset);
    offset += seg.length;
  });
  return out;
}
