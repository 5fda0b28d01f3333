/**
 * Named failures of backup and restore. Each says what is wrong with the backup, so the person
 * restoring knows whether to try another backup (damaged, truncated, wrong key) or another
 * passphrase (WrongPassphraseError from dbErrors.ts). A failed restore never touches the database.
 */

/** The folder is not a Lantern backup: no manifest, an unreadable one, or files it does not name. */
export class BackupInvalidError extends Error {
  override readonly name = 'BackupInvalidError';
  constructor(readonly backupPath: string, detail: string) {
    super(`${backupPath} is not a usable Lantern backup (${detail}). Nothing was restored.`);
  }
}

/** The worker thread that writes backups could not run (not a failure of the backup itself). */
export class BackupWorkerUnavailableError extends Error {
  override readonly name = 'BackupWorkerUnavailableError';
  constructor(detail: string) {
    super(`The backup worker thread could not run: ${detail}`);
  }
}

/** The backup's database file is shorter than the manifest says: an interrupted copy. */
export class BackupTruncatedError extends Error {
  override readonly name = 'BackupTruncatedError';
  constructor(readonly file: string, readonly expectedBytes: number, readonly actualBytes: number) {
    super(
      `The backup file ${file} is truncated (${actualBytes} of ${expectedBytes} bytes); it was probably copied ` +
        'incompletely. Nothing was restored; use another copy of the backup.',
    );
  }
}

/** A backup file's SHA-256 differs from its manifest: changed or damaged after it was made. */
export class BackupChecksumError extends Error {
  override readonly name = 'BackupChecksumError';
  constructor(readonly file: string, readonly expected: string, readonly actual: string) {
    super(
      `The backup file ${file} does not match its manifest (sha256 ${actual}, expected ${expected}); it was ` +
        'damaged or changed after the backup was made. Nothing was restored.',
    );
  }
}

/** The backup's keyring opens with the passphrase but its key does not decrypt the backup's database. */
export class BackupWrongKeyError extends Error {
  override readonly name = 'BackupWrongKeyError';
  constructor(readonly file: string) {
    super(
      `The backup database ${file} is not encrypted with the key its key file holds (the files come from ` +
        'different backups or databases). Nothing was restored.',
    );
  }
}

/** The backup decrypts but SQLite's integrity check fails. */
export class BackupCorruptError extends Error {
  override readonly name = 'BackupCorruptError';
  constructor(readonly file: string, detail: string) {
    super(`The backup database ${file} failed its integrity check (${detail}). Nothing was restored.`);
  }
}

/** The backup's audit chain is broken, or its head is not the one the manifest recorded. */
export class BackupChainBrokenError extends Error {
  override readonly name = 'BackupChainBrokenError';
  constructor(readonly file: string, detail: string) {
    super(`The audit trail in the backup ${file} does not verify (${detail}). Nothing was restored.`);
  }
}
