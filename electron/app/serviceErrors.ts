/**
 * The error the services throw (LanternError), and the one place that turns any error into the
 * contract's `{code, message, field?, modelId?, file?}`. db/ and models/ may not import this file,
 * so each room has its own error type (DbError, ModelError) whose code union the compiler checks
 * against the contract's below; the image decoders keep their own finer codes, all IMAGE_UNREADABLE.
 */
import { basename } from 'node:path';
import type { ErrorCode, ErrorPayload } from '../contract/ipcContract';
import { DbError } from '../../db/dbErrors';
import { ModelError } from '../../models/runtime/modelErrors';
import { ImagingError } from './imaging/imagingErrors';

/** Where an error points: the request field, the model, the file. Each is optional. */
export interface ErrorWhere {
  field?: string;
  modelId?: string;
  file?: string;
}

/**
 * The one error the services throw. Its code is the contract's closed `ErrorCode` union, so the
 * compiler rejects a code the renderer does not know, and no table has to map classes to codes.
 */
export class LanternError extends Error {
  override readonly name = 'LanternError';
  declare readonly field?: string;
  declare readonly modelId?: string;
  declare readonly file?: string;
  constructor(
    readonly code: ErrorCode,
    message: string,
    where: ErrorWhere = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    if (where.field !== undefined) this.field = where.field;
    if (where.modelId !== undefined) this.modelId = where.modelId;
    if (where.file !== undefined) this.file = where.file;
  }
}

export const LOCKED_MESSAGE = 'The database is locked. Unlock it with your passphrase first.';
export const NOT_INITIALISED_MESSAGE = 'No database has been created yet on this computer.';

export function unknownMethod(method: string): LanternError {
  return new LanternError('UNKNOWN_METHOD', `Unknown method ${JSON.stringify(method.slice(0, 100))}.`);
}

/** The payload of an error that names its code, with only the pointers it has; files by base name. */
function payloadOf(code: ErrorCode, message: string, where: ErrorWhere): ErrorPayload {
  return {
    code,
    message,
    ...(where.field ? { field: where.field } : {}),
    ...(where.modelId ? { modelId: where.modelId } : {}),
    ...(where.file ? { file: basename(where.file) } : {}),
  };
}

/** SQLite write failures a clinic actually meets: full disk, read-only folder, I/O errors. */
function storageCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  return ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'ENOSPC', 'EROFS', 'EACCES'].find((c) => code.startsWith(c));
}

/**
 * A damaged page met after unlock (opening reads only the first page): SQLCipher's per-page HMAC
 * fails, SQLite reports SQLITE_CORRUPT. Named like a damaged file at unlock, never "internal".
 */
function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

export function toErrorPayload(err: unknown): ErrorPayload {
  // payloadOf takes an ErrorCode: a DbErrorCode or ModelErrorCode the contract lacks does not compile.
  if (err instanceof LanternError || err instanceof DbError || err instanceof ModelError) return payloadOf(err.code, err.message, err);
  if (err instanceof ImagingError) return payloadOf('IMAGE_UNREADABLE', err.message, { file: err.fileName });
  const storage = storageCode(err);
  if (storage) {
    return { code: 'STORAGE_FAILED', message: `Saving failed (${storage}): ${(err as Error).message}. Nothing was partially saved.` };
  }
  if (isCorruption(err)) {
    return {
      code: 'DATABASE_CORRUPT',
      message: `Part of the database could not be read (${(err as Error).message}). Nothing was changed or deleted; restore from a backup.`,
    };
  }
  return { code: 'INTERNAL', message: 'An unexpected error occurred. Nothing was partially saved.' };
}
