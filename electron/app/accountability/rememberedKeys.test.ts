/**
 * "Remember on this computer" with a fake OS keychain: sign-in without the passphrase where the
 * keychain protects the key, refused (with the reason) where it would not.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createAppServices } from '../appServices';
import type { AppServices } from '../appServices';
import type { MethodName, RequestOf } from '../../contract/ipcContract';
import type { OsSecretStore } from './rememberedKeys';
import { rememberedKeysPathFor } from './rememberedKeys';
import { makeTempDir, testKdf } from '../../../db/testing/tmpStore';
import { dispatchTestClient } from '../testing/dispatchTestClient';

/** Stands in for safeStorage: real encryption under a key the "OS user" holds. */
function fakeKeychain(backend: string, osKey = randomBytes(32)): OsSecretStore {
  return {
    isEncryptionAvailable: () => true,
    backend: () => backend,
    encryptString: (plain) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', osKey, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString: (sealed) => {
      const d = createDecipheriv('aes-256-gcm', osKey, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

let dir: string;
let cleanup: () => void;
const apps: AppServices[] = [];
const open = (secretStore?: OsSecretStore) => {
  const app = createAppServices({ dbPath: join(dir, 'lantern.db'), kdf: testKdf, secretStore });
  apps.push(app);
  return app;
};
beforeEach(() => ({ dir, cleanup } = makeTempDir()));
afterEach(() => {
  for (const a of apps.splice(0)) a.close();
  cleanup();
});

const ok = <M extends MethodName>(app: AppServices, method: M, ...payload: [RequestOf<M>?]) => dispatchTestClient(() => app).ok(method, ...payload);
const fails = (app: AppServices, method: string, payload: unknown = {}) => dispatchTestClient(() => app).fails(method, payload);

describe('remember on this computer', () => {
  it('signs a remembered user in through the keychain, audits it, and forgets on request', async () => {
    const keychain = fakeKeychain('gnome_libsecret');
    const app = open(keychain);
    await ok(app, 'setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
    expect(await ok(app, 'rememberOnThisComputer')).toEqual({ available: true, reason: null, logins: ['ama'] });
    // Sealed by the keychain: the master key is not in the file in any readable form.
    expect(readFileSync(rememberedKeysPathFor(join(dir, 'lantern.db')), 'utf8')).not.toMatch(/"key"/);
    await ok(app, 'lock');
    expect(await ok(app, 'unlockRemembered', { login: 'ama' })).toMatchObject({ state: 'unlocked', user: { role: 'admin' } });
    const actions = app.session.require().store.db.prepare('SELECT action FROM audit_events ORDER BY seq').pluck().all();
    expect(actions).toEqual(expect.arrayContaining(['session.remember', 'session.recalled']));

    // Another OS user's keychain cannot open it (one Lantern per database at a time, so the first closes).
    app.close();
    const stranger = open(fakeKeychain('gnome_libsecret'));
    expect(await fails(stranger, 'unlockRemembered', { login: 'ama' })).toMatchObject({
      code: 'REMEMBER_UNAVAILABLE',
      message: expect.stringMatching(/keychain could not open/),
    });
    stranger.close();

    const again = open(keychain);
    await ok(again, 'unlockRemembered', { login: 'ama' });
    expect(await ok(again, 'forgetOnThisComputer')).toMatchObject({ logins: [] });
    await ok(again, 'lock');
    expect(await fails(again, 'unlockRemembered', { login: 'ama' })).toMatchObject({ code: 'REMEMBER_UNAVAILABLE' });
  });

  it('keeps the audit signing key with the remembered one, so a remembered session signs its events; an older entry without it is forgotten', async () => {
    const keychain = fakeKeychain('gnome_libsecret');
    const app = open(keychain);
    await ok(app, 'setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
    await ok(app, 'rememberOnThisComputer');
    await ok(app, 'lock');
    const status = await ok(app, 'unlockRemembered', { login: 'ama' });
    await ok(app, 'createPatient', { name: 'Kofi Mensah', birthDate: '1970-02-03', sex: 'male' });
    const last = app.session.require().store.db.prepare('SELECT user_id, signed_by, signature FROM audit_events ORDER BY seq DESC LIMIT 1').get() as {
      user_id: string;
      signed_by: string;
      signature: string | null;
    };
    expect(last).toMatchObject({ user_id: status.state === 'unlocked' ? status.user.id : '', signed_by: last.user_id, signature: expect.any(String) });
    expect(await ok(app, 'verifyAuditChain')).toMatchObject({ intact: true });
    await ok(app, 'lock');

    // An entry remembered before signing keys holds the master key alone.
    const path = rememberedKeysPathFor(join(dir, 'lantern.db'));
    const file = JSON.parse(readFileSync(path, 'utf8')) as { entries: { sealed: string }[] };
    const entry = file.entries[0]!;
    const { signing: _dropped, ...older } = JSON.parse(keychain.decryptString(Buffer.from(entry.sealed, 'base64'))) as Record<string, unknown>;
    entry.sealed = keychain.encryptString(JSON.stringify(older)).toString('base64');
    writeFileSync(path, JSON.stringify(file));
    expect(await fails(app, 'unlockRemembered', { login: 'ama' })).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/predates signed audit events/),
    });
    expect((await ok(app, 'rememberStatus')).logins).toEqual([]);
  });

  it("refuses Linux's basic_text backend and the loopback host, saying why", async () => {
    const plain = open(fakeKeychain('basic_text'));
    await ok(plain, 'setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
    expect(await ok(plain, 'rememberStatus')).toMatchObject({ available: false, reason: expect.stringMatching(/basic_text/) });
    expect(await fails(plain, 'rememberOnThisComputer')).toMatchObject({ code: 'REMEMBER_UNAVAILABLE' });
    expect(existsSync(rememberedKeysPathFor(join(dir, 'lantern.db')))).toBe(false);
    plain.close();
    const host = open(undefined);
    expect(await ok(host, 'rememberStatus')).toMatchObject({ available: false, reason: expect.stringMatching(/desktop app/) });
  });

  it('drops a disabled account’s remembered key', async () => {
    const keychain = fakeKeychain('kwallet5');
    const app = open(keychain);
    await ok(app, 'setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
    const chen = await ok(app, 'addUser', { displayName: 'Chen', login: 'chen', role: 'clinician', passphrase: 'chen passphrase' });
    await ok(app, 'unlock', { login: 'chen', passphrase: 'chen passphrase' });
    await ok(app, 'rememberOnThisComputer');
    await ok(app, 'unlock', { login: 'ama', passphrase: 'admin passphrase' });
    await ok(app, 'disableUser', { userId: chen.id });
    expect((await ok(app, 'rememberStatus')).logins).toEqual([]);
    expect(await fails(app, 'unlockRemembered', { login: 'chen' })).toMatchObject({ code: 'REMEMBER_UNAVAILABLE' });
  });
});
