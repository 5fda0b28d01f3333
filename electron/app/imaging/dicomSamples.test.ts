/**
 * Every file in ../shared/data/dicom (real files from pydicom's test set, broken ones included) and
 * the small committed fixtures, against reference values from an independent decoder (pydicom 2.3
 * with GDCM; see fixtures/make_reference.py). Lossless syntaxes must match exactly; lossy JPEG may
 * differ by rounding (different IDCTs), so min/max within 2 and mean within 0.05.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../../models/runtime/common/paths';
import { decodeDicom, dicomInfo } from './dicomDecode';
import { decodeImageFileSync } from './imageDecode';
import { ImagingError, type ImagingErrorCode } from './imagingErrors';
import reference from './fixtures/pydicom-reference.json';

interface Ref {
  transferSyntax?: string | null;
  modality?: string | null;
  rows?: number;
  columns?: number;
  frames?: number;
  photometric?: string;
  samplesPerPixel?: number;
  bitsAllocated?: number;
  pixelRepresentation?: number;
  lossy?: boolean;
  min?: number;
  max?: number;
  mean?: number;
  frameMeans?: number[];
  rescaleSlope?: number;
  rescaleIntercept?: number;
  windowCenter?: number | null;
  windowWidth?: number | null;
  pydicomError?: string;
}

const refs = reference as unknown as { shared: Record<string, Ref>; fixtures: Record<string, Ref> };
const dicomDir = path.join(resolveDataDir(__dirname), 'dicom');
const hasData = fs.existsSync(dicomDir);
const fixturesDir = path.join(__dirname, 'fixtures');

/** The files we refuse, and why. pydicom reads some of them differently; see the notes. */
const EXPECTED_ERRORS: Record<string, ImagingErrorCode> = {
  'MR_truncated.dcm': 'TRUNCATED', // Pixel Data announces 8192 bytes, 8130 are there
  'rtplan_truncated.dcm': 'TRUNCATED', // ends inside a sequence (300A,0070)
  'meta_missing_tsyntax.dcm': 'INVALID_DICOM', // syntax guessed; then Pixel Data without Rows/Columns
  'nested_priv_SQ.dcm': 'INVALID_DICOM', // same data set as above, with a transfer syntax
  'ExplVR_BigEndNoMeta.dcm': 'NO_PIXEL_DATA', // bare big-endian data set, read; it is an RT Ion Plan
  'zipMR.gz': 'NOT_DICOM', // gzip of MR_small.dcm
  'rtplan.dump': 'NOT_DICOM',
  'rtstruct.dump': 'NOT_DICOM',
  'test1.json': 'NOT_DICOM',
  'test_PN.json': 'NOT_DICOM',
  'rtplan.dcm': 'NO_PIXEL_DATA',
  'test-SR.dcm': 'NO_PIXEL_DATA',
  'reportsi_with_empty_number_tags.dcm': 'NO_PIXEL_DATA',
  'waveform_ecg.dcm': 'NO_PIXEL_DATA',
  'UN_sequence.dcm': 'NO_PIXEL_DATA',
  'empty_charset_LEI.dcm': 'NO_PIXEL_DATA',
  'priv_SQ.dcm': 'NO_PIXEL_DATA',
  // The README: 4 bytes of the codestream (in the SIZ marker) overwritten by a sequence delimiter.
  // GDCM still returns 1024×256 values; OpenJPEG reads a 512×512 codestream, which we refuse.
  'JPEG2000-embedded-sequence-delimiter.dcm': 'DECODE_FAILED',
};

function read(file: string): Uint8Array {
  const b = fs.readFileSync(file);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof ImagingError ? e.code : `not an ImagingError: ${String(e)}`;
  }
}

function closeTo(actual: number, expected: number, lossy: boolean, what: 'min' | 'max' | 'mean'): void {
  // Unsigned 32-bit samples above 2^31 are returned as Float32 (24-bit mantissa).
  const relative = Math.abs(expected) > 2 ** 24 ? Math.abs(expected) * 1e-6 : 0;
  const tolerance = Math.max(relative, lossy ? (what === 'mean' ? 0.05 : 2) : 1e-9);
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

function checkAgainstReference(file: string, name: string, ref: Ref): void {
  const bytes = read(file);
  const info = dicomInfo(bytes, name);
  expect(info).toMatchObject({
    transferSyntax: ref.transferSyntax,
    modality: ref.modality ?? null,
    rows: ref.rows,
    columns: ref.columns,
    frames: ref.frames,
    photometric: ref.photometric,
  });
  closeTo(info.pixels.min, ref.min!, ref.lossy === true, 'min');
  closeTo(info.pixels.max, ref.max!, ref.lossy === true, 'max');
  closeTo(info.pixels.mean, ref.mean!, ref.lossy === true, 'mean');
  const img = decodeDicom(bytes, name);
  expect(img).toMatchObject({
    samplesPerPixel: ref.samplesPerPixel,
    bitsAllocated: ref.bitsAllocated,
    pixelRepresentation: ref.pixelRepresentation,
    rescaleSlope: ref.rescaleSlope,
    rescaleIntercept: ref.rescaleIntercept,
    windowCenter: ref.windowWidth ? ref.windowCenter : null,
    windowWidth: ref.windowWidth ?? null,
  });
  // Every frame, not only the first.
  (ref.frameMeans ?? []).forEach((m, i) => {
    const s = img.frame(i).stored;
    let sum = 0;
    for (let k = 0; k < s.length; k++) sum += s[k]!;
    closeTo(sum / s.length, m, ref.lossy === true, 'mean');
  });
  // And the display path produces values in [0, 1].
  const shown = decodeImageFileSync(bytes, name);
  expect(shown.data.length).toBe(ref.rows! * ref.columns! * (ref.samplesPerPixel === 3 ? 3 : 1));
  expect(shown.data.every((v) => v >= 0 && v <= 1)).toBe(true);
}

describe.skipIf(!hasData)('every file in ../shared/data/dicom (needs ../shared/data)', () => {
  const files = hasData
    ? fs
        .readdirSync(dicomDir)
        .filter((f) => fs.statSync(path.join(dicomDir, f)).isFile())
        .sort()
    : [];

  it('has the files the reference was made from', () => {
    for (const name of Object.keys(refs.shared)) expect(files).toContain(name);
  });

  for (const name of files) {
    const ref = refs.shared[name];
    const expected = EXPECTED_ERRORS[name];
    if (expected) {
      it(`${name}: refused with ${expected}`, () => {
        expect(codeOf(() => dicomInfo(read(path.join(dicomDir, name)), name))).toBe(expected);
        try {
          dicomInfo(read(path.join(dicomDir, name)), name);
        } catch (e) {
          expect((e as Error).message).toContain(name);
        }
      });
    } else if (ref && !ref.pydicomError) {
      it(`${name}: matches pydicom (${ref.transferSyntax}${ref.lossy ? ', lossy' : ''})`, () => {
        checkAgainstReference(path.join(dicomDir, name), name, ref);
      });
    } else {
      // A file the reference does not know (data added later): decoded, or refused with a named error.
      it(`${name}: decoded or refused with a named error`, () => {
        const code = codeOf(() => decodeImageFileSync(read(path.join(dicomDir, name)), name));
        expect(code === null || !code.startsWith('not an ImagingError')).toBe(true);
      });
    }
  }

  it('reads the header panel fields', () => {
    const img = decodeDicom(read(path.join(dicomDir, 'MR_small.dcm')), 'MR_small.dcm');
    expect(img.header.Modality).toBe('MR');
    expect(img.header.PatientName).toBeTruthy();
    expect(img.header.StudyDate).toMatch(/^\d{8}$/);
  });
});

describe('committed fixtures (JPEG lossless with negatives and fragmented frames, 12-bit JPEG extended)', () => {
  for (const [name, ref] of Object.entries(refs.fixtures)) {
    if (ref.pydicomError) continue;
    it(`${name}: matches pydicom (${ref.transferSyntax})`, () => {
      checkAgainstReference(path.join(fixturesDir, name), name, ref);
    });
  }
});
