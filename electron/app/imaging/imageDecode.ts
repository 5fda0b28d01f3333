/**
 * One entry point for every image a user can attach: PNG, JPEG, TIFF and DICOM, recognised by
 * their first bytes (never by the file name). Output is display-ready: values in [0, 1], row-major,
 * channels interleaved. For DICOM that means the first frame through rescale → window (the file's
 * own window, else the frame's min/max) → MONOCHROME1 inversion; colour images are scaled by
 * their bit depth.
 */
import { decodeDicom, looksLikeDicom, type DicomImage, type StoredFrame } from './dicomDecode';
import { applyRescale, applyWindow, invertInPlace, minMaxWindow, normaliseByBits, type VoiWindow } from './display';
import { decodeJpeg8 } from './codecs';
import { decodeJpegDct, jpegFrameInfo } from './jpegExtended';
import { ImageDecodeError, ImagingError, UnsupportedImageError, UnsupportedImageFormatError, describeThrown } from './imagingErrors';

/** Same shape as models/runtime/imaging's DecodedImage (structural typing makes them interchangeable). */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 3;
  /** Values in [0, 1], row-major, channels interleaved: (x, y, c) at (y * width + x) * channels + c. */
  data: Float32Array;
}

export type ImageKind = 'dicom' | 'png' | 'jpeg' | 'tiff';

/** Largest image decoded (pixels). Beyond it a file is refused before any large allocation. */
export const MAX_DECODE_PIXELS = 100_000_000;

function checkSize(fileName: string, width: number, height: number): void {
  if (!(width > 0 && height > 0)) throw new ImageDecodeError(fileName, 'the image header', `size ${width}×${height}`);
  if (width * height > MAX_DECODE_PIXELS) throw new UnsupportedImageError(fileName, `${width}×${height} pixels is larger than ${MAX_DECODE_PIXELS}`);
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** What kind of image the bytes hold, by magic number. Throws UnsupportedImageFormatError for anything else. */
export function sniffImageKind(bytes: Uint8Array, fileName: string): ImageKind {
  // "DICM" at 128 first: the preamble before it may legitimately hold a TIFF header (dual-personality files).
  if (bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d) return 'dicom';
  if (PNG_MAGIC.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (
    (bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0x00) ||
    (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0x00 && bytes[3] === 0x2a)
  ) {
    return 'tiff';
  }
  if ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2b) || (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[3] === 0x2b)) {
    throw new UnsupportedImageFormatError(fileName, 'BigTIFF is not supported');
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) throw new UnsupportedImageFormatError(fileName, 'gzip-compressed data; decompress it first');
  if (looksLikeDicom(bytes)) return 'dicom';
  throw new UnsupportedImageFormatError(fileName);
}

/** Decodes a PNG, JPEG, TIFF or DICOM file (first frame) to display values. */
export async function decodeImageFile(bytes: Uint8Array, fileName: string): Promise<DecodedImage> {
  return decodeImageFileSync(bytes, fileName);
}

/** Synchronous form of decodeImageFile (every decoder here is synchronous). */
export function decodeImageFileSync(bytes: Uint8Array, fileName: string): DecodedImage {
  const kind = sniffImageKind(bytes, fileName);
  if (kind === 'dicom') {
    const img = decodeDicom(bytes, fileName);
    return dicomFrameToDisplay(img, img.frame(0));
  }
  try {
    if (kind === 'png') return decodePng(bytes, fileName);
    if (kind === 'jpeg') return decodeJpegFile(bytes, fileName);
    return decodeTiff(bytes, fileName);
  } catch (e) {
    if (e instanceof ImagingError) throw e;
    throw new ImageDecodeError(fileName, kind.toUpperCase(), describeThrown(e), { cause: e });
  }
}

// ---------------------------------------------------------------------------------------------
// DICOM display

/** The window the display step uses: the file's, else the frame's min/max. */
export function displayWindow(img: DicomImage, rescaled: Float32Array): VoiWindow {
  if (img.windowCenter !== null && img.windowWidth !== null) {
    return { center: img.windowCenter, width: img.windowWidth, fn: img.voiLutFunction };
  }
  return minMaxWindow(rescaled);
}

/** Stored frame → display values: rescale, window, MONOCHROME1 inversion (grey); bit-depth scaling (colour). */
export function dicomFrameToDisplay(img: DicomImage, frame: StoredFrame): DecodedImage {
  const { width, height } = frame;
  if (frame.channels === 3) {
    return { width, height, channels: 3, data: normaliseByBits(frame.stored, img.bitsStored) };
  }
  if (img.palette) return applyPalette(img, frame);
  const rescaled = applyRescale(frame.stored, img.rescaleSlope, img.rescaleIntercept);
  const window = displayWindow(img, rescaled);
  const data = applyWindow(rescaled, window, rescaled);
  if (img.photometric === 'MONOCHROME1') invertInPlace(data);
  return { width, height, channels: 1, data };
}

function applyPalette(img: DicomImage, frame: StoredFrame): DecodedImage {
  const lut = img.palette!;
  const n = lut.red.length;
  const max = 2 ** lut.bits - 1;
  const out = new Float32Array(frame.stored.length * 3);
  for (let i = 0; i < frame.stored.length; i++) {
    let k = frame.stored[i]! - lut.firstMapped;
    k = k < 0 ? 0 : k >= n ? n - 1 : k;
    out[3 * i] = lut.red[k]! / max;
    out[3 * i + 1] = lut.green[k]! / max;
    out[3 * i + 2] = lut.blue[k]! / max;
  }
  return { width: frame.width, height: frame.height, channels: 3, data: out };
}

// ---------------------------------------------------------------------------------------------
// PNG (pngjs: every bit depth, palettes, interlacing)

interface PngjsResult {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  data: Uint8Array | Uint16Array;
}
interface PngjsModule {
  PNG: { sync: { read(buffer: Buffer, options?: { skipRescale?: boolean }): PngjsResult } };
}

function decodePng(bytes: Uint8Array, fileName: string): DecodedImage {
  // IHDR is the first chunk: width and height at offsets 16 and 20.
  if (bytes.length < 24) throw new ImageDecodeError(fileName, 'PNG', 'file ends inside the header');
  const header = new DataView(bytes.buffer, bytes.byteOffset, 24);
  checkSize(fileName, header.getUint32(16), header.getUint32(20));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first PNG, not at app start
  const { PNG } = require('pngjs') as PngjsModule;
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { skipRescale: true });
  const { width, height, colorType } = png;
  // RGBA out of pngjs; palettes are expanded to 8-bit colours, other depths keep their range.
  const max = colorType === 3 ? 255 : 2 ** png.depth - 1;
  const grey = colorType === 0 || colorType === 4;
  const channels: 1 | 3 = grey ? 1 : 3;
  const n = width * height;
  const data = new Float32Array(n * channels);
  const src = png.data;
  for (let i = 0; i < n; i++) {
    if (grey) data[i] = src[4 * i]! / max;
    else {
      data[3 * i] = src[4 * i]! / max;
      data[3 * i + 1] = src[4 * i + 1]! / max;
      data[3 * i + 2] = src[4 * i + 2]! / max;
    }
  }
  return { width, height, channels, data };
}

// ---------------------------------------------------------------------------------------------
// JPEG (libjpeg-turbo for 8-bit; the extended-precision decoder for 12-bit), EXIF orientation applied

function decodeJpegFile(bytes: Uint8Array, fileName: string): DecodedImage {
  const info = jpegFrameInfo(bytes);
  if (!info) throw new ImageDecodeError(fileName, 'JPEG', 'no frame header (SOF) found');
  checkSize(fileName, info.width, info.height);
  let width: number;
  let height: number;
  let components: number;
  let samples: ArrayLike<number>;
  let max: number;
  if (info.precision === 8) {
    const out = decodeJpeg8(bytes);
    ({ width, height, components } = out);
    samples = out.samples;
    max = 255;
  } else if (info.precision === 12 && (info.sof === 0xc0 || info.sof === 0xc1)) {
    const out = decodeJpegDct(bytes);
    ({ width, height, components } = out);
    samples = out.samples;
    max = 2 ** info.precision - 1;
  } else {
    throw new UnsupportedImageError(fileName, `JPEG at ${info.precision}-bit precision, frame type 0x${info.sof.toString(16).toUpperCase()}`);
  }
  if (components !== 1 && components !== 3) throw new UnsupportedImageError(fileName, `JPEG with ${components} components (CMYK?)`);
  const data = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) data[i] = samples[i]! / max;
  return applyExifOrientation({ width, height, channels: components as 1 | 3, data }, exifOrientation(bytes));
}

/** EXIF orientation (tag 0x0112 in IFD0 of the APP1 Exif segment); 1 when absent. */
export function exifOrientation(bytes: Uint8Array): number {
  let p = 2;
  while (p + 4 < bytes.length && bytes[p] === 0xff) {
    const m = bytes[p + 1]!;
    if (m === 0xda || m === 0xd9) break;
    const len = (bytes[p + 2]! << 8) | bytes[p + 3]!;
    const seg = p + 4;
    if (m === 0xe1 && bytes[seg] === 0x45 && bytes[seg + 1] === 0x78 && bytes[seg + 2] === 0x69 && bytes[seg + 3] === 0x66) {
      const t = seg + 6;
      if (t + 8 > bytes.length) return 1;
      const le = bytes[t] === 0x49;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const ifd = t + view.getUint32(t + 4, le);
      if (ifd + 2 > bytes.length) return 1;
      const entries = view.getUint16(ifd, le);
      for (let i = 0; i < entries; i++) {
        const e = ifd + 2 + 12 * i;
        if (e + 12 > bytes.length) return 1;
        if (view.getUint16(e, le) === 0x0112) {
          const o = view.getUint16(e + 8, le);
          return o >= 1 && o <= 8 ? o : 1;
        }
      }
      return 1;
    }
    p += 2 + len;
  }
  return 1;
}

/** Rotates/mirrors so that the image shows upright (EXIF orientations 1-8). */
export function applyExifOrientation(img: DecodedImage, orientation: number): DecodedImage {
  if (orientation <= 1 || orientation > 8) return img;
  const { width: w, height: h, channels: c, data } = img;
  const swap = orientation >= 5;
  const W = swap ? h : w;
  const H = swap ? w : h;
  const out = new Float32Array(data.length);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      // Source coordinates for the output pixel (x, y).
      let sx: number;
      let sy: number;
      switch (orientation) {
        case 2:
          sx = w - 1 - x;
          sy = y;
          break;
        case 3:
          sx = w - 1 - x;
          sy = h - 1 - y;
          break;
        case 4:
          sx = x;
          sy = h - 1 - y;
          break;
        case 5:
          sx = y;
          sy = x;
          break;
        case 6:
          sx = y;
          sy = h - 1 - x;
          break;
        case 7:
          sx = w - 1 - y;
          sy = h - 1 - x;
          break;
        default:
          sx = w - 1 - y;
          sy = x;
          break; // 8
      }
      const s = (sy * w + sx) * c;
      const d = (y * W + x) * c;
      for (let k = 0; k < c; k++) out[d + k] = data[s + k]!;
    }
  }
  return { width: W, height: H, channels: c, data: out };
}

// ---------------------------------------------------------------------------------------------
// TIFF (utif2: strips/tiles, none/LZW/Deflate/PackBits/JPEG compression)

interface TiffIfd {
  [tag: string]: unknown;
  width: number;
  height: number;
  data: Uint8Array;
  isLE?: boolean;
}
interface UtifModule {
  decode(buffer: ArrayBuffer): TiffIfd[];
  decodeImage(buffer: ArrayBuffer, ifd: TiffIfd, ifds?: TiffIfd[]): void;
  toRGBA8(ifd: TiffIfd): Uint8Array;
}

const TIFF_TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];

/**
 * Checks the IFD chain before utif2 reads it: every tag's data must lie inside the file (utif2
 * trusts counts, and a damaged count makes it read millions of values). Returns IFD0's size.
 */
function validateTiff(bytes: Uint8Array, fileName: string): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x49;
  const len = bytes.length;
  const fail = (why: string): never => {
    throw new ImageDecodeError(fileName, 'TIFF', why);
  };
  if (len < 8) fail('file ends inside the header');
  let ifd = view.getUint32(4, le);
  let width = 0;
  let height = 0;
  for (let n = 0; ifd !== 0 && n < 64; n++) {
    if (ifd + 2 > len) fail(`image directory at ${ifd} is past the end of the file`);
    const entries = view.getUint16(ifd, le);
    if (ifd + 2 + 12 * entries + 4 > len) fail('image directory runs past the end of the file');
    for (let i = 0; i < entries; i++) {
      const e = ifd + 2 + 12 * i;
      const tag = view.getUint16(e, le);
      const type = view.getUint16(e + 2, le);
      const count = view.getUint32(e + 4, le);
      const size = (TIFF_TYPE_SIZE[type] ?? 0) * count;
      if (size > 4 && view.getUint32(e + 8, le) + size > len) fail(`tag ${tag} points past the end of the file`);
      if (n === 0 && (tag === 256 || tag === 257)) {
        const v = type === 3 ? view.getUint16(e + 8, le) : view.getUint32(e + 8, le);
        if (tag === 256) width = v;
        else height = v;
      }
    }
    ifd = view.getUint32(ifd + 2 + 12 * entries, le);
  }
  return { width, height };
}

function tagNumber(ifd: TiffIfd, tag: number, fallback: number): number {
  const v = ifd[`t${tag}`];
  return Array.isArray(v) && typeof v[0] === 'number' ? v[0] : fallback;
}

function decodeTiff(bytes: Uint8Array, fileName: string): DecodedImage {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first TIFF, not at app start
  const UTIF = require('utif2') as UtifModule;
  const size = validateTiff(bytes, fileName);
  checkSize(fileName, size.width, size.height);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const ifds = UTIF.decode(buffer);
  const ifd = ifds.find((d) => d.t256 !== undefined);
  if (!ifd) throw new ImageDecodeError(fileName, 'TIFF', 'no image directory with a width');
  UTIF.decodeImage(buffer, ifd, ifds);
  const { width, height } = ifd;
  if (!width || !height || !ifd.data) throw new ImageDecodeError(fileName, 'TIFF', 'image data could not be decoded');
  const photometric = tagNumber(ifd, 262, 1);
  const bps = tagNumber(ifd, 258, 1);
  const spp = tagNumber(ifd, 277, 1);
  const sampleFormat = tagNumber(ifd, 339, 1);
  const compression = tagNumber(ifd, 259, 1);
  const n = width * height;

  // Greyscale with 8, 16 or 32 bits: read the samples ourselves to keep their full depth.
  if ((photometric === 0 || photometric === 1) && (bps === 8 || bps === 16 || bps === 32) && compression !== 7) {
    const bytesPer = bps / 8;
    const rowBytes = width * spp * bytesPer;
    if (ifd.data.length < rowBytes * height)
      throw new ImageDecodeError(fileName, 'TIFF', `strip data holds ${ifd.data.length} bytes, ${rowBytes * height} needed`);
    const view = new DataView(ifd.data.buffer, ifd.data.byteOffset, ifd.data.byteLength);
    // utif2 converts 16-bit samples to little endian; 32-bit ones keep the file's byte order.
    const le32 = ifd.isLE !== false;
    const raw = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * spp * bytesPer;
      if (bps === 8) raw[i] = sampleFormat === 2 ? view.getInt8(o) : view.getUint8(o);
      else if (bps === 16) raw[i] = sampleFormat === 2 ? view.getInt16(o, true) : view.getUint16(o, true);
      else raw[i] = sampleFormat === 3 ? view.getFloat32(o, le32) : sampleFormat === 2 ? view.getInt32(o, le32) : view.getUint32(o, le32);
    }
    let data: Float32Array;
    if (sampleFormat === 1) {
      data = normaliseByBits(raw, bps);
    } else {
      // Signed or float samples have no fixed range: use the image's own.
      data = applyWindow(raw, minMaxWindow(raw));
    }
    if (photometric === 0) invertInPlace(data);
    return { width, height, channels: 1, data };
  }

  const rgba = UTIF.toRGBA8(ifd);
  if (rgba.length < n * 4) throw new ImageDecodeError(fileName, 'TIFF', 'decoded image is smaller than its size');
  const grey = photometric === 0 || photometric === 1;
  const channels: 1 | 3 = grey ? 1 : 3;
  const data = new Float32Array(n * channels);
  for (let i = 0; i < n; i++) {
    if (grey) data[i] = rgba[4 * i]! / 255;
    else {
      data[3 * i] = rgba[4 * i]! / 255;
      data[3 * i + 1] = rgba[4 * i + 1]! / 255;
      data[3 * i + 2] = rgba[4 * i + 2]! / 255;
    }
  }
  return { width, height, channels, data };
}
