/**
 * Sequential DCT JPEG with Huffman coding at 8 or 12 bits precision (ISO 10918-1 processes 1, 2
 * and 4: DICOM "JPEG Baseline" and "JPEG Extended"). libjpeg-turbo's published WebAssembly build only
 * handles 8-bit samples, and no maintained npm package decodes 12-bit JPEG outside a browser viewer
 * bundle, so 12-bit frames (typical of JPEG Extended CT/NM/XA) come here. 8-bit frames go to
 * libjpeg-turbo; this decoder accepts them too (tests compare the two).
 *
 * Scope: SOF0/SOF1 frames, any sampling factors, restart intervals, 8- and 16-bit quantisation
 * tables. Not handled (they throw): progressive (SOF2), lossless (SOF3, handled elsewhere),
 * hierarchical and arithmetic-coded frames. The IDCT is computed in floating point and rounded,
 * so values may differ from libjpeg's integer IDCT by one unit: expected of lossy JPEG.
 */

export class JpegDecodeError extends Error {
  override readonly name = 'JpegDecodeError';
}

export interface JpegDctImage {
  width: number;
  height: number;
  components: number;
  precision: number;
  /** Interleaved samples, 0 .. 2^precision - 1; colour converted to RGB where the stream is YCbCr. */
  samples: Uint16Array;
}

const ZIGZAG = Int32Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22,
  15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

/** IDCT basis: BASIS[x * 8 + u] = C(u) / 2 * cos((2x + 1) u π / 16). */
const BASIS = (() => {
  const m = new Float64Array(64);
  for (let x = 0; x < 8; x++) {
    for (let u = 0; u < 8; u++) {
      const c = u === 0 ? Math.SQRT1_2 : 1;
      m[x * 8 + u] = (c / 2) * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
    }
  }
  return m;
})();

interface HuffmanTable {
  maxcode: Int32Array; // index 1..17
  valptr: Int32Array;
  mincode: Int32Array;
  values: Uint8Array;
}

interface Component {
  id: number;
  h: number;
  v: number;
  tq: number;
  blocksPerLine: number;
  blocksPerColumn: number;
  /** Decoded samples of this component at its own resolution, blocksPerLine*8 wide. */
  plane: Float32Array | null;
  pred: number;
  dcTable: HuffmanTable | null;
  acTable: HuffmanTable | null;
}

interface Frame {
  precision: number;
  width: number;
  height: number;
  components: Component[];
  hMax: number;
  vMax: number;
  mcusPerLine: number;
  mcusPerColumn: number;
}

function buildHuffman(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxcode = new Int32Array(18).fill(-1);
  const mincode = new Int32Array(17);
  const valptr = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let l = 1; l <= 16; l++) {
    const n = counts[l - 1]!;
    if (n > 0) {
      valptr[l] = k;
      mincode[l] = code;
      code += n;
      k += n;
      maxcode[l] = code - 1;
    }
    code <<= 1;
  }
  maxcode[17] = 0x7fffffff;
  return { maxcode, mincode, valptr, values };
}

class BitReader {
  private buf = 0;
  private bits = 0;
  /** Set once a marker (other than stuffed 0xFF00) is met inside entropy-coded data. */
  marker = -1;
  constructor(
    private readonly data: Uint8Array,
    public pos: number,
  ) {}

  private fill(): void {
    while (this.bits <= 24) {
      let byte = 0;
      if (this.marker < 0 && this.pos < this.data.length) {
        byte = this.data[this.pos]!;
        if (byte === 0xff) {
          let next = this.data[this.pos + 1] ?? 0xd9;
          // Fill bytes: 0xFF may repeat before a marker.
          let p = this.pos + 1;
          while (next === 0xff) next = this.data[++p] ?? 0xd9;
          if (next === 0) {
            this.pos += 2;
          } else {
            this.marker = next;
            this.pos = p - 1; // leave pos on the 0xFF of the marker
            byte = 0;
          }
        } else {
          this.pos++;
        }
      }
      this.buf = ((this.buf << 8) | byte) >>> 0;
      this.bits += 8;
    }
  }

  bit(): number {
    if (this.bits === 0) this.fill();
    this.bits--;
    return (this.buf >>> this.bits) & 1;
  }

  receive(n: number): number {
    if (n === 0) return 0;
    if (this.bits < n) this.fill();
    this.bits -= n;
    return (this.buf >>> this.bits) & ((1 << n) - 1);
  }

  decode(t: HuffmanTable): number {
    let code = this.bit();
    let l = 1;
    while (code > t.maxcode[l]!) {
      code = (code << 1) | this.bit();
      l++;
      if (l > 16) throw new JpegDecodeError('invalid Huffman code');
    }
    return t.values[t.valptr[l]! + code - t.mincode[l]!]!;
  }

  /** Drops buffered bits and moves past a restart marker (RST0-7) if one is next. */
  restart(): void {
    this.buf = 0;
    this.bits = 0;
    if (this.marker >= 0xd0 && this.marker <= 0xd7) {
      this.pos += 2;
      this.marker = -1;
      return;
    }
    if (this.marker < 0) {
      // Find the RST marker ourselves (we may have stopped mid-byte before it).
      while (this.pos + 1 < this.data.length) {
        if (this.data[this.pos] === 0xff && this.data[this.pos + 1]! >= 0xd0 && this.data[this.pos + 1]! <= 0xd7) {
          this.pos += 2;
          return;
        }
        this.pos++;
      }
    }
  }
}

function extend(v: number, t: number): number {
  return v < 1 << (t - 1) ? v - (1 << t) + 1 : v;
}

function u16(data: Uint8Array, p: number): number {
  if (p + 1 >= data.length) throw new JpegDecodeError('unexpected end of JPEG data');
  return (data[p]! << 8) | data[p + 1]!;
}

export interface JpegStreamInfo {
  /** The SOF marker's second byte (0xC0 baseline, 0xC1 extended, 0xC2 progressive, 0xC3 lossless, 0xF7 JPEG-LS). */
  sof: number;
  precision: number;
  width: number;
  height: number;
  components: number;
  componentIds: number[];
  /** True when any component has sampling factors other than 1×1 relative to the others. */
  subsampled: boolean;
  jfif: boolean;
  /** Adobe APP14 transform flag (0 none, 1 YCbCr, 2 YCCK), or -1 without an Adobe segment. */
  adobeTransform: number;
}

/** Reads the markers up to the frame header (SOF): what kind of JPEG this is. Null when there is none. */
export function jpegFrameInfo(data: Uint8Array): JpegStreamInfo | null {
  let p = 2;
  if (data[0] !== 0xff || data[1] !== 0xd8) return null;
  let jfif = false;
  let adobeTransform = -1;
  while (p + 3 < data.length) {
    if (data[p] !== 0xff) {
      p++;
      continue;
    }
    const m = data[p + 1]!;
    if (m === 0xff) {
      p++;
      continue;
    }
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      p += 2;
      continue;
    }
    const len = u16(data, p + 2);
    const seg = p + 4;
    if (m === 0xe0 && data[seg] === 0x4a && data[seg + 1] === 0x46 && data[seg + 2] === 0x49 && data[seg + 3] === 0x46) jfif = true;
    // libjpeg ignores an APP14 shorter than its 12 data bytes; so do we.
    if (m === 0xee && len >= 14 && data[seg] === 0x41 && data[seg + 1] === 0x64 && data[seg + 2] === 0x6f && data[seg + 3] === 0x62 && data[seg + 4] === 0x65) {
      adobeTransform = data[seg + 11] ?? -1;
    }
    const isSof = m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
    if (isSof || m === 0xf7) {
      const n = data[seg + 5] ?? 0;
      const ids: number[] = [];
      const factors = new Set<number>();
      for (let i = 0; i < n; i++) {
        ids.push(data[seg + 6 + 3 * i] ?? 0);
        factors.add(data[seg + 7 + 3 * i] ?? 0);
      }
      return {
        sof: m,
        precision: data[seg] ?? 0,
        height: u16(data, seg + 1),
        width: u16(data, seg + 3),
        components: n,
        componentIds: ids,
        subsampled: factors.size > 1,
        jfif,
        adobeTransform,
      };
    }
    if (m === 0xda || m === 0xd9) return null;
    p += 2 + len;
  }
  return null;
}

/**
 * `colorTransform`: 'auto' decides as libjpeg does (JFIF → YCbCr; Adobe flag; component ids
 * 'R','G','B' → none; otherwise YCbCr); true/false force it (3-component images only).
 */
export function decodeJpegDct(data: Uint8Array, colorTransform: boolean | 'auto' = 'auto'): JpegDctImage {
  const qt: (Int32Array | undefined)[] = [];
  const dcTables: (HuffmanTable | undefined)[] = [];
  const acTables: (HuffmanTable | undefined)[] = [];
  let frame: Frame | null = null;
  let restartInterval = 0;
  let adobeTransform = -1;
  let jfif = false;
  if (data[0] !== 0xff || data[1] !== 0xd8) throw new JpegDecodeError('no JPEG start-of-image marker');
  let p = 2;
  while (p < data.length) {
    if (data[p] !== 0xff) {
      p++; // tolerate garbage between segments
      continue;
    }
    const marker = data[p + 1];
    if (marker === undefined) break;
    if (marker === 0xff) {
      p++;
      continue;
    }
    p += 2;
    if (marker === 0xd9) break; // EOI
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    const len = u16(data, p);
    const end = p + len;
    if (end > data.length) throw new JpegDecodeError('JPEG segment runs past the end of the data');
    const seg = p + 2;
    switch (marker) {
      case 0xdb: {
        let q = seg;
        while (q < end) {
          const pq = data[q]! >> 4;
          const tq = data[q]! & 15;
          q++;
          const table = new Int32Array(64);
          for (let k = 0; k < 64; k++) {
            table[k] = pq === 0 ? data[q + k]! : (data[q + 2 * k]! << 8) | data[q + 2 * k + 1]!;
          }
          q += pq === 0 ? 64 : 128;
          qt[tq] = table;
        }
        break;
      }
      case 0xc4: {
        let q = seg;
        while (q < end) {
          const tc = data[q]! >> 4;
          const th = data[q]! & 15;
          const counts = data.subarray(q + 1, q + 17);
          let total = 0;
          for (let k = 0; k < 16; k++) total += counts[k]!;
          const values = data.slice(q + 17, q + 17 + total);
          const table = buildHuffman(counts, values);
          if (tc === 0) dcTables[th] = table;
          else acTables[th] = table;
          q += 17 + total;
        }
        break;
      }
      case 0xdd:
        restartInterval = u16(data, seg);
        break;
      case 0xe0:
        if (data[seg] === 0x4a && data[seg + 1] === 0x46 && data[seg + 2] === 0x49 && data[seg + 3] === 0x46) jfif = true;
        break;
      case 0xee:
        if (len >= 14 && data[seg] === 0x41 && data[seg + 1] === 0x64 && data[seg + 2] === 0x6f && data[seg + 3] === 0x62 && data[seg + 4] === 0x65) {
          adobeTransform = data[seg + 11] ?? -1;
        }
        break;
      case 0xc0:
      case 0xc1: {
        const precision = data[seg]!;
        const height = u16(data, seg + 1);
        const width = u16(data, seg + 3);
        const nf = data[seg + 5]!;
        // ISO 10918-1 allows 8 and 12 bits for DCT. (GDCM can write a 16-bit IJG extension whose level shift differs: refused.)
        if (precision !== 8 && precision !== 12) throw new JpegDecodeError(`DCT JPEG with ${precision}-bit precision is not supported`);
        if (width === 0 || height === 0) throw new JpegDecodeError('JPEG frame without width or height (DNL not supported)');
        const components: Component[] = [];
        for (let i = 0; i < nf; i++) {
          const o = seg + 6 + 3 * i;
          components.push({
            id: data[o]!,
            h: Math.max(1, data[o + 1]! >> 4),
            v: Math.max(1, data[o + 1]! & 15),
            tq: data[o + 2]!,
            blocksPerLine: 0,
            blocksPerColumn: 0,
            plane: null,
            pred: 0,
            dcTable: null,
            acTable: null,
          });
        }
        const hMax = Math.max(...components.map((c) => c.h));
        const vMax = Math.max(...components.map((c) => c.v));
        const mcusPerLine = Math.ceil(width / (8 * hMax));
        const mcusPerColumn = Math.ceil(height / (8 * vMax));
        for (const c of components) {
          c.blocksPerLine = mcusPerLine * c.h;
          c.blocksPerColumn = mcusPerColumn * c.v;
          c.plane = new Float32Array(c.blocksPerLine * 8 * c.blocksPerColumn * 8);
        }
        frame = { precision, width, height, components, hMax, vMax, mcusPerLine, mcusPerColumn };
        break;
      }
      case 0xc2:
      case 0xc6:
      case 0xca:
        throw new JpegDecodeError('progressive JPEG is not supported by the extended-precision decoder');
      case 0xc3:
      case 0xc5:
      case 0xc7:
      case 0xcb:
      case 0xcf:
        throw new JpegDecodeError('lossless or hierarchical JPEG is not a DCT frame');
      case 0xc9:
      case 0xcd:
        throw new JpegDecodeError('arithmetic-coded JPEG is not supported');
      case 0xda: {
        if (!frame) throw new JpegDecodeError('scan before frame header');
        const ns = data[seg]!;
        const scomps: Component[] = [];
        for (let i = 0; i < ns; i++) {
          const id = data[seg + 1 + 2 * i]!;
          const t = data[seg + 2 + 2 * i]!;
          const c = frame.components.find((x) => x.id === id);
          if (!c) throw new JpegDecodeError(`scan names unknown component ${id}`);
          c.dcTable = dcTables[t >> 4] ?? null;
          c.acTable = acTables[t & 15] ?? null;
          if (!c.dcTable || !c.acTable) throw new JpegDecodeError(`missing Huffman table for component ${id}`);
          scomps.push(c);
        }
        // Ss, Se, Ah/Al are fixed for sequential DCT; some encoders write other values: ignore them.
        p = decodeScan(data, end, frame, scomps, restartInterval, qt);
        continue;
      }
      default:
        break; // APPn, COM, DNL and others: skip
    }
    p = end;
  }
  if (!frame) throw new JpegDecodeError('no frame header (SOF) found');
  return assemble(frame, colorTransform === 'auto' ? (adobeTransform >= 0 ? adobeTransform !== 0 : jfif || !hasRgbIds(frame)) : colorTransform);
}

function decodeScan(data: Uint8Array, start: number, frame: Frame, comps: Component[], restartInterval: number, qt: (Int32Array | undefined)[]): number {
  const reader = new BitReader(data, start);
  const coef = new Float64Array(64);
  const tmp = new Float64Array(64);
  for (const c of comps) c.pred = 0;
  const single = comps.length === 1;
  const c0 = comps[0]!;
  let mcusTotal: number;
  let blocksW = 0;
  if (single) {
    blocksW = Math.ceil(Math.ceil((frame.width * c0.h) / frame.hMax) / 8);
    const blocksH = Math.ceil(Math.ceil((frame.height * c0.v) / frame.vMax) / 8);
    mcusTotal = blocksW * blocksH;
  } else {
    mcusTotal = frame.mcusPerLine * frame.mcusPerColumn;
  }
  const maxSample = (1 << frame.precision) - 1;
  const shift = 1 << (frame.precision - 1);

  const decodeBlock = (c: Component, bx: number, by: number) => {
    const q = qt[c.tq];
    if (!q) throw new JpegDecodeError(`missing quantisation table ${c.tq}`);
    coef.fill(0);
    const t = reader.decode(c.dcTable!);
    const diff = t === 0 ? 0 : extend(reader.receive(t), t);
    c.pred += diff;
    coef[0] = c.pred * q[0]!;
    for (let k = 1; k < 64;) {
      const rs = reader.decode(c.acTable!);
      const s = rs & 15;
      const r = rs >> 4;
      if (s === 0) {
        if (r === 15) {
          k += 16;
          continue;
        }
        break;
      }
      k += r;
      if (k > 63) break;
      coef[ZIGZAG[k]!] = extend(reader.receive(s), s) * q[k]!;
      k++;
    }
    // Rows: tmp[y][x] = sum_u BASIS[x][u] * coef[y][u]; then columns.
    for (let y = 0; y < 8; y++) {
      const row = y * 8;
      for (let x = 0; x < 8; x++) {
        const b = x * 8;
        let s = 0;
        for (let u = 0; u < 8; u++) s += BASIS[b + u]! * coef[row + u]!;
        tmp[row + x] = s;
      }
    }
    const plane = c.plane!;
    const lineWidth = c.blocksPerLine * 8;
    if (bx >= c.blocksPerLine || by >= c.blocksPerColumn) return;
    for (let x = 0; x < 8; x++) {
      for (let y = 0; y < 8; y++) {
        const b = y * 8;
        let s = 0;
        for (let v = 0; v < 8; v++) s += BASIS[b + v]! * tmp[v * 8 + x]!;
        let val = Math.round(s + shift);
        if (val < 0) val = 0;
        else if (val > maxSample) val = maxSample;
        plane[(by * 8 + y) * lineWidth + bx * 8 + x] = val;
      }
    }
  };

  for (let m = 0; m < mcusTotal; m++) {
    if (restartInterval > 0 && m > 0 && m % restartInterval === 0) {
      reader.restart();
      for (const c of comps) c.pred = 0;
    }
    if (single) {
      decodeBlock(c0, m % blocksW, Math.floor(m / blocksW));
    } else {
      const mx = m % frame.mcusPerLine;
      const my = Math.floor(m / frame.mcusPerLine);
      for (const c of comps) {
        for (let v = 0; v < c.v; v++) {
          for (let h = 0; h < c.h; h++) decodeBlock(c, mx * c.h + h, my * c.v + v);
        }
      }
    }
  }
  // Continue parsing after the scan: find the next marker that is not RST or stuffing.
  let p = reader.pos;
  while (p + 1 < data.length) {
    if (data[p] === 0xff) {
      const n = data[p + 1]!;
      if (n !== 0 && n !== 0xff && !(n >= 0xd0 && n <= 0xd7)) return p;
    }
    p++;
  }
  return data.length;
}

function hasRgbIds(frame: Frame): boolean {
  const ids = frame.components.map((c) => c.id);
  return ids[0] === 0x52 && ids[1] === 0x47 && ids[2] === 0x42;
}

function assemble(frame: Frame, transform: boolean): JpegDctImage {
  const { width, height, components, hMax, vMax } = frame;
  const n = components.length;
  const out = new Uint16Array(width * height * n);
  components.forEach((c, ci) => {
    const plane = c.plane!;
    const lineWidth = c.blocksPerLine * 8;
    const sx = c.h / hMax;
    const sy = c.v / vMax;
    for (let y = 0; y < height; y++) {
      const row = Math.floor(y * sy) * lineWidth;
      let o = y * width * n + ci;
      for (let x = 0; x < width; x++, o += n) out[o] = plane[row + Math.floor(x * sx)]!;
    }
  });
  if (n === 3 && transform) ycbcrToRgbInPlace(out, frame.precision);
  return { width, height, components: n, precision: frame.precision, samples: out };
}

/** Full-range YCbCr (JFIF / DICOM YBR_FULL) to RGB on interleaved samples of the given precision. */
export function ycbcrToRgbInPlace(samples: Uint16Array | Int32Array, precision: number): void {
  const max = 2 ** precision - 1;
  const half = 2 ** (precision - 1);
  for (let i = 0; i + 2 < samples.length; i += 3) {
    const y = samples[i]!;
    const cb = samples[i + 1]! - half;
    const cr = samples[i + 2]! - half;
    const r = Math.round(y + 1.402 * cr);
    const g = Math.round(y - 0.344136 * cb - 0.714136 * cr);
    const b = Math.round(y + 1.772 * cb);
    samples[i] = r < 0 ? 0 : r > max ? max : r;
    samples[i + 1] = g < 0 ? 0 : g > max ? max : g;
    samples[i + 2] = b < 0 ? 0 : b > max ? max : b;
  }
}
