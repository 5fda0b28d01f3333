/**
 * Opens the SQLCipher-v4 encrypted database with a raw 256-bit key, applies the pragmas every
 * connection needs, and migrates. Key handling (passphrases, slots) lives in keyring.ts.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { withSqliteBinding } from './sqliteBinding';
import type { Database as Db } from 'better-sqlite3-multiple-ciphers';
import { chmodSync, existsSync, rmSync, statSync } from 'node:fs';
import {
  masterKeyBytes,
  keyringPathFor,
  readKeyring,
  unwrapMasterKey,
  wrapUserSlot,
  wrapRecoverySlot,
  writeKeyring,
  createMasterKey,
  defaultKdf,
  putSlot,
  type KeySlot,
} from './keyring';
import { isDbError, wrongPassphrase, databaseCorrupt, databaseExists } from './dbErrors';
import type { ScryptParams } from './keyring';
import { migrate } from './migrate';
import type { Migration } from './migrations/migration';
import type { KeyObject } from 'node:crypto';

export type { Db };

export interface OpenOptions {
  /** Replaces the shipped migrations (tests of the migration machinery only). */
  migrations?: readonly Migration[];
}

/** Files of ours that hold patient data (even encrypted) are readable by their owner only. */
export function restrictToOwner(path: string): void {
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  } catch {
    // Not ours to change (another owner, a read-only medium): opening still works, and says nothing.
  }
}

function isSqliteError(err: unknown, ...codes: string[]): boolean {
  return typeof err === 'object' && err !== null && codes.includes((err as { code?: string }).code ?? '');
}

/** The cipher settings every connection uses (the app's and backup verification's): SQLCipher v4, raw key. */
export function applyDatabaseKey(db: Db, masterKey: Buffer): void {
  if (masterKey.length !== masterKeyBytes) throw new Error('master key must be 32 bytes');
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  // Raw-key form: the key is already random, so SQLCipher's own PBKDF2 would only add latency.
  db.pragma(`key = "x'${masterKey.toString('hex')}'"`);
}

export function openEncryptedDatabase(dbPath: string, masterKey: Buffer, options: OpenOptions = {}): Db {
  if (masterKey.length !== masterKeyBytes) throw new Error('master key must be 32 bytes');
  const db = new Database(dbPath, withSqliteBinding({}));
  try {
    // The owner's alone (0600); SQLite gives the WAL and shared-memory files the database's mode.
    restrictToOwner(dbPath);
    applyDatabaseKey(db, masterKey);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (err) {
      // The keyring already proved the key right, so an unreadable file means damage, not a bad key.
      if (isSqliteError(err, 'SQLITE_NOTADB', 'SQLITE_CORRUPT')) {
        throw databaseCorrupt(dbPath, (err as Error).message);
      }
      throw err;
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, options.migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export async function unlockEncryptedDatabase(
  dbPath: string,
  passphrase: string,
  options: OpenOptions & { userId?: string; login?: string } = {},
): Promise<{ db: Db; userId: string; masterKey: Buffer; signingKey: KeyObject | null; signingKeyCreated: boolean }> {
  const keyring = readKeyring(keyringPathFor(dbPath));
  const { login } = options;
  // With a login only that account's slot is tried (plus slots from before logins existed).
  const candidates = login === undefined ? keyring : { ...keyring, slots: keyring.slots.filter((s) => s.login === login || s.login === undefined) };
  const { masterKey, userId, refreshed, signingKey, signingKeyCreated } = await unwrapMasterKey(candidates, passphrase, options.userId).catch(
    (err: unknown) => {
      throw isDbError(err, 'WRONG_PASSPHRASE') && login !== undefined ? wrongPassphrase('Wrong login or passphrase. The database was not opened.') : err;
    },
  );
  if (!existsSync(dbPath)) throw databaseCorrupt(dbPath, 'the database file is missing');
  const db = openEncryptedDatabase(dbPath, masterKey, options);
  // A slot sealed by a key rotation, or made before slots had key pairs, gets its passphrase form back.
  if (refreshed) refreshSlot(keyringPathFor(dbPath), refreshed);
  return { db, userId, masterKey, signingKey, signingKeyCreated };
}

function refreshSlot(keyringPath: string, slot: KeySlot): void {
  try {
    putSlot(keyringPath, slot);
  } catch {
    // A read-only folder: the sealed slot keeps working; it is rewritten at a later sign-in.
  }
}

/**
 * Creates a new database and its keyring with one slot for `userId`. Refuses to touch an existing
 * database or keyring; the schema is in place before the keyring is written, so a failure leaves
 * nothing half-made that could later be mistaken for a real store.
 */
export async function createEncryptedDatabase(
  dbPath: string,
  userId: string,
  passphrase: string,
  options: OpenOptions & { kdf?: ScryptParams; login?: string; recoveryKey?: string; signingKey?: KeyObject } = {},
): Promise<{ db: Db; masterKey: Buffer }> {
  const keyringPath = keyringPathFor(dbPath);
  if (existsSync(dbPath) || existsSync(keyringPath)) throw databaseExists(dbPath);
  const masterKey = createMasterKey();
  const kdf = options.kdf ?? defaultKdf;
  const slots = [await wrapUserSlot(masterKey, userId, passphrase, kdf, options.login, options.signingKey)];
  if (options.recoveryKey !== undefined) slots.push(await wrapRecoverySlot(masterKey, options.recoveryKey, kdf));
  let db: Db | undefined;
  try {
    db = openEncryptedDatabase(dbPath, masterKey, options);
    writeKeyring(keyringPath, { format: 'lantern-keyring', version: 1, slots });
  } catch (err) {
    db?.close();
    // Only files this call created are removed: the existence check above refused any earlier ones.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
    throw err;
  }
  return { db, masterKey };
}
