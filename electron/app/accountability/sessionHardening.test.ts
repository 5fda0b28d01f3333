/**
 * Issue 14's sign-in and lock attacks: guessing passphrases meets an exponential back-off (per login
 * and per machine, recorded, not reset by deleting the side file); a directory or a flood of forged
 * lines in the failed-logins file neither blocks sign-in nor floods the chain; the idle lock closes
 * the database on a timer; Lock drops the key and closes the store even when recording it fails.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createAppServices } from '../appServices';
import type { AppServices } from '../appServices';
import { makeTempDir, testKdf } from '../../../db/testing/tmpStore';
import { failedLoginLogPathFor, maxEventsPerSignIn } from '../../../db/failedLoginLog';
import { dispatchTestClient } from '../testing/dispatchTestClient';

let dir: string;
let cleanup: () => void;
let app: AppServices;
let clock: number;
const dbPath = () => join(dir, 'lantern.db');

function openApp(idleLockMs = 10 * 60_000, realTime = false): AppServices {
  return createAppServices({ dbPath: dbPath(), kdf: testKdf, scheduleBackups: false, idleLockMs, now: realTime ? undefined : () => new Date(clock) });
}

beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
  clock = Date.parse('2026-03-01T09:00:00Z');
  app = openApp();
});
afterEach(() => {
  app.close();
  cleanup();
});

const { ok, fails } = dispatchTestClient(() => app);

async function team(): Promise<void> {
  await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
  await ok('addUser', { displayName: 'Chen Li', login: 'chen', role: 'clinician', passphrase: 'clinician passphrase' });
  await ok('lock');
}

describe('sign-in back-off', () => {
  it('doubles the wait per failed guess for a login, refuses even the right passphrase meanwhile, and records it', async () => {
    await team();
    for (let i = 0; i < 3; i++) expect(await fails('unlock', { login: 'chen', passphrase: `guess ${i}` })).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    expect(await fails('unlock', { login: 'chen', passphrase: 'clinician passphrase' })).toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      message: expect.stringMatching(/Wait 1 s/),
    });
    // Deleting the side file does not reset the count this process keeps.
    rmSync(failedLoginLogPathFor(dbPath()), { force: true });
    expect(await fails('unlock', { login: 'chen', passphrase: 'clinician passphrase' })).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    clock += 1500;
    expect(await fails('unlock', { login: 'chen', passphrase: 'guess 4' })).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    expect(await fails('unlock', { login: 'chen', passphrase: 'clinician passphrase' })).toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      message: expect.stringMatching(/Wait 2 s/),
    });
    // Another login is not held back by chen's failures (under the machine-wide threshold).
    await ok('unlock', { login: 'ama', passphrase: 'admin passphrase' });
    const failed = app.session.require().store.db.prepare("SELECT detail FROM audit_events WHERE action = 'session.login-failed'").pluck().all() as string[];
    expect(failed.map((d) => (JSON.parse(d) as { reason: string }).reason)).toEqual(
      expect.arrayContaining(['wrong passphrase', expect.stringMatching(/^refused: back-off/)]),
    );
    await ok('lock');
    clock += 2500;
    await ok('unlock', { login: 'chen', passphrase: 'clinician passphrase' });
  });

  it('holds the whole machine back after many failures across logins', async () => {
    await team();
    for (let i = 0; i < 10; i++) await fails('unlock', { login: `nobody${i}`, passphrase: 'guess' });
    expect(await fails('unlock', { login: 'ama', passphrase: 'admin passphrase' })).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    clock += 60_000;
    await ok('unlock', { login: 'ama', passphrase: 'admin passphrase' });
  });
});

describe('the failed-logins side file is not trusted', () => {
  it('a directory in its place does not block sign-in', async () => {
    await team();
    mkdirSync(failedLoginLogPathFor(dbPath()));
    expect(await fails('unlock', { login: 'ama', passphrase: 'wrong' })).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await ok('unlock', { login: 'ama', passphrase: 'admin passphrase' });
  });

  it('a flood of forged lines neither blocks sign-in for long nor enters the chain unbounded', async () => {
    await team();
    const line = JSON.stringify({ at: new Date(clock).toISOString(), login: 'ama', reason: 'wrong passphrase' });
    writeFileSync(failedLoginLogPathFor(dbPath()), `${`${line}\n`.repeat(50_000)}{"not json\n`);
    // Forged failures hold sign-in back by at most 30 s.
    expect(await fails('unlock', { login: 'ama', passphrase: 'admin passphrase' })).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    clock += 30_001;
    await ok('unlock', { login: 'ama', passphrase: 'admin passphrase' });
    const n = app.session.require().store.db.prepare("SELECT count(*) FROM audit_events WHERE action = 'session.login-failed'").pluck().get() as number;
    expect(n).toBeLessThanOrEqual(maxEventsPerSignIn + 1);
    expect(readFileSync(dbPath()).length).toBeGreaterThan(0);
  });
});

describe('locking', () => {
  it('the idle lock closes the database on its timer, without any request', async () => {
    app.close();
    app = openApp(300, true);
    await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
    const { store } = app.session.require();
    await new Promise((r) => setTimeout(r, 700));
    expect(store.db.open).toBe(false);
    expect(app.session.status()).toEqual({ state: 'locked' });
    expect(await fails('searchPatients', { query: 'x' })).toMatchObject({ code: 'LOCKED', message: expect.stringMatching(/inactivity/) });
  });

  it('Lock drops the key and closes the store even when the lock cannot be recorded (a full disk)', async () => {
    await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
    const ctx = app.session.requireUnlocked();
    ctx.store.audit.append = () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    expect(await ok('lock')).toEqual({ state: 'locked' });
    expect(ctx.store.db.open).toBe(false);
    expect(ctx.masterKey.equals(Buffer.alloc(32))).toBe(true);
    expect(await fails('searchPatients', { query: 'x' })).toMatchObject({ code: 'LOCKED' });
  });
});
