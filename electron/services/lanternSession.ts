/**
 * The one open database of this app instance and who unlocked it. Electron, the loopback host and
 * the CLI each hold one session; every service call goes through it, so "locked" is enforced in one
 * place.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SessionStatus, UserSummary } from '../contract/ipcContract';
import { createEncryptedDatabase, unlockEncryptedDatabase } from '../../db/openDatabase';
import { keyringPathFor } from '../../db/keyring';
import type { ScryptParams } from '../../db/keyring';
import { CaseStore } from '../../db/caseStore';
import { LockedError, NotInitialisedError } from './serviceErrors';

export interface SessionOptions {
  dbPath: string;
  /** Tests only: a cheaper scrypt for databases they create. */
  kdf?: ScryptParams;
}

export class LanternSession {
  private store: CaseStore | null = null;
  private user: UserSummary | null = null;

  constructor(private readonly options: SessionOptions) {}

  get dbPath(): string {
    return this.options.dbPath;
  }

  isInitialised(): boolean {
    return existsSync(this.options.dbPath) || existsSync(keyringPathFor(this.options.dbPath));
  }

  status(): SessionStatus {
    if (this.store && this.user) return { state: 'unlocked', user: this.user };
    return this.isInitialised() ? { state: 'locked' } : { state: 'uninitialised' };
  }

  /** First run: creates the database with its first user, an admin who is also the first clinician. */
  async setup(displayName: string, passphrase: string, now = new Date()): Promise<SessionStatus> {
    mkdirSync(dirname(this.options.dbPath), { recursive: true });
    const userId = randomUUID();
    const { db } = await createEncryptedDatabase(this.options.dbPath, userId, passphrase, { kdf: this.options.kdf });
    const store = new CaseStore(db);
    const user: UserSummary = { id: userId, displayName, role: 'admin' };
    store.transaction(() => {
      store.users.insert({ ...user, disabled: false, createdAt: now.toISOString() });
      store.audit.append({ at: now.toISOString(), userId, action: 'user.create', detail: { role: 'admin', reason: 'setup' } });
      store.audit.append({ at: now.toISOString(), userId, action: 'session.login' });
    });
    this.store = store;
    this.user = user;
    return this.status();
  }

  async unlock(passphrase: string, now = new Date()): Promise<SessionStatus> {
    if (!this.isInitialised()) throw new NotInitialisedError();
    this.lock();
    const { db, userId } = await unlockEncryptedDatabase(this.options.dbPath, passphrase);
    const store = new CaseStore(db);
    const record = store.users.get(userId);
    if (!record) {
      store.close();
      throw new LockedError();
    }
    store.transaction(() => store.audit.append({ at: now.toISOString(), userId, action: 'session.login' }));
    this.store = store;
    this.user = { id: record.id, displayName: record.displayName, role: record.role };
    return this.status();
  }

  lock(): SessionStatus {
    if (this.store && this.user) {
      const { store, user } = this;
      store.transaction(() => store.audit.append({ at: new Date().toISOString(), userId: user.id, action: 'session.lock' }));
    }
    this.store?.close();
    this.store = null;
    this.user = null;
    return this.status();
  }

  /** The open store and current user, or LockedError. */
  require(): { store: CaseStore; user: UserSummary } {
    if (!this.store || !this.user) throw new LockedError();
    return { store: this.store, user: this.user };
  }
}
