/** "Verify this backup": a restore's checks on one backup, nothing swapped; audited, passed or failed. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { signedInAppPerTest } from '../testing/dispatchTestClient';

const t = signedInAppPerTest();
const { ok, fails } = t;

describe('verify a backup while running', () => {
  it('passes a good backup with its audit head, refuses a wrong passphrase, changes nothing, and audits both', async () => {
    await ok('createPatient', { name: 'Before Backup', birthDate: '1970-02-03', sex: 'male' });
    const backup = await ok('createBackup', { targetDir: join(t.dir, 'usb') });
    await ok('createPatient', { name: 'After Backup', birthDate: '1980-02-03', sex: 'female' });

    const verified = await ok('verifyBackup', { backupPath: backup.folder, passphrase: 'correct horse' });
    expect(verified).toMatchObject({ folder: backup.folder, createdAt: backup.createdAt, auditHead: backup.auditHead, schemaVersion: backup.schemaVersion });
    expect(verified.events).toBe(backup.auditHead.seq);
    const { store } = t.app.session.require();
    expect(store.audit.list({ limit: 1 })[0]).toMatchObject({ action: 'backup.verify' });

    const wrong = await fails('verifyBackup', { backupPath: backup.folder, passphrase: 'not it' });
    expect(wrong.code).toMatch(/WRONG_PASSPHRASE|BACKUP_WRONG_KEY/);
    const last = store.audit.list({ limit: 1 })[0]!;
    expect(last).toMatchObject({ action: 'backup.verify' });
    expect(JSON.parse(last.detail as string)).toMatchObject({ ok: false });
    // Nothing was restored: the patient made after the backup is still there.
    expect((await ok('searchPatients', { query: 'after backup' })).length).toBe(1);
  });
});
