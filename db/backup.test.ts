/**
 * Backups and restores on real encrypted databases: what the files hold, what a restore checks, and
 * that every refused restore leaves the live database byte for byte as it was.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  backupDatabaseFile,
  backupKeyringFile,
  backupManifestFile,
  listBackups,
  pruneBackups,
  readBackupManifest,
  restoreBackup,
  sha256OfFile,
  verifyBackup,
  writeBackup,
  writeBackupInWorker,
} from './backup';
import type { BackupManifest } from './backup';
import { applyDatabaseKey, createEncryptedDatabase, openEncryptedDatabase, unlockEncryptedDatabase } from './openDatabase';
import { createMasterKey, keyringPathFor, wrapMasterKey, writeKeyring } from './keyring';
import { CaseStore } from './caseStore';
import { latestSchemaVersion, migrations } from './migrations/migrationRegistry';
import { DbError, type DbErrorCode } from './dbErrors';
import { makeTempDir, testKdf } from './testing/tmpStore';

const passphrase = 'correct horse battery';
let dir: string;
let cleanup: () => void;
let dbPath: string;
let store: CaseStore;
let masterKey: Buffer;

function addPatient(name: string): string {
  const id = randomUUID();
  const at = new Date().toISOString();
  store.transaction(() => {
    store.patients.insert({ id, name, birthDate: '1970-01-01', sex: 'female', createdAt: at }, null);
    store.audit.append({ at, userId: 'u1', action: 'patient.create', detail: { patientId: id } });
  });
  return id;
}

const patientNames = (s: CaseStore) => s.db.prepare('SELECT name FROM patients ORDER BY name').pluck().all() as string[];

beforeEach(async () => {
  ({ dir, cleanup } = makeTempDir());
  mkdirSync(join(dir, 'data'));
  dbPath = join(dir, 'data', 'lantern.db');
  const created = await createEncryptedDatabase(dbPath, 'u1', passphrase, { kdf: testKdf });
  masterKey = created.masterKey;
  store = new CaseStore(created.db);
  addPatient('PLAINTEXT-MARKER Amina');
});
afterEach(() => {
  store.close();
  cleanup();
});

/** Opens a backup's database file with a key and nothing else (no migration, no WAL). */
function openRaw(path: string, key: Buffer | null): Database.Database {
  const db = new Database(path, { fileMustExist: true });
  if (key) applyDatabaseKey(db, key);
  return db;
}

/** Rewrites the manifest after a test changes a file, so the checks behind the checksum are reached. */
function resealManifest(folder: string, change: (m: BackupManifest) => void = () => undefined): void {
  const m = readBackupManifest(folder);
  const db = join(folder, backupDatabaseFile);
  m.database.bytes = readFileSync(db).length;
  m.database.sha256 = sha256OfFile(db);
  const keyring = join(folder, backupKeyringFile);
  m.keyring.bytes = readFileSync(keyring).length;
  m.keyring.sha256 = sha256OfFile(keyring);
  change(m);
  writeFileSync(join(folder, backupManifestFile), JSON.stringify(m));
}

describe('writeBackup', () => {
  it('writes an encrypted snapshot, the keyring and a manifest with the chain head and checksums', async () => {
    const { folder, manifest } = writeBackup(store.db, dbPath, join(dir, 'backups'), new Date('2025-03-04T05:06:07.089Z'));
    expect(basename(folder)).toBe('lantern-backup-2025-03-04T05-06-07-089Z');
    expect(readdirSync(folder).sort()).toEqual([backupDatabaseFile, backupKeyringFile, backupManifestFile].sort());

    const bytes = readFileSync(join(folder, backupDatabaseFile));
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');
    expect(bytes.includes('PLAINTEXT-MARKER')).toBe(false);
    expect(readFileSync(join(folder, backupKeyringFile))).toEqual(readFileSync(keyringPathFor(dbPath)));

    const head = store.db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get();
    expect(manifest).toEqual({
      format: 'lantern-backup',
      version: 1,
      createdAt: '2025-03-04T05:06:07.089Z',
      schemaVersion: latestSchemaVersion,
      auditHead: head,
      databaseId: store.db.prepare('SELECT hash FROM audit_events WHERE seq = 1').pluck().get(),
      database: { file: backupDatabaseFile, bytes: bytes.length, sha256: sha256OfFile(join(folder, backupDatabaseFile)) },
      keyring: { file: backupKeyringFile, bytes: expect.any(Number), sha256: sha256OfFile(join(folder, backupKeyringFile)) },
    });
    expect(readBackupManifest(folder)).toEqual(manifest);

    // Only the master key opens it; no key and another key both fail.
    const withKey = openRaw(join(folder, backupDatabaseFile), masterKey);
    expect(patientNames(new CaseStore(withKey))).toEqual(['PLAINTEXT-MARKER Amina']);
    withKey.close();
    for (const key of [null, createMasterKey()]) {
      const other = openRaw(join(folder, backupDatabaseFile), key);
      expect(() => other.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
      other.close();
    }
    // And a user's passphrase opens it through the copied keyring.
    await expect(verifyBackup(folder, passphrase)).resolves.toMatchObject({ userId: 'u1', check: { auditHead: manifest.auditHead } });
  });

  it('is a snapshot: writes after it are not in it, and it still verifies', async () => {
    const { folder, manifest } = writeBackup(store.db, dbPath, join(dir, 'backups'));
    addPatient('Later Patient');
    const { check } = await verifyBackup(folder, passphrase);
    expect(check.auditHead).toEqual(manifest.auditHead);
    const db = openRaw(join(folder, backupDatabaseFile), masterKey);
    expect(patientNames(new CaseStore(db))).toEqual(['PLAINTEXT-MARKER Amina']);
    db.close();
  });

  it('gives two backups in the same millisecond separate folders', () => {
    const at = new Date('2025-01-01T00:00:00.000Z');
    const a = writeBackup(store.db, dbPath, join(dir, 'backups'), at);
    const b = writeBackup(store.db, dbPath, join(dir, 'backups'), at);
    expect(a.folder).not.toBe(b.folder);
    expect(listBackups(join(dir, 'backups'))).toEqual([basename(a.folder), basename(b.folder)]);
  });

  it('leaves no partial folder when it fails half-way, and refuses a damaged keyring before writing', () => {
    const target = join(dir, 'backups');
    // Occupy the schema name it attaches the copy under: the failure comes after VACUUM INTO.
    store.db.prepare('ATTACH DATABASE ? AS lantern_backup_check').run(join(dir, 'other.db'));
    expect(() => writeBackup(store.db, dbPath, target)).toThrow(/already in use/);
    store.db.exec('DETACH DATABASE lantern_backup_check');
    expect(readdirSync(target)).toEqual([]);

    writeFileSync(keyringPathFor(dbPath), '{"format":"lantern-keyring"');
    expect(() => writeBackup(store.db, dbPath, target)).toThrow(/key file .* is damaged/);
    expect(readdirSync(target)).toEqual([]);
  });
});

describe('writeBackupInWorker', () => {
  it('makes the same verified backup on its own connection while the app connection keeps writing', async () => {
    const running = writeBackupInWorker({ dbPath, masterKey, targetDir: join(dir, 'backups'), now: new Date('2025-02-02T02:02:02.002Z') });
    // The app's connection is free meanwhile: it writes while the worker copies.
    addPatient('Written During Backup');
    const { folder, manifest } = await running;
    expect(basename(folder)).toBe('lantern-backup-2025-02-02T02-02-02-002Z');
    await expect(verifyBackup(folder, passphrase)).resolves.toMatchObject({ check: { auditHead: manifest.auditHead } });
    expect(store.audit.verifyChain()).toMatchObject({ intact: true });
  });

  it('brings named errors and storage codes back from the worker as themselves', async () => {
    writeFileSync(join(dir, 'a-file'), 'not a folder');
    const storage = await writeBackupInWorker({ dbPath, masterKey, targetDir: join(dir, 'a-file', 'backups') }).catch((e: unknown) => e);
    expect(storage).toMatchObject({ code: 'ENOTDIR' });
    writeFileSync(keyringPathFor(dbPath), 'not json');
    const named = await writeBackupInWorker({ dbPath, masterKey, targetDir: join(dir, 'backups') }).catch((e: unknown) => e);
    expect(named).toMatchObject({ name: 'DbError', code: 'DATABASE_CORRUPT' });
    expect((named as DbError).file).toBe(keyringPathFor(dbPath));
  });
});

describe('listBackups / pruneBackups', () => {
  it('keeps the newest N backups and touches nothing else in the folder', () => {
    const target = join(dir, 'backups');
    const made = ['2025-01-01', '2025-01-02', '2025-01-03'].map((d) => writeBackup(store.db, dbPath, target, new Date(`${d}T00:00:00Z`)).folder);
    mkdirSync(join(target, 'holiday photos'));
    mkdirSync(join(target, '.lantern-backup-2024-01-01T00-00-00-000Z.partial'));
    expect(pruneBackups(target, 2)).toEqual([made[0]]);
    expect(listBackups(target)).toEqual(made.slice(1).map((f) => basename(f)));
    expect(existsSync(join(target, 'holiday photos'))).toBe(true);
    expect(existsSync(join(target, '.lantern-backup-2024-01-01T00-00-00-000Z.partial'))).toBe(true);
  });
});

describe('restoreBackup', () => {
  it('swaps the verified copy in and keeps the previous database, still openable, under a timestamped name', async () => {
    const { folder, manifest } = writeBackup(store.db, dbPath, join(dir, 'backups'));
    addPatient('Written After Backup');
    store.close();

    const result = await restoreBackup({ dbPath, backupPath: folder, passphrase, now: new Date('2025-05-06T07:08:09.010Z') });
    expect(result.userId).toBe('u1');
    expect(result.manifest).toEqual(manifest);
    expect(result.previousDbPath).toBe(`${dbPath}.before-restore-2025-05-06T07-08-09-010Z`);
    expect(readdirSync(join(dir, 'data')).filter((f) => f.includes('restoring'))).toEqual([]);

    const restored = await unlockEncryptedDatabase(dbPath, passphrase);
    const restoredStore = new CaseStore(restored.db);
    expect(patientNames(restoredStore)).toEqual(['PLAINTEXT-MARKER Amina']);
    expect(restoredStore.audit.verifyChain()).toMatchObject({ intact: true, head: manifest.auditHead.hash });
    restoredStore.close();

    const previous = await unlockEncryptedDatabase(result.previousDbPath!, passphrase);
    expect(patientNames(new CaseStore(previous.db))).toEqual(['PLAINTEXT-MARKER Amina', 'Written After Backup']);
    previous.db.close();
  });

  it('restores onto a computer with no database yet', async () => {
    const { folder } = writeBackup(store.db, dbPath, join(dir, 'backups'));
    const fresh = join(dir, 'new-computer', 'lantern.db');
    const result = await restoreBackup({ dbPath: fresh, backupPath: folder, passphrase });
    expect(result.previousDbPath).toBeNull();
    const { db } = await unlockEncryptedDatabase(fresh, passphrase);
    expect(patientNames(new CaseStore(db))).toEqual(['PLAINTEXT-MARKER Amina']);
    db.close();
  });

  describe('refuses a bad backup with a named error and leaves the live database untouched', () => {
    let folder: string;
    let liveBefore: Buffer;

    beforeEach(() => {
      ({ folder } = writeBackup(store.db, dbPath, join(dir, 'backups')));
      store.close();
      liveBefore = readFileSync(dbPath);
    });

    async function refused(code: DbErrorCode, pass = passphrase): Promise<Error> {
      const err = await restoreBackup({ dbPath, backupPath: folder, passphrase: pass }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DbError);
      expect(err).toMatchObject({ code });
      expect(readFileSync(dbPath)).toEqual(liveBefore);
      expect(readdirSync(join(dir, 'data')).sort()).toEqual(['lantern.db', 'lantern.db.keyring.json']);
      return err as Error;
    }

    it('truncated database file', async () => {
      truncateSync(join(folder, backupDatabaseFile), 4096);
      const err = await refused('BACKUP_TRUNCATED');
      expect(err.message).toMatch(/truncated \(4096 of \d+ bytes\)/);
    });

    it('a flipped byte (checksum mismatch)', async () => {
      const file = join(folder, backupDatabaseFile);
      const bytes = readFileSync(file);
      bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0x01;
      writeFileSync(file, bytes);
      await refused('BACKUP_CHECKSUM_MISMATCH');
    });

    it('a changed keyring (checksum mismatch)', async () => {
      const file = join(folder, backupKeyringFile);
      writeFileSync(file, readFileSync(file, 'utf8').replace('"userId": "u1"', '"userId": "u2"'));
      await refused('BACKUP_CHECKSUM_MISMATCH');
    });

    it('a wrong passphrase', async () => {
      await refused('WRONG_PASSPHRASE', 'not the passphrase');
    });

    it('a keyring from another database (wrong key)', async () => {
      const otherPath = join(dir, 'other', 'lantern.db');
      mkdirSync(join(dir, 'other'));
      (await createEncryptedDatabase(otherPath, 'u1', passphrase, { kdf: testKdf })).db.close();
      writeFileSync(join(folder, backupKeyringFile), readFileSync(keyringPathFor(otherPath)));
      resealManifest(folder);
      await refused('BACKUP_WRONG_KEY');
    });

    it('damage made before the checksum was taken (integrity check)', async () => {
      const file = join(folder, backupDatabaseFile);
      const bytes = readFileSync(file);
      bytes[4096 + 2000] = bytes[4096 + 2000]! ^ 0x10; // inside page 2: its HMAC no longer matches
      writeFileSync(file, bytes);
      resealManifest(folder);
      await refused('BACKUP_CORRUPT');
    });

    it('an audit trail edited with the key', async () => {
      const db = openRaw(join(folder, backupDatabaseFile), masterKey);
      db.exec(`DROP TRIGGER audit_events_no_update; UPDATE audit_events SET detail = '{"forged":true}' WHERE seq = 1`);
      db.close();
      resealManifest(folder);
      const err = await refused('BACKUP_CHAIN_BROKEN');
      expect(err.message).toMatch(/event 1/);
    });

    it('a manifest whose chain head is not the backup’s', async () => {
      resealManifest(folder, (m) => (m.auditHead = { seq: m.auditHead.seq + 1, hash: 'a'.repeat(64) }));
      await refused('BACKUP_CHAIN_BROKEN');
    });

    it('a schema newer than this app', async () => {
      const db = openRaw(join(folder, backupDatabaseFile), masterKey);
      db.pragma(`user_version = ${latestSchemaVersion + 1}`);
      db.close();
      resealManifest(folder, (m) => (m.schemaVersion = latestSchemaVersion + 1));
      await refused('DATABASE_TOO_NEW');
    });

    it('no manifest, or one naming other files', async () => {
      resealManifest(folder, (m) => (m.database.file = '../../data/lantern.db'));
      await refused('BACKUP_INVALID');
      writeFileSync(join(folder, backupManifestFile), '{"format": "lantern-bac');
      await refused('BACKUP_INVALID');
      await expect(restoreBackup({ dbPath, backupPath: join(dir, 'data'), passphrase })).rejects.toMatchObject({ name: 'DbError', code: 'BACKUP_INVALID' });
    });
  });

  it('restores a backup from an older schema, which the app then migrates on open', async () => {
    const key = createMasterKey();
    const oldPath = join(dir, 'old', 'lantern.db');
    mkdirSync(join(dir, 'old'));
    const v1 = openEncryptedDatabase(oldPath, key, { migrations: migrations.slice(0, 1) });
    writeKeyring(keyringPathFor(oldPath), { format: 'lantern-keyring', version: 1, slots: [await wrapMasterKey(key, 'u1', passphrase, testKdf)] });
    const { folder, manifest } = writeBackup(v1, oldPath, join(dir, 'backups'));
    v1.close();
    expect(manifest.schemaVersion).toBe(1);
    const target = join(dir, 'restored', 'lantern.db');
    const result = await restoreBackup({ dbPath: target, backupPath: folder, passphrase });
    expect(result.masterKey).toEqual(key);
    const db = openEncryptedDatabase(target, result.masterKey);
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    db.close();
  });
});
