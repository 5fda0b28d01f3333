/**
 * Recovery through the dispatcher, as the recovery screen drives it: a database that cannot be
 * opened is reported by name, listed backups are offered while locked, and a restore brings the
 * data back while keeping the damaged file.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { appPerTest, dispatchTestClient } from '../testing/dispatchTestClient';

const t = appPerTest();

const { ok, fails } = dispatchTestClient(() => t.app);

describe('recovering a damaged database from a backup', () => {
  it('names the damage, lists backups while locked, restores, and keeps the damaged file', async () => {
    await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
    await ok('createPatient', { name: 'Kofi Mensah', birthDate: '1970-02-03', sex: 'male' });
    const backup = await ok('createBackup', { targetDir: join(t.dir, 'usb') });
    await ok('lock');

    // Damage inside the first page, as a failing disk would.
    const bytes = readFileSync(t.dbPath());
    for (let i = 100; i < 400; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(t.dbPath(), bytes);
    expect(await fails('unlock', { login: 'ama', passphrase: 'admin passphrase' })).toMatchObject({
      code: 'DATABASE_CORRUPT',
      message: expect.stringMatching(/left untouched/),
    });

    expect((await ok('listBackups')).dir).toBeTruthy();
    expect(await fails('restoreBackup', { backupPath: backup.folder, passphrase: 'not it' })).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    expect(await fails('restoreBackup', { backupPath: 'relative/path', passphrase: 'admin passphrase' })).toMatchObject({ code: 'VALIDATION_FAILED' });
    const restored = await ok('restoreBackup', { backupPath: backup.folder, passphrase: 'admin passphrase' });
    expect(restored.status).toEqual({ state: 'locked' });
    expect(restored.previous && existsSync(restored.previous)).toBe(true);

    await ok('unlock', { login: 'ama', passphrase: 'admin passphrase' });
    expect(await ok('searchPatients', { query: 'kofi' })).toHaveLength(1);
    const actions = t.app.session.require().store.db.prepare('SELECT action FROM audit_events ORDER BY seq').pluck().all();
    expect(actions).toContain('backup.restore');
  });
});
