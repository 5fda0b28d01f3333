/**
 * Issue 14, "checkpoint lines signed by the install key": the anchors beside the database no longer
 * derive from the master key, so a passphrase holder who cuts the trail and rewrites the checkpoint
 * file with the master key's MACs (all that sufficed before) is caught by `verifyAuditChain`.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { unlockEncryptedDatabase } from '../../../db/openDatabase';
import { appendCheckpoint, checkpointKey, checkpointPathFor, readCheckpoints } from '../../../db/auditCheckpoints';
import { installKeyPathFor, loadOrCreateInstallKey, readInstallPublicKey } from '../../../db/installKey';
import { appPerTest, dispatchTestClient } from '../testing/dispatchTestClient';

const t = appPerTest(() => ({ scheduleBackups: false }));
const passphrase = 'admin passphrase';

const { ok } = dispatchTestClient(() => t.app);

async function clinic(): Promise<void> {
  await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase });
  for (const name of ['Kofi Mensah', 'Abena Owusu', 'Yaw Boateng']) await ok('createPatient', { name, birthDate: '1970-02-03', sex: 'male' });
}

const checkpointLines = () =>
  readFileSync(checkpointPathFor(t.dbPath()), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('checkpoint lines signed by the install key', () => {
  it('signs every line with an install key kept 0600 beside the database (in the file where there is no OS keychain)', async () => {
    await clinic();
    const file = JSON.parse(readFileSync(installKeyPathFor(t.dbPath()), 'utf8')) as { storage: string; publicKey: string };
    expect(file.storage).toBe('file');
    expect(statSync(installKeyPathFor(t.dbPath())).mode & 0o777).toBe(0o600);
    const lines = checkpointLines();
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      expect(line['sig']).toEqual(expect.any(String));
      expect(line['mac']).toBeUndefined();
    }
    const read = readCheckpoints(checkpointPathFor(t.dbPath()), Buffer.alloc(32), readInstallPublicKey(t.dbPath()));
    expect(read).toMatchObject({ forged: 0, signed: lines.length });
  });

  it('seals the private half with the OS keychain where one is available', () => {
    const sealer = {
      seal: (b: Buffer) => Buffer.from(b.toString('hex').split('').reverse().join(''), 'utf8'),
      unseal: (b: Buffer) => Buffer.from(b.toString('utf8').split('').reverse().join(''), 'hex'),
    };
    const made = loadOrCreateInstallKey(t.dbPath(), sealer);
    expect(made).toMatchObject({ storage: 'os-keychain', created: true });
    const der = made.privateKey!.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    expect(readFileSync(installKeyPathFor(t.dbPath()), 'utf8')).not.toContain(der);
    // Without the keychain (the CLI, another computer) the private half is not to be had.
    expect(loadOrCreateInstallKey(t.dbPath(), null).privateKey).toBeNull();
    expect(loadOrCreateInstallKey(t.dbPath(), sealer).privateKey!.export({ type: 'pkcs8', format: 'der' }).toString('base64')).toBe(der);
  });

  it("catches a passphrase holder who cuts the tail and rewrites the checkpoint file with the master key's MACs", async () => {
    await clinic();
    t.app.close();
    const { db, masterKey } = await unlockEncryptedDatabase(t.dbPath(), passphrase);
    try {
      db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
      const last = db.prepare('SELECT max(seq) FROM audit_events').pluck().get() as number;
      db.prepare('DELETE FROM audit_events WHERE seq > ?').run(last - 2);
      const head = db.prepare('SELECT seq, hash, at FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string; at: string };
      // The old anchors go; one for the shortened trail is written the way the app once did (MAC only).
      rmSync(checkpointPathFor(t.dbPath()));
      appendCheckpoint(t.dbPath(), checkpointKey(masterKey), head);
    } finally {
      db.close();
    }
    t.reopen();
    await ok('unlock', { login: 'ama', passphrase });
    expect(await ok('verifyAuditChain')).toMatchObject({ intact: false, reason: expect.stringMatching(/install key did not sign/) });
  });

  it('signs the lines MACed before the install key existed when it is made', async () => {
    await clinic();
    t.app.close();
    // A database from before install keys: its file holds MAC lines only, and no key file.
    const { db, masterKey } = await unlockEncryptedDatabase(t.dbPath(), passphrase);
    const head = db.prepare('SELECT seq, hash, at FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string; at: string };
    db.close();
    rmSync(installKeyPathFor(t.dbPath()));
    rmSync(checkpointPathFor(t.dbPath()));
    appendCheckpoint(t.dbPath(), checkpointKey(masterKey), head);
    t.reopen();
    await ok('unlock', { login: 'ama', passphrase });
    expect(checkpointLines().every((l) => typeof l['sig'] === 'string')).toBe(true);
    expect(await ok('verifyAuditChain')).toMatchObject({ intact: true });
  });
});
