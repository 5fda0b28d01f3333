/**
 * The one open database of this app instance and who unlocked it. Electron, the loopback host and
 * the CLI each hold one session; every service call goes through it, so "locked", "locked after
 * inactivity" and "which user" are enforced in one place.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeyRotationStage, KeyRotationStatus, RememberStatus, SessionStatus, SetupResult, UserSummary } from '../../contract/ipcContract';
import { createEncryptedDatabase, openEncryptedDatabase, unlockEncryptedDatabase } from '../../../db/openDatabase';
import {
  createRecoveryKey,
  defaultKdf,
  keyringPathFor,
  putSlot,
  readKeyring,
  recordDatabaseId,
  unwrapMasterKey,
  wrapUserSlot,
  openRecoverySlot,
  pendingKeyringPathFor,
  type Keyring,
  type KeySlot,
} from '../../../db/keyring';
import { databaseIdOf } from '../../../db/backup';
import { appendCheckpoint, checkpointKey, checkpointPathFor, readCheckpoints, remacCheckpoints, signLegacyCheckpoints } from '../../../db/auditCheckpoints';
import type { ScryptParams } from '../../../db/keyring';
import { isDbError, wrongPassphrase } from '../../../db/dbErrors';
import { backoffDelayMs, backoffWindowMs, clearFailedLogins, maxEventsPerSignIn, readFailedLogins, recordFailedLogin } from '../../../db/failedLoginLog';
import type { BackoffCounts } from '../../../db/failedLoginLog';
import { CaseStore } from '../../../db/caseStore';
import { LanternError, LOCKED_MESSAGE, NOT_INITIALISED_MESSAGE } from '../serviceErrors';
import { forgetKey, recallKey, rememberedLogins, rememberKey, rememberRefusal } from './rememberedKeys';
import type { OsSecretStore } from './rememberedKeys';
import { resolveInterruptedRotation, rotateMasterKey, type RotationOptions } from '../../../db/keyRotation';
import { loadOrCreateInstallKey, readInstallPublicKey, type KeySealer } from '../../../db/installKey';
import { countersignSigningKey, createSigningKey, signingKeyAction, signingPublicKey } from '../../../db/auditSigning';

/** The signed-in user's audit signing key, and whether this sign-in made it (it is then recorded in the trail). */
interface SigningKeyInHand {
  key: KeyObject;
  created: boolean;
  /** Made by a recovery (the recovery key proved the right to replace the recorded key). */
  recovery?: boolean;
}

/** Calls during a key rotation: the store is closed for a few seconds; the caller may simply retry. */
const KEY_ROTATION_MESSAGE = 'The database key is being changed after an account was disabled. Try again in a few seconds.';

export interface SessionOptions {
  dbPath: string;
  /** Tests only: a cheaper scrypt for databases they create. */
  kdf?: ScryptParams;
  /** Lock after this long without a call; a shared workstation must not stay signed in. */
  idleLockMs?: number;
  now?: () => Date;
  /** The OS keychain (Electron safeStorage); absent in the loopback host and the CLI. */
  secretStore?: OsSecretStore;
  /** Tests only: how a rotation rekeys the file (a failing or paused one); by default a worker thread. */
  rekey?: RotationOptions['rekey'];
}

export const defaultIdleLockMs = 15 * 60 * 1000;

/** LANTERN_IDLE_LOCK_MINUTES overrides the default (a clinic's policy; tests use a short one). */
export function idleLockMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const minutes = Number(env['LANTERN_IDLE_LOCK_MINUTES']);
  return Number.isFinite(minutes) && minutes > 0 ? minutes * 60 * 1000 : defaultIdleLockMs;
}

/** A login made from a display name ("Dr Ama Osei" → "dr.ama.osei"), for the first account. */
export function loginFromName(displayName: string): string {
  const login = displayName
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '')
    .slice(0, 40);
  return login === '' ? 'admin' : login;
}

/** What a signed-in service needs to change key slots: the master key stays in memory only while unlocked. */
export interface UnlockedContext {
  store: CaseStore;
  user: UserSummary;
  masterKey: Buffer;
  dbPath: string;
  keyringPath: string;
  kdf: ScryptParams;
}

/** Where the last master-key rotation stands (shown while an account's revocation completes). */
export type KeyRotationState = KeyRotationStatus;

/** The stages in the order a rotation passes them, for "step n of N". */
const rotationStages: readonly KeyRotationStage[] = ['started', 'keyring-prepared', 'copying', 'rekeying', 'renaming', 'database-rekeyed', 'keyring-installed'];

const runningAt = (stage: KeyRotationStage): KeyRotationState => ({
  state: 'running',
  stage,
  step: rotationStages.indexOf(stage) + 1,
  steps: rotationStages.length,
});

/** Slots a passphrase typed with `login` may open (plus slots from before logins existed). */
function slotsForLogin(keyring: Keyring, login: string | undefined): Keyring {
  return login === undefined ? keyring : { ...keyring, slots: keyring.slots.filter((s: KeySlot) => s.login === login || s.login === undefined) };
}

export class LanternSession {
  private store: CaseStore | null = null;
  private user: UserSummary | null = null;
  private masterKey: Buffer | null = null;
  /** The user's unwrapped audit signing key, held only while signed in (see auditSigning.ts). */
  private signingKey: KeyObject | null = null;
  private lastActivity = 0;
  private lockedReason: string | null = null;

  constructor(private readonly options: SessionOptions) {}

  get dbPath(): string {
    return this.options.dbPath;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  isInitialised(): boolean {
    return existsSync(this.options.dbPath) || existsSync(keyringPathFor(this.options.dbPath));
  }

  status(): SessionStatus {
    // During a key rotation the store is closed for a moment, but nobody was signed out.
    if ((this.store || this.rotating) && this.user) return { state: 'unlocked', user: this.user };
    return this.isInitialised() ? { state: 'locked' } : { state: 'uninitialised' };
  }

  /** First run: the database, its first user (an admin who may also see patients) and a recovery key. */
  async setup(displayName: string, passphrase: string, login = loginFromName(displayName)): Promise<SetupResult> {
    mkdirSync(dirname(this.options.dbPath), { recursive: true, mode: 0o700 });
    const now = this.now().toISOString();
    const userId = randomUUID();
    const recoveryKey = createRecoveryKey();
    const signingKey = createSigningKey();
    const { db, masterKey } = await createEncryptedDatabase(this.options.dbPath, userId, passphrase, { kdf: this.options.kdf, login, recoveryKey, signingKey });
    const store = new CaseStore(db);
    store.audit.holdSigningKeys({ userId, key: signingKey }, this.anchorCommits(store, masterKey));
    const user: UserSummary = { id: userId, displayName, login, role: 'admin' };
    store.transaction(() => {
      store.users.insert({ ...user, disabled: false, createdAt: now });
      // The key first: every later event of this user is verified with it.
      store.audit.append({ at: now, userId, action: signingKeyAction, detail: { userId, publicKey: signingPublicKey(signingKey), reason: 'setup' } });
      store.audit.append({ at: now, userId, action: 'user.create', detail: { userId, login, role: 'admin', reason: 'setup' } });
      store.audit.append({ at: now, userId, action: 'recovery-key.create' });
      store.audit.append({ at: now, userId, action: 'session.login' });
    });
    this.noteDatabaseId(store);
    this.open(store, user, masterKey, signingKey);
    return { status: this.status(), recoveryKey };
  }

  async unlock(passphrase: string, login?: string): Promise<SessionStatus> {
    await this.rotationSettled();
    if (!this.isInitialised()) throw new LanternError('NOT_INITIALISED', NOT_INITIALISED_MESSAGE);
    this.lock();
    this.enforceBackoff(login ?? null);
    let opened: Awaited<ReturnType<typeof unlockEncryptedDatabase>>;
    try {
      await resolveInterruptedRotation(this.options.dbPath, async (keyring) => (await unwrapMasterKey(slotsForLogin(keyring, login), passphrase)).masterKey);
      opened = await unlockEncryptedDatabase(this.options.dbPath, passphrase, { login });
    } catch (err) {
      if (isDbError(err, 'WRONG_PASSPHRASE')) this.recordFailure(login ?? null, 'wrong passphrase');
      throw err;
    }
    // A slot from before signing keys (or whose key box no longer opens) got a new key: recorded at sign-in.
    const signing: SigningKeyInHand = { key: opened.signingKey ?? createSigningKey(), created: opened.signingKeyCreated || opened.signingKey === null };
    return this.signIn(new CaseStore(opened.db), opened.userId, opened.masterKey, signing, 'session.login');
  }

  /** The recovery key opens the key; the named admin gets a new passphrase and is signed in. */
  async recoverWithKey(recoveryKey: string, login: string, newPassphrase: string): Promise<SessionStatus> {
    await this.rotationSettled();
    if (!this.isInitialised()) throw new LanternError('NOT_INITIALISED', NOT_INITIALISED_MESSAGE);
    this.lock();
    this.enforceBackoff(login);
    const keyringPath = keyringPathFor(this.options.dbPath);
    let masterKey: Buffer;
    let refreshed: KeySlot | null;
    try {
      await resolveInterruptedRotation(this.options.dbPath, async (keyring) => (await openRecoverySlot(keyring, recoveryKey)).masterKey);
      ({ masterKey, refreshed } = await openRecoverySlot(readKeyring(keyringPath), recoveryKey));
    } catch (err) {
      if (isDbError(err, 'WRONG_PASSPHRASE')) this.recordFailure(login, 'wrong recovery key');
      throw err;
    }
    const store = new CaseStore(openEncryptedDatabase(this.options.dbPath, masterKey));
    // A recovery slot sealed by a rotation (or made before key pairs) is written back in its passphrase form.
    if (refreshed) putSlot(keyringPath, refreshed);
    const record = store.users.byLogin(login);
    if (!record || record.role !== 'admin') {
      store.close();
      throw new LanternError('FORBIDDEN', `The recovery key resets an administrator's passphrase; "${login}" is not an administrator here.`);
    }
    // The old signing key was wrapped by the forgotten passphrase: a new one, recorded at this sign-in.
    const signingKey = createSigningKey();
    putSlot(keyringPath, await wrapUserSlot(masterKey, record.id, newPassphrase, this.kdf(), record.login, signingKey));
    if (record.disabled) store.users.setDisabled(record.id, false);
    return this.signIn(store, record.id, masterKey, { key: signingKey, created: true, recovery: true }, 'session.login', {
      action: 'user.recover',
      detail: { userId: record.id, login, via: 'recovery key' },
    });
  }

  rememberStatus(): RememberStatus {
    const reason = rememberRefusal(this.options.secretStore);
    return { available: reason === null, reason, logins: reason === null ? rememberedLogins(this.options.dbPath) : [] };
  }

  /** Seals the master key with the OS keychain for the signed-in user on this computer. */
  rememberOnThisComputer(): RememberStatus {
    const ctx = this.requireUnlocked();
    const { login } = ctx.user;
    const at = this.now().toISOString();
    rememberKey(this.options.secretStore, this.options.dbPath, { login, userId: ctx.user.id, masterKey: ctx.masterKey, signingKey: this.signingKey!, at });
    ctx.store.transaction(() =>
      ctx.store.audit.append({ at, userId: ctx.user.id, action: 'session.remember', detail: { login, backend: this.options.secretStore!.backend() } }),
    );
    return this.rememberStatus();
  }

  forgetOnThisComputer(): RememberStatus {
    const ctx = this.requireUnlocked();
    const { login } = ctx.user;
    forgetKey(this.options.dbPath, login);
    ctx.store.transaction(() => ctx.store.audit.append({ at: this.now().toISOString(), userId: ctx.user.id, action: 'session.forget', detail: { login } }));
    return this.rememberStatus();
  }

  async unlockRemembered(login: string): Promise<SessionStatus> {
    await this.rotationSettled();
    if (!this.isInitialised()) throw new LanternError('NOT_INITIALISED', NOT_INITIALISED_MESSAGE);
    this.lock();
    // A remembered key cannot tell which side of an interrupted rotation it is on: a passphrase must finish it.
    if (existsSync(pendingKeyringPathFor(this.options.dbPath)))
      throw new LanternError('FORBIDDEN', 'A change of the database key was interrupted. Sign in with your passphrase once to finish it.');
    const { userId, masterKey, signingKey } = recallKey(this.options.secretStore, this.options.dbPath, login);
    if (signingKey === null) {
      // Remembered before audit signing keys: without the signing key this session's events could not be signed.
      forgetKey(this.options.dbPath, login);
      throw new LanternError('FORBIDDEN', 'This remembered sign-in predates signed audit events and was forgotten. Sign in with the passphrase once.');
    }
    const store = new CaseStore(openEncryptedDatabase(this.options.dbPath, masterKey));
    if (store.users.get(userId)?.login !== login) {
      store.close();
      forgetKey(this.options.dbPath, login);
      throw new LanternError('FORBIDDEN', 'The remembered sign-in no longer matches an account here; it was forgotten. Sign in with the passphrase.');
    }
    return this.signIn(store, userId, masterKey, { key: signingKey, created: false }, 'session.login', {
      action: 'session.recalled',
      detail: { login, via: 'os keychain' },
    });
  }

  /** Rewraps the master key under a new passphrase; the database itself is not re-encrypted. */
  async changePassphrase(currentPassphrase: string, newPassphrase: string): Promise<SessionStatus> {
    const ctx = this.requireUnlocked();
    const keyring = readKeyring(ctx.keyringPath);
    await unwrapMasterKey(keyring, currentPassphrase, ctx.user.id).catch((err: unknown) => {
      throw isDbError(err, 'WRONG_PASSPHRASE') ? wrongPassphrase('The current passphrase is wrong; nothing was changed.') : err;
    });
    const login = keyring.slots.find((s) => s.userId === ctx.user.id)?.login;
    // The same signing key, wrapped by the new passphrase: the trail's record of it stays valid.
    putSlot(ctx.keyringPath, await wrapUserSlot(ctx.masterKey, ctx.user.id, newPassphrase, this.kdf(), login, this.signingKey ?? undefined));
    ctx.store.transaction(() =>
      ctx.store.audit.append({ at: this.now().toISOString(), userId: ctx.user.id, action: 'user.passphrase-change', detail: { userId: ctx.user.id } }),
    );
    return this.status();
  }

  /**
   * Drops the key and closes the store whatever happens to the lock's audit event: a full disk or a
   * damaged page must never leave patient data being served after someone pressed Lock.
   */
  lock(reason: 'user' | 'inactivity' = 'user'): SessionStatus {
    // A rotation in flight holds the key itself; it sees this and does not reopen the store.
    if (this.rotating) this.lockedDuringRotation = true;
    const { store, user, masterKey } = this;
    this.store = null;
    this.user = null;
    this.masterKey = null;
    this.signingKey = null;
    this.clearIdleTimer();
    this.lockedReason = reason === 'inactivity' ? 'Locked after a period of inactivity. Sign in again.' : null;
    try {
      if (store && user)
        store.transaction(() => store.audit.append({ at: this.now().toISOString(), userId: user.id, action: 'session.lock', detail: { reason } }));
    } catch (err) {
      console.error(`[lantern] the lock could not be recorded (${(err as Error).message}); locked anyway.`);
    } finally {
      masterKey?.fill(0);
      store?.audit.dropSigningKeys();
      try {
        store?.close();
      } catch (err) {
        console.error(`[lantern] closing the database on lock failed: ${(err as Error).message}`);
      }
    }
    return this.status();
  }

  private idleTimer: NodeJS.Timeout | null = null;

  private clearIdleTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** The idle lock acts on a timer, not at the next request: an unattended screen closes the database by itself. */
  private armIdleTimer(): void {
    this.clearIdleTimer();
    const idleMs = this.options.idleLockMs ?? defaultIdleLockMs;
    const check = () => {
      if (!this.store) return;
      const left = this.lastActivity + idleMs - this.now().getTime();
      if (left <= 0) this.lock('inactivity');
      else this.idleTimer = setTimeout(check, Math.min(left, 2 ** 31 - 1)).unref();
    };
    this.idleTimer = setTimeout(check, Math.min(idleMs, 2 ** 31 - 1)).unref();
  }

  /**
   * For scheduled work (backups): the open store without counting as activity, so a timer never
   * keeps an idle session signed in; null when locked or already past the idle limit.
   */
  peekUnlocked(): { store: CaseStore; user: UserSummary; masterKey: Buffer } | null {
    if (!this.store || !this.user || !this.masterKey) return null;
    if (this.now().getTime() - this.lastActivity > (this.options.idleLockMs ?? defaultIdleLockMs)) return null;
    return { store: this.store, user: this.user, masterKey: this.masterKey };
  }

  /** The open store and current user, or a LOCKED LanternError. Each call counts as activity. */
  require(): { store: CaseStore; user: UserSummary } {
    const { store, user } = this.requireUnlocked();
    return { store, user };
  }

  requireUnlocked(): UnlockedContext {
    if (this.rotating && !this.lockedDuringRotation) throw new LanternError('DATABASE_IN_USE', KEY_ROTATION_MESSAGE);
    if (this.store && this.user && this.masterKey) {
      const now = this.now().getTime();
      if (now - this.lastActivity > (this.options.idleLockMs ?? defaultIdleLockMs)) {
        this.lock('inactivity');
      } else {
        this.lastActivity = now;
        return {
          store: this.store,
          user: this.user,
          masterKey: this.masterKey,
          dbPath: this.options.dbPath,
          keyringPath: keyringPathFor(this.options.dbPath),
          kdf: this.kdf(),
        };
      }
    }
    throw new LanternError('LOCKED', this.lockedReason ?? LOCKED_MESSAGE);
  }

  private kdf(): ScryptParams {
    return this.options.kdf ?? defaultKdf;
  }

  /**
   * After each commit the chain head goes to the checkpoint file beside the database (see
   * auditCheckpoints.ts). A failure to write it never fails the save that already committed.
   */
  private anchorCommits(store: CaseStore, masterKey: Buffer): KeyObject | null {
    const key = checkpointKey(masterKey);
    const signer = this.installSigner(key);
    let lastSeq = -1;
    store.onCommit = () => {
      const head = store.audit.head();
      if (!head || head.seq === lastSeq) return;
      lastSeq = head.seq;
      try {
        appendCheckpoint(this.options.dbPath, key, { seq: head.seq, hash: head.hash, at: this.now().toISOString() }, signer);
      } catch (err) {
        console.error('[lantern] could not write the audit checkpoint:', (err as Error).message);
      }
    };
    // The install key also signs system events (see AuditRepository.holdSigningKeys).
    return signer;
  }

  /** The OS keychain seals the install key where the desktop app has a real one (see rememberRefusal). */
  private keySealer(): KeySealer | null {
    const store = this.options.secretStore;
    if (!store || rememberRefusal(store) !== null) return null;
    return { seal: (plain) => store.encryptString(plain.toString('base64')), unseal: (sealed) => Buffer.from(store.decryptString(sealed), 'base64') };
  }

  /** The install key's private half, which signs checkpoint lines; null where it cannot be had (lines are then MACed). */
  private installSigner(macKey: Buffer): KeyObject | null {
    try {
      const installKey = loadOrCreateInstallKey(this.options.dbPath, this.keySealer(), this.now());
      // Lines MACed before the key existed are signed now; from here on an unsigned line is forged.
      if (installKey.created && installKey.privateKey) signLegacyCheckpoints(this.options.dbPath, macKey, installKey.privateKey);
      return installKey.privateKey;
    } catch (err) {
      console.error(`[lantern] the install key is unavailable (${(err as Error).message}); checkpoints are written unsigned.`);
      return null;
    }
  }

  /** The newest checkpoint must still be in the trail; if not, what was cut or rewritten. */
  private tailBreak(store: CaseStore, masterKey: Buffer): { reason: string; checkpoint: { seq: number; hash: string } } | null {
    const latest = readCheckpoints(
      checkpointPathFor(this.options.dbPath),
      checkpointKey(masterKey),
      readInstallPublicKey(this.options.dbPath),
    ).checkpoints.reduce<{ seq: number; hash: string } | null>((best, c) => (best === null || c.seq > best.seq ? { seq: c.seq, hash: c.hash } : best), null);
    if (latest === null) return null;
    const head = store.audit.head();
    const hash = store.db.prepare('SELECT hash FROM audit_events WHERE seq = ?').pluck().get(latest.seq) as string | undefined;
    if (hash === latest.hash) return null;
    const reason =
      (head?.seq ?? 0) < latest.seq
        ? `the trail ends at event ${head?.seq ?? 0}, but the checkpoint file recorded event ${latest.seq}: events were removed`
        : `event ${latest.seq} differs from the checkpoint file: the trail was rewritten`;
    return { reason, checkpoint: latest };
  }

  /** The keyring names its database, so a restore can tell another database's backup even when this one is damaged. */
  private noteDatabaseId(store: CaseStore): void {
    try {
      recordDatabaseId(keyringPathFor(this.options.dbPath), databaseIdOf(store.db));
    } catch {
      // A read-only folder: restores then ask for confirmation instead; signing in must still work.
    }
  }

  /** Failures this process saw (a deleted side file does not reset them). */
  private readonly failureTimes: { login: string | null; at: number }[] = [];

  private countsFrom(
    times: readonly { login: string | null; at: number }[],
    login: string | null,
    now: number,
  ): { perLogin: BackoffCounts; perMachine: BackoffCounts } {
    const recent = times.filter((t) => now - t.at < backoffWindowMs);
    const mine = recent.filter((t) => t.login === login);
    const last = (xs: typeof recent) => xs.reduce((m, t) => Math.max(m, t.at), 0);
    return { perLogin: { failures: mine.length, lastAt: last(mine) }, perMachine: { failures: recent.length, lastAt: last(recent) } };
  }

  /**
   * Exponential back-off after failed sign-ins, per login and for the machine. Counted from this
   * process's memory (up to five minutes) and from the side file (capped at 30 s, as anyone with
   * the folder can write lines there and must not lock everyone out). Refusals are recorded too.
   */
  private enforceBackoff(login: string | null): void {
    const now = this.now().getTime();
    const memory = this.countsFrom(this.failureTimes, login, now);
    const fromFile = readFailedLogins(this.options.dbPath)
      .filter((f) => !f.reason.startsWith('refused'))
      .map((f) => ({ login: f.login, at: Date.parse(f.at) }))
      .filter((f) => Number.isFinite(f.at) && f.at <= now);
    const file = this.countsFrom(fromFile, login, now);
    const wait = Math.max(backoffDelayMs(memory.perLogin, memory.perMachine, now), backoffDelayMs(file.perLogin, file.perMachine, now, 30_000));
    if (wait <= 0) return;
    const seconds = Math.ceil(wait / 1000);
    this.recordFailure(login, `refused: back-off, ${seconds} s left`, false);
    throw new LanternError('TOO_MANY_ATTEMPTS', `Too many failed sign-ins. Wait ${seconds} s before trying again.`);
  }

  private recordFailure(login: string | null, reason: string, counts = true): void {
    if (counts) this.failureTimes.push({ login, at: this.now().getTime() });
    if (this.failureTimes.length > 1000) this.failureTimes.splice(0, this.failureTimes.length - 1000);
    try {
      recordFailedLogin(this.options.dbPath, { at: this.now().toISOString(), login, reason });
    } catch {
      // A read-only data folder must not turn a wrong passphrase into a different error.
    }
  }

  /** Signs in, then waits for a key rotation this sign-in found owed, so the caller's next call is not refused. */
  private async signIn(
    store: CaseStore,
    userId: string,
    masterKey: Buffer,
    signing: SigningKeyInHand,
    action: 'session.login',
    first?: { action: string; detail: Record<string, unknown> },
  ): Promise<SessionStatus> {
    this.openSignedIn(store, userId, masterKey, signing, action, first);
    this.rotateIfOwed();
    await this.rotationSettled();
    return this.status();
  }

  private openSignedIn(
    store: CaseStore,
    userId: string,
    masterKey: Buffer,
    signing: SigningKeyInHand,
    action: 'session.login',
    first?: { action: string; detail: Record<string, unknown> },
  ): void {
    const record = store.users.get(userId);
    const at = this.now().toISOString();
    if (!record || record.disabled) {
      // Signed by the key the slot's passphrase opened when the trail records it; else (a key made just now,
      // no account) a system event signed by the install key, naming the account in its detail.
      const signsAsUser = record !== undefined && store.audit.recordedSigningKey(record.id) === signingPublicKey(signing.key);
      store.audit.holdSigningKeys(signsAsUser ? { userId, key: signing.key } : null, this.installSigner(checkpointKey(masterKey)));
      // A slot left behind for a disabled or unknown account: refuse, and say so in the trail.
      store.transaction(() =>
        store.audit.append({
          at,
          userId: signsAsUser ? record.id : null,
          action: 'session.login-refused',
          detail: { reason: record ? 'account disabled' : 'no such account', ...(signsAsUser ? {} : { userId }) },
        }),
      );
      store.close();
      throw new LanternError('FORBIDDEN', 'This account is disabled. Ask an administrator to re-enable it.');
    }
    const failures = readFailedLogins(this.options.dbPath);
    const installKey = this.anchorCommits(store, masterKey);
    store.audit.holdSigningKeys({ userId: record.id, key: signing.key }, installKey);
    const tailBreak = this.tailBreak(store, masterKey);
    const recordedKey = store.audit.recordedSigningKey(record.id);
    const keyBreak = this.signingKeyBreak(recordedKey, record.id, record.login, signing);
    store.transaction(() => {
      // The key first (every later event of this session is verified with it): recorded when new, when the
      // trail has none yet (a slot refreshed by a sign-in that then failed), or replacing one swapped in the trail.
      const publicKey = signingPublicKey(signing.key);
      if (signing.created || recordedKey !== publicKey)
        store.audit.append({
          at,
          userId: record.id,
          action: signingKeyAction,
          detail: {
            userId: record.id,
            publicKey,
            reason: keyBreak ? 'replaces the key the trail recorded' : signing.created ? 'new signing key' : 'not yet recorded',
            // A replacement vouches for itself only with the app's countersignature (see verifySignatures).
            ...(recordedKey !== null && installKey ? { installSignature: countersignSigningKey(installKey, record.id, publicKey) } : {}),
          },
        });
      // Said at once and kept: a trail cut or rebuilt since the last checkpoint is never appended to silently.
      if (tailBreak) store.audit.append({ at, userId: null, action: 'audit.break-detected', detail: tailBreak });
      // Bounded: a forged or flooded side file cannot grow the chain without limit.
      for (const f of failures.slice(-maxEventsPerSignIn))
        store.audit.append({ at, userId: null, action: 'session.login-failed', detail: { attemptedAt: f.at, login: f.login, reason: f.reason } });
      if (failures.length > maxEventsPerSignIn) {
        store.audit.append({
          at,
          userId: null,
          action: 'session.login-failed',
          detail: { omitted: failures.length - maxEventsPerSignIn, reason: 'more failed sign-ins than are recorded one by one; only the newest are listed' },
        });
      }
      if (keyBreak) store.audit.append({ at, userId: null, action: 'audit.break-detected', detail: keyBreak });
      if (first) store.audit.append({ at, userId: record.id, action: first.action, detail: first.detail });
      store.audit.append({ at, userId: record.id, action });
    });
    // After the commit: a crash in between repeats failures in the chain rather than losing them.
    if (failures.length > 0) clearFailedLogins(this.options.dbPath);
    this.noteDatabaseId(store);
    this.open(store, { id: record.id, displayName: record.displayName, login: record.login, role: record.role }, masterKey, signing.key);
  }

  /**
   * The trail's latest record of this user's signing key must be the key their passphrase opened:
   * otherwise someone recorded another key for them (to sign events in their name) or swapped it.
   */
  private signingKeyBreak(recorded: string | null, userId: string, login: string, signing: SigningKeyInHand): { reason: string; userId: string } | null {
    // A recovery replaces the recorded key by right; a slot with no key box beside a trail that records one was stripped.
    if (recorded === null || signing.recovery === true || recorded === signingPublicKey(signing.key)) return null;
    return { userId, reason: `the trail records another signing key for ${login} than the one their passphrase opens: the trail was rewritten` };
  }

  private rotating = false;
  private lockedDuringRotation = false;
  private rotation: Promise<KeyRotationState> | null = null;
  private rotationState: KeyRotationState = { state: 'idle' };

  /** A sign-in waits for a rotation in flight (seconds) rather than racing its rekey. */
  private async rotationSettled(): Promise<void> {
    if (this.rotation) await this.rotation;
  }

  keyRotationStatus(): KeyRotationState {
    return this.rotationState;
  }

  /** The outcome of the rotation in flight, or the last state when none is (tests and shutdown wait on it). */
  async keyRotationSettled(): Promise<KeyRotationState> {
    return this.rotation ?? this.rotationState;
  }

  /**
   * The signed-in user, also while a rotation has the store closed (a progress poll must answer then),
   * and without counting as activity, so polling never keeps an idle session open.
   */
  signedInUser(): UserSummary {
    if (this.rotating && !this.lockedDuringRotation && this.user) return this.user;
    const unlocked = this.peekUnlocked();
    if (unlocked) return unlocked.user;
    // Locked, or past the idle limit (which locks now): the usual LOCKED error.
    return this.require().user;
  }

  /** A removed slot whose key was never rotated away (a rotation that failed or was cut short) is finished now. */
  private rotateIfOwed(): void {
    let owed: boolean;
    try {
      owed = readKeyring(keyringPathFor(this.options.dbPath)).rotationOwed === true;
    } catch {
      return;
    }
    if (owed) void this.rotateMasterKey();
  }

  /**
   * Re-encrypts the database under a new master key (after an account was disabled), in a worker
   * thread. The store is closed meanwhile: calls answer DATABASE_IN_USE for those seconds (except
   * keyRotationStatus) and the session stays signed in. Settles with the final state, never rejects.
   */
  rotateMasterKey(): Promise<KeyRotationState> {
    if (this.rotation) return this.rotation;
    const ctx = this.requireUnlocked();
    this.rotation = this.runRotation(ctx).finally(() => {
      this.rotation = null;
    });
    return this.rotation;
  }

  private async runRotation(ctx: UnlockedContext): Promise<KeyRotationState> {
    const { store, user, masterKey: oldKey } = ctx;
    this.rotating = true;
    this.lockedDuringRotation = false;
    this.rotationState = runningAt('started');
    this.store = null;
    this.masterKey = null;
    this.clearIdleTimer();
    store.onCommit = null;
    store.audit.dropSigningKeys();
    store.close();
    let key = oldKey;
    let outcome: KeyRotationState;
    try {
      const rotated = await rotateMasterKey({
        dbPath: this.options.dbPath,
        oldKey,
        rekey: this.options.rekey,
        onProgress: (stage) => (this.rotationState = runningAt(stage)),
      });
      key = rotated.masterKey;
      this.afterRotation(oldKey, key);
      outcome = { state: 'done', at: this.now().toISOString(), droppedLogins: rotated.dropped.map((d) => d.login ?? d.kind ?? d.userId) };
    } catch (err) {
      console.error(`[lantern] rotating the database key failed: ${(err as Error).message}`);
      outcome = { state: 'failed', at: this.now().toISOString(), message: (err as Error).message };
    }
    this.rotationState = outcome;
    this.rotating = false;
    this.reopenAfterRotation(user, key, oldKey, outcome);
    return outcome;
  }

  /** What else held the old key: checkpoint MACs are re-signed, keys remembered by the OS keychain are forgotten. */
  private afterRotation(oldKey: Buffer, newKey: Buffer): void {
    try {
      remacCheckpoints(this.options.dbPath, checkpointKey(oldKey), checkpointKey(newKey));
    } catch (err) {
      console.error(`[lantern] could not re-sign the audit checkpoints: ${(err as Error).message}`);
    }
    for (const login of rememberedLogins(this.options.dbPath)) forgetKey(this.options.dbPath, login);
  }

  private reopenAfterRotation(user: UserSummary, key: Buffer, oldKey: Buffer, outcome: KeyRotationState): void {
    if (key !== oldKey) oldKey.fill(0);
    const signingKey = this.signingKey;
    if (this.lockedDuringRotation || signingKey === null) {
      this.user = null;
      this.signingKey = null;
      key.fill(0);
      return;
    }
    try {
      const store = new CaseStore(openEncryptedDatabase(this.options.dbPath, key));
      store.audit.holdSigningKeys({ userId: user.id, key: signingKey }, this.anchorCommits(store, key));
      const detail =
        outcome.state === 'done'
          ? { reason: 'account revoked', droppedSlots: outcome.droppedLogins }
          : { reason: 'account revoked', failed: outcome.state === 'failed' ? outcome.message : '' };
      store.transaction(() =>
        store.audit.append({ at: this.now().toISOString(), userId: user.id, action: outcome.state === 'done' ? 'key.rotate' : 'key.rotate-failed', detail }),
      );
      this.open(store, user, key, signingKey);
    } catch (err) {
      console.error(`[lantern] reopening after the key rotation failed: ${(err as Error).message}`);
      this.user = null;
      this.signingKey = null;
      key.fill(0);
    }
  }

  private open(store: CaseStore, user: UserSummary, masterKey: Buffer, signingKey: KeyObject): void {
    this.store = store;
    this.user = user;
    this.masterKey = masterKey;
    this.signingKey = signingKey;
    this.lastActivity = this.now().getTime();
    this.lockedReason = null;
    this.armIdleTimer();
  }
}
