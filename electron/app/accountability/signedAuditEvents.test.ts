/**
 * Issue 14: every audit event is signed by its actor (system events by the install key). A
 * passphrase holder who rebuilds the chain with recomputed hashes holds the master key but not the
 * other actors' private keys: `verifyAuditChain` names the first event whose signature fails, even
 * with the checkpoint file wiped. Events from before signing are reported as unsigned legacy.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { randomUUID, createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { testKdf } from '../../../db/testing/tmpStore';
import { createEncryptedDatabase } from '../../../db/openDatabase';
import { AuditRepository, eventHash } from '../../../db/repositories/auditRepository';
import type { AuditEventRow } from '../../../db/repositories/auditRepository';
import { UserRepository } from '../../../db/repositories/userRepository';
import { checkpointPathFor } from '../../../db/auditCheckpoints';
import { keyringPathFor, readKeyring, writeKeyring } from '../../../db/keyring';
import { migrations } from '../../../db/migrations/migrationRegistry';
import { installKeyPathFor, readInstallPublicKey } from '../../../db/installKey';
import { createSigningKey, installSigner, signEventHash, signingKeyAction, signingPublicKey, verifyEventHash } from '../../../db/auditSigning';
import { rebuildAuditChain, tamperWithDatabase } from '../testing/auditTampering';
import { appPerTest, dispatchTestClient } from '../testing/dispatchTestClient';

const t = appPerTest((dir) => ({ scheduleBackups: false, backup: { dir: join(dir, 'backups') } }));
const passphrase = 'admin passphrase';

const { ok, fails } = dispatchTestClient(() => t.app);

async function clinic(): Promise<void> {
  await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase });
  await ok('addUser', { displayName: 'Dr Chen Li', login: 'chen', role: 'clinician', passphrase: 'clinician passphrase' });
  await ok('lock');
  await ok('unlock', { login: 'chen', passphrase: 'clinician passphrase' });
  await ok('createPatient', { name: 'Kofi Mensah', birthDate: '1970-02-03', sex: 'male' });
  await ok('createPatient', { name: 'Efua Boateng', birthDate: '1985-06-01', sex: 'female' });
  await ok('lock');
  await ok('unlock', { login: 'ama', passphrase });
}

const rows = (): AuditEventRow[] => t.app.session.require().store.db.prepare('SELECT * FROM audit_events ORDER BY seq').all() as AuditEventRow[];

/** The attacker: the app closed, the database opened with a passphrase (the master key), the append-only triggers dropped. */
async function tamper(change: (db: Database) => void): Promise<void> {
  t.app.close();
  await tamperWithDatabase(t.dbPath(), passphrase, change);
  t.reopen();
  await ok('unlock', { login: 'ama', passphrase });
}

describe('audit events signed by their actor', () => {
  it("signs every event with its actor's key (system events with the install key) and records each public key in the trail and the keyring", async () => {
    await clinic();
    expect(await fails('unlock', { login: 'ama', passphrase: 'wrong passphrase' })).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await ok('unlock', { login: 'ama', passphrase });
    const events = rows();
    expect(events.every((e) => e.signature && e.signed_by)).toBe(true);
    const keyring = readKeyring(keyringPathFor(t.dbPath()));
    const installKey = readInstallPublicKey(t.dbPath())!;
    for (const e of events) {
      if (e.user_id === null) {
        expect(e.signed_by).toBe(installSigner);
        expect(verifyEventHash(installKey, e.hash, e.signature!)).toBe(true);
      } else {
        expect(e.signed_by).toBe(e.user_id);
        const slot = keyring.slots.find((s) => s.userId === e.user_id)!;
        expect(verifyEventHash(slot.signing!.publicKey, e.hash, e.signature!)).toBe(true);
      }
    }
    expect(events.some((e) => e.action === 'session.login-failed' && e.signed_by === installSigner)).toBe(true);
    // Each user's key is in the trail (the clinician's recorded by the admin who made the account) and matches the keyring.
    const recorded = events.filter((e) => e.action === signingKeyAction).map((e) => JSON.parse(e.detail) as { userId: string; publicKey: string });
    for (const slot of keyring.slots.filter((s) => s.kind !== 'recovery'))
      expect(recorded.filter((r) => r.userId === slot.userId).at(-1)?.publicKey).toBe(slot.signing!.publicKey);
    expect(await ok('verifyAuditChain')).toMatchObject({ intact: true, unsignedLegacyEvents: 0 });
  });

  it('catches a chain rebuilt with recomputed hashes by a master-key holder, naming the first event whose signature fails', async () => {
    await clinic();
    const patientEvents = rows().filter((e) => e.action === 'patient.create');
    const removed = patientEvents[0]!.seq;
    // The chain links again and the checkpoint file is gone: only the signatures can tell.
    await tamper((db) => {
      db.prepare('DELETE FROM audit_events WHERE seq = ?').run(removed);
      rebuildAuditChain(db);
      writeFileSync(checkpointPathFor(t.dbPath()), '');
    });
    expect(t.app.session.require().store.audit.verifyChain()).toMatchObject({ intact: true });
    const status = await ok('verifyAuditChain');
    expect(status).toMatchObject({ intact: false, firstBrokenSeq: removed });
    expect(status.reason).toMatch(
      new RegExp(`^event ${removed} \\(patient\\.create\\)'s signature does not match its hash under user [0-9a-f-]+'s signing key`),
    );
  });

  it('catches a rebuild re-signed with keys the attacker made: the keyring no longer matches, and the next sign-in says so', async () => {
    await clinic();
    const chenId = readKeyring(keyringPathFor(t.dbPath())).slots.find((s) => s.login === 'chen')!.userId;
    const forged = new Map<string, ReturnType<typeof createSigningKey>>();
    const keyFor = (userId: string) => forged.get(userId) ?? forged.set(userId, createSigningKey()).get(userId)!;
    // The install key lies in a file readable by the OS account (no keychain here): the attacker signs system events with it.
    const install = JSON.parse(readFileSync(installKeyPathFor(t.dbPath()), 'utf8')) as { privateKey: string };
    const installKey = createPrivateKey({ key: Buffer.from(install.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
    await tamper((db) => {
      db.prepare("DELETE FROM audit_events WHERE action = 'patient.create' AND user_id = ?").run(chenId);
      // Each user's recorded key replaced by one the attacker made, every hash recomputed and signed by the forged key of its actor.
      rebuildAuditChain(db, (row) => {
        const detail =
          row.action === signingKeyAction
            ? JSON.stringify({
                ...(JSON.parse(row.detail) as object),
                publicKey: signingPublicKey(keyFor((JSON.parse(row.detail) as { userId: string }).userId)),
              })
            : row.detail;
        const hash = eventHash({ ...row, detail });
        return {
          detail,
          hash,
          signed_by: row.user_id ?? installSigner,
          signature: signEventHash(row.user_id === null ? installKey : keyFor(row.user_id), hash),
        };
      });
      writeFileSync(checkpointPathFor(t.dbPath()), '');
    });
    // Every signature holds under the forged keys, but ama's passphrase opens her real key: her sign-in (in tamper) recorded the swap.
    const breaks = rows()
      .filter((e) => e.action === 'audit.break-detected')
      .map((e) => e.detail);
    expect(breaks.some((d) => /another signing key for ama than the one their passphrase opens/.test(d))).toBe(true);
    // Chen has not signed in since: the keyring beside the database still holds his real public key.
    const status = await ok('verifyAuditChain');
    expect(status).toMatchObject({ intact: false });
    expect(status.reason).toMatch(/records a signing key for (ama|chen) that is not the one in the keyring/);
  });

  it("refuses a key recorded in another user's name that only vouches for itself", async () => {
    await clinic();
    const chenId = readKeyring(keyringPathFor(t.dbPath())).slots.find((s) => s.login === 'chen')!.userId;
    const forgedKey = createSigningKey();
    let forgedSeq = 0;
    // Appended at the tail with correct links: a new key "for chen", then an event in his name signed by it.
    await tamper((db) => {
      const append = (action: string, detail: object) => {
        const last = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
        const row = {
          seq: last.seq + 1,
          at: '2026-12-01T00:00:00.000Z',
          user_id: chenId,
          action,
          encounter_id: null,
          model_id: null,
          model_version: null,
          model_sha256: null,
          detail: JSON.stringify(detail),
          prev_hash: last.hash,
        };
        const hash = eventHash(row);
        db.prepare(
          `INSERT INTO audit_events (seq, at, user_id, action, encounter_id, model_id, model_version, model_sha256, detail, prev_hash, hash, signed_by, signature)
           VALUES (@seq, @at, @user_id, @action, @encounter_id, @model_id, @model_version, @model_sha256, @detail, @prev_hash, @hash, @signed_by, @signature)`,
        ).run({ ...row, hash, signed_by: chenId, signature: signEventHash(forgedKey, hash) });
        return row.seq;
      };
      forgedSeq = append(signingKeyAction, { userId: chenId, publicKey: signingPublicKey(forgedKey), reason: 'new signing key' });
      append('session.lock', { reason: 'user' });
    });
    expect(await ok('verifyAuditChain')).toMatchObject({
      intact: false,
      firstBrokenSeq: forgedSeq,
      reason: expect.stringMatching(/replaces user .* recorded signing key with one only that new key vouches for/),
    });
  });

  it('keeps the trail verifiable across a recovery, whose new key replaces the recorded one with the install key countersigning', async () => {
    const { recoveryKey } = await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase });
    await ok('createPatient', { name: 'Kofi Mensah', birthDate: '1970-02-03', sex: 'male' });
    await ok('lock');
    await ok('recoverWithKey', { recoveryKey, login: 'ama', newPassphrase: 'a new admin passphrase' });
    await ok('createPatient', { name: 'Efua Boateng', birthDate: '1985-06-01', sex: 'female' });
    const recorded = rows().filter((e) => e.action === signingKeyAction);
    expect(recorded).toHaveLength(2);
    const replacement = JSON.parse(recorded[1]!.detail) as { publicKey: string; installSignature?: string };
    expect(replacement.publicKey).toBe(readKeyring(keyringPathFor(t.dbPath())).slots.find((s) => s.login === 'ama')!.signing!.publicKey);
    expect(replacement.installSignature).toEqual(expect.any(String));
    expect(await ok('verifyAuditChain')).toMatchObject({ intact: true });
  });

  it('reports a user event signed by the install key, and signatures stripped from the whole trail', async () => {
    await clinic();
    const install = JSON.parse(readFileSync(installKeyPathFor(t.dbPath()), 'utf8')) as { privateKey: string };
    const installKey = createPrivateKey({ key: Buffer.from(install.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
    const target = rows().find((e) => e.action === 'patient.create')!;
    await tamper((db) =>
      db.prepare('UPDATE audit_events SET signed_by = ?, signature = ? WHERE seq = ?').run(installSigner, signEventHash(installKey, target.hash), target.seq),
    );
    expect(await ok('verifyAuditChain')).toMatchObject({
      intact: false,
      firstBrokenSeq: target.seq,
      reason: expect.stringMatching(/is a user's event signed by the install key/),
    });
    await tamper((db) => db.prepare('UPDATE audit_events SET signed_by = NULL, signature = NULL').run());
    const stripped = await ok('verifyAuditChain');
    expect(stripped).toMatchObject({ intact: false, firstBrokenSeq: 1, reason: expect.stringMatching(/records a signing key but carries no signature/) });
  });
});

describe('a database from before signed events', () => {
  it('reports its old events as unsigned legacy, gives the old slot a signing key at the next sign-in and signs from then on', async () => {
    t.app.close();
    // Schema 8 and a slot without a signing key: what an older Lantern left behind.
    const userId = randomUUID();
    const { db } = await createEncryptedDatabase(t.dbPath(), userId, passphrase, { kdf: testKdf, login: 'ama', migrations: migrations.slice(0, 8) });
    const at = '2026-01-01T00:00:00.000Z';
    new UserRepository(db).insert({ id: userId, displayName: 'Ama Osei', login: 'ama', role: 'admin', disabled: false, createdAt: at });
    const legacy = new AuditRepository(db);
    legacy.append({ at, userId, action: 'user.create', detail: { userId, login: 'ama', role: 'admin', reason: 'setup' } });
    legacy.append({ at, userId, action: 'session.login' });
    legacy.append({ at, userId: null, action: 'session.login-failed', detail: { login: 'ama', reason: 'wrong passphrase' } });
    db.close();
    const keyring = readKeyring(keyringPathFor(t.dbPath()));
    writeKeyring(keyringPathFor(t.dbPath()), { ...keyring, slots: keyring.slots.map(({ signing: _s, ...slot }) => slot) });

    t.reopen();
    await ok('unlock', { login: 'ama', passphrase });
    const slot = readKeyring(keyringPathFor(t.dbPath())).slots.find((s) => s.userId === userId)!;
    expect(slot.signing).toBeDefined();
    const events = rows();
    expect(events.slice(0, 3).every((e) => e.signature === null)).toBe(true);
    const created = events.find((e) => e.action === signingKeyAction)!;
    expect(JSON.parse(created.detail)).toMatchObject({ userId, publicKey: slot.signing!.publicKey, reason: 'new signing key' });
    expect(events.slice(3).every((e) => e.signature !== null)).toBe(true);
    await ok('createPatient', { name: 'Kofi Mensah', birthDate: '1970-02-03', sex: 'male' });
    expect(await ok('verifyAuditChain')).toMatchObject({ intact: true, unsignedLegacyEvents: 3 });

    // After the first signed event, an unsigned one is no longer legacy: it was written outside the app.
    const last = rows().at(-1)!;
    await tamper((db2) => db2.prepare('UPDATE audit_events SET signed_by = NULL, signature = NULL WHERE seq = ?').run(last.seq));
    expect(await ok('verifyAuditChain')).toMatchObject({
      intact: false,
      firstBrokenSeq: last.seq,
      reason: expect.stringMatching(/carries no signature, though events before it are signed/),
    });
  });
});
