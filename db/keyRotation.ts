/**
 * Master-key rotation, so that disabling an account revokes it even against someone who kept a
 * copy of the keyring: the database is re-encrypted (SQLCipher rekey) under a new random key, and
 * the new key is sealed to each remaining slot's X25519 public key (no passphrase needed).
 *
 * Crash safety: the new keyring is written first as `<keyring>.next`, then the database is rekeyed
 * on a copy that is renamed over the original (so a crash leaves the old file or the new, never a
 * mix), then `.next` is renamed over the keyring. A `.next` found at sign-in means a rotation was
 * interrupted: whichever key opens the database says how far it got, and it is finished (or, when
 * the signing-in user cannot open `.next`, rolled back and left owed for the next session).
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { withSqliteBinding } from './sqliteBinding';
import { applyDatabaseKey } from './openDatabase';
import type { Db } from './openDatabase';
import { fsyncDir, fsyncFile } from './durableFiles';
import { DbError, isDbError, wrongPassphrase } from './dbErrors';
import { createMasterKey, keyringPathFor, pendingKeyringPathFor, readKeyring, sealSlot, writeKeyring } from './keyring';
import type { Keyring } from './keyring';

export interface RotationPlan {
  keyring: Keyring;
  /** Slots without a key pair (made before rotation existed, never signed in since): only their passphrase could rewrap them, so they are dropped. */
  dropped: { userId: string; login?: string; kind?: 'user' | 'recovery' }[];
}

/** The keyring for `newKey`: every slot sealed to its public key, the owed flag cleared. */
export function planRotation(keyring: Keyring, newKey: Buffer): RotationPlan {
  const slots = keyring.slots.map((slot) => ({ slot, sealed: sealSlot(slot, newKey) }));
  const { rotationOwed: _owed, ...rest } = keyring;
  return {
    keyring: { ...rest, slots: slots.flatMap((s) => (s.sealed ? [s.sealed] : [])) },
    dropped: slots.filter((s) => !s.sealed).map(({ slot }) => ({ userId: slot.userId, login: slot.login, kind: slot.kind })),
  };
}

/** Rekey refuses WAL mode: the WAL is folded in and the journal switched for the rekey, then back. */
export function rekeyConnection(db: Db, newKey: Buffer): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  db.pragma(`rekey = "x'${newKey.toString('hex')}'"`);
  db.pragma('journal_mode = WAL');
}

/** Where the copy being rekeyed lives until it replaces the database. */
export const rekeyCopyPathFor = (dbPath: string): string => `${dbPath}.rekey`;

/**
 * On connections of its own; the app's connection must be closed (the rekey needs the file alone).
 * Not in place: SQLite3MultipleCiphers' rekey rewrites page 1 (and its salt) before the rest, and a
 * process killed mid-commit left a file that neither key opened, its hot journal unreplayable (seen
 * with a real SIGKILL). So the WAL is folded into the database, the file copied, the copy rekeyed and
 * flushed, and renamed over the original: a crash leaves the old file (and a stray copy, removed at
 * the next try) or the new one.
 */
export function rekeyDatabaseFile(dbPath: string, oldKey: Buffer, newKey: Buffer, onStep?: (step: RekeyStep) => void): void {
  const copyPath = rekeyCopyPathFor(dbPath);
  removeRekeyCopy(dbPath);
  const live = new Database(dbPath, withSqliteBinding({ fileMustExist: true }));
  try {
    applyDatabaseKey(live, oldKey);
    live.prepare('SELECT count(*) FROM sqlite_master').get();
    live.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    live.close();
  }
  onStep?.('copying');
  copyFileSync(dbPath, copyPath);
  onStep?.('rekeying');
  const copy = new Database(copyPath, withSqliteBinding({ fileMustExist: true }));
  try {
    applyDatabaseKey(copy, oldKey);
    copy.prepare('SELECT count(*) FROM sqlite_master').get();
    rekeyConnection(copy, newKey);
  } finally {
    copy.close();
  }
  fsyncFile(copyPath);
  onStep?.('renaming');
  renameSync(copyPath, dbPath);
  fsyncDir(dirname(resolve(dbPath)));
}

/** A copy left by a rekey cut off before its rename: never the live file, so always safe to drop. */
function removeRekeyCopy(dbPath: string): void {
  const copyPath = rekeyCopyPathFor(dbPath);
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(copyPath + suffix, { force: true });
}

/** Where rekeyDatabaseFile is, for progress shown while a large database is re-encrypted. */
export type RekeyStep = 'copying' | 'rekeying' | 'renaming';

/** What the rekey worker posts: progress steps, then one final answer. */
export type RekeyWorkerMessage = { step: RekeyStep } | { ok: true } | { ok: false; message: string };

export interface RekeyWorkerJob {
  dbPath: string;
  oldKey: Uint8Array;
  newKey: Uint8Array;
}

/** rekeyDatabaseFile in a worker thread: a large database takes seconds, which the main process must not stop for. */
export function rekeyInWorker(dbPath: string, oldKey: Buffer, newKey: Buffer, onStep?: (step: RekeyStep) => void): Promise<void> {
  const job: RekeyWorkerJob = { dbPath: resolve(dbPath), oldKey: new Uint8Array(oldKey), newKey: new Uint8Array(newKey) };
  const built = join(__dirname, 'keyRotationWorker.js');
  // From the TypeScript sources (a test runner) there is no .js: load the .ts through the test hook.
  const source = existsSync(built)
    ? `require(${JSON.stringify(built)});`
    : `require(${JSON.stringify(join(__dirname, 'testing', 'tsRequireHook.cjs'))}); require(${JSON.stringify(join(__dirname, 'keyRotationWorker.ts'))});`;
  return new Promise<void>((resolvePromise, reject) => {
    const worker = new Worker(source, { eval: true, workerData: job });
    let settled = false;
    worker.on('message', (reply: RekeyWorkerMessage) => {
      if ('step' in reply) return onStep?.(reply.step);
      settled = true;
      if (reply.ok) resolvePromise();
      else reject(new Error(`re-encrypting the database failed: ${reply.message}`));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the re-encryption thread stopped (exit code ${code}) before it finished`));
    });
  }).finally(() => {
    job.oldKey.fill(0);
    job.newKey.fill(0);
  });
}

export type RotationStage = 'keyring-prepared' | RekeyStep | 'database-rekeyed' | 'keyring-installed';

export interface RotationOptions {
  dbPath: string;
  oldKey: Buffer;
  /** How the file is rekeyed; tests pass rekeyDatabaseFile (same thread) or a failing one. */
  rekey?: (dbPath: string, oldKey: Buffer, newKey: Buffer, onStep?: (step: RekeyStep) => void) => Promise<void> | void;
  onProgress?: (stage: RotationStage) => void;
}

function installPendingKeyring(dbPath: string): void {
  renameSync(pendingKeyringPathFor(dbPath), keyringPathFor(dbPath));
  fsyncDir(dirname(resolve(dbPath)));
}

/** Rotates the master key of the closed database at `dbPath` (see the file comment for the order). */
export async function rotateMasterKey(options: RotationOptions): Promise<{ masterKey: Buffer; dropped: RotationPlan['dropped'] }> {
  const { dbPath, oldKey, rekey = rekeyInWorker, onProgress } = options;
  const newKey = createMasterKey();
  const plan = planRotation(readKeyring(keyringPathFor(dbPath)), newKey);
  if (plan.keyring.slots.length === 0) throw new Error('no slot could be rewrapped for the new key; nobody could open the database afterwards');
  writeKeyring(pendingKeyringPathFor(dbPath), plan.keyring);
  onProgress?.('keyring-prepared');
  try {
    await rekey(dbPath, oldKey, newKey, onProgress);
  } catch (err) {
    // Still under the old key (the copy never replaced it): undo, the keyring keeps rotationOwed.
    if (keyOpensDatabase(dbPath, oldKey)) {
      rmSync(pendingKeyringPathFor(dbPath), { force: true });
      throw err;
    }
    // Neither key opens: `.next` stays for the next sign-in to sort out (finishPendingRotation).
    if (!keyOpensDatabase(dbPath, newKey)) throw err;
  }
  onProgress?.('database-rekeyed');
  installPendingKeyring(dbPath);
  onProgress?.('keyring-installed');
  return { masterKey: newKey, dropped: plan.dropped };
}

/** Whether `key` decrypts the database. */
export function keyOpensDatabase(dbPath: string, key: Buffer): boolean {
  const db = new Database(dbPath, withSqliteBinding({ fileMustExist: true }));
  try {
    applyDatabaseKey(db, key);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return true;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

export function rotationUnfinishable(): DbError {
  return new DbError(
    'FORBIDDEN',
    'A change of the database key was interrupted and this account cannot finish it. Another user (an administrator) must sign in first.',
  );
}

/**
 * Finishes or rolls back an interrupted rotation, given the keys the signing-in credential opened
 * from the current keyring (`oldKey`) and from `.next` (`nextKey`). Returns the key that opens the
 * database afterwards; the keyring beside it is then the one that key belongs to.
 */
export function finishPendingRotation(dbPath: string, oldKey: Buffer | null, nextKey: Buffer | null): 'finished' | 'rolled-back' {
  removeRekeyCopy(dbPath);
  if (oldKey && keyOpensDatabase(dbPath, oldKey)) {
    if (!nextKey) {
      // Rolled back: the live keyring still says rotationOwed, so the next signed-in session rotates again.
      rmSync(pendingKeyringPathFor(dbPath), { force: true });
      return 'rolled-back';
    }
    rekeyDatabaseFile(dbPath, oldKey, nextKey);
  } else if (!nextKey || !keyOpensDatabase(dbPath, nextKey)) {
    throw rotationUnfinishable();
  }
  installPendingKeyring(dbPath);
  return 'finished';
}

/**
 * At sign-in, before the database is opened: if a rotation was interrupted, `open` (the credential
 * being used: a passphrase, the recovery key, a remembered key) is tried on both keyrings and the
 * rotation finished or rolled back. Afterwards the keyring beside the database is the current one.
 */
export async function resolveInterruptedRotation(dbPath: string, open: (keyring: Keyring) => Promise<Buffer>): Promise<'none' | 'finished' | 'rolled-back'> {
  const pendingPath = pendingKeyringPathFor(dbPath);
  if (!existsSync(pendingPath) || !existsSync(dbPath)) return 'none';
  const attempt = async (path: string): Promise<Buffer | null> => {
    try {
      return await open(readKeyring(path));
    } catch (err) {
      if (isDbError(err, 'WRONG_PASSPHRASE')) return null;
      throw err;
    }
  };
  const oldKey = await attempt(keyringPathFor(dbPath));
  const nextKey = await attempt(pendingPath);
  if (!oldKey && !nextKey) throw wrongPassphrase();
  try {
    return finishPendingRotation(dbPath, oldKey, nextKey);
  } finally {
    oldKey?.fill(0);
    nextKey?.fill(0);
  }
}
