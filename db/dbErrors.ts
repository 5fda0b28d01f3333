/**
 * Named failures of the encrypted store. Each maps to one error code at the IPC boundary, so the
 * clinician sees what happened (wrong passphrase vs. corrupt file vs. newer app) instead of a crash.
 */
export class WrongPassphraseError extends Error {
  override readonly name = 'WrongPassphraseError';
  constructor(message = 'Wrong passphrase. The database was not opened.') {
    super(message);
  }
}

export class KeyringMissingError extends Error {
  override readonly name = 'KeyringMissingError';
  constructor(readonly keyringPath: string) {
    super(
      `The key file ${keyringPath} that unlocks this database is missing. Restore it from a backup; ` +
        'without it the database cannot be decrypted.',
    );
  }
}

export class KeyringCorruptError extends Error {
  override readonly name = 'KeyringCorruptError';
  constructor(readonly keyringPath: string, detail: string) {
    super(`The key file ${keyringPath} is damaged (${detail}). Restore it from a backup.`);
  }
}

export class DatabaseCorruptError extends Error {
  override readonly name = 'DatabaseCorruptError';
  constructor(readonly dbPath: string, detail: string) {
    super(
      `The database ${dbPath} could not be read although the key is correct (${detail}). ` +
        'It was left untouched; restore from a backup.',
    );
  }
}

export class DatabaseTooNewError extends Error {
  override readonly name = 'DatabaseTooNewError';
  constructor(readonly found: number, readonly supported: number) {
    super(
      `This database has schema version ${found}, written by a newer Lantern; this app supports up to ` +
        `version ${supported}. Update the app; the database was not changed.`,
    );
  }
}

export class MigrationFailedError extends Error {
  override readonly name = 'MigrationFailedError';
  constructor(readonly version: number, readonly migrationName: string, cause: unknown) {
    super(
      `Upgrading the database to version ${version} (${migrationName}) failed and was rolled back: ` +
        `${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

export class DatabaseExistsError extends Error {
  override readonly name = 'DatabaseExistsError';
  constructor(readonly dbPath: string) {
    super(`A database already exists at ${dbPath}; it was not overwritten.`);
  }
}

export class RecordNotFoundError extends Error {
  override readonly name = 'RecordNotFoundError';
  constructor(readonly entity: string, readonly id: string) {
    super(`No ${entity} with id ${id}.`);
  }
}

/** Another Lantern (app, host or CLI) holds the database; two writers, or a restore beside one, lose saves. */
export class DatabaseInUseError extends Error {
  override readonly name = 'DatabaseInUseError';
  constructor(readonly dbPath: string, holder: string) {
    super(`The database ${dbPath} is in use by ${holder}. Close that Lantern first; nothing was changed.`);
  }
}
