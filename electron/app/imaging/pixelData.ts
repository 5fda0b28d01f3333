/**
 * Turning pixel bytes into stored values: native (uncompressed) layouts in either byte order, bit
 * masking and sign extension per Bits Stored / High Bit / Pixel Representation, planar
 * configuration, and the YBR colour models to RGB. Pure functions over typed arrays.
 */

export interface PixelLayout {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: 0 | 1;
  /** 0 = interleaved (R1 G1 B1 R2 ...), 1 = planar (R1 R2 ... G1 G2 ... B1 B2 ...). */
  planarConfiguration: 0 | 1;
}

/** Bytes one native frame occupies (YBR_FULL_422 frames hold two samples per pixel). Bit-packed data: bits / 8, fractional. */
export function nativeFrameBytes(layout: PixelLayout, photometric: string): number {
  const samples = photometric === 'YBR_FULL_422' ? 2 : layout.samplesPerPixel;
  return (layout.rows * layout.columns * samples * layout.bitsAllocated) / 8;
}

/** True where every stored value fits an Int32Array (everything except unsigned 32-bit data with Bits Stored 32). */
export function fitsInt32(layout: PixelLayout): boolean {
  return !(layout.bitsAllocated === 32 && layout.pixelRepresentation === 0 && layout.bitsStored > 31);
}

/**
 * Reads one native frame. `bytes` starts at the frame (for bit-packed multi-frame data pass the
 * whole pixel data and `bitOffset`). Result: interleaved stored values, one per sample.
 */
export function readNativeFrame(bytes: Uint8Array, layout: PixelLayout, littleEndian: boolean, bitOffset = 0): Int32Array | Float32Array {
  const { rows, columns, samplesPerPixel: spp, bitsAllocated: ba } = layout;
  const count = rows * columns * spp;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const useFloat = !fitsInt32(layout);
  const out = useFloat ? new Float32Array(count) : new Int32Array(count);
  const planar = layout.planarConfiguration === 1 && spp > 1;
  const pixels = rows * columns;

  if (ba === 1) {
    for (let i = 0; i < count; i++) {
      const bit = bitOffset + (planar ? (i % spp) * pixels + Math.floor(i / spp) : i);
      out[i] = (bytes[bit >> 3]! >> (bit & 7)) & 1;
    }
    return out;
  }

  const shift = layout.highBit + 1 - layout.bitsStored;
  const bs = layout.bitsStored;
  const signed = layout.pixelRepresentation === 1;
  const needsMask = bs < ba || shift > 0;

  // Fast paths: whole-byte samples that need no masking, interleaved, in native (little-endian) order.
  if (!needsMask && !planar && (ba === 8 || littleEndian)) {
    const aligned = bytes.byteOffset % (ba / 8) === 0;
    const src8 = aligned ? bytes : bytes.slice(0, count * (ba / 8));
    if (ba === 8) {
      out.set(signed ? new Int8Array(src8.buffer, src8.byteOffset, count) : src8.subarray(0, count));
      return out;
    }
    if (ba === 16) {
      out.set(signed ? new Int16Array(src8.buffer, src8.byteOffset, count) : new Uint16Array(src8.buffer, src8.byteOffset, count));
      return out;
    }
    if (ba === 32) {
      out.set(signed ? new Int32Array(src8.buffer, src8.byteOffset, count) : new Uint32Array(src8.buffer, src8.byteOffset, count));
      return out;
    }
  }

  const small = bs <= 30 && ba <= 32;
  const mask = small ? (1 << bs) - 1 : 2 ** bs - 1;
  const signBit = 2 ** (bs - 1);
  const full = 2 ** bs;
  const pow = 2 ** shift;
  // Typed views where the byte order allows (the usual case); DataView otherwise.
  const width = ba / 8;
  const direct = ba === 8 || (littleEndian && bytes.byteOffset % width === 0);
  const typed = !direct
    ? null
    : ba === 8
      ? bytes
      : ba === 16
        ? new Uint16Array(bytes.buffer, bytes.byteOffset, count)
        : new Uint32Array(bytes.buffer, bytes.byteOffset, count);
  for (let i = 0; i < count; i++) {
    const k = planar ? (i % spp) * pixels + Math.floor(i / spp) : i;
    let v = typed ? typed[k]! : ba === 16 ? view.getUint16(k * 2, littleEndian) : view.getUint32(k * 4, littleEndian);
    if (needsMask) v = small ? (v >>> shift) & mask : Math.floor(v / pow) % (mask + 1);
    if (signed && v >= signBit) v -= full;
    out[i] = v;
  }
  return out;
}

/**
 * Interprets decoded codec samples as stored values. Codecs return unsigned bit patterns unless the
 * codestream itself says signed; Pixel Representation 1 then means: sign-extend from Bits Stored.
 */
export function codecSamplesToStored(samples: Uint8Array | Uint16Array | Int16Array | Int8Array, codecSigned: boolean, layout: PixelLayout): Int32Array {
  const out = new Int32Array(samples.length);
  if (codecSigned || layout.pixelRepresentation === 0) {
    out.set(samples);
    return out;
  }
  const bs = Math.min(layout.bitsStored, 16);
  const mask = (1 << bs) - 1;
  const signBit = 1 << (bs - 1);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]! & mask;
    out[i] = v >= signBit ? v - (1 << bs) : v;
  }
  return out;
}

/** YBR_FULL_422 native data (Y1 Y2 Cb Cr per pixel pair) to YBR_FULL, interleaved, 3 samples per pixel. */
export function expandYbr422(values: Int32Array | Float32Array, rows: number, columns: number): Int32Array {
  const out = new Int32Array(rows * columns * 3);
  let s = 0;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x += 2) {
      const y1 = values[s]!;
      const y2 = values[s + 1]!;
      const cb = values[s + 2]!;
      const cr = values[s + 3]!;
      s += 4;
      const o = (y * columns + x) * 3;
      out[o] = y1;
      out[o + 1] = cb;
      out[o + 2] = cr;
      if (x + 1 < columns) {
        out[o + 3] = y2;
        out[o + 4] = cb;
        out[o + 5] = cr;
      }
    }
  }
  return out;
}

/**
 * YBR to RGB on interleaved values with `bits` bits per sample (PS3.3 C.7.6.3.1.2).
 * FULL: full range (as JFIF). PARTIAL: Y 16..235, Cb/Cr 16..240 (scaled to the sample depth).
 */
export function ybrToRgb(values: Int32Array, bits: number, partial = false): Int32Array {
  const max = 2 ** bits - 1;
  const half = 2 ** (bits - 1);
  const scale = 2 ** (bits - 8);
  const out = new Int32Array(values.length);
  for (let i = 0; i + 2 < values.length; i += 3) {
    let y = values[i]!;
    const cb = values[i + 1]! - half;
    const cr = values[i + 2]! - half;
    let r: number;
    let g: number;
    let b: number;
    if (partial) {
      y = (y - 16 * scale) * (255 / 219);
      r = y + 1.402 * (255 / 224) * cr;
      g = y - 0.344136 * (255 / 224) * cb - 0.714136 * (255 / 224) * cr;
      b = y + 1.772 * (255 / 224) * cb;
    } else {
      r = y + 1.402 * cr;
      g = y - 0.344136 * cb - 0.714136 * cr;
      b = y + 1.772 * cb;
    }
    out[i] = clampRound(r, max);
    out[i + 1] = clampRound(g, max);
    out[i + 2] = clampRound(b, max);
  }
  return out;
}

function clampRound(v: number, max: number): number {
  const r = Math.round(v);
  return r < 0 ? 0 : r > max ? max : r;
}
