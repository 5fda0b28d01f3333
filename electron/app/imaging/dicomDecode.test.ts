/**
 * Decoder behaviour on small files written in the test (no shared data needed): layouts, colour,
 * rescale/window as separate steps, and the named errors.
 */
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeDicom, dicomInfo } from './dicomDecode';
import { dicomFrameToDisplay } from './imageDecode';
import { EXPLICIT_BE, IMPLICIT_LE, imageElements, le16, writeDicom, type WriterElement } from './dicomWriter';
import { encodeRleFrame } from './rle';
import {
  DicomTruncatedError,
  FrameOutOfRangeError,
  ImageDecodeError,
  InvalidDicomError,
  NotDicomError,
  PixelDataMissingError,
  UnsupportedTransferSyntaxError,
} from './imagingErrors';

const DS = (tag: number, value: string): WriterElement => ({ tag, vr: 'DS', value });

describe('native pixel data', () => {
  it('keeps stored values, rescale and window apart, and applies them in order for display', () => {
    const bytes = writeDicom(
      imageElements({
        rows: 2,
        columns: 2,
        pixelData: le16([0, 1000, 1024, 2048]),
        extra: [DS(0x00281052, '-1024'), DS(0x00281053, '1'), DS(0x00281050, '40\\400'), DS(0x00281051, '400\\2000')],
      }),
    );
    const img = decodeDicom(bytes, 'ct.dcm');
    expect(img.rescaleIntercept).toBe(-1024);
    expect(img.rescaleSlope).toBe(1);
    expect(img.windowCenter).toBe(40); // the first of several windows
    expect(img.windowWidth).toBe(400);
    const f = img.frame(0);
    expect(f).toMatchObject({ width: 2, height: 2, channels: 1 });
    expect(Array.from(f.stored)).toEqual([0, 1000, 1024, 2048]);
    const d = dicomFrameToDisplay(img, f);
    // Rescaled: -1024, -24, 0, 1024; window 40/400 (LINEAR).
    expect(d.data[0]).toBe(0);
    expect(d.data[1]).toBeCloseTo((-24 - 39.5) / 399 + 0.5, 6);
    expect(d.data[2]).toBeCloseTo((0 - 39.5) / 399 + 0.5, 6);
    expect(d.data[3]).toBe(1);
  });

  it('inverts MONOCHROME1 for display (min/max window when the file has none)', () => {
    const bytes = writeDicom(imageElements({ rows: 1, columns: 4, photometric: 'MONOCHROME1', pixelData: le16([0, 100, 200, 300]) }));
    const img = decodeDicom(bytes, 'cr.dcm');
    expect(img.photometric).toBe('MONOCHROME1');
    expect(Array.from(img.frame(0).stored)).toEqual([0, 100, 200, 300]);
    const d = dicomFrameToDisplay(img, img.frame(0));
    expect(Array.from(d.data).map((v) => +v.toFixed(6))).toEqual([1, +(2 / 3).toFixed(6), +(1 / 3).toFixed(6), 0]);
  });

  it('masks to Bits Stored, shifts by High Bit and sign-extends for Pixel Representation 1', () => {
    // 12 bits stored in the low bits, garbage (overlay) bits above: 0xF800 | 0x0FFF → -1 ; 0x7001 → 1.
    const a = decodeDicom(
      writeDicom(imageElements({ rows: 1, columns: 3, bitsStored: 12, pixelRepresentation: 1, pixelData: le16([0xffff, 0x7001, 0x0800]) })),
      'a.dcm',
    );
    expect(Array.from(a.frame(0).stored)).toEqual([-1, 1, -2048]);
    // High Bit 15 with 12 bits stored: the value lives in the top 12 bits.
    const b = decodeDicom(writeDicom(imageElements({ rows: 1, columns: 2, bitsStored: 12, highBit: 15, pixelData: le16([0xfff0, 0x0010]) })), 'b.dcm');
    expect(Array.from(b.frame(0).stored)).toEqual([4095, 1]);
  });

  it('reads explicit VR big endian and implicit VR little endian', () => {
    const be = new Uint8Array([0x01, 0x02, 0xff, 0xfe]); // big-endian 0x0102, 0xFFFE
    const img = decodeDicom(writeDicom(imageElements({ rows: 1, columns: 2, pixelRepresentation: 1, pixelData: be })), 'x.dcm');
    expect(Array.from(img.frame(0).stored)).toEqual([0x0201, -257]); // read as little endian: file says LE
    const imgBe = decodeDicom(
      writeDicom(imageElements({ rows: 1, columns: 2, pixelRepresentation: 1, pixelData: be }), { transferSyntax: EXPLICIT_BE }),
      'be.dcm',
    );
    expect(imgBe.transferSyntax).toBe(EXPLICIT_BE);
    expect(Array.from(imgBe.frame(0).stored)).toEqual([0x0102, -2]);
    const imgIm = decodeDicom(writeDicom(imageElements({ rows: 1, columns: 2, pixelData: le16([7, 9]) }), { transferSyntax: IMPLICIT_LE }), 'im.dcm');
    expect(Array.from(imgIm.frame(0).stored)).toEqual([7, 9]);
  });

  it('de-planarises RGB with Planar Configuration 1', () => {
    const planar = Uint8Array.from([10, 11, 20, 21, 30, 31]); // RR GG BB for 2 pixels
    const img = decodeDicom(
      writeDicom(imageElements({ rows: 1, columns: 2, samplesPerPixel: 3, bitsAllocated: 8, planarConfiguration: 1, pixelData: planar })),
      'p.dcm',
    );
    const f = img.frame(0);
    expect(f.channels).toBe(3);
    expect(Array.from(f.stored)).toEqual([10, 20, 30, 11, 21, 31]);
  });

  it('converts YBR_FULL and YBR_FULL_422 to RGB', () => {
    // Grey (128,128,128) and pure red in YCbCr (76, 85, 255).
    const full = decodeDicom(
      writeDicom(
        imageElements({
          rows: 1,
          columns: 2,
          samplesPerPixel: 3,
          bitsAllocated: 8,
          photometric: 'YBR_FULL',
          pixelData: Uint8Array.from([128, 128, 128, 76, 85, 255]),
        }),
      ),
      'ybr.dcm',
    );
    const s = Array.from(full.frame(0).stored);
    expect(s.slice(0, 3)).toEqual([128, 128, 128]);
    expect(s[3]).toBeGreaterThan(250);
    expect(s[4]).toBeLessThan(3);
    expect(s[5]).toBeLessThan(3);
    // 4:2:2: Y1 Y2 Cb Cr shared by two pixels (2 samples per pixel in the file).
    const sub = decodeDicom(
      writeDicom(
        imageElements({
          rows: 1,
          columns: 2,
          samplesPerPixel: 3,
          bitsAllocated: 8,
          photometric: 'YBR_FULL_422',
          pixelData: Uint8Array.from([50, 200, 128, 128]),
        }),
      ),
      '422.dcm',
    );
    expect(Array.from(sub.frame(0).stored)).toEqual([50, 50, 50, 200, 200, 200]);
  });

  it('decodes each frame of a multi-frame image lazily, and refuses a frame that is not there', () => {
    const img = decodeDicom(writeDicom(imageElements({ rows: 1, columns: 2, frames: 3, pixelData: le16([1, 2, 3, 4, 5, 6]) })), 'mf.dcm');
    expect(img.frames).toBe(3);
    expect(Array.from(img.frame(2).stored)).toEqual([5, 6]);
    expect(() => img.frame(3)).toThrow(FrameOutOfRangeError);
    expect(() => img.frame(-1)).toThrow(FrameOutOfRangeError);
  });

  it('reads bit-packed 1-bit frames (segmentations), frames not byte aligned', () => {
    // 3 frames of 1×3 pixels = 9 bits: 1 0 1 | 1 1 0 | 0 0 1 (LSB first)
    const bits = [1, 0, 1, 1, 1, 0, 0, 0, 1];
    const bytes = new Uint8Array(2);
    bits.forEach((b, i) => (bytes[i >> 3]! |= b << (i & 7)));
    const img = decodeDicom(writeDicom(imageElements({ rows: 1, columns: 3, bitsAllocated: 1, bitsStored: 1, frames: 3, pixelData: bytes })), 'seg.dcm');
    expect([0, 1, 2].map((i) => Array.from(img.frame(i).stored))).toEqual([
      [1, 0, 1],
      [1, 1, 0],
      [0, 0, 1],
    ]);
  });

  it('reads Float Pixel Data', () => {
    const f = new DataView(new ArrayBuffer(8));
    f.setFloat32(0, -1.5, true);
    f.setFloat32(4, 2.25, true);
    const els = imageElements({ rows: 1, columns: 2, bitsAllocated: 32, pixelData: new Uint8Array(0) }).filter((e) => e.tag !== 0x7fe00010);
    els.push({ tag: 0x7fe00008, vr: 'OF', value: new Uint8Array(f.buffer) });
    const img = decodeDicom(writeDicom(els), 'f.dcm');
    const s = img.frame(0).stored;
    expect(s).toBeInstanceOf(Float32Array);
    expect(Array.from(s)).toEqual([-1.5, 2.25]);
  });

  it('maps PALETTE COLOR through its lookup table for display', () => {
    const lut = (vals: number[]) => le16(vals);
    const els = imageElements({
      rows: 1,
      columns: 3,
      bitsAllocated: 8,
      photometric: 'PALETTE COLOR',
      pixelData: Uint8Array.from([0, 1, 2, 0]).subarray(0, 3),
      extra: [
        { tag: 0x00281101, vr: 'US', value: [3, 0, 16] },
        { tag: 0x00281102, vr: 'US', value: [3, 0, 16] },
        { tag: 0x00281103, vr: 'US', value: [3, 0, 16] },
        { tag: 0x00281201, vr: 'OW', value: lut([65535, 0, 0]) },
        { tag: 0x00281202, vr: 'OW', value: lut([0, 65535, 0]) },
        { tag: 0x00281203, vr: 'OW', value: lut([0, 0, 65535]) },
      ],
    });
    const img = decodeDicom(writeDicom(els), 'pal.dcm');
    const d = dicomFrameToDisplay(img, img.frame(0));
    expect(d.channels).toBe(3);
    expect(Array.from(d.data)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('reads the header fields, decoding the character set', () => {
    const els = imageElements({
      rows: 1,
      columns: 1,
      pixelData: le16([1]),
      extra: [
        { tag: 0x00080005, vr: 'CS', value: 'ISO_IR 192' },
        { tag: 0x00100010, vr: 'PN', value: 'Müller^Jürgen' },
        { tag: 0x00100020, vr: 'LO', value: 'P-001' },
        { tag: 0x00081030, vr: 'LO', value: 'Chest' },
        { tag: 0x00180015, vr: 'CS', value: 'CHEST' },
      ],
    });
    const img = decodeDicom(writeDicom(els), 'h.dcm');
    expect(img.header).toMatchObject({
      PatientName: 'Müller^Jürgen',
      PatientID: 'P-001',
      StudyDescription: 'Chest',
      BodyPartExamined: 'CHEST',
      Modality: 'OT',
    });
    expect(img.modality).toBe('OT');
  });
});

describe('file structure', () => {
  const simple = imageElements({ rows: 1, columns: 2, pixelData: le16([3, 4]) });

  it('accepts a meta header without the preamble, and a bare data set without any meta header', () => {
    const noPreamble = writeDicom(simple, { preamble: false });
    expect(Array.from(decodeDicom(noPreamble, 'np.dcm').frame(0).stored)).toEqual([3, 4]);
    const bare = writeDicom(simple, { meta: false, transferSyntax: IMPLICIT_LE });
    const img = decodeDicom(bare, 'bare.dcm');
    expect(img.transferSyntax).toBe(IMPLICIT_LE);
    expect(img.transferSyntaxSource).toBe('guessed');
    expect(Array.from(img.frame(0).stored)).toEqual([3, 4]);
    const bareBe = writeDicom(simple, { meta: false, transferSyntax: EXPLICIT_BE });
    expect(decodeDicom(bareBe, 'bare-be.dcm').transferSyntax).toBe(EXPLICIT_BE);
  });

  it('guesses a missing Transfer Syntax UID from the data set', () => {
    const img = decodeDicom(writeDicom(simple, { omitTransferSyntax: true, transferSyntax: IMPLICIT_LE }), 'nots.dcm');
    expect(img.transferSyntax).toBe(IMPLICIT_LE);
    expect(Array.from(img.frame(0).stored)).toEqual([3, 4]);
  });

  it('inflates Deflated Explicit VR Little Endian', () => {
    const plain = writeDicom(simple, { transferSyntax: '1.2.840.10008.1.2.1.99' });
    // Deflate everything after the meta group.
    const metaEnd = 132 + 12 + new DataView(plain.buffer, plain.byteOffset + 140, 4).getUint32(0, true);
    const deflated = new Uint8Array([...plain.subarray(0, metaEnd), ...deflateRawSync(plain.subarray(metaEnd))]);
    const img = decodeDicom(deflated, 'dfl.dcm');
    expect(Array.from(img.frame(0).stored)).toEqual([3, 4]);
  });

  it('decodes encapsulated RLE, one frame per fragment or several fragments per frame', () => {
    const layout = { rows: 2, columns: 2, samplesPerPixel: 1, bitsAllocated: 16 };
    const f0 = encodeRleFrame(le16([1, 2, 3, 4]), layout);
    const f1 = encodeRleFrame(le16([65535, 0, 7, 8]), layout);
    const els = imageElements({ rows: 2, columns: 2, frames: 2, pixelData: { fragments: [f0, f1] } });
    const img = decodeDicom(writeDicom(els, { transferSyntax: '1.2.840.10008.1.2.5' }), 'rle.dcm');
    expect(Array.from(img.frame(1).stored)).toEqual([65535, 0, 7, 8]);
    // Frame 0 split over two fragments, located through the basic offset table.
    const split = [f0.subarray(0, 40), f0.subarray(40), f1];
    const offsets = [0, 8 + 40 + 8 + (f0.length - 40 + (f0.length % 2))];
    const img2 = decodeDicom(
      writeDicom(imageElements({ rows: 2, columns: 2, frames: 2, pixelData: { fragments: split, offsets } }), { transferSyntax: '1.2.840.10008.1.2.5' }),
      'rle2.dcm',
    );
    expect(Array.from(img2.frame(0).stored)).toEqual([1, 2, 3, 4]);
    expect(Array.from(img2.frame(1).stored)).toEqual([65535, 0, 7, 8]);
  });

  it('names the errors: not DICOM, no pixel data, truncated, unsupported transfer syntax, bad codestream', () => {
    expect(() => decodeDicom(new TextEncoder().encode('{"hello": "world"}'), 'a.json')).toThrow(NotDicomError);
    expect(() => decodeDicom(Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), 'x.gz')).toThrow(/gzip/);

    const sr = writeDicom([
      { tag: 0x00080060, vr: 'CS', value: 'SR' },
      { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.88.33' },
    ]);
    const noPixels = (() => {
      try {
        decodeDicom(sr, 'report.dcm');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(noPixels).toBeInstanceOf(PixelDataMissingError);
    expect((noPixels as PixelDataMissingError).code).toBe('NO_PIXEL_DATA');
    expect((noPixels as Error).message).toContain('report.dcm');
    expect((noPixels as Error).message).toContain('SR');

    const full = writeDicom(imageElements({ rows: 8, columns: 8, pixelData: le16(new Array(64).fill(1)) }));
    const cut = full.subarray(0, full.length - 20);
    expect(() => decodeDicom(cut, 'cut.dcm')).toThrow(DicomTruncatedError);
    expect(() => decodeDicom(cut, 'cut.dcm')).toThrow(/cut\.dcm.*Pixel Data \(7FE0,0010\)/);

    const mpeg = writeDicom(imageElements({ rows: 1, columns: 1, pixelData: { fragments: [Uint8Array.from([0, 0, 1, 0xb3])] } }), {
      transferSyntax: '1.2.840.10008.1.2.4.100',
    });
    const err = (() => {
      try {
        decodeDicom(mpeg, 'video.dcm');
      } catch (e) {
        return e as UnsupportedTransferSyntaxError;
      }
      throw new Error('expected an error');
    })();
    expect(err).toBeInstanceOf(UnsupportedTransferSyntaxError);
    expect(err.code).toBe('UNSUPPORTED_TRANSFER_SYNTAX');
    expect(err.transferSyntax).toBe('1.2.840.10008.1.2.4.100');
    expect(err.message).toMatch(/video\.dcm: unsupported transfer syntax 1\.2\.840\.10008\.1\.2\.4\.100 \(MPEG2/);

    const junk = writeDicom(imageElements({ rows: 2, columns: 2, pixelData: { fragments: [Uint8Array.from([1, 2, 3, 4])] } }), {
      transferSyntax: '1.2.840.10008.1.2.4.90',
    });
    const img = decodeDicom(junk, 'junk.dcm'); // the header is fine; the codestream is decoded on demand
    expect(() => img.frame(0)).toThrow(ImageDecodeError);
    expect(() => img.frame(0)).toThrow(/junk\.dcm: could not decode frame 0/);

    const noRows = writeDicom(simple.filter((e) => e.tag !== 0x00280010));
    expect(() => decodeDicom(noRows, 'norows.dcm')).toThrow(InvalidDicomError);
  });

  it('dicomInfo summarises the first frame before rescale', () => {
    const bytes = writeDicom(
      imageElements({ rows: 1, columns: 4, frames: 2, pixelData: le16([1, 2, 3, 6, 100, 100, 100, 100]), extra: [DS(0x00281053, '2')] }),
    );
    expect(dicomInfo(bytes, 'i.dcm')).toEqual({
      modality: 'OT',
      transferSyntax: '1.2.840.10008.1.2.1',
      rows: 1,
      columns: 4,
      frames: 2,
      photometric: 'MONOCHROME2',
      pixels: { min: 1, max: 6, mean: 3 },
    });
  });
});
