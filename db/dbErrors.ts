/**
 * Failures of the encrypted store and its backups, as one error type. Each carries the code the
 * clinician's screen switches on (wrong passphrase vs. corrupt file vs. newer app) instead of a crash.
 * The codes are a subset of the contract's, checked in electron/app/serviceErrors.ts (db/
 * imports nothing of ours); the functions below keep each message in one place.
 */
export type DbErrorCode =
  | 'WRONG_PASSPHRASE'
  | 'KEYRING_MISSING'
  | 'DATABASE_CORRUPT'
  | 'DATABASE_TOO_NEW'
  | 'MIGRATION_FAILED'
  | 'ALREADY_INITIALISED'
  | 'NOT_FOUND'
  | 'DATABASE_IN_USE'
  | 'BACKUP_INVALID'
  | 'BACKUP_TRUNCATED'
  | 'BACKUP_CHECKSUM_MISMATCH'
  | 'BACKUP_WRONG_KEY'
  | 'BACKUP_CORRUPT'
  | 'BACKUP_CHAIN_BROKEN'
  | 'FORBIDDEN';

export class DbError extends Error {
  override readonly name = 'DbError';
  constructor(
    readonly code: DbErrorCode,
    message: string,
    /** The file the error is about (database, key file, backup file), where there is one. */
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isDbError(err: unknown, ...codes: DbErrorCode[]): err is DbError {
  return err instanceof DbError && (codes.length === 0 || codes.includes(err.code));
}

export function wrongPassphrase(message = 'Wrong passphrase. The database was not opened.'): DbError {
  return new DbError('WRONG_PASSPHRASE', message);
}

export function keyringMissing(keyringPath: string): DbError {
  return new DbError(
    'KEYRING_MISSING',
    `The key file ${keyringPath} that unlocks this database is missing. Restore it from a backup; ` + 'without it the database cannot be decrypted.',
    keyringPath,
  );
}

/** A damaged key file reads to the clinician as a damaged database: the remedy is the same restore. */
export function keyringCorrupt(keyringPath: string, detail: string): DbError {
  return new DbError('DATABASE_CORRUPT', `The key file ${keyringPath} is damaged (${detail}). Restore it from a backup.`, keyringPath);
}

export function databaseCorrupt(dbPath: string, detail: string): DbError {
  return new DbError(
    'DATABASE_CORRUPT',
    `The database ${dbPath} could not be read although the key is correct (${detail}). ` + 'It was left untouched; restore from a backup.',
    dbPath,
  );
}

export function databaseTooNew(found: number, supported: number): DbError {
  return new DbError(
    'DATABASE_TOO_NEW',
    `This database has schema version ${found}, written by a newer Lantern; this app supports up to ` +
      `version ${supported}. Update the app; the database was not changed.`,
  );
}

export function migrationFailed(version: number, migrationName: string, cause: unknown): DbError {
  return new DbError(
    'MIGRATION_FAILED',
    `Upgrading the database to version ${version} (${migrationName}) failed and was rolled back: ` +
      `${cause instanceof Error ? cause.message : String(cause)}`,
    undefined,
    { cause },
  );
}

export function databaseExists(dbPath: string): DbError {
  return new DbError('ALREADY_INITIALISED', `A database already exists at ${dbPath}; it was not overwritten.`, dbPath);
}

export function recordNotFound(entity: string, id: string): DbError {
  return new DbError('NOT_FOUND', `No ${entity} with id ${id}.`);
}

/** Another Lantern (app, host or CLI) holds the database; two writers, or a restore beside one, lose saves. */
export function databaseInUse(dbPath: string, holder: string): DbError {
  return new DbError('DATABASE_IN_USE', `The database ${dbPath} is in use by ${holder}. Close that Lantern first; nothing was changed.`, dbPath);
}
