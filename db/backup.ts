/**
 * Backups of the encrypted database, made while the app keeps writing, and restores that verify
 * everything before they touch the live database.
 *
 * A backup is a folder `lantern-backup-<UTC time>/` holding:
 * - `lantern-backup.db`: made with `VACUUM INTO` on the open connection. SQLite3MultipleCiphers
 *   writes the copy with the connection's cipher and key (SQLCipher v4, the master key), so it is
 *   encrypted like the live file and is one consistent snapshot (a read transaction) however many
 *   writes follow. Never a file copy: a copy taken mid-write, or without the WAL, can be torn.
 *   (`sqlcipher_export` does not exist in this library; ATTACH + export is therefore not an option.)
 * - `lantern-backup.db.keyring.json`: the keyring as it was, so each user's passphrase opens the copy.
 * - `manifest.json`: schema version, time, audit chain head and the files' SHA-256.
 * The folder is written under a hidden `.partial` name and renamed when complete, so a backup
 * interrupted by a crash or a full disk is never mistaken for a usable one.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { withSqliteBinding } from './sqliteBinding';
import type { Database as Db } from 'better-sqlite3-multiple-ciphers';
import { createHash, type KeyObject } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants as fsConstants,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { fsyncDir, fsyncFile, writeFileDurably } from './durableFiles';
import { keyringPathFor, pendingKeyringPathFor, readKeyring, unwrapMasterKey, unwrapWithRecoveryKey } from './keyring';
import type { Keyring } from './keyring';
import { applyDatabaseKey } from './openDatabase';
import { checkpointPathFor } from './auditCheckpoints';
import { AuditRepository, genesisHash } from './repositories/auditRepository';
import { latestSchemaVersion } from './migrations/migrationRegistry';
import { databaseTooNew, DbError, isDbError } from './dbErrors';
import {
  backupChainBroken,
  backupChecksumMismatch,
  backupCorrupt,
  backupInvalid,
  backupTruncated,
  BackupWorkerUnavailableError,
  backupWrongKey,
} from './backupErrors';

export const backupDatabaseFile = 'lantern-backup.db';
export const backupKeyringFile = basename(keyringPathFor(backupDatabaseFile));
export const backupManifestFile = 'manifest.json';
const backupFolderPrefix = 'lantern-backup-';
/** `lantern-backup-2025-11-25T17-56-00-123Z`, with `-2`, `-3`… if two land in the same millisecond. */
const backupFolderPattern = /^lantern-backup-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z(-\d+)?$/;

export interface AuditHead {
  seq: number;
  hash: string;
}

export interface BackupManifest {
  format: 'lantern-backup';
  version: 1;
  createdAt: string;
  /** The app schema version (PRAGMA user_version) of the backed-up database. */
  schemaVersion: number;
  /** The last audit event in the backup; seq 0 and the genesis hash when there is none. */
  auditHead: AuditHead;
  /** Which database this is a copy of (see databaseIdOf); absent in backups made before it was recorded. */
  databaseId?: string | null;
  database: { file: string; bytes: number; sha256: string };
  keyring: { file: string; bytes: number; sha256: string };
}

export interface BackupInfo {
  /** Absolute path of the backup folder. */
  folder: string;
  manifest: BackupManifest;
}

/** A file name part from a time: ISO 8601 without the characters Windows refuses. */
export function timestampForFileName(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

/** Chunked, so a 2 GB database is hashed without holding it in memory. */
export function sha256OfFile(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function headOf(db: Db, schema: 'main' | typeof checkSchema): AuditHead {
  // The schema name is one of two constants; identifiers cannot be bound parameters.
  const row = db.prepare(`SELECT seq, hash FROM ${schema}.audit_events ORDER BY seq DESC LIMIT 1`).get() as AuditHead | undefined;
  return row ?? { seq: 0, hash: genesisHash };
}

const checkSchema = 'lantern_backup_check';

/**
 * A database's identity: the hash of its first audit event (written at setup; it covers the first
 * admin's id and the time), so every copy and backup of one database shares it and another
 * database's differs, with no extra table or migration. Null for a database without events.
 */
export function databaseIdOf(db: Db, schema: 'main' | typeof checkSchema = 'main'): string | null {
  const row = db.prepare(`SELECT hash FROM ${schema}.audit_events WHERE seq = 1`).get() as { hash: string } | undefined;
  return row?.hash ?? null;
}

function freeFolderName(targetDir: string, now: Date): string {
  const base = `${backupFolderPrefix}${timestampForFileName(now)}`;
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    if (!existsSync(join(targetDir, name)) && !existsSync(join(targetDir, `.${name}.partial`))) return name;
  }
}

/**
 * Writes a backup of the open database `db` (whose file is `dbPath`, for its keyring) into a new
 * folder under `targetDir`. Must not run inside a transaction (VACUUM cannot). Throws the
 * underlying error (ENOSPC, SQLITE_FULL…) after removing its own partial folder.
 */
export function writeBackup(db: Db, dbPath: string, targetDir: string, now = new Date()): BackupInfo {
  // Read first: a damaged keyring must fail the backup, not be copied into it.
  const keyringPath = keyringPathFor(dbPath);
  readKeyring(keyringPath);
  const keyringBytes = readFileSync(keyringPath);

  const dir = resolve(targetDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = freeFolderName(dir, now);
  const partial = join(dir, `.${name}.partial`);
  const folder = join(dir, name);
  mkdirSync(partial, { mode: 0o700 });
  try {
    const backupDb = join(partial, backupDatabaseFile);
    db.prepare('VACUUM INTO ?').run(backupDb);
    chmodSync(backupDb, 0o600);
    fsyncFile(backupDb);

    // Read the head and version from the copy itself (same key, via ATTACH), not from the live
    // database, which may have moved on since the snapshot.
    let auditHead: AuditHead;
    let schemaVersion: number;
    let databaseId: string | null;
    db.prepare(`ATTACH DATABASE ? AS ${checkSchema}`).run(backupDb);
    try {
      const check = db.pragma(`${checkSchema}.quick_check`, { simple: true });
      if (check !== 'ok') throw backupCorrupt(backupDb, String(check));
      schemaVersion = db.pragma(`${checkSchema}.user_version`, { simple: true }) as number;
      auditHead = headOf(db, checkSchema);
      databaseId = databaseIdOf(db, checkSchema);
      // The live chain is append-only, so the copy's head must be an event of the live chain.
      const live = db.prepare('SELECT hash FROM main.audit_events WHERE seq = ?').get(auditHead.seq) as { hash: string } | undefined;
      if (auditHead.seq > 0 && live?.hash !== auditHead.hash) {
        throw backupChainBroken(backupDb, `head ${auditHead.seq} is not an event of the live audit trail`);
      }
    } finally {
      db.exec(`DETACH DATABASE ${checkSchema}`);
    }

    writeFileDurably(join(partial, backupKeyringFile), keyringBytes);
    const manifest: BackupManifest = {
      format: 'lantern-backup',
      version: 1,
      createdAt: now.toISOString(),
      schemaVersion,
      auditHead,
      databaseId,
      database: { file: backupDatabaseFile, bytes: statSync(backupDb).size, sha256: sha256OfFile(backupDb) },
      keyring: { file: backupKeyringFile, bytes: keyringBytes.length, sha256: createHash('sha256').update(keyringBytes).digest('hex') },
    };
    writeFileDurably(join(partial, backupManifestFile), `${JSON.stringify(manifest, null, 2)}\n`);
    fsyncDir(partial);
    renameSync(partial, folder);
    fsyncDir(dir);
    return { folder, manifest };
  } catch (err) {
    // Only the folder this call created goes; the live database was only read.
    rmSync(partial, { recursive: true, force: true });
    throw err;
  }
}

export interface BackupWorkerJob {
  dbPath: string;
  masterKey: Uint8Array;
  targetDir: string;
  /** ISO time the backup is named and stamped with. */
  now: string;
}

export type BackupWorkerReply = { ok: true; info: BackupInfo } | { ok: false; error: { name: string; message: string } & Record<string, unknown> };

/** A backup's own failures are DbError; rebuilt as one after crossing from the worker thread. */
function rebuildError(e: { name: string; message: string } & Record<string, unknown>): Error {
  // Own fields (code, file…) come along, so storage codes and instanceof both still work.
  const err = e.name === 'DbError' ? (Object.create(DbError.prototype) as Error) : new Error(e.message);
  return Object.assign(err, e, { stack: `${e.name}: ${e.message}\n    at backup worker thread` });
}

/**
 * writeBackup on a connection of its own in a worker thread: VACUUM INTO of a large database takes
 * seconds to minutes, and on the app's connection it would stop the app (the Electron main process)
 * for all that time. The copy is the same snapshot either way.
 */
export function writeBackupInWorker(job: { dbPath: string; masterKey: Buffer; targetDir: string; now?: Date }): Promise<BackupInfo> {
  const workerJob: BackupWorkerJob = {
    dbPath: resolve(job.dbPath),
    masterKey: new Uint8Array(job.masterKey),
    targetDir: resolve(job.targetDir),
    now: (job.now ?? new Date()).toISOString(),
  };
  const built = join(__dirname, 'backupWorker.js');
  // From the TypeScript sources (a test runner) there is no .js: load the .ts through the test hook.
  const source = existsSync(built)
    ? `require(${JSON.stringify(built)});`
    : `require(${JSON.stringify(join(__dirname, 'testing', 'tsRequireHook.cjs'))}); require(${JSON.stringify(join(__dirname, 'backupWorker.ts'))});`;
  return new Promise<BackupInfo>((resolvePromise, reject) => {
    const worker = new Worker(source, { eval: true, workerData: workerJob });
    let settled = false;
    worker.once('message', (reply: BackupWorkerReply) => {
      settled = true;
      if (reply.ok) resolvePromise(reply.info);
      else reject(rebuildError(reply.error));
    });
    // Failures of the thread itself (a module it cannot load), as opposed to the backup's own errors.
    worker.once('error', (err) => {
      settled = true;
      reject(new BackupWorkerUnavailableError(err.message));
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new BackupWorkerUnavailableError(`it stopped (exit code ${code}) before it finished`));
    });
  }).finally(() => workerJob.masterKey.fill(0));
}

function isHex64(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
}

function isFileEntry(v: unknown, file: string): v is { file: string; bytes: number; sha256: string } {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return e['file'] === file && Number.isSafeInteger(e['bytes']) && (e['bytes'] as number) >= 0 && isHex64(e['sha256']);
}

/** Reads and checks the manifest's shape; file names must be the fixed ones (no paths from a file). */
export function readBackupManifest(backupPath: string): BackupManifest {
  const path = join(backupPath, backupManifestFile);
  if (!existsSync(path)) throw backupInvalid(backupPath, `${backupManifestFile} is missing`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw backupInvalid(backupPath, `${backupManifestFile} is unreadable: ${err instanceof Error ? err.message : 'not JSON'}`);
  }
  const m = parsed as Record<string, unknown> | null;
  const head = m?.['auditHead'] as Record<string, unknown> | undefined;
  const valid =
    m !== null &&
    typeof m === 'object' &&
    m['format'] === 'lantern-backup' &&
    m['version'] === 1 &&
    typeof m['createdAt'] === 'string' &&
    Number.isSafeInteger(m['schemaVersion']) &&
    typeof head === 'object' &&
    head !== null &&
    Number.isSafeInteger(head['seq']) &&
    isHex64(head['hash']) &&
    (m['databaseId'] === undefined || m['databaseId'] === null || isHex64(m['databaseId'])) &&
    isFileEntry(m['database'], backupDatabaseFile) &&
    isFileEntry(m['keyring'], backupKeyringFile);
  if (!valid) throw backupInvalid(backupPath, `${backupManifestFile} is not a Lantern backup manifest`);
  return parsed as BackupManifest;
}

/** Backup folders in `dir`, oldest first (their names sort by time). Partial folders are not listed. */
export function listBackups(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && backupFolderPattern.test(e.name) && existsSync(join(dir, e.name, backupManifestFile)))
    .map((e) => e.name)
    .sort();
}

/** Keeps the newest `keep` backups in `dir` and removes older ones; only folders that are backups. */
export function pruneBackups(dir: string, keep: number): string[] {
  const all = listBackups(dir);
  const doomed = all.slice(0, Math.max(0, all.length - Math.max(1, keep)));
  for (const name of doomed) rmSync(join(dir, name), { recursive: true, force: true });
  return doomed.map((name) => join(dir, name));
}

function checkFileAgainstManifest(path: string, entry: { bytes: number; sha256: string }): void {
  const size = statSync(path).size;
  if (size < entry.bytes) throw backupTruncated(path, entry.bytes, size);
  const sha256 = sha256OfFile(path);
  if (size !== entry.bytes || sha256 !== entry.sha256) throw backupChecksumMismatch(path, entry.sha256, sha256);
}

function isSqliteError(err: unknown, ...codes: string[]): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && codes.some((c) => code.startsWith(c));
}

export interface DatabaseFileCheck {
  schemaVersion: number;
  auditHead: AuditHead;
  events: number;
  databaseId: string | null;
}

/**
 * Opens a backup database file read-only with `masterKey` and checks it the way a restore must:
 * it decrypts, `integrity_check` passes (which reads every page, and with SQLCipher v4 each page's
 * HMAC is checked on read, so a flipped byte anywhere fails here), the schema is one this app knows,
 * and the audit chain verifies and ends at `expectedHead`.
 */
export function checkBackupDatabase(
  path: string,
  masterKey: Buffer,
  expected: { auditHead: AuditHead; schemaVersion: number; databaseId?: string | null },
): DatabaseFileCheck {
  const db = new Database(path, withSqliteBinding({ readonly: true, fileMustExist: true }));
  try {
    applyDatabaseKey(db, masterKey);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (err) {
      // The checksum already matched, so a file that does not decrypt was made with another key.
      if (isSqliteError(err, 'SQLITE_NOTADB')) throw backupWrongKey(path);
      if (isSqliteError(err, 'SQLITE_CORRUPT')) throw backupCorrupt(path, (err as Error).message);
      throw err;
    }
    let problems: string[];
    try {
      problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).filter((r) => r !== 'ok');
      // SQLCipher's own page check. SQLite3MultipleCiphers does not implement it (an unknown pragma
      // returns no rows); where a build does, any row it returns is a failed page.
      problems.push(...(db.pragma('cipher_integrity_check') as Record<string, unknown>[]).map((r) => JSON.stringify(r)));
    } catch (err) {
      if (isSqliteError(err, 'SQLITE_CORRUPT', 'SQLITE_NOTADB')) throw backupCorrupt(path, (err as Error).message);
      throw err;
    }
    if (problems.length > 0) throw backupCorrupt(path, problems.slice(0, 3).join('; '));
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    if (schemaVersion > latestSchemaVersion) throw databaseTooNew(schemaVersion, latestSchemaVersion);
    if (schemaVersion !== expected.schemaVersion) {
      throw backupInvalid(path, `schema version ${schemaVersion} differs from the manifest's ${expected.schemaVersion}`);
    }
    const chain = new AuditRepository(db).verifyChain();
    if (!chain.intact) throw backupChainBroken(path, `event ${chain.firstBrokenSeq}: ${chain.reason}`);
    const auditHead = { seq: chain.events, hash: chain.head };
    if (auditHead.seq !== expected.auditHead.seq || auditHead.hash !== expected.auditHead.hash) {
      throw backupChainBroken(path, `the trail ends at event ${auditHead.seq}, the manifest recorded event ${expected.auditHead.seq} with another hash`);
    }
    const databaseId = databaseIdOf(db);
    if (expected.databaseId !== undefined && expected.databaseId !== databaseId) {
      throw backupInvalid(path, 'the database is not the one the manifest names');
    }
    return { schemaVersion, auditHead, events: chain.events, databaseId };
  } finally {
    db.close();
  }
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Where the database that was replaced now lives (with its keyring beside it); null if there was none. */
  previousDbPath: string | null;
  /** The user whose passphrase opened the backup's keyring; null when its recovery key did. */
  userId: string | null;
  masterKey: Buffer;
  /** That user's audit signing key from the backup's keyring (signs the restore event); null for the recovery key. */
  signingKey: KeyObject | null;
  /** The restored database's identity (see databaseIdOf). */
  databaseId: string | null;
}

/** What a restore has verified, handed to the caller's check just before anything is swapped. */
export interface VerifiedBackup {
  manifest: BackupManifest;
  /** The verified copy beside the database (what will be swapped in), readable with `masterKey`. */
  copyPath: string;
  masterKey: Buffer;
  userId: string | null;
  databaseId: string | null;
}

/** How the backup's own keyring is opened: a passphrase of one of its users, or its recovery key. */
export type BackupUnlock = { passphrase: string } | { recoveryKey: string };

async function unlockBackupKeyring(
  keyring: Keyring,
  unlock: BackupUnlock,
): Promise<{ masterKey: Buffer; userId: string | null; signingKey: KeyObject | null }> {
  if ('recoveryKey' in unlock) return { masterKey: await unwrapWithRecoveryKey(keyring, unlock.recoveryKey), userId: null, signingKey: null };
  const opened = await unwrapMasterKey(keyring, unlock.passphrase);
  // A key made just now (the backup's slot had none) is in no keyring: it must not sign.
  return { masterKey: opened.masterKey, userId: opened.userId, signingKey: opened.signingKeyCreated ? null : opened.signingKey };
}

function readBackupKeyring(backupPath: string, manifest: BackupManifest) {
  const path = join(backupPath, backupKeyringFile);
  if (!existsSync(path)) throw backupInvalid(backupPath, `${backupKeyringFile} is missing`);
  checkFileAgainstManifest(path, manifest.keyring);
  try {
    return { keyring: readKeyring(path), bytes: readFileSync(path) };
  } catch (err) {
    if (isDbError(err, 'DATABASE_CORRUPT', 'KEYRING_MISSING')) throw backupInvalid(backupPath, err.message);
    throw err;
  }
}

/**
 * Verifies a backup (manifest, checksums, passphrase, key, integrity, schema, audit chain) without
 * touching any database. The same checks a restore runs first.
 */
export async function verifyBackup(backupPath: string, passphrase: string): Promise<{ manifest: BackupManifest; userId: string; check: DatabaseFileCheck }> {
  const manifest = readBackupManifest(backupPath);
  const backupDb = join(backupPath, backupDatabaseFile);
  if (!existsSync(backupDb)) throw backupInvalid(backupPath, `${backupDatabaseFile} is missing`);
  const { keyring } = readBackupKeyring(backupPath, manifest);
  checkFileAgainstManifest(backupDb, manifest.database);
  const { masterKey, userId } = await unwrapMasterKey(keyring, passphrase);
  try {
    return { manifest, userId, check: checkBackupDatabase(backupDb, masterKey, manifest) };
  } finally {
    masterKey.fill(0);
  }
}

function renameIfExists(from: string, to: string): boolean {
  if (!existsSync(from)) return false;
  renameSync(from, to);
  return true;
}

/**
 * Restores `backupPath` as the database at `dbPath`. The backup is copied into a temporary file
 * beside the database and verified there (what is verified is exactly what is swapped in); only
 * then is the current database (with its WAL and keyring) renamed to `<db>.before-restore-<time>`,
 * never deleted, and the verified copy and its keyring renamed into place.
 *
 * The database must not be open anywhere while this runs. Renames within one folder are atomic;
 * the swap is two of them (database, keyring), ordered so that an interruption between them leaves
 * the previous files intact under their new names and a missing database reported as such.
 */
export async function restoreBackup(
  options: { dbPath: string; backupPath: string; now?: Date; authorise?: (verified: VerifiedBackup) => void | Promise<void> } & BackupUnlock,
): Promise<RestoreResult> {
  const now = options.now ?? new Date();
  const dbPath = resolve(options.dbPath);
  const backupPath = resolve(options.backupPath);
  const manifest = readBackupManifest(backupPath);
  const backupDb = join(backupPath, backupDatabaseFile);
  if (!existsSync(backupDb)) throw backupInvalid(backupPath, `${backupDatabaseFile} is missing`);
  const { keyring, bytes: keyringBytes } = readBackupKeyring(backupPath, manifest);
  // Cheap size check before the passphrase's scrypt, so a truncated copy is named as such at once.
  const size = statSync(backupDb).size;
  if (size < manifest.database.bytes) throw backupTruncated(backupDb, manifest.database.bytes, size);
  const { masterKey, userId, signingKey } = await unlockBackupKeyring(keyring, options);

  mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
  const stamp = timestampForFileName(now);
  const tempDb = `${dbPath}.restoring-${stamp}`;
  const tempKeyring = `${keyringPathFor(dbPath)}.restoring-${stamp}`;
  let databaseId: string | null;
  try {
    copyFileSync(backupDb, tempDb, fsConstants.COPYFILE_EXCL);
    // A copy keeps the source's mode; the live database is the owner's alone.
    chmodSync(tempDb, 0o600);
    fsyncFile(tempDb);
    checkFileAgainstManifest(tempDb, manifest.database);
    const check = checkBackupDatabase(tempDb, masterKey, manifest);
    databaseId = check.databaseId;
    // The caller's last word (who may restore, which database) sees exactly what would be swapped in.
    await options.authorise?.({ manifest, copyPath: tempDb, masterKey, userId, databaseId });
    writeFileDurably(tempKeyring, keyringBytes);
  } catch (err) {
    rmSync(tempDb, { force: true });
    rmSync(tempKeyring, { force: true });
    masterKey.fill(0);
    throw err;
  }

  let previousDbPath: string | null = `${dbPath}.before-restore-${stamp}`;
  const hadDb = renameIfExists(dbPath, previousDbPath);
  // The WAL and shared-memory files belong to the database: they move with it so it still opens.
  renameIfExists(`${dbPath}-wal`, `${previousDbPath}-wal`);
  renameIfExists(`${dbPath}-shm`, `${previousDbPath}-shm`);
  const hadKeyring = renameIfExists(keyringPathFor(dbPath), keyringPathFor(previousDbPath));
  // A key rotation the replaced database left half-done belongs to it, not to the restored one.
  renameIfExists(pendingKeyringPathFor(dbPath), pendingKeyringPathFor(previousDbPath));
  // The replaced trail's anchors go with it; the restored trail starts its own.
  renameIfExists(checkpointPathFor(dbPath), checkpointPathFor(previousDbPath));
  if (!hadDb && !hadKeyring) previousDbPath = null;
  renameSync(tempKeyring, keyringPathFor(dbPath));
  renameSync(tempDb, dbPath);
  fsyncDir(dirname(dbPath));
  return { manifest, previousDbPath, userId, masterKey, signingKey, databaseId };
}
