/**
 * Failures of backup and restore, as DbError (dbErrors.ts). Each says what is wrong with the backup,
 * so the person restoring knows whether to try another backup (damaged, truncated, wrong key) or
 * another passphrase (WRONG_PASSPHRASE). A failed restore never touches the database.
 */
import { DbError } from './dbErrors';

/** The folder is not a Lantern backup: no manifest, an unreadable one, or files it does not name. */
export function backupInvalid(backupPath: string, detail: string): DbError {
  return new DbError('BACKUP_INVALID', `${backupPath} is not a usable Lantern backup (${detail}). Nothing was restored.`, backupPath);
}

/**
 * The worker thread that writes backups could not run (not a failure of the backup itself): the
 * caller falls back to the app's connection, so this never reaches the user and has no code.
 */
export class BackupWorkerUnavailableError extends Error {
  override readonly name = 'BackupWorkerUnavailableError';
  constructor(detail: string) {
    super(`The backup worker thread could not run: ${detail}`);
  }
}

/** The backup's database file is shorter than the manifest says: an interrupted copy. */
export function backupTruncated(file: string, expectedBytes: number, actualBytes: number): DbError {
  return new DbError(
    'BACKUP_TRUNCATED',
    `The backup file ${file} is truncated (${actualBytes} of ${expectedBytes} bytes); it was probably copied ` +
      'incompletely. Nothing was restored; use another copy of the backup.',
    file,
  );
}

/** A backup file's SHA-256 differs from its manifest: changed or damaged after it was made. */
export function backupChecksumMismatch(file: string, expected: string, actual: string): DbError {
  return new DbError(
    'BACKUP_CHECKSUM_MISMATCH',
    `The backup file ${file} does not match its manifest (sha256 ${actual}, expected ${expected}); it was ` +
      'damaged or changed after the backup was made. Nothing was restored.',
    file,
  );
}

/** The backup's keyring opens with the passphrase but its key does not decrypt the backup's database. */
export function backupWrongKey(file: string): DbError {
  return new DbError(
    'BACKUP_WRONG_KEY',
    `The backup database ${file} is not encrypted with the key its key file holds (the files come from ` +
      'different backups or databases). Nothing was restored.',
    file,
  );
}

/** The backup decrypts but SQLite's integrity check fails. */
export function backupCorrupt(file: string, detail: string): DbError {
  return new DbError('BACKUP_CORRUPT', `The backup database ${file} failed its integrity check (${detail}). Nothing was restored.`, file);
}

/** The backup's audit chain is broken, or its head is not the one the manifest recorded. */
export function backupChainBroken(file: string, detail: string): DbError {
  return new DbError('BACKUP_CHAIN_BROKEN', `The audit trail in the backup ${file} does not verify (${detail}). Nothing was restored.`, file);
}
