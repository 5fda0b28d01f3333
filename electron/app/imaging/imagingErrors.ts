/**
 * Named failures of image intake. Every error names the file and the part of it that failed, and
 * carries a stable `code` that callers (the CLI, the IPC layer) can switch on without parsing text.
 */

export type ImagingErrorCode =
  | 'NOT_DICOM'
  | 'UNSUPPORTED_FORMAT'
  | 'TRUNCATED'
  | 'INVALID_DICOM'
  | 'UNSUPPORTED_TRANSFER_SYNTAX'
  | 'UNSUPPORTED_IMAGE'
  | 'NO_PIXEL_DATA'
  | 'FRAME_OUT_OF_RANGE'
  | 'DECODE_FAILED';

export abstract class ImagingError extends Error {
  abstract readonly code: ImagingErrorCode;
  /** The file name as the caller gave it (no directory is added). */
  readonly fileName: string;
  constructor(fileName: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.fileName = fileName;
  }
}

/** Not a DICOM data set at all (no "DICM" prefix and no recognisable data set at the start). */
export class NotDicomError extends ImagingError {
  override readonly name = 'NotDicomError';
  readonly code = 'NOT_DICOM' as const;
  constructor(fileName: string, detail?: string) {
    super(fileName, `${fileName}: not a DICOM file${detail ? ` (${detail})` : ''}.`);
  }
}

/** Neither PNG, JPEG, TIFF nor DICOM (decodeImageFile only). */
export class UnsupportedImageFormatError extends ImagingError {
  override readonly name = 'UnsupportedImageFormatError';
  readonly code = 'UNSUPPORTED_FORMAT' as const;
  constructor(fileName: string, detail?: string) {
    super(fileName, `${fileName}: not a PNG, JPEG, TIFF or DICOM image${detail ? ` (${detail})` : ''}.`);
  }
}

/** The file ends before the data it announces: `part` says where (e.g. "Pixel Data (7FE0,0010)"). */
export class DicomTruncatedError extends ImagingError {
  override readonly name = 'DicomTruncatedError';
  readonly code = 'TRUNCATED' as const;
  constructor(
    fileName: string,
    readonly part: string,
    detail?: string,
  ) {
    super(fileName, `${fileName}: file is truncated in ${part}${detail ? ` (${detail})` : ''}.`);
  }
}

/** Structurally a DICOM file, but a required attribute is missing or malformed. */
export class InvalidDicomError extends ImagingError {
  override readonly name = 'InvalidDicomError';
  readonly code = 'INVALID_DICOM' as const;
  constructor(
    fileName: string,
    readonly part: string,
    detail: string,
  ) {
    super(fileName, `${fileName}: invalid DICOM in ${part}: ${detail}.`);
  }
}

export class UnsupportedTransferSyntaxError extends ImagingError {
  override readonly name = 'UnsupportedTransferSyntaxError';
  readonly code = 'UNSUPPORTED_TRANSFER_SYNTAX' as const;
  constructor(
    fileName: string,
    readonly transferSyntax: string,
    readonly transferSyntaxName?: string,
  ) {
    super(fileName, `${fileName}: unsupported transfer syntax ${transferSyntax}${transferSyntaxName ? ` (${transferSyntaxName})` : ''}.`);
  }
}

/** The transfer syntax is fine, but the pixel layout is one we do not decode (e.g. 64-bit samples). */
export class UnsupportedImageError extends ImagingError {
  override readonly name = 'UnsupportedImageError';
  readonly code = 'UNSUPPORTED_IMAGE' as const;
  constructor(fileName: string, detail: string) {
    super(fileName, `${fileName}: unsupported image: ${detail}.`);
  }
}

/** A DICOM object without an image: RT Plan, Structured Report, waveform, presentation state... */
export class PixelDataMissingError extends ImagingError {
  override readonly name = 'PixelDataMissingError';
  readonly code = 'NO_PIXEL_DATA' as const;
  constructor(
    fileName: string,
    readonly modality: string | null,
    readonly sopClassUid: string | null,
  ) {
    const what = [modality ? `modality ${modality}` : null, sopClassUid ? `SOP class ${sopClassUid}` : null].filter(Boolean).join(', ');
    super(fileName, `${fileName}: contains no image (no Pixel Data element${what ? `; ${what}` : ''}).`);
  }
}

export class FrameOutOfRangeError extends ImagingError {
  override readonly name = 'FrameOutOfRangeError';
  readonly code = 'FRAME_OUT_OF_RANGE' as const;
  constructor(fileName: string, index: number, frames: number) {
    super(fileName, `${fileName}: frame ${index} requested, but the file has ${frames} frame(s) (0-based).`);
  }
}

/** The codec failed on this file's compressed data. `part` names the codec / frame. */
export class ImageDecodeError extends ImagingError {
  override readonly name = 'ImageDecodeError';
  readonly code = 'DECODE_FAILED' as const;
  constructor(
    fileName: string,
    readonly part: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(fileName, `${fileName}: could not decode ${part}: ${detail}.`, options);
  }
}

export function isImagingError(e: unknown): e is ImagingError {
  return e instanceof ImagingError;
}

/** Text of anything thrown, including the bare strings some libraries throw. */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object') {
    const inner = (e as { exception?: unknown; message?: unknown }).exception ?? (e as { message?: unknown }).message;
    if (inner !== undefined) return describeThrown(inner);
  }
  return String(e);
}
