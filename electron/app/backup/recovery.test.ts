/**
 * Recovery through the dispatcher, as the recovery screen drives it: a database that cannot be
 * opened is reported by name, listed backups are offered while locked, and a restore brings the
 * data back while keeping the damaged file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createAppServices } from '../appServices';
import type { AppServices } from '../appServices';
import { makeTempDir, testKdf } from '../../../db/testing/tmpStore';
import { dispatchTestClient } from '../testing/dispatchTestClient';

let dir: string;
let cleanup: () => void;
let app: AppServices;
const dbPath = () => join(dir, 'lantern.db');

beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
  app = createAppServices({ dbPath: dbPath(), kdf: testKdf });
});
afterEach(() => {
  app.close();
  cleanup();
});

const { ok, fails } = dispatchTestClient(() => app);

describe('recovering a damaged database from a backup', () => {
  it('names the damage, lists backups while locked, restores, and keeps the damaged file', async () => {
    await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
    await ok('createPatient', { name: 'Kofi Mensah', birthDate: '1970-02-03', sex: 'male' });
    const backup = await ok('createBackup', { targetDir: join(dir, 'usb') });
    await ok('lock');

    // Damage inside the first page, as a failing disk would.
    const bytes = readFileSync(dbPath());
    for (let i = 100; i < 400; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(dbPath(), bytes);
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
    const actions = app.session.require().store.db.prepare('SELECT action FROM audit_events ORDER BY seq').pluck().all();
    expect(actions).toContain('backup.restore');
  });
});
