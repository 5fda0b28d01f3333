/**
 * Failures the services raise themselves, and the one place that turns any error into the
 * contract's `{code, message, field}`. The switch is exhaustive over the error kinds we name, so a
 * new kind cannot reach the user as a bare "internal error" without someone deciding its code.
 */
import type { ErrorCode, ErrorPayload } from '../contract/ipcContract';
import {
  DatabaseCorruptError,
  DatabaseExistsError,
  DatabaseInUseError,
  DatabaseTooNewError,
  KeyringCorruptError,
  KeyringMissingError,
  MigrationFailedError,
  RecordNotFoundError,
  WrongPassphraseError,
} from '../../db/dbErrors';
import { ModelIntegrityError, UnknownModelError, FeatureError } from '../../models/runtime/registry';
import { ImplausibleValueError } from '../../models/runtime/vocab/clinicalCatalogue';
import { ImagingError } from './imaging/imagingErrors';
import { ImagingModelIntegrityError, UnknownImagingModelError } from '../../models/runtime/imaging/imagingModels';
import { PatientMismatchError } from './imaging/dicomPatientCheck';
import { RememberUnavailableError } from './accountability/rememberedKeys';
import { RotationUnfinishableError } from '../../db/keyRotation';
import {
  BackupChainBrokenError,
  BackupChecksumError,
  BackupCorruptError,
  BackupInvalidError,
  BackupTruncatedError,
  BackupWrongKeyError,
} from '../../db/backupErrors';

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

export class LockedError extends Error {
  override readonly name = 'LockedError';
  constructor(message = 'The database is locked. Unlock it with your passphrase first.') {
    super(message);
  }
}

export class NotInitialisedError extends Error {
  override readonly name = 'NotInitialisedError';
  constructor() {
    super('No database has been created yet on this computer.');
  }
}

export class UnknownMethodError extends Error {
  override readonly name = 'UnknownMethodError';
  constructor(method: string) {
    super(`Unknown method ${JSON.stringify(method.slice(0, 100))}.`);
  }
}

export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

export class StorageFailedError extends Error {
  override readonly name = 'StorageFailedError';
}

/** Work stopped at its time budget (note analysis in its worker). */
export class TimedOutError extends Error {
  override readonly name = 'TimedOutError';
}

/** The database is closed for a few seconds while its key is rotated; the caller may simply retry. */
export class KeyRotationInProgressError extends Error {
  override readonly name = 'KeyRotationInProgressError';
  constructor() {
    super('The database key is being changed after an account was disabled. Try again in a few seconds.');
  }
}

/** Sign-in back-off: the message says how long to wait. */
export class TooManyAttemptsError extends Error {
  override readonly name = 'TooManyAttemptsError';
}

/** An act that needs an explicit yes (restoring another database's backup); the message says what. */
export class ConfirmationRequiredError extends Error {
  override readonly name = 'ConfirmationRequiredError';
}

/**
 * Error class → contract code. A table rather than a switch on `name`, because classes from other
 * rooms (db/, models/) set their names at run time; `instanceof` is what identifies them.
 */
const codeByClass: readonly (readonly [abstract new (...args: never[]) => Error, ErrorCode])[] = [
  [ValidationError, 'VALIDATION_FAILED'],
  [FeatureError, 'VALIDATION_FAILED'],
  [ImplausibleValueError, 'VALUE_OUT_OF_RANGE'],
  [LockedError, 'LOCKED'],
  [NotInitialisedError, 'NOT_INITIALISED'],
  [DatabaseExistsError, 'ALREADY_INITIALISED'],
  [UnknownMethodError, 'UNKNOWN_METHOD'],
  [ForbiddenError, 'FORBIDDEN'],
  [StorageFailedError, 'STORAGE_FAILED'],
  [ConfirmationRequiredError, 'CONFIRMATION_REQUIRED'],
  [TooManyAttemptsError, 'TOO_MANY_ATTEMPTS'],
  [TimedOutError, 'TIMED_OUT'],
  [DatabaseInUseError, 'DATABASE_IN_USE'],
  [KeyRotationInProgressError, 'DATABASE_IN_USE'],
  [RotationUnfinishableError, 'FORBIDDEN'],
  [WrongPassphraseError, 'WRONG_PASSPHRASE'],
  [KeyringMissingError, 'KEYRING_MISSING'],
  [KeyringCorruptError, 'DATABASE_CORRUPT'],
  [DatabaseCorruptError, 'DATABASE_CORRUPT'],
  [DatabaseTooNewError, 'DATABASE_TOO_NEW'],
  [MigrationFailedError, 'MIGRATION_FAILED'],
  [RecordNotFoundError, 'NOT_FOUND'],
  [ModelIntegrityError, 'MODEL_INTEGRITY'],
  [UnknownModelError, 'MODEL_INTEGRITY'],
  [ImagingModelIntegrityError, 'MODEL_INTEGRITY'],
  [UnknownImagingModelError, 'MODEL_INTEGRITY'],
  [ImagingError, 'IMAGE_UNREADABLE'],
  [PatientMismatchError, 'PATIENT_MISMATCH'],
  [RememberUnavailableError, 'REMEMBER_UNAVAILABLE'],
  [BackupInvalidError, 'BACKUP_INVALID'],
  [BackupTruncatedError, 'BACKUP_TRUNCATED'],
  [BackupChecksumError, 'BACKUP_CHECKSUM_MISMATCH'],
  [BackupWrongKeyError, 'BACKUP_WRONG_KEY'],
  [BackupCorruptError, 'BACKUP_CORRUPT'],
  [BackupChainBrokenError, 'BACKUP_CHAIN_BROKEN'],
];

function fieldOf(err: Error): string | undefined {
  if (err instanceof ValidationError || err instanceof ImplausibleValueError) return err.field;
  if (err instanceof FeatureError) return err.feature ? `findings.${err.feature}` : undefined;
  return undefined;
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
  const known = codeByClass.find(([cls]) => err instanceof cls);
  if (known && err instanceof Error) {
    const field = fieldOf(err);
    return field === undefined ? { code: known[1], message: err.message } : { code: known[1], message: err.message, field };
  }
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
