/**
 * The one open database of this app instance and who unlocked it. Electron, the loopback host and
 * the CLI each hold one session; every service call goes through it, so "locked", "locked after
 * inactivity" and "which user" are enforced in one place.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RememberStatus, SessionStatus, SetupResult, UserSummary } from '../contract/ipcContract';
import { createEncryptedDatabase, openEncryptedDatabase, unlockEncryptedDatabase } from '../../db/openDatabase';
import { createRecoveryKey, defaultKdf, keyringPathFor, putSlot, readKeyring, recordDatabaseId, unwrapMasterKey, unwrapWithRecoveryKey, wrapUserSlot } from '../../db/keyring';
import { databaseIdOf } from '../../db/backup';
import { appendCheckpoint, checkpointKey, checkpointPathFor, readCheckpoints } from '../../db/auditCheckpoints';
import type { ScryptParams } from '../../db/keyring';
import { WrongPassphraseError } from '../../db/dbErrors';
import { clearFailedLogins, readFailedLogins, recordFailedLogin } from '../../db/failedLoginLog';
import { CaseStore } from '../../db/caseStore';
import { ForbiddenError, LockedError, NotInitialisedError } from './serviceErrors';
import { forgetKey, recallKey, rememberedLogins, rememberKey, rememberRefusal } from './rememberedKeys';
import type { OsSecretStore } from './rememberedKeys';

export interface SessionOptions {
  dbPath: string;
  /** Tests only: a cheaper scrypt for databases they create. */
  kdf?: ScryptParams;
  /** Lock after this long without a call; a shared workstation must not stay signed in. */
  idleLockMs?: number;
  now?: () => Date;
  /** The OS keychain (Electron safeStorage); absent in the loopback host and the CLI. */
  secretStore?: OsSecretStore;
}

export const defaultIdleLockMs = 15 * 60 * 1000;

/** LANTERN_IDLE_LOCK_MINUTES overrides the default (a clinic's policy; tests use a short one). */
export function idleLockMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const minutes = Number(env['LANTERN_IDLE_LOCK_MINUTES']);
  return Number.isFinite(minutes) && minutes > 0 ? minutes * 60 * 1000 : defaultIdleLockMs;
}

/** A login made from a display name ("Dr Ama Osei" → "dr.ama.osei"), for the first account. */
export function loginFromName(displayName: string): string {
  const login = displayName.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '.').replace(/^\.+|\.+$/g, '').slice(0, 40);
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

export class LanternSession {
  private store: CaseStore | null = null;
  private user: UserSummary | null = null;
  private masterKey: Buffer | null = null;
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
    if (this.store && this.user) return { state: 'unlocked', user: this.user };
    return this.isInitialised() ? { state: 'locked' } : { state: 'uninitialised' };
  }

  /** First run: the database, its first user (an admin who may also see patients) and a recovery key. */
  async setup(displayName: string, passphrase: string, login = loginFromName(displayName)): Promise<SetupResult> {
    mkdirSync(dirname(this.options.dbPath), { recursive: true });
    const now = this.now().toISOString();
    const userId = randomUUID();
    const recoveryKey = createRecoveryKey();
    const { db, masterKey } = await createEncryptedDatabase(this.options.dbPath, userId, passphrase, { kdf: this.options.kdf, login, recoveryKey });
    const store = new CaseStore(db);
    this.anchorCommits(store, masterKey);
    const user: UserSummary = { id: userId, displayName, login, role: 'admin' };
    store.transaction(() => {
      store.users.insert({ ...user, disabled: false, createdAt: now });
      store.audit.append({ at: now, userId, action: 'user.create', detail: { userId, login, role: 'admin', reason: 'setup' } });
      store.audit.append({ at: now, userId, action: 'recovery-key.create' });
      store.audit.append({ at: now, userId, action: 'session.login' });
    });
    this.noteDatabaseId(store);
    this.open(store, user, masterKey);
    return { status: this.status(), recoveryKey };
  }

  async unlock(passphrase: string, login?: string): Promise<SessionStatus> {
    if (!this.isInitialised()) throw new NotInitialisedError();
    this.lock();
    let opened: Awaited<ReturnType<typeof unlockEncryptedDatabase>>;
    try {
      opened = await unlockEncryptedDatabase(this.options.dbPath, passphrase, { login });
    } catch (err) {
      if (err instanceof WrongPassphraseError) this.recordFailure(login ?? null, 'wrong passphrase');
      throw err;
    }
    return this.signIn(new CaseStore(opened.db), opened.userId, opened.masterKey, 'session.login');
  }

  /** The recovery key opens the key; the named admin gets a new passphrase and is signed in. */
  async recoverWithKey(recoveryKey: string, login: string, newPassphrase: string): Promise<SessionStatus> {
    if (!this.isInitialised()) throw new NotInitialisedError();
    this.lock();
    const keyringPath = keyringPathFor(this.options.dbPath);
    let masterKey: Buffer;
    try {
      masterKey = await unwrapWithRecoveryKey(readKeyring(keyringPath), recoveryKey);
    } catch (err) {
      if (err instanceof WrongPassphraseError) this.recordFailure(login, 'wrong recovery key');
      throw err;
    }
    const store = new CaseStore(openEncryptedDatabase(this.options.dbPath, masterKey));
    const record = store.users.byLogin(login);
    if (!record || record.role !== 'admin') {
      store.close();
      throw new ForbiddenError(`The recovery key resets an administrator's passphrase; "${login}" is not an administrator here.`);
    }
    putSlot(keyringPath, await wrapUserSlot(masterKey, record.id, newPassphrase, this.kdf(), record.login));
    if (record.disabled) store.users.setDisabled(record.id, false);
    return this.signIn(store, record.id, masterKey, 'session.login', { action: 'user.recover', detail: { userId: record.id, login, via: 'recovery key' } });
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
    rememberKey(this.options.secretStore, this.options.dbPath, { login, userId: ctx.user.id, masterKey: ctx.masterKey, at });
    ctx.store.transaction(() => ctx.store.audit.append({ at, userId: ctx.user.id, action: 'session.remember', detail: { login, backend: this.options.secretStore!.backend() } }));
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
    if (!this.isInitialised()) throw new NotInitialisedError();
    this.lock();
    const { userId, masterKey } = recallKey(this.options.secretStore, this.options.dbPath, login);
    const store = new CaseStore(openEncryptedDatabase(this.options.dbPath, masterKey));
    if (store.users.get(userId)?.login !== login) {
      store.close();
      forgetKey(this.options.dbPath, login);
      throw new ForbiddenError('The remembered sign-in no longer matches an account here; it was forgotten. Sign in with the passphrase.');
    }
    return this.signIn(store, userId, masterKey, 'session.login', { action: 'session.recalled', detail: { login, via: 'os keychain' } });
  }

  /** Rewraps the master key under a new passphrase; the database itself is not re-encrypted. */
  async changePassphrase(currentPassphrase: string, newPassphrase: string): Promise<SessionStatus> {
    const ctx = this.requireUnlocked();
    const keyring = readKeyring(ctx.keyringPath);
    await unwrapMasterKey(keyring, currentPassphrase, ctx.user.id).catch((err: unknown) => {
      throw err instanceof WrongPassphraseError ? new WrongPassphraseError('The current passphrase is wrong; nothing was changed.') : err;
    });
    const login = keyring.slots.find((s) => s.userId === ctx.user.id)?.login;
    putSlot(ctx.keyringPath, await wrapUserSlot(ctx.masterKey, ctx.user.id, newPassphrase, this.kdf(), login));
    ctx.store.transaction(() => ctx.store.audit.append({ at: this.now().toISOString(), userId: ctx.user.id, action: 'user.passphrase-change', detail: { userId: ctx.user.id } }));
    return this.status();
  }

  lock(reason: 'user' | 'inactivity' = 'user'): SessionStatus {
    if (this.store && this.user) {
      const { store, user } = this;
      store.transaction(() => store.audit.append({ at: this.now().toISOString(), userId: user.id, action: 'session.lock', detail: { reason } }));
    }
    this.store?.close();
    this.masterKey?.fill(0);
    this.store = null;
    this.user = null;
    this.masterKey = null;
    this.lockedReason = reason === 'inactivity' ? 'Locked after a period of inactivity. Sign in again.' : null;
    return this.status();
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

  /** The open store and current user, or LockedError. Each call counts as activity. */
  require(): { store: CaseStore; user: UserSummary } {
    const { store, user } = this.requireUnlocked();
    return { store, user };
  }

  requireUnlocked(): UnlockedContext {
    if (this.store && this.user && this.masterKey) {
      const now = this.now().getTime();
      if (now - this.lastActivity > (this.options.idleLockMs ?? defaultIdleLockMs)) {
        this.lock('inactivity');
      } else {
        this.lastActivity = now;
        return { store: this.store, user: this.user, masterKey: this.masterKey, dbPath: this.options.dbPath, keyringPath: keyringPathFor(this.options.dbPath), kdf: this.kdf() };
      }
    }
    throw new LockedError(this.lockedReason ?? undefined);
  }

  private kdf(): ScryptParams {
    return this.options.kdf ?? defaultKdf;
  }

  /**
   * After each commit the chain head goes to the checkpoint file beside the database (see
   * auditCheckpoints.ts). A failure to write it never fails the save that already committed.
   */
  private anchorCommits(store: CaseStore, masterKey: Buffer): void {
    const key = checkpointKey(masterKey);
    let lastSeq = -1;
    store.onCommit = () => {
      const head = store.audit.head();
      if (!head || head.seq === lastSeq) return;
      lastSeq = head.seq;
      try {
        appendCheckpoint(this.options.dbPath, key, { seq: head.seq, hash: head.hash, at: this.now().toISOString() });
      } catch (err) {
        console.error('[lantern] could not write the audit checkpoint:', (err as Error).message);
      }
    };
  }

  /** The newest checkpoint must still be in the trail; if not, what was cut or rewritten. */
  private tailBreak(store: CaseStore, masterKey: Buffer): { reason: string; checkpoint: { seq: number; hash: string } } | null {
    const latest = readCheckpoints(checkpointPathFor(this.options.dbPath), checkpointKey(masterKey)).checkpoints.reduce<{ seq: number; hash: string } | null>(
      (best, c) => (best === null || c.seq > best.seq ? { seq: c.seq, hash: c.hash } : best),
      null,
    );
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

  private recordFailure(login: string | null, reason: string): void {
    try {
      recordFailedLogin(this.options.dbPath, { at: this.now().toISOString(), login, reason });
    } catch {
      // A read-only data folder must not turn a wrong passphrase into a different error.
    }
  }

  private signIn(
    store: CaseStore,
    userId: string,
    masterKey: Buffer,
    action: 'session.login',
    first?: { action: string; detail: Record<string, unknown> },
  ): SessionStatus {
    const record = store.users.get(userId);
    const at = this.now().toISOString();
    if (!record || record.disabled) {
      // A slot left behind for a disabled or unknown account: refuse, and say so in the trail.
      store.transaction(() => store.audit.append({ at, userId: record?.id ?? null, action: 'session.login-refused', detail: { reason: record ? 'account disabled' : 'no such account' } }));
      store.close();
      throw new ForbiddenError('This account is disabled. Ask an administrator to re-enable it.');
    }
    const failures = readFailedLogins(this.options.dbPath);
    this.anchorCommits(store, masterKey);
    const tailBreak = this.tailBreak(store, masterKey);
    store.transaction(() => {
      // Said at once and kept: a trail cut or rebuilt since the last checkpoint is never appended to silently.
      if (tailBreak) store.audit.append({ at, userId: null, action: 'audit.break-detected', detail: tailBreak });
      for (const f of failures) store.audit.append({ at, userId: null, action: 'session.login-failed', detail: { attemptedAt: f.at, login: f.login, reason: f.reason } });
      if (first) store.audit.append({ at, userId: record.id, action: first.action, detail: first.detail });
      store.audit.append({ at, userId: record.id, action });
    });
    // After the commit: a crash in between repeats failures in the chain rather than losing them.
    if (failures.length > 0) clearFailedLogins(this.options.dbPath);
    this.noteDatabaseId(store);
    this.open(store, { id: record.id, displayName: record.displayName, login: record.login, role: record.role }, masterKey);
    return this.status();
  }

  private open(store: CaseStore, user: UserSummary, masterKey: Buffer): void {
    this.store = store;
    this.user = user;
    this.masterKey = masterKey;
    this.lastActivity = this.now().getTime();
    this.lockedReason = null;
  }
}
