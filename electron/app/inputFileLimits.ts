/**
 * Size caps for files the app and the CLI read whole: a multi-gigabyte file (by mistake or on
 * purpose) must end in a clear error, not an out-of-memory crash part-way through a batch.
 */
import { readFileSync, statSync } from 'node:fs';

export const inputFileLimits = {
  /** A large multi-frame study fits; whole-slide or raw volumes do not belong in a clinic workstation tool. */
  dicom: 512 * 1024 * 1024,
  /** A photograph or fundus image. */
  image: 64 * 1024 * 1024,
  /** A JSONL batch for predict / ner / negation / segment. */
  jsonl: 1024 * 1024 * 1024,
} as const;

export class InputFileTooLargeError extends Error {
  override readonly name = 'InputFileTooLargeError';
  constructor(
    readonly path: string,
    readonly bytes: number,
    readonly limit: number,
    what: string,
  ) {
    super(`${path}: ${what} of ${(bytes / 1024 / 1024).toFixed(1)} MiB is over the ${Math.round(limit / 1024 / 1024)} MiB limit; nothing was read.`);
  }
}

/** Throws InputFileTooLargeError before reading anything when `path` is over `limit`. */
export function checkInputFileSize(path: string, limit: number, what: string): void {
  const { size } = statSync(path);
  if (size > limit) throw new InputFileTooLargeError(path, size, limit, what);
}

export function readInputFile(path: string, limit: number, what: string): Buffer {
  checkInputFileSize(path, limit, what);
  return readFileSync(path);
}
