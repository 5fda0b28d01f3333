/**
 * Issue 14's restore attacks, through the dispatcher as the app and the host call it: an auditor and
 * the lock screen cannot roll the clinic back, another database's backup needs an explicit yes, the
 * recovery key only serves a database that cannot open, every restore says in the restored trail who
 * did it, from what and which head it replaced, and no restore runs beside a running Lantern.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createAppServices } from '../appServices';
import type { BackupSummary } from '../../contract/ipcContract';
import { testKdf } from '../../../db/testing/tmpStore';
import { restoreFromBackup } from './backupService';
import { toErrorPayload } from '../serviceErrors';
import { appPerTest, dispatchTestClient, signedInUser } from '../testing/dispatchTestClient';
import { databaseLockPathFor } from '../../../db/databaseLock';

const t = appPerTest(() => ({ scheduleBackups: false }));

const { ok, fails } = dispatchTestClient(() => t.app);

/** Admin, auditor and clinician; a backup with one patient; a newer patient added after it. */
async function clinicWithBackup(): Promise<{ recoveryKey: string; backup: BackupSummary }> {
  const { recoveryKey } = await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
  await ok('addUser', { displayName: 'Ines Audit', login: 'ines', role: 'auditor', passphrase: 'auditor passphrase' });
  await ok('addUser', { displayName: 'Chen Li', login: 'chen', role: 'clinician', passphrase: 'clinician passphrase' });
  await ok('createPatient', { name: 'Before Backup', birthDate: '1970-02-03', sex: 'male' });
  const backup = await ok('createBackup', { targetDir: join(t.dir, 'usb') });
  await ok('createPatient', { name: 'After Backup', birthDate: '1980-02-03', sex: 'female' });
  await ok('lock');
  return { recoveryKey, backup };
}

async function patientNames(login: string, passphrase: string): Promise<string[]> {
  await ok('unlock', { login, passphrase });
  return (await ok('searchPatients', { query: 'backup' })).map((p) => p.name).sort();
}

function lastEvent(action?: string): { action: string; user_id: string | null; detail: Record<string, unknown> } {
  const db = t.app.session.require().store.db;
  const row = (
    action === undefined
      ? db.prepare('SELECT action, user_id, detail FROM audit_events ORDER BY seq DESC LIMIT 1').get()
      : db.prepare('SELECT action, user_id, detail FROM audit_events WHERE action = ? ORDER BY seq DESC LIMIT 1').get(action)
  ) as { action: string; user_id: string | null; detail: string };
  return { ...row, detail: JSON.parse(row.detail) as Record<string, unknown> };
}

function corrupt(path: string): void {
  const bytes = readFileSync(path);
  for (let i = 100; i < 400; i++) bytes[i] = bytes[i]! ^ 0xff;
  writeFileSync(path, bytes);
}

describe('restore is an administrator act', () => {
  it('refuses a signed-in auditor, even with the admin passphrase, and keeps the newer record', async () => {
    const { backup } = await clinicWithBackup();
    await ok('unlock', { login: 'ines', passphrase: 'auditor passphrase' });
    expect(await fails('restoreBackup', { backupPath: backup.folder, passphrase: 'auditor passphrase' })).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/administrator/),
    });
    expect(await fails('restoreBackup', { backupPath: backup.folder, passphrase: 'admin passphrase' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(t.app.session.status()).toMatchObject({ state: 'unlocked' });
    expect(await patientNames('ama', 'admin passphrase')).toEqual(['After Backup', 'Before Backup']);
  });

  it('refuses the lock screen with an auditor or clinician passphrase, or a wrong one', async () => {
    const { backup } = await clinicWithBackup();
    expect(await fails('restoreBackup', { backupPath: backup.folder, login: 'ines', passphrase: 'auditor passphrase' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await fails('restoreBackup', { backupPath: backup.folder, passphrase: 'clinician passphrase' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await fails('restoreBackup', { backupPath: backup.folder, login: 'ama', passphrase: 'guess' })).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    expect(await patientNames('ama', 'admin passphrase')).toEqual(['After Backup', 'Before Backup']);
  });

  it('refuses the recovery key while the database opens', async () => {
    const { backup, recoveryKey } = await clinicWithBackup();
    expect(await fails('restoreBackup', { backupPath: backup.folder, recoveryKey })).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/opens/),
    });
  });

  it('lets the signed-in admin restore with the passphrase re-entered, and records who, from what and the replaced head', async () => {
    const { backup } = await clinicWithBackup();
    const admin = signedInUser(await ok('unlock', { login: 'ama', passphrase: 'admin passphrase' }));
    expect(await fails('restoreBackup', { backupPath: backup.folder, passphrase: 'not mine' })).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    const restored = await ok('restoreBackup', { backupPath: backup.folder, passphrase: 'admin passphrase' });
    expect(restored.status).toEqual({ state: 'locked' });

    expect(await patientNames('ama', 'admin passphrase')).toEqual(['Before Backup']);
    const events = t.app.session.require().store.db.prepare('SELECT action, user_id, detail FROM audit_events ORDER BY seq').all() as {
      action: string;
      user_id: string;
      detail: string;
    }[];
    const restore = events.find((e) => e.action === 'backup.restore')!;
    expect(restore.user_id).toBe(admin.id);
    const detail = JSON.parse(restore.detail) as Record<string, unknown>;
    expect(detail).toMatchObject({
      backup: backup.folder.split('/').pop(),
      auditHead: backup.auditHead,
      by: { userId: admin.id, login: 'ama', via: 'passphrase' },
      otherDatabase: false,
    });
    // The replaced head is the live chain's last event (its sign-out), beyond the backup's head.
    const replaced = detail['replaced'] as { state: string; head: { seq: number } };
    expect(replaced.state).toBe('opens');
    expect(replaced.head.seq).toBeGreaterThan(backup.auditHead.seq);
    expect(t.app.session.require().store.audit.verifyChain()).toMatchObject({ intact: true });
  });

  it("needs an explicit confirmation for another database's backup, from the lock screen too", async () => {
    const { backup: ours } = await clinicWithBackup();
    // Another clinic's database, with its own admin.
    const otherDb = join(t.dir, 'other', 'lantern.db');
    const other = createAppServices({ dbPath: otherDb, kdf: testKdf, scheduleBackups: false });
    let theirs: BackupSummary;
    try {
      const c = dispatchTestClient(() => other);
      await c.ok('setup', { displayName: 'Mallory', login: 'mallory', passphrase: 'other passphrase' });
      await c.ok('createPatient', { name: 'Other Backup', birthDate: '1990-01-01', sex: 'male' });
      theirs = await c.ok('createBackup', { targetDir: join(t.dir, 'their-usb') });
    } finally {
      other.close();
    }
    // The stranger's own passphrase does not touch this database at all.
    expect(await fails('restoreBackup', { backupPath: theirs.folder, passphrase: 'other passphrase' })).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    // Our admin, without saying yes: refused, naming why.
    expect(
      await fails('restoreBackup', { backupPath: theirs.folder, login: 'ama', passphrase: 'admin passphrase', backupPassphrase: 'other passphrase' }),
    ).toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
      message: expect.stringMatching(/another database/),
    });
    expect(await patientNames('ama', 'admin passphrase')).toEqual(['After Backup', 'Before Backup']);
    await ok('lock');
    await ok('restoreBackup', {
      backupPath: theirs.folder,
      login: 'ama',
      passphrase: 'admin passphrase',
      backupPassphrase: 'other passphrase',
      confirmOtherDatabase: true,
    });
    await ok('unlock', { login: 'mallory', passphrase: 'other passphrase' });
    expect(lastEvent('backup.restore')).toMatchObject({
      action: 'backup.restore',
      user_id: null,
      detail: { otherDatabase: true, by: { login: 'ama', via: 'passphrase' } },
    });
    expect(ours.auditHead.seq).toBeGreaterThan(0);
  });

  it('while the database cannot open: the recovery key, or an admin passphrase the backup confirms; not a clinician', async () => {
    const { backup, recoveryKey } = await clinicWithBackup();
    corrupt(t.dbPath());
    expect(await fails('unlock', { login: 'ama', passphrase: 'admin passphrase' })).toMatchObject({ code: 'DATABASE_CORRUPT' });
    expect(await fails('restoreBackup', { backupPath: backup.folder, login: 'chen', passphrase: 'clinician passphrase' })).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/recovery key/),
    });
    expect(await fails('restoreBackup', { backupPath: backup.folder, recoveryKey: 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG-HHHHH' })).toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    await ok('restoreBackup', { backupPath: backup.folder, recoveryKey });
    expect(await patientNames('ama', 'admin passphrase')).toEqual(['Before Backup']);
    expect(lastEvent()).toMatchObject({ action: 'session.login' });
    const restore = t.app.session.require().store.db.prepare("SELECT user_id, detail FROM audit_events WHERE action = 'backup.restore'").get() as {
      user_id: string | null;
      detail: string;
    };
    expect(restore.user_id).toBeNull();
    expect(JSON.parse(restore.detail)).toMatchObject({ by: { via: 'recovery key' }, replaced: { state: 'unreadable', head: null }, otherDatabase: false });

    await ok('lock');
    corrupt(t.dbPath());
    await ok('restoreBackup', { backupPath: backup.folder, login: 'ama', passphrase: 'admin passphrase' });
    expect(await patientNames('ama', 'admin passphrase')).toEqual(['Before Backup']);
  });
});

describe('one Lantern per database', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
    child = undefined;
  });

  it('refuses a restore and a second app beside a running app, in this process and from another', async () => {
    const { backup } = await clinicWithBackup();
    // In-process: the app holds the lock; the CLI's restore path and a second app are refused.
    const beside = await restoreFromBackup(t.dbPath(), { backupPath: backup.folder, login: 'ama', passphrase: 'admin passphrase' }).catch((e: unknown) => e);
    expect(toErrorPayload(beside)).toMatchObject({ code: 'DATABASE_IN_USE' });
    expect(() => createAppServices({ dbPath: t.dbPath(), kdf: testKdf, scheduleBackups: false })).toThrow(/in use/);
    t.app.close();

    // Another process holds it (a running app): refused; once that process is gone, its stale lock is taken over.
    const hook = join(__dirname, '..', '..', '..', 'db', 'testing', 'tsRequireHook.cjs');
    const lockModule = join(__dirname, '..', '..', '..', 'db', 'databaseLock.ts');
    const source = `require(${JSON.stringify(hook)}); require(${JSON.stringify(lockModule)}).acquireDatabaseLock(${JSON.stringify(t.dbPath())}, 'a running app'); console.log('held'); setInterval(() => {}, 1000);`;
    const proc = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      proc.stdout!.on('data', (d: Buffer) => String(d).includes('held') && resolve());
      proc.once('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
    });
    const refused = await restoreFromBackup(t.dbPath(), { backupPath: backup.folder, login: 'ama', passphrase: 'admin passphrase' }).catch((e: unknown) => e);
    expect(toErrorPayload(refused)).toMatchObject({ code: 'DATABASE_IN_USE', message: expect.stringMatching(/a running app \(process \d+/) });
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
    await restoreFromBackup(t.dbPath(), { backupPath: backup.folder, login: 'ama', passphrase: 'admin passphrase' });
    expect(existsSync(databaseLockPathFor(t.dbPath()))).toBe(false);
  }, 30_000);
});
