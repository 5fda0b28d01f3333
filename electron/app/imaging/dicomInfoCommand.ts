/**
 * `lantern dicom-info <file>`: the file's image summary as JSON, or `{"error": {code, message}}`
 * with exit code 2. The CLI only prints `output` and exits with `exitCode`.
 */
import { InputFileTooLargeError, inputFileLimits, readInputFile } from '../inputFileLimits';
import { dicomInfo, type DicomInfo } from './dicomDecode';
import { describeThrown, isImagingError } from './imagingErrors';

export interface DicomInfoError {
  error: { code: string; message: string };
}

export function runDicomInfo(path: string): { output: DicomInfo | DicomInfoError; exitCode: 0 | 2 } {
  let bytes: Uint8Array;
  try {
    const buf = readInputFile(path, inputFileLimits.dicom, 'a DICOM file');
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    if (e instanceof InputFileTooLargeError) return { output: { error: { code: 'FILE_TOO_LARGE', message: e.message } }, exitCode: 2 };
    const code = (e as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? `${path}: no such file.`
        : code === 'EISDIR'
          ? `${path}: is a directory, not a file.`
          : `${path}: cannot be read (${describeThrown(e)}).`;
    return { output: { error: { code: code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'READ_FAILED', message } }, exitCode: 2 };
  }
  try {
    const info = dicomInfo(bytes, path);
    return {
      output: {
        modality: info.modality,
        transferSyntax: info.transferSyntax,
        rows: info.rows,
        columns: info.columns,
        frames: info.frames,
        photometric: info.photometric,
        pixels: info.pixels,
      },
      exitCode: 0,
    };
  } catch (e) {
    if (isImagingError(e)) return { output: { error: { code: e.code, message: e.message } }, exitCode: 2 };
    return { output: { error: { code: 'DECODE_FAILED', message: `${path}: could not be decoded (${describeThrown(e)}).` } }, exitCode: 2 };
  }
}
