/**
 * A minimal DICOM writer for tests and fixtures: Part 10 (or bare) files in implicit/explicit
 * little endian or explicit big endian, native or encapsulated pixel data. It writes what it is
 * given; it does not validate against the standard.
 */

export type WriterValue = string | number[] | Uint8Array | { fragments: Uint8Array[]; offsets?: number[] };

export interface WriterElement {
  /** 0xGGGGEEEE */
  tag: number;
  vr: string;
  value: WriterValue;
}

export interface WriteOptions {
  transferSyntax?: string;
  /** Write the 128-byte preamble and "DICM" (default true). */
  preamble?: boolean;
  /** Write the file meta group (default true). */
  meta?: boolean;
  /** Leave (0002,0010) out of the meta group. */
  omitTransferSyntax?: boolean;
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT']);

class Out {
  private chunks: number[] = [];
  constructor(private readonly le: boolean) {}
  u8(v: number) {
    this.chunks.push(v & 0xff);
  }
  u16(v: number) {
    if (this.le) this.chunks.push(v & 0xff, (v >> 8) & 0xff);
    else this.chunks.push((v >> 8) & 0xff, v & 0xff);
  }
  u32(v: number) {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    this.chunks.push(...(this.le ? b : b.reverse()));
  }
  bytes(b: ArrayLike<number>) {
    for (let i = 0; i < b.length; i++) this.chunks.push(b[i]!);
  }
  get length() {
    return this.chunks.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

function valueBytes(vr: string, value: WriterValue, le: boolean): Uint8Array {
  if (value instanceof Uint8Array) return value.length % 2 ? Uint8Array.from([...value, 0]) : value;
  if (typeof value === 'string') {
    const bytes = new TextEncoder().encode(value);
    if (bytes.length % 2 === 0) return bytes;
    return Uint8Array.from([...bytes, vr === 'UI' ? 0 : 0x20]);
  }
  if (Array.isArray(value)) {
    const size = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, OW: 2, OB: 1, OF: 4, OD: 8 }[vr] ?? 2;
    const buf = new DataView(new ArrayBuffer(value.length * size));
    value.forEach((v, i) => {
      const o = i * size;
      if (vr === 'US' || vr === 'OW') buf.setUint16(o, v, le);
      else if (vr === 'SS') buf.setInt16(o, v, le);
      else if (vr === 'UL') buf.setUint32(o, v, le);
      else if (vr === 'SL') buf.setInt32(o, v, le);
      else if (vr === 'FL' || vr === 'OF') buf.setFloat32(o, v, le);
      else if (vr === 'FD' || vr === 'OD') buf.setFloat64(o, v, le);
      else buf.setUint8(o, v);
    });
    const out = new Uint8Array(buf.buffer);
    return out.length % 2 ? Uint8Array.from([...out, 0]) : out;
  }
  throw new Error('encapsulated values are written separately');
}

function writeElement(out: Out, el: WriterElement, explicit: boolean, le: boolean): void {
  out.u16(el.tag >>> 16);
  out.u16(el.tag & 0xffff);
  const encapsulated = typeof el.value === 'object' && !(el.value instanceof Uint8Array) && !Array.isArray(el.value);
  const data = encapsulated ? null : valueBytes(el.vr, el.value, le);
  const length = data ? data.length : 0xffffffff;
  if (explicit) {
    out.u8(el.vr.charCodeAt(0));
    out.u8(el.vr.charCodeAt(1));
    if (LONG_VRS.has(el.vr)) {
      out.u16(0);
      out.u32(length);
    } else {
      out.u16(length);
    }
  } else {
    out.u32(length);
  }
  if (data) {
    out.bytes(data);
    return;
  }
  const { fragments, offsets } = el.value as { fragments: Uint8Array[]; offsets?: number[] };
  // Items and delimiters are always little endian in encapsulated pixel data.
  const item = (len: number) => {
    out.u16(0xfffe);
    out.u16(0xe000);
    out.u32(len);
  };
  const bot = offsets ?? [];
  item(bot.length * 4);
  for (const o of bot) out.u32(o);
  for (const f of fragments) {
    const padded = f.length % 2 ? Uint8Array.from([...f, 0]) : f;
    item(padded.length);
    out.bytes(padded);
  }
  out.u16(0xfffe);
  out.u16(0xe0dd);
  out.u32(0);
}

export const IMPLICIT_LE = '1.2.840.10008.1.2';
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const EXPLICIT_BE = '1.2.840.10008.1.2.2';

export function writeDicom(elements: WriterElement[], options: WriteOptions = {}): Uint8Array {
  const ts = options.transferSyntax ?? EXPLICIT_LE;
  const parts: Uint8Array[] = [];
  if (options.preamble !== false && options.meta !== false) {
    const pre = new Uint8Array(132);
    pre.set([0x44, 0x49, 0x43, 0x4d], 128);
    parts.push(pre);
  }
  if (options.meta !== false) {
    const metaEls: WriterElement[] = [
      { tag: 0x00020001, vr: 'OB', value: Uint8Array.from([0, 1]) },
      { tag: 0x00020002, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
      { tag: 0x00020003, vr: 'UI', value: '1.2.3.4.5' },
    ];
    if (!options.omitTransferSyntax) metaEls.push({ tag: 0x00020010, vr: 'UI', value: ts });
    metaEls.push({ tag: 0x00020012, vr: 'UI', value: '1.2.3.4.6' });
    const body = new Out(true);
    for (const el of metaEls) writeElement(body, el, true, true);
    const head = new Out(true);
    writeElement(head, { tag: 0x00020000, vr: 'UL', value: [body.length] }, true, true);
    parts.push(head.done(), body.done());
  }
  const le = ts !== EXPLICIT_BE;
  const explicit = ts !== IMPLICIT_LE;
  const data = new Out(le);
  for (const el of [...elements].sort((a, b) => a.tag - b.tag)) writeElement(data, el, explicit, le);
  parts.push(data.done());
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The Image Pixel module for a simple image, plus the pixel data element. */
export function imageElements(opts: {
  rows: number;
  columns: number;
  samplesPerPixel?: number;
  photometric?: string;
  bitsAllocated?: number;
  bitsStored?: number;
  highBit?: number;
  pixelRepresentation?: 0 | 1;
  planarConfiguration?: 0 | 1;
  frames?: number;
  pixelData: WriterValue;
  pixelVr?: string;
  extra?: WriterElement[];
}): WriterElement[] {
  const spp = opts.samplesPerPixel ?? 1;
  const ba = opts.bitsAllocated ?? 16;
  const bs = opts.bitsStored ?? ba;
  const els: WriterElement[] = [
    { tag: 0x00080060, vr: 'CS', value: 'OT' },
    { tag: 0x00280002, vr: 'US', value: [spp] },
    { tag: 0x00280004, vr: 'CS', value: opts.photometric ?? (spp === 3 ? 'RGB' : 'MONOCHROME2') },
    { tag: 0x00280010, vr: 'US', value: [opts.rows] },
    { tag: 0x00280011, vr: 'US', value: [opts.columns] },
    { tag: 0x00280100, vr: 'US', value: [ba] },
    { tag: 0x00280101, vr: 'US', value: [bs] },
    { tag: 0x00280102, vr: 'US', value: [opts.highBit ?? bs - 1] },
    { tag: 0x00280103, vr: 'US', value: [opts.pixelRepresentation ?? 0] },
    { tag: 0x7fe00010, vr: opts.pixelVr ?? (ba > 8 ? 'OW' : 'OB'), value: opts.pixelData },
  ];
  if (spp > 1) els.push({ tag: 0x00280006, vr: 'US', value: [opts.planarConfiguration ?? 0] });
  if (opts.frames !== undefined) els.push({ tag: 0x00280008, vr: 'IS', value: String(opts.frames) });
  return [...els, ...(opts.extra ?? [])];
}

/** Little-endian bytes of 16-bit samples. */
export function le16(values: number[]): Uint8Array {
  const v = new DataView(new ArrayBuffer(values.length * 2));
  values.forEach((x, i) => v.setUint16(i * 2, x & 0xffff, true));
  return new Uint8Array(v.buffer);
}
