/**
 * Backups through the dispatcher (as "Back up now" calls them), the schedule with a fake clock,
 * and restore with its audit record.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createAppServices } from '../appServices';
import type { AppServices } from '../appServices';
import { restoreFromBackup } from './backupService';
import { unlockEncryptedDatabase } from '../../../db/openDatabase';
import { CaseStore } from '../../../db/caseStore';
import { makeTempDir, testKdf } from '../../../db/testing/tmpStore';
import { dispatchTestClient } from '../testing/dispatchTestClient';

const passphrase = 'correct horse';
let dir: string;
let cleanup: () => void;
let app: AppServices;
let clock: Date;

beforeEach(async () => {
  ({ dir, cleanup } = makeTempDir());
  clock = new Date('2025-06-01T08:00:00.000Z');
  app = createAppServices({
    dbPath: join(dir, 'data', 'lantern.db'),
    kdf: testKdf,
    now: () => clock,
    // Days pass in these tests; the idle lock is tested elsewhere.
    idleLockMs: 30 * 24 * 3600 * 1000,
    scheduleBackups: false,
    backup: { keep: 2 },
  });
  await ok('setup', { displayName: 'Dr Osei', passphrase });
});
afterEach(() => {
  app.close();
  cleanup();
});

const { ok, fails } = dispatchTestClient(() => app);

const auditActions = () =>
  app.session.require().store.db.prepare('SELECT action, detail FROM audit_events ORDER BY seq').all() as { action: string; detail: string }[];

describe('createBackup / listBackups', () => {
  it('backs up into the data folder’s backups/ by default and records the chain head in the trail', async () => {
    await ok('createPatient', { name: 'Ana Lima', birthDate: '1990-01-01', sex: 'female' });
    const summary = await ok('createBackup', {});
    expect(summary.folder).toBe(join(dir, 'data', 'backups', 'lantern-backup-2025-06-01T08-00-00-000Z'));
    expect(summary.auditHead.seq).toBeGreaterThan(0);
    const last = auditActions().at(-1)!;
    expect(last.action).toBe('backup.create');
    expect(JSON.parse(last.detail)).toEqual({
      folder: basename(summary.folder),
      trigger: 'manual',
      auditHead: summary.auditHead,
      schemaVersion: summary.schemaVersion,
      sha256: summary.sha256,
    });
    // The backup holds the trail up to, not including, its own record.
    expect(summary.auditHead.seq).toBe(auditActions().length - 1);

    const listed = await ok('listBackups', {});
    expect(listed).toEqual({ dir: join(dir, 'data', 'backups'), backups: [summary], schedule: { everyMs: 86_400_000, keep: 2 }, lastError: null });
  });

  it('writes to a folder the caller names, and refuses relative paths and locked sessions', async () => {
    const target = join(dir, 'usb-stick');
    const summary = await ok('createBackup', { targetDir: target });
    expect(readdirSync(target)).toEqual([basename(summary.folder)]);
    expect(await fails('createBackup', { targetDir: 'backups' })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'targetDir' });
    expect(await fails('createBackup', { targetDir: '/tmp/x\u0000y' })).toMatchObject({ code: 'VALIDATION_FAILED' });
    await ok('lock', {});
    expect(await fails('createBackup', {})).toMatchObject({ code: 'LOCKED' });
  });

  it('reports a folder it cannot write as STORAGE_FAILED and leaves nothing behind', async () => {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file where the backup folder should be');
    const before = auditActions().length;
    const error = await fails('createBackup', { targetDir: join(blocker, 'backups') });
    expect(error).toMatchObject({ code: 'STORAGE_FAILED', message: expect.stringMatching(/backup could not be written.*ENOTDIR/) });
    expect(auditActions().length).toBe(before);
    // The service is still up.
    expect(await ok('sessionStatus', {})).toMatchObject({ state: 'unlocked' });
  });
});

describe('scheduled backups', () => {
  it('backs up when the newest backup is a day old, keeps the newest N, and only while unlocked', async () => {
    const first = await app.backups.runIfDue();
    expect(first).not.toBeNull();
    expect(await app.backups.runIfDue()).toBeNull(); // just made one

    clock = new Date('2025-06-01T20:00:00.000Z');
    expect(await app.backups.runIfDue()).toBeNull(); // 12 hours later: not due
    clock = new Date('2025-06-02T08:00:00.000Z');
    const second = await app.backups.runIfDue();
    clock = new Date('2025-06-03T08:00:00.000Z');
    const third = await app.backups.runIfDue();
    expect(listBackups()).toEqual([third!.folder, second!.folder].map((f) => basename(f)).reverse());
    expect(existsSync(first!.folder)).toBe(false);
    const scheduled = auditActions()
      .filter((a) => a.action === 'backup.create')
      .map((a) => JSON.parse(a.detail).trigger);
    expect(scheduled).toEqual(['schedule', 'schedule', 'schedule']);

    await ok('lock', {});
    clock = new Date('2025-06-09T08:00:00.000Z');
    expect(await app.backups.runIfDue()).toBeNull();
  });

  it('does not count as activity: an idle session is not backed up or kept open', async () => {
    const idle = createAppServices({ dbPath: join(dir, 'idle', 'lantern.db'), kdf: testKdf, now: () => clock, idleLockMs: 60_000, scheduleBackups: false });
    try {
      await idle.call('setup', { displayName: 'Dr Idle', passphrase });
      clock = new Date(clock.getTime() + 120_000);
      expect(await idle.backups.runIfDue()).toBeNull();
      // Still locked by inactivity on the next call: the check above did not refresh the session.
      expect(await idle.call('searchPatients', { query: '' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    } finally {
      idle.close();
    }
  });

  function listBackups(): string[] {
    return readdirSync(join(dir, 'data', 'backups')).sort();
  }
});

describe('restoreFromBackup', () => {
  it('restores, migrates if needed, and records the restore in the restored trail', async () => {
    await ok('createPatient', { name: 'Before Backup', birthDate: '1990-01-01', sex: 'female' });
    const summary = await ok('createBackup', {});
    await ok('createPatient', { name: 'After Backup', birthDate: '1990-01-01', sex: 'female' });
    app.close();

    const dbPath = join(dir, 'data', 'lantern.db');
    const restored = await restoreFromBackup(dbPath, { backupPath: summary.folder, passphrase }, { now: new Date('2025-06-05T00:00:00.000Z') });
    expect(restored).toMatchObject({
      restored: dbPath,
      from: summary.folder,
      auditHead: summary.auditHead,
      previous: `${dbPath}.before-restore-2025-06-05T00-00-00-000Z`,
    });

    const { db } = await unlockEncryptedDatabase(dbPath, passphrase);
    const store = new CaseStore(db);
    try {
      expect(store.db.prepare('SELECT name FROM patients').pluck().all()).toEqual(['Before Backup']);
      const chain = store.audit.verifyChain();
      expect(chain).toMatchObject({ intact: true, events: summary.auditHead.seq + 1 });
      const last = store.db.prepare('SELECT action, detail FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { action: string; detail: string };
      expect(last.action).toBe('backup.restore');
      expect(JSON.parse(last.detail)).toMatchObject({ backup: basename(summary.folder), auditHead: summary.auditHead, previous: basename(restored.previous!) });
    } finally {
      store.close();
    }
  });
});
