/**
 * Issue 14, "revocation that holds": disabling an account rotates the master key, so a copy of the
 * old keyring and the old passphrase no longer open the live database, and an old backup opens only
 * its own (old) content. Remaining users, the recovery key and the audit anchors keep working.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { copyFileSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import type { UserAccount } from '../../contract/ipcContract';
import { keyringPathFor, pendingKeyringPathFor, readKeyring, unwrapMasterKey, writeKeyring } from '../../../db/keyring';
import { applyDatabaseKey, openEncryptedDatabase } from '../../../db/openDatabase';
import { backupDatabaseFile, backupKeyringFile, verifyBackup } from '../../../db/backup';
import { withSqliteBinding } from '../../../db/sqliteBinding';
import { rekeyDatabaseFile, rekeyInWorker, type RotationOptions } from '../../../db/keyRotation';
import { appPerTest, dispatchTestClient } from '../testing/dispatchTestClient';

type Rekey = NonNullable<RotationOptions['rekey']>;
/** A test's own rekey (paused or failing); undefined: the real one, in a worker thread. */
let testRekey: Rekey | undefined;
afterEach(() => {
  testRekey = undefined;
});

const t = appPerTest(() => ({
  idleLockMs: 10 * 60_000,
  rekey: (...args: Parameters<Rekey>) => (testRekey ?? rekeyInWorker)(...args),
}));

const { ok, fails } = dispatchTestClient(() => t.app);

async function setupTeam(): Promise<{ recoveryKey: string; clinician: UserAccount }> {
  const { recoveryKey } = await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
  const clinician = await ok('addUser', { displayName: 'Dr Chen Li', login: 'chen', role: 'clinician', passphrase: 'clinician passphrase' });
  await ok('addUser', { displayName: 'Ines Audit', login: 'ines', role: 'auditor', passphrase: 'auditor passphrase' });
  return { recoveryKey, clinician };
}

/** Disables through the dispatcher (which answers once the rotation started), then waits for the rotation. */
async function disableAndRotate(userId: string): Promise<void> {
  await ok('disableUser', { userId });
  expect(await t.app.session.keyRotationSettled()).toMatchObject({ state: 'done', droppedLogins: [] });
}

/** A rekey held at its start until `release()`, so a test can look at the app mid-rotation. */
function pausedRekey(): { release: () => void } {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  testRekey = async (dbPath, oldKey, newKey, onStep) => {
    await gate;
    rekeyDatabaseFile(dbPath, oldKey, newKey, onStep);
  };
  return { release };
}

/** Patient names in a database file, read with a raw key the way an attacker's script would. */
function patientNames(path: string, key: Buffer): string[] {
  const db = new Database(path, withSqliteBinding({ readonly: true, fileMustExist: true }));
  try {
    applyDatabaseKey(db, key);
    return db.prepare('SELECT name FROM patients ORDER BY name').pluck().all() as string[];
  } finally {
    db.close();
  }
}

describe('revoking a disabled account', () => {
  it('a disabled user with a copy of the old keyring and their old passphrase cannot open the live database', async () => {
    const { clinician } = await setupTeam();
    const stolenKeyring = join(t.dir, 'stolen.keyring.json');
    copyFileSync(keyringPathFor(t.dbPath()), stolenKeyring);

    await disableAndRotate(clinician.id);
    await ok('createPatient', { name: 'Added After Disable', birthDate: '1980-01-01', sex: 'female' });

    // The old copy still yields the old key: it must no longer decrypt the live file.
    const { masterKey: oldKey } = await unwrapMasterKey(readKeyring(stolenKeyring), 'clinician passphrase');
    expect(() => openEncryptedDatabase(t.dbPath(), oldKey)).toThrow(expect.objectContaining({ name: 'DbError', code: 'DATABASE_CORRUPT' }));
    expect(() => patientNames(t.dbPath(), oldKey)).toThrow();
    // The live keyring: no slot for the account, nothing owed, no half-done rotation left behind.
    const live = readKeyring(keyringPathFor(t.dbPath()));
    expect(live.slots.some((s) => s.userId === clinician.id)).toBe(false);
    expect(live.rotationOwed).toBeUndefined();
    expect(existsSync(pendingKeyringPathFor(t.dbPath()))).toBe(false);
    await expect(unwrapMasterKey(live, 'clinician passphrase')).rejects.toMatchObject({ name: 'DbError', code: 'WRONG_PASSPHRASE' });
  });

  it('remaining users, the recovery key and the audit anchors keep working after the rotation', async () => {
    const { clinician, recoveryKey } = await setupTeam();
    await disableAndRotate(clinician.id);
    const actions = t.app.session.require().store.db.prepare('SELECT action FROM audit_events ORDER BY seq').pluck().all() as string[];
    expect(actions.slice(-2)).toEqual(['user.disable', 'key.rotate']);

    // Sealed to their public key; their next sign-in re-creates the passphrase form.
    expect(readKeyring(keyringPathFor(t.dbPath())).slots.find((s) => s.login === 'ines')).toMatchObject({ sealed: expect.any(Object) });
    expect(await ok('unlock', { login: 'ines', passphrase: 'auditor passphrase' })).toMatchObject({ state: 'unlocked', user: { login: 'ines' } });
    const ines = readKeyring(keyringPathFor(t.dbPath())).slots.find((s) => s.login === 'ines');
    expect(ines?.sealed).toBeUndefined();
    expect(ines?.wrappedKey).toEqual(expect.any(String));
    expect(await fails('unlock', { login: 'chen', passphrase: 'clinician passphrase' })).toMatchObject({ code: 'WRONG_PASSPHRASE' });

    expect(await ok('recoverWithKey', { recoveryKey, login: 'ama', newPassphrase: 'a new admin passphrase' })).toMatchObject({ state: 'unlocked' });
    // The checkpoint file was re-signed for the new key: the trail and its anchors still agree.
    expect(await ok('verifyAuditChain')).toMatchObject({ intact: true });
  });

  it('with an old backup the disabled user opens only that backup and its old content, never data added after', async () => {
    const { clinician } = await setupTeam();
    await ok('createPatient', { name: 'Before Disable', birthDate: '1970-01-01', sex: 'male' });
    const oldBackup = await ok('createBackup', { targetDir: join(t.dir, 'backups') });

    await disableAndRotate(clinician.id);
    await ok('createPatient', { name: 'After Disable', birthDate: '1990-01-01', sex: 'female' });
    const newBackup = await ok('createBackup', { targetDir: join(t.dir, 'backups') });

    // What the README promises: the old backup still opens with the old passphrase, with its old content only.
    expect((await verifyBackup(oldBackup.folder, 'clinician passphrase')).userId).toBe(clinician.id);
    const { masterKey: backupKey } = await unwrapMasterKey(readKeyring(join(oldBackup.folder, backupKeyringFile)), 'clinician passphrase');
    expect(patientNames(join(oldBackup.folder, backupDatabaseFile), backupKey)).toEqual(['Before Disable']);
    expect(() => patientNames(t.dbPath(), backupKey)).toThrow();
    expect(() => patientNames(join(newBackup.folder, backupDatabaseFile), backupKey)).toThrow();
    // Backups made after the rotation carry the current keyring: no slot for the disabled account.
    await expect(verifyBackup(newBackup.folder, 'clinician passphrase')).rejects.toMatchObject({ name: 'DbError', code: 'WRONG_PASSPHRASE' });
    expect((await verifyBackup(newBackup.folder, 'auditor passphrase')).check.events).toBeGreaterThan(0);
  });

  it('disableUser answers once the rotation started; keyRotationStatus answers during it (running, then done) while other calls are retryable', async () => {
    const { clinician } = await setupTeam();
    expect(await ok('keyRotationStatus')).toEqual({ state: 'idle' });
    const paused = pausedRekey();
    // Answered while the rekey has not even begun: the request does not wait for the rotation.
    expect(await ok('disableUser', { userId: clinician.id })).toMatchObject({ login: 'chen', disabled: true });
    expect(await ok('keyRotationStatus')).toEqual({ state: 'running', stage: 'keyring-prepared', step: 2, steps: 7 });
    const during = await fails('searchPatients', { query: 'x' });
    expect(during).toMatchObject({ code: 'DATABASE_IN_USE', message: expect.stringMatching(/key is being changed/) });
    expect(await ok('sessionStatus')).toMatchObject({ state: 'unlocked', user: { login: 'ama' } });
    // Still under the old key: nothing was rekeyed before the release.
    expect(readKeyring(keyringPathFor(t.dbPath())).rotationOwed).toBe(true);

    paused.release();
    const outcome = await t.app.session.keyRotationSettled();
    expect(outcome).toMatchObject({ state: 'done', droppedLogins: [] });
    expect(await ok('keyRotationStatus')).toEqual(outcome);
    expect(readKeyring(keyringPathFor(t.dbPath())).rotationOwed).toBeUndefined();
    expect(await ok('searchPatients', { query: 'x' })).toEqual([]);
  });

  it('a failing rekey ends as failed with its reason, the old key kept and the rotation owed; the next sign-in rotates', async () => {
    const { clinician } = await setupTeam();
    const { masterKey: oldKey } = await unwrapMasterKey(readKeyring(keyringPathFor(t.dbPath())), 'auditor passphrase');
    testRekey = () => {
      throw Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' });
    };
    expect(await ok('disableUser', { userId: clinician.id })).toMatchObject({ disabled: true });
    expect(await t.app.session.keyRotationSettled()).toMatchObject({ state: 'failed', message: 'disk full' });
    expect(await ok('keyRotationStatus')).toMatchObject({ state: 'failed', at: expect.any(String), message: 'disk full' });
    expect(readKeyring(keyringPathFor(t.dbPath())).rotationOwed).toBe(true);
    expect(existsSync(pendingKeyringPathFor(t.dbPath()))).toBe(false);
    // The admin stays signed in on the old key; the failure is in the trail.
    const actions = t.app.session.require().store.db.prepare('SELECT action FROM audit_events ORDER BY seq').pluck().all() as string[];
    expect(actions.slice(-2)).toEqual(['user.disable', 'key.rotate-failed']);
    expect(patientNames(t.dbPath(), oldKey)).toEqual([]);

    testRekey = undefined;
    await ok('lock');
    expect(await ok('unlock', { login: 'ama', passphrase: 'admin passphrase' })).toMatchObject({ state: 'unlocked' });
    expect(await ok('keyRotationStatus')).toMatchObject({ state: 'done' });
    expect(readKeyring(keyringPathFor(t.dbPath())).rotationOwed).toBeUndefined();
    expect(() => openEncryptedDatabase(t.dbPath(), oldKey)).toThrow(expect.objectContaining({ name: 'DbError', code: 'DATABASE_CORRUPT' }));
  });

  it('keyRotationStatus is for administrators, and needs a signed-in session', async () => {
    await setupTeam();
    await ok('lock');
    expect(await fails('keyRotationStatus')).toMatchObject({ code: 'LOCKED' });
    await ok('unlock', { login: 'ines', passphrase: 'auditor passphrase' });
    expect(await fails('keyRotationStatus')).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a rotation still owed (one that failed or was cut short) is done at the next sign-in, before the sign-in answers', async () => {
    await setupTeam();
    await ok('lock');
    const { masterKey: before } = await unwrapMasterKey(readKeyring(keyringPathFor(t.dbPath())), 'auditor passphrase');
    writeKeyring(keyringPathFor(t.dbPath()), { ...readKeyring(keyringPathFor(t.dbPath())), rotationOwed: true });
    expect(await ok('unlock', { login: 'ines', passphrase: 'auditor passphrase' })).toMatchObject({ state: 'unlocked' });
    expect(t.app.session.keyRotationStatus()).toMatchObject({ state: 'done' });
    expect(readKeyring(keyringPathFor(t.dbPath())).rotationOwed).toBeUndefined();
    expect(() => openEncryptedDatabase(t.dbPath(), before)).toThrow(expect.objectContaining({ name: 'DbError', code: 'DATABASE_CORRUPT' }));
    expect(await ok('searchPatients', { query: 'x' })).toEqual([]);
  });
});
