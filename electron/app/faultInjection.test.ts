/**
 * Fault injection: what a clinic's computer actually does to a database (power cuts and killed
 * processes, damaged sectors, a full disk, a read-only folder, a failed upgrade, tampered model
 * files, bad backups) and what Lantern must do about it: keep every case all-or-nothing and the
 * audit chain intact, answer with a specific error code, delete nothing, and stay up.
 *
 * Writer processes run the real TypeScript sources through db/testing/tsRequireHook.cjs, so these
 * tests need no fresh build.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { ChildProcessWithoutNullStreams, SpawnOptions } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3-multiple-ciphers';
import { createAppServices } from './appServices';
import type { AppServices } from './appServices';
import { restoreFromBackup } from './backup/backupService';
import { toErrorPayload } from './serviceErrors';
import { faultCase, faultCaseShape } from './testing/faultChild';
import type { FaultChildJob } from './testing/faultChild';
import type { BackupSummary, CaseDetail, ErrorPayload, Patient, Result } from '../contract/ipcContract';
import { applyDatabaseKey, createEncryptedDatabase, openEncryptedDatabase, unlockEncryptedDatabase } from '../../db/openDatabase';
import { keyringPathFor } from '../../db/keyring';
import { CaseStore } from '../../db/caseStore';
import { backupDatabaseFile, backupKeyringFile, verifyBackup, writeBackup } from '../../db/backup';
import { migrations } from '../../db/migrations/migrationRegistry';
import type { Migration } from '../../db/migrations/migration';
import { makeTempDir, testKdf } from '../../db/testing/tmpStore';

const projectRoot = resolve(__dirname, '..', '..');
const requireHook = join(projectRoot, 'db', 'testing', 'tsRequireHook.cjs');
const childScript = join(__dirname, 'testing', 'faultChild.ts');
const passphrase = 'correct horse battery';
/** Child processes transpile the sources on start (seconds); a loaded CI machine needs headroom. */
const childTestTimeout = 180_000;

let dir: string;
let cleanup: () => void;
let dbPath: string;

beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
  dbPath = join(dir, 'data', 'lantern.db');
});
afterEach(() => cleanup());

type ChildEvent = { event: string; [key: string]: unknown };

interface RunningChild {
  child: ChildProcessWithoutNullStreams;
  events: ChildEvent[];
  /** Resolves once `predicate` holds for the events so far; rejects if the child ends first. */
  waitFor(predicate: (events: ChildEvent[]) => boolean): Promise<void>;
  killHard(): Promise<void>;
  finished: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startChild(job: FaultChildJob, options: SpawnOptions = {}): RunningChild {
  const child = spawn(process.execPath, ['-r', requireHook, childScript, JSON.stringify(job)], { ...options, stdio: 'pipe' }) as ChildProcessWithoutNullStreams;
  const events: ChildEvent[] = [];
  const listeners = new Set<() => void>();
  let stderr = '';
  let closed = false;
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    events.push(JSON.parse(line) as ChildEvent);
    for (const l of [...listeners]) l();
  });
  const finished = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((res) =>
    child.once('close', (code, signal) => {
      closed = true;
      for (const l of [...listeners]) l();
      res({ code, signal, stderr });
    }),
  );
  return {
    child,
    events,
    finished,
    waitFor: (predicate) =>
      new Promise<void>((res, rej) => {
        const check = () => {
          if (predicate(events)) {
            listeners.delete(check);
            res();
          } else if (closed) {
            listeners.delete(check);
            rej(new Error(`writer process ended early: ${JSON.stringify(events.slice(-3))} ${stderr}`));
          }
        };
        listeners.add(check);
        check();
      }),
    killHard: async () => {
      child.kill('SIGKILL');
      const { signal } = await finished;
      expect(signal).toBe('SIGKILL');
    },
  };
}

/** A case saved with a note stores two suggestions: the differential and the free-text classifier's reading of the note. */
const savedCaseSuggestions = 2;

const savedIds = (events: ChildEvent[]) => events.filter((e) => e.event === 'saved').map((e) => String(e['caseId']));

/**
 * The crash-consistency checks: SQLite's integrity check, the audit chain, and every case complete
 * (all its rows and its audit event) with nothing left over from a case that did not commit.
 */
function expectAllOrNothing(store: CaseStore, expected: { suggestions: number }): string[] {
  expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(store.audit.verifyChain()).toMatchObject({ intact: true });
  const cases = store.db
    .prepare(
      `SELECT e.id,
         (SELECT count(*) FROM findings f WHERE f.encounter_id = e.id) AS findings,
         (SELECT count(*) FROM vitals v WHERE v.encounter_id = e.id) AS vitals,
         (SELECT count(*) FROM notes n WHERE n.encounter_id = e.id) AS notes,
         (SELECT count(*) FROM suggestions s WHERE s.encounter_id = e.id) AS suggestions,
         (SELECT count(*) FROM audit_events a WHERE a.encounter_id = e.id AND a.action = 'case.create') AS audited
       FROM encounters e ORDER BY e.rowid`,
    )
    .all() as { id: string }[];
  for (const c of cases) expect(c).toEqual({ id: c.id, ...faultCaseShape, suggestions: expected.suggestions, audited: 1 });
  for (const table of ['findings', 'vitals', 'notes', 'suggestions']) {
    // Table names come from the fixed list above.
    expect(store.db.prepare(`SELECT count(*) FROM ${table} WHERE encounter_id NOT IN (SELECT id FROM encounters)`).pluck().get()).toBe(0);
  }
  expect(
    store.db.prepare(`SELECT count(*) FROM audit_events WHERE action = 'case.create' AND encounter_id NOT IN (SELECT id FROM encounters)`).pluck().get(),
  ).toBe(0);
  return cases.map((c) => c.id);
}

async function withUnlockedStore<T>(path: string, fn: (store: CaseStore) => T): Promise<T> {
  const { db } = await unlockEncryptedDatabase(path, passphrase);
  const store = new CaseStore(db);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

async function newApp(options: { modelsDir?: string } = {}): Promise<{ app: AppServices; patient: Patient }> {
  const app = createAppServices({ dbPath, kdf: testKdf, scheduleBackups: false, ...options });
  const setup = await app.call('setup', { displayName: 'Dr Osei', passphrase });
  if (!setup.ok) throw new Error(setup.error.message);
  const patient = await app.call('createPatient', { name: 'Ana Lima', birthDate: '1990-01-01', sex: 'female' });
  if (!patient.ok) throw new Error(patient.error.message);
  return { app, patient: patient.value as Patient };
}

function errorOf(result: Result<unknown>): ErrorPayload {
  expect(result.ok).toBe(false);
  return (result as { ok: false; error: ErrorPayload }).error;
}

describe('SIGKILL of a writer process', () => {
  it('keeps every case all-or-nothing and every acknowledged case, over repeated kills during saves', { timeout: childTestTimeout }, async () => {
    const { app, patient } = await newApp();
    app.close();
    const acknowledged: string[] = [];
    let present: string[] = [];
    for (const killAfter of [2, 3, 5]) {
      const writer = startChild({ mode: 'save-cases', dbPath, passphrase, patientId: patient.id, count: 10_000, noteBytes: 200_000 });
      await writer.waitFor((events) => savedIds(events).length >= killAfter);
      await writer.killHard();
      acknowledged.push(...savedIds(writer.events));
      const after = await withUnlockedStore(dbPath, (store) => expectAllOrNothing(store, { suggestions: savedCaseSuggestions }));
      // Committed means durable: every case the writer saw committed survived the kill.
      expect(after).toEqual(expect.arrayContaining(acknowledged));
      expect(after.length).toBeGreaterThan(present.length);
      present = after;
    }
  });

  it('rolls back a batch killed mid-transaction, with its pages already in the WAL', { timeout: childTestTimeout }, async () => {
    mkdirSync(dirname(dbPath), { recursive: true });
    const { db, masterKey } = await createEncryptedDatabase(dbPath, 'u1', passphrase, { kdf: testKdf });
    db.close();
    const batchSize = 40;
    const writer = startChild({ mode: 'batch-insert', dbPath, keyHex: masterKey.toString('hex'), batches: 3, batchSize, noteBytes: 50_000, pauseInBatch: 1 });
    await writer.waitFor((events) => events.some((e) => e.event === 'paused-mid-batch'));
    const walBytes = statSync(`${dbPath}-wal`).size;
    await writer.killHard();
    expect(writer.events.map((e) => e.event)).toEqual(['batch-begin', 'batch-committed', 'batch-begin', 'paused-mid-batch']);
    // Half of batch 1 (20 cases × 50 kB) had spilled into the WAL beyond batch 0's frames.
    expect(walBytes).toBeGreaterThan(batchSize * 50_000 * 1.4);

    await withUnlockedStore(dbPath, (store) => {
      const ids = expectAllOrNothing(store, { suggestions: 0 });
      expect(ids).toHaveLength(batchSize);
      const names = store.db.prepare('SELECT name FROM patients').pluck().all() as string[];
      expect(names.filter((n) => n.startsWith('Batch 1 '))).toEqual([]);
      expect(names.filter((n) => n.startsWith('Batch 0 '))).toHaveLength(batchSize);
    });
  });

  it('makes consistent, verifiable backups while another process keeps writing', { timeout: childTestTimeout }, async () => {
    const { app, patient } = await newApp();
    app.close();
    const writer = startChild({ mode: 'save-cases', dbPath, passphrase, patientId: patient.id, count: 10_000, noteBytes: 100_000 });
    const { db, masterKey } = await unlockEncryptedDatabase(dbPath, passphrase);
    const heads: number[] = [];
    try {
      for (const savedAtLeast of [1, 3, 5]) {
        await writer.waitFor((events) => savedIds(events).length >= savedAtLeast);
        const { folder, manifest } = writeBackup(db, dbPath, join(dir, 'backups'));
        await expect(verifyBackup(folder, passphrase)).resolves.toMatchObject({ check: { auditHead: manifest.auditHead } });
        const copy = new Database(join(folder, backupDatabaseFile), { readonly: true });
        applyDatabaseKey(copy, masterKey);
        const inBackup = expectAllOrNothing(new CaseStore(copy), { suggestions: savedCaseSuggestions });
        copy.close();
        expect(inBackup.length).toBeGreaterThanOrEqual(savedAtLeast);
        heads.push(manifest.auditHead.seq);
      }
    } finally {
      db.close();
      await writer.killHard();
    }
    expect(heads).toEqual([...heads].sort((a, b) => a - b));
    expect(new Set(heads).size).toBe(3);
  });
});

describe('damaged database file', () => {
  it('names a damaged first page DATABASE_CORRUPT at unlock and leaves the file as it was', async () => {
    const { app } = await newApp();
    app.close();
    const bytes = readFileSync(dbPath);
    bytes[100] = bytes[100]! ^ 0x20;
    writeFileSync(dbPath, bytes);
    const again = createAppServices({ dbPath, scheduleBackups: false });
    expect(errorOf(await again.call('unlock', { passphrase }))).toMatchObject({ code: 'DATABASE_CORRUPT' });
    expect(await again.call('sessionStatus', {})).toEqual({ ok: true, value: { state: 'locked' } });
    expect(readFileSync(dbPath)).toEqual(bytes);
    // Closed first: a running app's lock file is its own, not a change to the store.
    again.close();
    expect(readdirSync(dirname(dbPath)).sort()).toEqual([
      'lantern.db',
      'lantern.db.audit-checkpoints.jsonl',
      'lantern.db.install-key.json',
      'lantern.db.keyring.json',
    ]);
  });

  it('names a damaged page met later DATABASE_CORRUPT, keeps serving the rest, and deletes nothing', async () => {
    const { app, patient } = await newApp();
    const saved = await app.call('saveCase', { patientId: patient.id, case: faultCase('n'.repeat(300_000)) });
    const caseId = (saved as { ok: true; value: CaseDetail }).value.id;
    const notePages = app.session
      .require()
      .store.db.prepare(`SELECT pageno FROM dbstat WHERE name = 'notes' AND pagetype = 'overflow' ORDER BY pageno`)
      .pluck()
      .all() as number[];
    expect(notePages.length).toBeGreaterThan(10);
    app.close();

    const pageSize = 4096;
    const target = (notePages[Math.floor(notePages.length / 2)]! - 1) * pageSize + 1000;
    const bytes = readFileSync(dbPath);
    bytes[target] = bytes[target]! ^ 0x01;
    writeFileSync(dbPath, bytes);

    const again = createAppServices({ dbPath, scheduleBackups: false });
    try {
      expect(await again.call('unlock', { passphrase })).toMatchObject({ ok: true });
      expect(errorOf(await again.call('getCase', { caseId }))).toMatchObject({
        code: 'DATABASE_CORRUPT',
        message: expect.stringMatching(/nothing was changed or deleted/i),
      });
      // The rest of the database still answers.
      expect(await again.call('listCases', { patientId: patient.id })).toMatchObject({ ok: true, value: [{ id: caseId }] });
      expect(await again.call('searchPatients', { query: 'ana' })).toMatchObject({ ok: true, value: [{ id: patient.id }] });
    } finally {
      again.close();
    }
    expect(readFileSync(dbPath)[target]).toBe(bytes[target]);
  });
});

describe('tampered model file', () => {
  it('refuses to diagnose or save with MODEL_INTEGRITY, stores nothing, and stays up', async () => {
    const modelsSource = join(projectRoot, 'models', 'artefacts');
    const modelsDir = join(dir, 'models');
    const manifest = JSON.parse(readFileSync(join(modelsSource, 'manifest.json'), 'utf8')) as {
      models: { id: string; artefact: string; files?: { path: string }[] }[];
    };
    mkdirSync(modelsDir);
    copyFileSync(join(modelsSource, 'manifest.json'), join(modelsDir, 'manifest.json'));
    for (const m of manifest.models) {
      for (const rel of [m.artefact, ...(m.files ?? []).map((f) => f.path)]) {
        mkdirSync(dirname(join(modelsDir, rel)), { recursive: true });
        copyFileSync(join(modelsSource, rel), join(modelsDir, rel));
      }
    }
    const artefact = join(modelsDir, manifest.models.find((m) => m.id === 'symptom-differential')!.artefact);
    const bytes = readFileSync(artefact);
    bytes[Math.floor(bytes.length / 2)] = bytes[Math.floor(bytes.length / 2)]! ^ 0x01;
    writeFileSync(artefact, bytes);

    const { app, patient } = await newApp({ modelsDir });
    try {
      expect(errorOf(await app.call('runDiagnosis', { ...faultCase(''), patientId: patient.id }))).toMatchObject({
        code: 'MODEL_INTEGRITY',
        message: expect.stringContaining('symptom-differential'),
      });
      expect(errorOf(await app.call('saveCase', { patientId: patient.id, case: faultCase('') }))).toMatchObject({ code: 'MODEL_INTEGRITY' });
      expect(await app.call('listCases', { patientId: patient.id })).toEqual({ ok: true, value: [] });
      expect(await app.call('sessionStatus', {})).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    } finally {
      app.close();
    }
  });
});

describe('full disk', () => {
  it('answers STORAGE_FAILED, keeps no part of the case, and saves again once there is room', async () => {
    const { app, patient } = await newApp();
    try {
      const { store } = app.session.require();
      const before = store.db.prepare('SELECT count(*) FROM audit_events').pluck().get() as number;
      // SQLite's own ceiling on the file size: the write fails with SQLITE_FULL exactly as on a full disk.
      const pages = store.db.pragma('page_count', { simple: true }) as number;
      store.db.pragma(`max_page_count = ${pages + 20}`);
      const error = errorOf(await app.call('saveCase', { patientId: patient.id, case: faultCase('x'.repeat(900_000)) }));
      expect(error).toMatchObject({ code: 'STORAGE_FAILED', message: expect.stringContaining('SQLITE_FULL') });
      expect(await app.call('listCases', { patientId: patient.id })).toEqual({ ok: true, value: [] });
      expect(store.db.prepare('SELECT count(*) FROM audit_events').pluck().get()).toBe(before);
      expectAllOrNothing(store, { suggestions: savedCaseSuggestions });

      store.db.pragma('max_page_count = 1073741823');
      expect(await app.call('saveCase', { patientId: patient.id, case: faultCase('x'.repeat(900_000)) })).toMatchObject({ ok: true });
      expect(expectAllOrNothing(store, { suggestions: savedCaseSuggestions })).toHaveLength(1);
    } finally {
      app.close();
    }
  });
});

describe('read-only data folder', () => {
  // Root ignores file modes, so as root the writer runs as the unprivileged user "nobody" (uid
  // 65534); otherwise it runs as the current user. Either way the modes are what stop the writes.
  const isRoot = process.getuid?.() === 0;
  it.skipIf(process.platform === 'win32')('refuses to unlock with STORAGE_FAILED and changes nothing', { timeout: childTestTimeout }, async (ctx) => {
    if (isRoot) {
      const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(projectRoot, 'node_modules', 'better-sqlite3-multiple-ciphers'))})`], {
        uid: 65534,
        gid: 65534,
      });
      // The only case this cannot be tested: root, and the checkout is unreadable to other users.
      if (probe.status !== 0) ctx.skip(`running as root, and user "nobody" cannot load ${projectRoot}'s modules to act as the unprivileged writer`);
    }
    const { app, patient } = await newApp();
    app.close();
    const dataDir = dirname(dbPath);
    const before = readdirSync(dataDir).map((f) => [f, readFileSync(join(dataDir, f))] as const);
    for (const [f] of before) chmodSync(join(dataDir, f), 0o444);
    chmodSync(dataDir, 0o555);
    if (isRoot) chmodSync(dir, 0o755); // let "nobody" reach the folder; mkdtemp makes it 0700
    try {
      const writer = startChild({ mode: 'unlock-and-save', dbPath, passphrase, patientId: patient.id }, isRoot ? { uid: 65534, gid: 65534 } : {});
      const { code, stderr } = await writer.finished;
      expect([code, stderr]).toEqual([0, '']);
      const result = (event: string) => (writer.events.find((e) => e.event === event)?.['result'] ?? null) as Result<unknown>;
      expect(result('unlock')).toMatchObject({ ok: false, error: { code: 'STORAGE_FAILED' } });
      expect(result('saveCase')).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
      expect(result('sessionStatus')).toEqual({ ok: true, value: { state: 'locked' } });
    } finally {
      chmodSync(dataDir, 0o755);
      for (const [f] of before) chmodSync(join(dataDir, f), 0o644);
    }
    expect(readdirSync(dataDir).sort()).toEqual(before.map(([f]) => f).sort());
    for (const [f, bytes] of before) expect(readFileSync(join(dataDir, f))).toEqual(bytes);
    await withUnlockedStore(dbPath, (store) => expect(expectAllOrNothing(store, { suggestions: savedCaseSuggestions })).toEqual([]));
  });
});

describe('failed upgrade', () => {
  it('rolls a migration that throws half-way back completely, with MIGRATION_FAILED', async () => {
    const { app, patient } = await newApp();
    await app.call('saveCase', { patientId: patient.id, case: faultCase('before the upgrade') });
    const { masterKey } = app.session.requireUnlocked();
    const key = Buffer.from(masterKey);
    app.close();
    const schema = (db: Database.Database) => db.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY name`).all();
    const reference = openEncryptedDatabase(dbPath, key);
    const schemaBefore = schema(reference);
    const patientsBefore = reference.prepare('SELECT * FROM patients').all();
    reference.close();

    const failing: Migration = {
      version: migrations.length + 1,
      name: 'reshapes patients, then fails',
      up(db) {
        db.exec(
          `ALTER TABLE patients ADD COLUMN half_migrated TEXT; UPDATE patients SET name = upper(name), half_migrated = '000'; CREATE TABLE half_done (x INTEGER)`,
        );
        db.prepare(`INSERT INTO audit_events (seq, at, action, prev_hash, hash) VALUES (999, 'now', 'forged', 'x', 'y')`).run();
        throw new Error('disk pulled out');
      },
    };
    let caught: unknown;
    try {
      openEncryptedDatabase(dbPath, key, { migrations: [...migrations, failing] });
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ name: 'DbError', code: 'MIGRATION_FAILED' });
    expect(toErrorPayload(caught)).toMatchObject({ code: 'MIGRATION_FAILED', message: expect.stringMatching(/rolled back: disk pulled out/) });

    const db = openEncryptedDatabase(dbPath, key);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(schema(db)).toEqual(schemaBefore);
    expect(db.prepare('SELECT * FROM patients').all()).toEqual(patientsBefore);
    const store = new CaseStore(db);
    expectAllOrNothing(store, { suggestions: savedCaseSuggestions });
    store.close();
  });
});

describe('wrong passphrase', () => {
  it('answers WRONG_PASSPHRASE and leaves the database and keyring as they were', async () => {
    const { app } = await newApp();
    app.close();
    const dbBytes = readFileSync(dbPath);
    const keyringBytes = readFileSync(keyringPathFor(dbPath));
    const again = createAppServices({ dbPath, scheduleBackups: false });
    try {
      expect(errorOf(await again.call('unlock', { passphrase: 'correct horse battery!' }))).toMatchObject({ code: 'WRONG_PASSPHRASE' });
      expect(readFileSync(dbPath)).toEqual(dbBytes);
      expect(readFileSync(keyringPathFor(dbPath))).toEqual(keyringBytes);
      expect(existsSync(`${dbPath}-wal`)).toBe(false);
      expect(await again.call('unlock', { passphrase })).toMatchObject({ ok: true });
    } finally {
      again.close();
    }
  });
});

describe('bad backups', () => {
  it('refuses truncated and wrong-key backups with their codes and leaves the live database', async () => {
    const { app } = await newApp();
    const backup = (await app.call('createBackup', {})) as { ok: true; value: BackupSummary };
    app.close();
    const live = readFileSync(dbPath);

    // A keyring from another database: its passphrase opens it, but its key is not this backup's.
    const other = join(dir, 'other', 'lantern.db');
    mkdirSync(dirname(other));
    (await createEncryptedDatabase(other, 'u1', passphrase, { kdf: testKdf })).db.close();
    const wrongKey = join(dir, 'wrong-key');
    mkdirSync(wrongKey);
    for (const f of readdirSync(backup.value.folder)) copyFileSync(join(backup.value.folder, f), join(wrongKey, f));
    copyFileSync(keyringPathFor(other), join(wrongKey, backupKeyringFile));
    const manifestPath = join(wrongKey, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { keyring: { bytes: number; sha256: string } };
    const keyringBytes = readFileSync(join(wrongKey, backupKeyringFile));
    manifest.keyring = { ...manifest.keyring, bytes: keyringBytes.length, sha256: createHash('sha256').update(keyringBytes).digest('hex') };
    writeFileSync(manifestPath, JSON.stringify(manifest));
    expect(toErrorPayload(await restoreFromBackup(dbPath, { backupPath: wrongKey, passphrase }).catch((e: unknown) => e))).toMatchObject({
      code: 'BACKUP_WRONG_KEY',
    });

    truncateSync(join(backup.value.folder, backupDatabaseFile), 8192);
    expect(toErrorPayload(await restoreFromBackup(dbPath, { backupPath: backup.value.folder, passphrase }).catch((e: unknown) => e))).toMatchObject({
      code: 'BACKUP_TRUNCATED',
    });
    expect(readFileSync(dbPath)).toEqual(live);
  });
});
