/**
 * DICOM intake: parse with dicom-parser, decode pixel data with the codecs, and hand back stored
 * values frame by frame. Synchronous: the WebAssembly codecs are instantiated synchronously on first
 * use (see codecs.ts), so `decodeDicom`, `frame()` and `dicomInfo` all return plain values.
 *
 * Steps are kept apart on purpose: `frame()` returns stored values (before rescale); the rescale
 * (modality) and window (VOI) steps live in display.ts and are applied by imageDecode.ts.
 *
 * Accepted: Part 10 files; files whose meta header lacks the 128-byte preamble; bare data sets
 * without any meta header (encoding guessed from the first element, as pydicom's force mode does);
 * meta headers without a Transfer Syntax (guessed from the data set); data sets whose VR encoding
 * disagrees with the declared transfer syntax (explicit vs implicit, as pydicom tolerates).
 */
import { inflateRawSync, inflateSync } from 'node:zlib';
import { TextDecoder } from 'node:util';
import * as dicomParser from 'dicom-parser';
import type { DataSet, Element, Fragment } from 'dicom-parser';
import {
  DicomTruncatedError,
  FrameOutOfRangeError,
  ImageDecodeError,
  ImagingError,
  InvalidDicomError,
  NotDicomError,
  PixelDataMissingError,
  UnsupportedImageError,
  UnsupportedTransferSyntaxError,
  describeThrown,
} from './imagingErrors';
import { decodeRleFrame } from './rle';
import { codecSamplesToStored, expandYbr422, nativeFrameBytes, readNativeFrame, ybrToRgb, type PixelLayout } from './pixelData';
import { decodeJpeg2000, decodeJpeg8, decodeJpegLossless, decodeJpegLs, type CodecOutput } from './codecs';
import { decodeJpegDct, jpegFrameInfo, type JpegStreamInfo } from './jpegExtended';
import { parseVoiLutFunction, type VoiLutFunction } from './display';

export interface StoredFrame {
  width: number;
  height: number;
  channels: 1 | 3;
  /** Stored values before rescale; RGB interleaved for colour images. */
  stored: Int32Array | Float32Array;
}

export interface DicomFrameSet {
  modality: string | null;
  transferSyntax: string;
  rows: number;
  columns: number;
  frames: number;
  photometric: string;
  samplesPerPixel: number;
  bitsAllocated: number;
  pixelRepresentation: 0 | 1;
  rescaleSlope: number;
  rescaleIntercept: number;
  windowCenter: number | null;
  windowWidth: number | null;
  /** Patient/study/series fields for the viewer's header panel, by DICOM keyword; only non-empty ones. */
  header: Record<string, string>;
  /** Decodes frame `index` (0-based) on demand. Colour frames come back as RGB whatever the photometric. */
  frame(index: number): StoredFrame;
}

/** Palette Color lookup table (PALETTE COLOR images): 16-bit entries per channel. */
export interface PaletteLut {
  firstMapped: number;
  bits: number;
  red: Uint16Array;
  green: Uint16Array;
  blue: Uint16Array;
}

/** What decodeDicom returns: the API fields plus the details the display step needs. */
export interface DicomImage extends DicomFrameSet {
  bitsStored: number;
  highBit: number;
  planarConfiguration: 0 | 1;
  voiLutFunction: VoiLutFunction;
  palette: PaletteLut | null;
  /** How the transfer syntax was found: from the meta header, or guessed from the data set. */
  transferSyntaxSource: 'meta' | 'guessed';
  /** True when pixel data holds floats (Float / Double Float Pixel Data). */
  floatPixels: boolean;
}

export interface DicomInfo {
  modality: string | null;
  transferSyntax: string;
  rows: number;
  columns: number;
  frames: number;
  photometric: string;
  pixels: { min: number; max: number; mean: number };
}

// ---------------------------------------------------------------------------------------------
// Transfer syntaxes

export const TS = {
  implicitLE: '1.2.840.10008.1.2',
  explicitLE: '1.2.840.10008.1.2.1',
  encapsulatedUncompressed: '1.2.840.10008.1.2.1.98',
  deflatedLE: '1.2.840.10008.1.2.1.99',
  explicitBE: '1.2.840.10008.1.2.2',
  rle: '1.2.840.10008.1.2.5',
} as const;

type PixelCodec = 'native' | 'rle' | 'jpeg' | 'jpeg-ls' | 'jpeg2000' | 'raw-fragments';

const SUPPORTED: Record<string, { name: string; codec: PixelCodec }> = {
  [TS.implicitLE]: { name: 'Implicit VR Little Endian', codec: 'native' },
  [TS.explicitLE]: { name: 'Explicit VR Little Endian', codec: 'native' },
  [TS.deflatedLE]: { name: 'Deflated Explicit VR Little Endian', codec: 'native' },
  [TS.explicitBE]: { name: 'Explicit VR Big Endian', codec: 'native' },
  [TS.encapsulatedUncompressed]: { name: 'Encapsulated Uncompressed Explicit VR Little Endian', codec: 'raw-fragments' },
  [TS.rle]: { name: 'RLE Lossless', codec: 'rle' },
  '1.2.840.10008.1.2.4.50': { name: 'JPEG Baseline (Process 1)', codec: 'jpeg' },
  '1.2.840.10008.1.2.4.51': { name: 'JPEG Extended (Process 2 & 4)', codec: 'jpeg' },
  '1.2.840.10008.1.2.4.57': { name: 'JPEG Lossless (Process 14)', codec: 'jpeg' },
  '1.2.840.10008.1.2.4.70': { name: 'JPEG Lossless, First-Order Prediction (Process 14 SV1)', codec: 'jpeg' },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless', codec: 'jpeg-ls' },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Near-Lossless', codec: 'jpeg-ls' },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 Lossless Only', codec: 'jpeg2000' },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000', codec: 'jpeg2000' },
  '1.2.840.10008.1.2.4.92': { name: 'JPEG 2000 Part 2 Multi-component Lossless Only', codec: 'jpeg2000' },
  '1.2.840.10008.1.2.4.93': { name: 'JPEG 2000 Part 2 Multi-component', codec: 'jpeg2000' },
  '1.2.840.10008.1.2.4.201': { name: 'High-Throughput JPEG 2000 Lossless Only', codec: 'jpeg2000' },
  '1.2.840.10008.1.2.4.202': { name: 'High-Throughput JPEG 2000 with RPCL Options Lossless Only', codec: 'jpeg2000' },
  '1.2.840.10008.1.2.4.203': { name: 'High-Throughput JPEG 2000', codec: 'jpeg2000' },
};

const KNOWN_UNSUPPORTED: Record<string, string> = {
  '1.2.840.10008.1.2.4.52': 'JPEG Extended (Process 3 & 5), retired',
  '1.2.840.10008.1.2.4.53': 'JPEG Spectral Selection, retired',
  '1.2.840.10008.1.2.4.55': 'JPEG Full Progression, retired',
  '1.2.840.10008.1.2.4.94': 'JPIP Referenced',
  '1.2.840.10008.1.2.4.95': 'JPIP Referenced Deflate',
  '1.2.840.10008.1.2.4.100': 'MPEG2 Main Profile / Main Level',
  '1.2.840.10008.1.2.4.101': 'MPEG2 Main Profile / High Level',
  '1.2.840.10008.1.2.4.102': 'MPEG-4 AVC/H.264 High Profile',
  '1.2.840.10008.1.2.4.103': 'MPEG-4 AVC/H.264 BD-compatible High Profile',
  '1.2.840.10008.1.2.4.104': 'MPEG-4 AVC/H.264 High Profile for 2D Video',
  '1.2.840.10008.1.2.4.105': 'MPEG-4 AVC/H.264 High Profile for 3D Video',
  '1.2.840.10008.1.2.4.106': 'MPEG-4 AVC/H.264 Stereo High Profile',
  '1.2.840.10008.1.2.4.107': 'HEVC/H.265 Main Profile',
  '1.2.840.10008.1.2.4.108': 'HEVC/H.265 Main 10 Profile',
  '1.2.840.10008.1.2.4.110': 'JPEG XL Lossless',
  '1.2.840.10008.1.2.4.111': 'JPEG XL JPEG Recompression',
  '1.2.840.10008.1.2.4.112': 'JPEG XL',
  '1.2.840.10008.1.2.6.1': 'RFC 2557 MIME encapsulation',
  '1.2.840.10008.1.2.6.2': 'XML Encoding',
};

// ---------------------------------------------------------------------------------------------
// Header fields for the viewer

const HEADER_TAGS: readonly (readonly [string, string])[] = [
  ['PatientName', 'x00100010'],
  ['PatientID', 'x00100020'],
  ['PatientBirthDate', 'x00100030'],
  ['PatientSex', 'x00100040'],
  ['PatientAge', 'x00101010'],
  ['StudyDate', 'x00080020'],
  ['StudyTime', 'x00080030'],
  ['StudyDescription', 'x00081030'],
  ['StudyID', 'x00200010'],
  ['AccessionNumber', 'x00080050'],
  ['StudyInstanceUID', 'x0020000d'],
  ['ReferringPhysicianName', 'x00080090'],
  ['SeriesDate', 'x00080021'],
  ['SeriesDescription', 'x0008103e'],
  ['SeriesNumber', 'x00200011'],
  ['SeriesInstanceUID', 'x0020000e'],
  ['Modality', 'x00080060'],
  ['Manufacturer', 'x00080070'],
  ['ManufacturerModelName', 'x00081090'],
  ['InstitutionName', 'x00080080'],
  ['StationName', 'x00081010'],
  ['BodyPartExamined', 'x00180015'],
  ['ProtocolName', 'x00181030'],
  ['ViewPosition', 'x00185101'],
  ['Laterality', 'x00200060'],
  ['ImageLaterality', 'x00200062'],
  ['ImageType', 'x00080008'],
  ['ContentDate', 'x00080023'],
  ['ContentTime', 'x00080033'],
  ['AcquisitionDate', 'x00080022'],
  ['InstanceNumber', 'x00200013'],
  ['SOPClassUID', 'x00080016'],
  ['SOPInstanceUID', 'x00080018'],
  ['SliceThickness', 'x00180050'],
  ['SliceLocation', 'x00201041'],
  ['PixelSpacing', 'x00280030'],
  ['ImagerPixelSpacing', 'x00181164'],
  ['KVP', 'x00180060'],
  ['PhotometricInterpretation', 'x00280004'],
  ['LossyImageCompression', 'x00282110'],
];

const CHARSETS: Record<string, string> = {
  'ISO_IR 6': 'latin1',
  'ISO_IR 100': 'latin1',
  'ISO 2022 IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'windows-1254',
  'ISO_IR 166': 'windows-874',
  'ISO_IR 13': 'shift_jis',
  'ISO 2022 IR 13': 'shift_jis',
  'ISO 2022 IR 87': 'iso-2022-jp',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

function textDecoderFor(charset: string | undefined): TextDecoder {
  const terms = (charset ?? '').split('\\').map((t) => t.trim());
  // With code extensions the first term may be empty (default repertoire) and the next one names the extension.
  const named = terms.find((t) => t && CHARSETS[t]) ?? '';
  const label = CHARSETS[named] ?? 'latin1';
  try {
    return new TextDecoder(label);
  } catch {
    return new TextDecoder('latin1');
  }
}

// ---------------------------------------------------------------------------------------------
// Sniffing and parsing

const VRS = new Set('AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '));

function isVrAt(bytes: Uint8Array, p: number): boolean {
  if (p + 1 >= bytes.length) return false;
  return VRS.has(String.fromCharCode(bytes[p]!, bytes[p + 1]!));
}

type Encoding = { littleEndian: boolean; explicit: boolean };

/** Guesses the encoding of a data set from its first element (group, element, VR). Null when it does not look like DICOM. */
function sniffEncoding(bytes: Uint8Array, p: number): Encoding | null {
  if (p + 8 > bytes.length) return null;
  const groupLE = bytes[p]! | (bytes[p + 1]! << 8);
  const groupBE = (bytes[p]! << 8) | bytes[p + 1]!;
  const explicit = isVrAt(bytes, p + 4);
  // A data set starts with a low group number: meta (0002), identifying (0008), patient (0010)...
  const plausible = (g: number) => g <= 0x0010 || (g >= 0x0018 && g <= 0x0028 && g % 2 === 0);
  if (plausible(groupLE) && (groupLE <= groupBE || !plausible(groupBE))) {
    if (!explicit) {
      // Implicit VR: a 32-bit length that fits the data (or is undefined).
      const len = (bytes[p + 4]! | (bytes[p + 5]! << 8) | (bytes[p + 6]! << 16) | (bytes[p + 7]! << 24)) >>> 0;
      if (len !== 0xffffffff && p + 8 + len > bytes.length) return null;
    }
    return { littleEndian: true, explicit };
  }
  if (plausible(groupBE) && explicit) return { littleEndian: false, explicit: true };
  return null;
}

/**
 * Whether the bytes look like DICOM: a DICM prefix at 128, a meta group at the start, or a data set
 * whose first element is plausible (files written without any meta header).
 */
export function looksLikeDicom(bytes: Uint8Array): boolean {
  if (bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d) return true;
  if (bytes.length >= 12 && bytes[0] === 0x02 && bytes[1] === 0x00 && isVrAt(bytes, 4)) return true;
  return sniffEncoding(bytes, 0) !== null;
}

function encodingOf(ts: string): Encoding {
  if (ts === TS.implicitLE) return { littleEndian: true, explicit: false };
  if (ts === TS.explicitBE) return { littleEndian: false, explicit: true };
  return { littleEndian: true, explicit: true };
}

function parseTsFor(enc: Encoding): string {
  if (!enc.littleEndian) return TS.explicitBE;
  return enc.explicit ? TS.explicitLE : TS.implicitLE;
}

function tagName(tag: string): string {
  const hex = tag.replace(/^x/, '').toUpperCase();
  return `(${hex.slice(0, 4)},${hex.slice(4, 8)})`;
}

const ELEMENT_NAMES: Record<string, string> = {
  x7fe00010: 'Pixel Data',
  x7fe00008: 'Float Pixel Data',
  x7fe00009: 'Double Float Pixel Data',
};

function describeElement(tag: string): string {
  const name = ELEMENT_NAMES[tag];
  return name ? `${name} ${tagName(tag)}` : `element ${tagName(tag)}`;
}

const TRUNCATION = /overrun|overread|past end|maxPosition|cannot seek|greater than or equal to 'byteArray' length|end of buffer|unexpected end/i;

const PIXEL_TAGS = new Set(['x7fe00010', 'x7fe00008', 'x7fe00009']);

/** In implicit VR, undefined-length Pixel Data is found by scanning; walk its items to get the fragments. */
function findImplicitFragments(ds: DataSet): void {
  const px = ds.elements.x7fe00010;
  if (!px || !px.hadUndefinedLength || px.fragments) return;
  const stream = new dicomParser.ByteStream(ds.byteArrayParser, ds.byteArray, px.dataOffset);
  dicomParser.findEndOfEncapsulatedElement(stream, px, []);
  px.encapsulatedPixelData = true;
}

interface MetaHeader {
  transferSyntax: string | null;
  /** Offset of the data set (first byte after the meta group). */
  end: number;
}

function readMeta(bytes: Uint8Array, start: number, fileName: string): MetaHeader {
  let stream: dicomParser.ByteStream;
  try {
    stream = new dicomParser.ByteStream(dicomParser.littleEndianByteArrayParser, bytes, start);
  } catch {
    throw new DicomTruncatedError(fileName, 'the File Meta Information', 'the file ends after the DICM prefix');
  }
  const elements: Record<string, Element> = {};
  while (stream.position + 8 <= bytes.length && (bytes[stream.position]! | (bytes[stream.position + 1]! << 8)) === 0x0002) {
    try {
      const el = dicomParser.readDicomElementExplicit(stream, []);
      elements[el.tag] = el;
    } catch (e) {
      throw new DicomTruncatedError(fileName, 'the File Meta Information (group 0002)', describeThrown(e));
    }
  }
  const tsEl = elements.x00020010;
  let transferSyntax: string | null = null;
  if (tsEl && tsEl.length > 0) {
    if (tsEl.dataOffset + tsEl.length > bytes.length) throw new DicomTruncatedError(fileName, 'the File Meta Information', 'Transfer Syntax UID cut short');
    transferSyntax =
      dicomParser
        .readFixedString(bytes, tsEl.dataOffset, tsEl.length)
        .replace(/[\0\s]+$/g, '')
        .trim() || null;
  }
  return { transferSyntax, end: stream.position };
}

interface Parsed {
  dataSet: DataSet;
  transferSyntax: string;
  transferSyntaxSource: 'meta' | 'guessed';
  littleEndian: boolean;
}

function parseDataSet(bytes: Uint8Array, fileName: string): Parsed {
  const hasPreamble = bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
  let start = 0;
  let metaTs: string | null = null;
  let hadMeta = false;
  if (hasPreamble) {
    const meta = readMeta(bytes, 132, fileName);
    start = meta.end;
    metaTs = meta.transferSyntax;
    hadMeta = true;
  } else if (bytes.length >= 12 && bytes[0] === 0x02 && bytes[1] === 0x00 && isVrAt(bytes, 4)) {
    // Meta header without the 128-byte preamble and DICM prefix.
    const meta = readMeta(bytes, 0, fileName);
    start = meta.end;
    metaTs = meta.transferSyntax;
    hadMeta = true;
  } else {
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
    if (gz) throw new NotDicomError(fileName, 'gzip-compressed data; decompress it first');
    if (!sniffEncoding(bytes, 0)) throw new NotDicomError(fileName, 'no DICM prefix at offset 128 and no DICOM data set at the start');
  }

  let body = bytes.subarray(start);
  if (metaTs === TS.deflatedLE) {
    try {
      body = new Uint8Array(inflateRawSync(body));
    } catch (raw) {
      try {
        body = new Uint8Array(inflateSync(body));
      } catch {
        const text = describeThrown(raw);
        if (/unexpected end/i.test(text)) throw new DicomTruncatedError(fileName, 'the deflated data set', text);
        throw new InvalidDicomError(fileName, 'the deflated data set', text);
      }
    }
  }
  if (body.length === 0) {
    if (hadMeta) throw new PixelDataMissingError(fileName, null, null);
    throw new NotDicomError(fileName, 'empty file');
  }

  // Encoding: what the transfer syntax says, unless the first element clearly says otherwise.
  const sniffed = sniffEncoding(body, 0);
  let enc: Encoding;
  let transferSyntax: string;
  let source: 'meta' | 'guessed' = 'meta';
  if (metaTs) {
    enc = encodingOf(metaTs);
    if (sniffed && sniffed.littleEndian === enc.littleEndian && sniffed.explicit !== enc.explicit) enc = sniffed;
    transferSyntax = metaTs;
  } else {
    if (!sniffed) {
      if (hadMeta)
        throw new InvalidDicomError(fileName, 'the File Meta Information', 'no Transfer Syntax UID (0002,0010), and the data set encoding is not recognisable');
      throw new NotDicomError(fileName, 'no DICM prefix at offset 128 and no DICOM data set at the start');
    }
    enc = sniffed;
    transferSyntax = parseTsFor(enc);
    source = 'guessed';
  }

  let dataSet: DataSet;
  try {
    // Implicit VR: without a VR, dicom-parser would take encapsulated Pixel Data (items follow) for a sequence.
    const vrCallback = ((tag: string) => (PIXEL_TAGS.has(tag) ? 'OB' : undefined)) as unknown as (tag: string) => void;
    dataSet = dicomParser.parseDicom(body, { TransferSyntaxUID: parseTsFor(enc), vrCallback });
    if (!enc.explicit) findImplicitFragments(dataSet);
  } catch (e) {
    const partial = (e as { dataSet?: DataSet }).dataSet;
    const text = describeThrown(e);
    const tags = partial ? Object.keys(partial.elements) : [];
    if (!hadMeta && tags.length < 3) throw new NotDicomError(fileName, `no readable data set (${text})`);
    const last = tags[tags.length - 1];
    if (TRUNCATION.test(text)) {
      throw new DicomTruncatedError(fileName, last ? describeElement(last) : 'the data set', 'the file ends before the data this element announces');
    }
    throw new InvalidDicomError(fileName, last ? `the data set after ${describeElement(last)}` : 'the data set', text);
  }
  return { dataSet, transferSyntax, transferSyntaxSource: source, littleEndian: enc.littleEndian };
}

// ---------------------------------------------------------------------------------------------
// Attribute access

function str(ds: DataSet, tag: string): string | null {
  const v = ds.string(tag);
  return v === undefined || v === '' ? null : v;
}

function num(ds: DataSet, tag: string, index = 0): number | null {
  const s = ds.string(tag, index);
  if (s === undefined || s.trim() === '') return null;
  const v = Number(s.trim());
  return Number.isFinite(v) ? v : null;
}

function us(ds: DataSet, tag: string): number | null {
  const el = ds.elements[tag];
  if (!el || el.length < 2) return null;
  return ds.uint16(tag) ?? null;
}

/** First item of a sequence, then first item of a nested sequence in it. */
function nestedItem(ds: DataSet, seqTag: string, innerTag: string): DataSet | null {
  const outer = ds.elements[seqTag]?.items?.[0]?.dataSet;
  return outer?.elements[innerTag]?.items?.[0]?.dataSet ?? null;
}

function headerFields(ds: DataSet): Record<string, string> {
  const decoder = textDecoderFor(ds.string('x00080005'));
  const out: Record<string, string> = {};
  for (const [keyword, tag] of HEADER_TAGS) {
    const el = ds.elements[tag];
    if (!el || el.length === 0 || el.items) continue;
    if (el.dataOffset + el.length > ds.byteArray.length) continue;
    const raw = ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length);
    const text = decoder
      .decode(raw)
      .replace(/[\0\s]+$/g, '')
      .replace(/^\s+/, '');
    if (text) out[keyword] = text;
  }
  return out;
}

function readPalette(ds: DataSet): PaletteLut | null {
  const desc = (tag: string) => {
    const el = ds.elements[tag];
    if (!el || el.length < 6) return null;
    return [ds.uint16(tag, 0) ?? 0, ds.uint16(tag, 1) ?? 0, ds.uint16(tag, 2) ?? 0] as const;
  };
  const r = desc('x00281101');
  const g = desc('x00281102');
  const b = desc('x00281103');
  if (!r || !g || !b) return null;
  const entries = r[0] === 0 ? 65536 : r[0];
  const firstMapped = r[1];
  const bits = r[2];
  const table = (tag: string): Uint16Array | null => {
    const el = ds.elements[tag];
    if (!el) return null;
    const out = new Uint16Array(entries);
    if (bits === 8 && el.length === entries) {
      for (let i = 0; i < entries; i++) out[i] = ds.byteArray[el.dataOffset + i]!;
      return out;
    }
    if (el.length < entries * 2) return null;
    for (let i = 0; i < entries; i++) out[i] = ds.byteArrayParser.readUint16(ds.byteArray, el.dataOffset + 2 * i);
    return out;
  };
  const red = table('x00281201');
  const green = table('x00281202');
  const blue = table('x00281203');
  // Segmented palettes (0028,1221..1223) are not expanded: the image then shows as grayscale indices.
  if (!red || !green || !blue) return null;
  return { firstMapped, bits: bits === 8 ? 8 : 16, red, green, blue };
}

// ---------------------------------------------------------------------------------------------
// Encapsulated frames

function concatFragments(ds: DataSet, frags: readonly Fragment[]): Uint8Array {
  if (frags.length === 1) return ds.byteArray.subarray(frags[0]!.position, frags[0]!.position + frags[0]!.length);
  const total = frags.reduce((a, f) => a + f.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const f of frags) {
    out.set(ds.byteArray.subarray(f.position, f.position + f.length), o);
    o += f.length;
  }
  return out;
}

function looksLikeFrameStart(ds: DataSet, f: Fragment, codec: PixelCodec): boolean {
  const b = ds.byteArray;
  const p = f.position;
  if (codec === 'jpeg' || codec === 'jpeg-ls') return b[p] === 0xff && b[p + 1] === 0xd8;
  if (codec === 'jpeg2000') return (b[p] === 0xff && b[p + 1] === 0x4f) || (b[p + 4] === 0x6a && b[p + 5] === 0x50);
  if (codec === 'rle') {
    const n = b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
    const first = b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16) | (b[p + 7]! << 24);
    return n >= 1 && n <= 15 && first === 64;
  }
  return false;
}

/** Splits fragments into frames: extended offset table, basic offset table, one per fragment, or by codestream starts. */
function frameFragments(ds: DataSet, px: Element, frames: number, codec: PixelCodec): Fragment[][] {
  const frags = px.fragments ?? [];
  const groups: Fragment[][] = [];
  const byOffsets = (offsets: readonly number[]) => {
    for (let i = 0; i < offsets.length; i++) {
      const lo = offsets[i]!;
      const hi = i + 1 < offsets.length ? offsets[i + 1]! : Infinity;
      // Fragment offsets count from the first fragment's item tag, as the offset tables do.
      groups.push(frags.filter((f) => f.offset >= lo && f.offset < hi));
    }
  };
  const eot = ds.elements.x7fe00001;
  if (eot && eot.length >= 8 * frames) {
    const offs: number[] = [];
    for (let i = 0; i < frames; i++) {
      const lo = ds.byteArrayParser.readUint32(ds.byteArray, eot.dataOffset + 8 * i);
      const hi = ds.byteArrayParser.readUint32(ds.byteArray, eot.dataOffset + 8 * i + 4);
      offs.push(hi * 2 ** 32 + lo);
    }
    byOffsets(offs);
    return groups;
  }
  const bot = px.basicOffsetTable ?? [];
  if (bot.length === frames && frames > 0) {
    byOffsets(bot);
    return groups;
  }
  if (frames === 1) return [frags];
  if (frags.length === frames) return frags.map((f) => [f]);
  // No usable table: start a new frame at every fragment that begins a codestream.
  let current: Fragment[] | null = null;
  for (const f of frags) {
    if (!current || looksLikeFrameStart(ds, f, codec)) {
      current = [];
      groups.push(current);
    }
    current.push(f);
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------
// The frame set

/** Largest frame decoded (pixels), so a damaged Rows/Columns cannot make us allocate gigabytes. */
export const MAX_FRAME_PIXELS = 100_000_000;

function checkLayout(
  fileName: string,
  ds: DataSet,
): {
  rows: number;
  columns: number;
  spp: number;
  photometric: string;
  layout: PixelLayout;
} {
  const rows = us(ds, 'x00280010');
  const columns = us(ds, 'x00280011');
  const missing = [rows ? null : 'Rows (0028,0010)', columns ? null : 'Columns (0028,0011)'].filter(Boolean);
  if (missing.length)
    throw new InvalidDicomError(
      fileName,
      'the Image Pixel module',
      `Pixel Data is present but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing or zero`,
    );
  const spp = us(ds, 'x00280002') ?? 1;
  const photometric = (str(ds, 'x00280004') ?? (spp === 3 ? 'RGB' : 'MONOCHROME2')).toUpperCase();
  const pixelTag = ds.elements.x7fe00010 ? 'x7fe00010' : ds.elements.x7fe00008 ? 'x7fe00008' : 'x7fe00009';
  const floatBits = pixelTag === 'x7fe00008' ? 32 : pixelTag === 'x7fe00009' ? 64 : null;
  const ba = floatBits ?? us(ds, 'x00280100');
  if (!ba) throw new InvalidDicomError(fileName, 'the Image Pixel module', 'Bits Allocated (0028,0100) is missing');
  const bs = floatBits ?? us(ds, 'x00280101') ?? ba;
  const hb = floatBits ? floatBits - 1 : (us(ds, 'x00280102') ?? bs - 1);
  const pr = us(ds, 'x00280103') === 1 ? 1 : 0;
  const pc = us(ds, 'x00280006') === 1 ? 1 : 0;
  if (spp !== 1 && spp !== 3) throw new UnsupportedImageError(fileName, `${spp} samples per pixel (1 or 3 supported)`);
  if (rows! * columns! > MAX_FRAME_PIXELS) throw new UnsupportedImageError(fileName, `${columns}×${rows} pixels per frame is larger than ${MAX_FRAME_PIXELS}`);
  if (!floatBits && ![1, 8, 16, 32].includes(ba)) throw new UnsupportedImageError(fileName, `Bits Allocated ${ba} (1, 8, 16 or 32 supported)`);
  if (!floatBits && (bs < 1 || bs > ba || hb < bs - 1 || hb >= ba)) {
    throw new InvalidDicomError(fileName, 'the Image Pixel module', `Bits Stored ${bs} / High Bit ${hb} do not fit Bits Allocated ${ba}`);
  }
  return {
    rows: rows!,
    columns: columns!,
    spp,
    photometric,
    layout: {
      rows: rows!,
      columns: columns!,
      samplesPerPixel: spp,
      bitsAllocated: ba,
      bitsStored: bs,
      highBit: hb,
      pixelRepresentation: pr,
      planarConfiguration: pc,
    },
  };
}

export function decodeDicom(bytes: Uint8Array, fileName: string): DicomImage {
  const { dataSet: ds, transferSyntax, transferSyntaxSource, littleEndian } = parseDataSet(bytes, fileName);
  const modality = str(ds, 'x00080060');
  const px = ds.elements.x7fe00010 ?? ds.elements.x7fe00008 ?? ds.elements.x7fe00009;
  if (!px) throw new PixelDataMissingError(fileName, modality, str(ds, 'x00080016'));

  const support = SUPPORTED[transferSyntax];
  if (!support) throw new UnsupportedTransferSyntaxError(fileName, transferSyntax, KNOWN_UNSUPPORTED[transferSyntax]);

  const { rows, columns, spp, photometric, layout } = checkLayout(fileName, ds);
  const floatPixels = px.tag !== 'x7fe00010';
  const frames = Math.max(1, Math.floor(num(ds, 'x00280008') ?? 1));

  // Rescale and window: top level, else the shared functional groups (enhanced multi-frame objects).
  const pvt = nestedItem(ds, 'x52009229', 'x00289145');
  const voi = nestedItem(ds, 'x52009229', 'x00289132');
  const rescaleSlope = num(ds, 'x00281053') ?? (pvt ? num(pvt, 'x00281053') : null) ?? 1;
  const rescaleIntercept = num(ds, 'x00281052') ?? (pvt ? num(pvt, 'x00281052') : null) ?? 0;
  let windowCenter = num(ds, 'x00281050') ?? (voi ? num(voi, 'x00281050') : null);
  let windowWidth = num(ds, 'x00281051') ?? (voi ? num(voi, 'x00281051') : null);
  if (windowCenter === null || windowWidth === null || windowWidth <= 0) {
    windowCenter = null;
    windowWidth = null;
  }
  const voiLutFunction = parseVoiLutFunction(str(ds, 'x00281056') ?? (voi ? str(voi, 'x00281056') : null));

  const encapsulated = px.encapsulatedPixelData === true || (px.hadUndefinedLength === true && !!px.fragments);
  let frameOf: (index: number) => StoredFrame;
  const channels: 1 | 3 = spp === 3 ? 3 : 1;
  const done = (stored: Int32Array | Float32Array): StoredFrame => ({ width: columns, height: rows, channels, stored });

  if (support.codec === 'native' && !encapsulated) {
    const available = Math.min(px.length, ds.byteArray.length - px.dataOffset);
    const pixelBytes = ds.byteArray.subarray(px.dataOffset, px.dataOffset + available);
    if (floatPixels) {
      const size = rows * columns * spp * (layout.bitsAllocated / 8);
      if (available < size * frames) {
        throw new DicomTruncatedError(fileName, describeElement(px.tag), `${available} bytes for ${frames} frame(s) of ${size}`);
      }
      frameOf = (i) => {
        const view = new DataView(pixelBytes.buffer, pixelBytes.byteOffset + i * size, size);
        const n = rows * columns * spp;
        const out = new Float32Array(n);
        for (let k = 0; k < n; k++) out[k] = layout.bitsAllocated === 32 ? view.getFloat32(4 * k, littleEndian) : view.getFloat64(8 * k, littleEndian);
        return done(out);
      };
    } else {
      let source = pixelBytes;
      if (!littleEndian && layout.bitsAllocated === 1 && px.vr === 'OW') {
        // OW in big endian: 16-bit words byte-swapped; the bit order lives in little-endian words.
        source = new Uint8Array(pixelBytes.length);
        for (let k = 0; k + 1 < pixelBytes.length; k += 2) {
          source[k] = pixelBytes[k + 1]!;
          source[k + 1] = pixelBytes[k]!;
        }
      }
      const frameSize = nativeFrameBytes(layout, photometric);
      const needed = Math.ceil(frameSize * frames);
      if (available < needed) {
        throw new DicomTruncatedError(
          fileName,
          describeElement(px.tag),
          `it holds ${available} bytes; ${frames} frame(s) of ${rows}×${columns}×${photometric === 'YBR_FULL_422' ? 2 : spp} samples at ${layout.bitsAllocated} bits need ${needed}`,
        );
      }
      frameOf = (i) => {
        if (layout.bitsAllocated === 1) {
          return done(readNativeFrame(source, layout, littleEndian, i * rows * columns * spp));
        }
        const frameBytes = source.subarray(i * frameSize, (i + 1) * frameSize);
        if (photometric === 'YBR_FULL_422') {
          const flat = readNativeFrame(frameBytes, { ...layout, rows, columns: columns * 2, samplesPerPixel: 1, planarConfiguration: 0 }, littleEndian);
          return done(ybrToRgb(expandYbr422(flat, rows, columns), layout.bitsStored));
        }
        const stored = readNativeFrame(frameBytes, layout, littleEndian);
        return done(toRgbIfYbr(stored, photometric, layout.bitsStored));
      };
    }
  } else {
    if (!encapsulated) {
      throw new InvalidDicomError(
        fileName,
        describeElement(px.tag),
        `transfer syntax ${transferSyntax} needs encapsulated (fragmented) pixel data, but the element has a defined length`,
      );
    }
    if (floatPixels) throw new UnsupportedImageError(fileName, 'compressed float pixel data');
    let groups: Fragment[][] | null = null;
    frameOf = (i) => {
      groups ??= frameFragments(ds, px, frames, support.codec);
      const group = groups[i];
      if (!group || group.length === 0) {
        throw new ImageDecodeError(
          fileName,
          `frame ${i}`,
          `no encapsulated fragment holds it (${groups.length} frame(s) found in ${(px.fragments ?? []).length} fragment(s))`,
        );
      }
      const data = concatFragments(ds, group);
      return done(decodeCompressedFrame(data, support.codec, layout, photometric, fileName, i));
    };
  }

  const header = headerFields(ds);
  const palette = photometric === 'PALETTE COLOR' ? readPalette(ds) : null;
  return {
    modality,
    transferSyntax,
    rows,
    columns,
    frames,
    photometric,
    samplesPerPixel: spp,
    bitsAllocated: layout.bitsAllocated,
    pixelRepresentation: layout.pixelRepresentation,
    rescaleSlope,
    rescaleIntercept,
    windowCenter,
    windowWidth,
    header,
    bitsStored: layout.bitsStored,
    highBit: layout.highBit,
    planarConfiguration: layout.planarConfiguration,
    voiLutFunction,
    palette,
    transferSyntaxSource,
    floatPixels,
    frame(index: number): StoredFrame {
      if (!Number.isInteger(index) || index < 0 || index >= frames) throw new FrameOutOfRangeError(fileName, index, frames);
      return frameOf(index);
    },
  };
}

function toRgbIfYbr(stored: Int32Array | Float32Array, photometric: string, bits: number): Int32Array | Float32Array {
  if (stored instanceof Float32Array) return stored;
  if (photometric === 'YBR_FULL') return ybrToRgb(stored, bits);
  if (photometric === 'YBR_PARTIAL_422' || photometric === 'YBR_PARTIAL_420') return ybrToRgb(stored, bits, true);
  return stored;
}

/**
 * A 3-component JPEG with neither JFIF nor Adobe marker is ambiguous; libjpeg assumes YCbCr. When
 * the DICOM header says RGB and nothing is subsampled (subsampling implies YCbCr), trust DICOM, as
 * DCMTK and GDCM do: the samples are RGB already.
 */
function rgbWithoutTransform(info: JpegStreamInfo, photometric: string): boolean {
  return info.components === 3 && photometric === 'RGB' && !info.jfif && info.adobeTransform < 0 && !info.subsampled;
}

function decodeCompressedFrame(
  data: Uint8Array,
  codec: PixelCodec,
  layout: PixelLayout,
  photometric: string,
  fileName: string,
  index: number,
): Int32Array | Float32Array {
  const part = (what: string) => `frame ${index} (${what})`;
  if (codec === 'raw-fragments') {
    const need = nativeFrameBytes(layout, photometric);
    if (data.length < need) throw new DicomTruncatedError(fileName, part('uncompressed fragment'), `${data.length} bytes, ${need} needed`);
    return toRgbIfYbr(readNativeFrame(data, layout, true), photometric, layout.bitsStored);
  }
  if (codec === 'rle') {
    let le: Uint8Array;
    try {
      le = decodeRleFrame(data, layout);
    } catch (e) {
      throw new ImageDecodeError(fileName, part('RLE'), describeThrown(e), { cause: e });
    }
    const stored = readNativeFrame(le, { ...layout, planarConfiguration: 0 }, true);
    return toRgbIfYbr(stored, photometric, layout.bitsStored);
  }

  // JPEG family: choose by what the codestream is, not only by the transfer syntax.
  let out: CodecOutput;
  let what = 'JPEG';
  let colourConverted = false;
  try {
    if (data[0] === 0xff && data[1] === 0xd8) {
      const info = jpegFrameInfo(data);
      if (!info) throw new Error('no JPEG frame header (SOF) before the first scan');
      if (info.sof === 0xf7) {
        what = 'JPEG-LS';
        out = decodeJpegLs(data);
      } else if (info.sof === 0xc3 || info.sof === 0xc7) {
        what = 'JPEG lossless';
        out = decodeJpegLossless(data, layout.bitsAllocated);
      } else if (info.precision === 8 && !rgbWithoutTransform(info, photometric)) {
        what = 'JPEG 8-bit';
        out = decodeJpeg8(data);
        colourConverted = true;
      } else if ((info.precision === 8 || info.precision === 12) && (info.sof === 0xc0 || info.sof === 0xc1)) {
        what = `JPEG ${info.precision}-bit`;
        const img = decodeJpegDct(data, rgbWithoutTransform(info, photometric) ? false : 'auto');
        out = { width: img.width, height: img.height, components: img.components, bitsPerSample: info.precision, signed: false, samples: img.samples };
        colourConverted = true;
      } else {
        throw new Error(`JPEG frame type 0x${info.sof.toString(16).toUpperCase()} at ${info.precision}-bit precision is not supported`);
      }
    } else if ((data[0] === 0xff && data[1] === 0x4f) || (data[4] === 0x6a && data[5] === 0x50 && data[6] === 0x20)) {
      what = 'JPEG 2000';
      out = decodeJpeg2000(data);
    } else {
      throw new Error(
        `the fragment does not start with a JPEG, JPEG-LS or JPEG 2000 codestream (first bytes ${Array.from(data.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')})`,
      );
    }
  } catch (e) {
    if (e instanceof ImagingError) throw e;
    throw new ImageDecodeError(fileName, part(what), describeThrown(e), { cause: e });
  }

  if (out.width !== layout.columns || out.height !== layout.rows) {
    throw new ImageDecodeError(fileName, part(what), `codestream is ${out.width}×${out.height}, the header says ${layout.columns}×${layout.rows}`);
  }
  if (out.components !== layout.samplesPerPixel) {
    throw new ImageDecodeError(fileName, part(what), `codestream has ${out.components} component(s), Samples per Pixel is ${layout.samplesPerPixel}`);
  }
  const expected = layout.rows * layout.columns * layout.samplesPerPixel;
  if (out.samples.length < expected) {
    throw new ImageDecodeError(fileName, part(what), `decoder returned ${out.samples.length} samples, ${expected} expected`);
  }
  const samples = out.samples.length > expected ? out.samples.subarray(0, expected) : out.samples;
  const stored = codecSamplesToStored(samples, out.signed, layout);
  if (!colourConverted && layout.samplesPerPixel === 3 && (photometric === 'YBR_FULL' || photometric === 'YBR_FULL_422')) {
    return ybrToRgb(stored, out.bitsPerSample || layout.bitsStored);
  }
  return stored;
}

// ---------------------------------------------------------------------------------------------

/** Summary of a file for `lantern dicom-info`: the first frame's stored values, before rescale. */
export function dicomInfo(bytes: Uint8Array, fileName: string): DicomInfo {
  const img = decodeDicom(bytes, fileName);
  const f = img.frame(0);
  const s = f.stored;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const v = s[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return {
    modality: img.modality,
    transferSyntax: img.transferSyntax,
    rows: img.rows,
    columns: img.columns,
    frames: img.frames,
    photometric: img.photometric,
    pixels: { min, max, mean: s.length ? sum / s.length : 0 },
  };
}
