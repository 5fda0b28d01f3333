/**
 * Who may restore a backup over the live database. Restoring replaces every record, so it is an
 * administrator's act, proven against the *live* database rather than the backup (an auditor, or a
 * stranger at the lock screen with some backup's passphrase, must not be able to roll the clinic back):
 * - the live database opens: an active administrator of it, passphrase re-entered;
 * - it cannot be opened (damaged, missing): its recovery key, or a passphrase of its keyring whose
 *   account is an administrator in the backup being restored (the live roles cannot be read);
 * - there is no live keyring at all (a fresh install): an administrator of the backup.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync } from 'node:fs';
import type { UserSummary } from '../../contract/ipcContract';
import { applyDatabaseKey } from '../../../db/openDatabase';
import { withSqliteBinding } from '../../../db/sqliteBinding';
import { keyringPathFor, readKeyring, unwrapMasterKey, unwrapWithRecoveryKey } from '../../../db/keyring';
import type { Keyring } from '../../../db/keyring';
import { isDbError, wrongPassphrase } from '../../../db/dbErrors';
import { databaseIdOf } from '../../../db/backup';
import type { AuditHead, VerifiedBackup } from '../../../db/backup';
import { recordFailedLogin } from '../../../db/failedLoginLog';
import { LanternError } from '../serviceErrors';

export interface RestoreCredentials {
  /** An administrator's passphrase of the live database, re-entered (or, with no live keyring, of the backup). */
  passphrase?: string | undefined;
  login?: string | undefined;
  /** The live database's recovery key: accepted only while that database cannot be opened. */
  recoveryKey?: string | undefined;
  /** Opens the backup's keyring when it differs from `passphrase` (an older passphrase, say). */
  backupPassphrase?: string | undefined;
  /** An explicit yes to replacing this database with a backup of another one. */
  confirmOtherDatabase?: boolean | undefined;
}

export type LiveState = 'opens' | 'unreadable' | 'absent';

export interface LiveAuthority {
  state: LiveState;
  /** The account that authorised the restore; null for the recovery key. */
  userId: string | null;
  login: string | null;
  via: 'passphrase' | 'recovery key' | 'backup passphrase';
  /** True when the live database itself proved the administrator (or the recovery key did). */
  adminProven: boolean;
  databaseId: string | null;
  /** Read again right before the swap, so events written meanwhile (the session's lock) are in it. */
  readHead: () => AuditHead | null;
  masterKey: Buffer | null;
}

function readOnlyLive(dbPath: string, masterKey: Buffer): Database.Database | null {
  if (!existsSync(dbPath)) return null;
  let db: Database.Database | undefined;
  try {
    db = new Database(dbPath, withSqliteBinding({ readonly: true, fileMustExist: true }));
    applyDatabaseKey(db, masterKey);
    db.prepare('SELECT count(*) FROM audit_events').get();
    return db;
  } catch {
    db?.close();
    return null;
  }
}

function liveHead(dbPath: string, masterKey: Buffer): AuditHead | null {
  const db = readOnlyLive(dbPath, masterKey);
  if (!db) return null;
  try {
    return (db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as AuditHead | undefined) ?? null;
  } finally {
    db.close();
  }
}

function readLiveKeyring(dbPath: string): Keyring | null {
  try {
    return readKeyring(keyringPathFor(dbPath));
  } catch (err) {
    if (isDbError(err, 'DATABASE_CORRUPT', 'KEYRING_MISSING')) return null;
    throw err;
  }
}

function failure(dbPath: string, login: string | null, reason: string): void {
  try {
    recordFailedLogin(dbPath, { at: new Date().toISOString(), login, reason });
  } catch {
    // The refusal stands whether or not it could be noted.
  }
}

/**
 * Checks the credentials against the live database before the backup is even read. `signedIn` is
 * the app's current user: when someone is signed in, only that administrator may restore.
 */
export async function authoriseRestoreOnLive(dbPath: string, creds: RestoreCredentials, signedIn: UserSummary | null): Promise<LiveAuthority> {
  if (signedIn !== null && signedIn.role !== 'admin') {
    throw new LanternError('FORBIDDEN', `Restoring a backup replaces every record; only an administrator may do it (you are signed in as ${signedIn.role}).`);
  }
  const keyring = readLiveKeyring(dbPath);
  if (keyring === null) {
    if (creds.passphrase === undefined)
      throw new LanternError(
        'VALIDATION_FAILED',
        'There is no readable key file here for a recovery key; enter the passphrase of an administrator of the backup.',
        { field: 'passphrase' },
      );
    const state: LiveState = existsSync(dbPath) || existsSync(keyringPathFor(dbPath)) ? 'unreadable' : 'absent';
    return {
      state,
      userId: null,
      login: creds.login ?? null,
      via: 'backup passphrase',
      adminProven: false,
      databaseId: null,
      readHead: () => null,
      masterKey: null,
    };
  }
  const databaseId = keyring.databaseId ?? null;
  if (creds.recoveryKey !== undefined) {
    let masterKey: Buffer;
    try {
      masterKey = await unwrapWithRecoveryKey(keyring, creds.recoveryKey);
    } catch (err) {
      if (isDbError(err, 'WRONG_PASSPHRASE')) failure(dbPath, creds.login ?? null, 'wrong recovery key (restore)');
      throw err;
    }
    const live = readOnlyLive(dbPath, masterKey);
    if (live) {
      live.close();
      throw new LanternError(
        'FORBIDDEN',
        'This database opens, so restoring over it needs an administrator signed in with their passphrase, not the recovery key.',
      );
    }
    return { state: 'unreadable', userId: null, login: null, via: 'recovery key', adminProven: true, databaseId, readHead: () => null, masterKey };
  }
  if (creds.passphrase === undefined)
    throw new LanternError('VALIDATION_FAILED', 'Enter an administrator passphrase or the recovery key.', { field: 'passphrase' });
  const candidates = creds.login === undefined ? keyring : { ...keyring, slots: keyring.slots.filter((s) => s.login === creds.login || s.login === undefined) };
  let opened: { masterKey: Buffer; userId: string };
  try {
    opened = await unwrapMasterKey(candidates, creds.passphrase, signedIn?.id);
  } catch (err) {
    if (isDbError(err, 'WRONG_PASSPHRASE')) {
      failure(dbPath, creds.login ?? signedIn?.login ?? null, 'wrong passphrase (restore)');
      throw wrongPassphrase(signedIn ? 'Your passphrase is wrong; nothing was restored.' : 'Wrong passphrase (or login); nothing was restored.');
    }
    throw err;
  }
  const { masterKey, userId } = opened;
  const login = keyring.slots.find((s) => s.userId === userId)?.login ?? creds.login ?? null;
  const live = readOnlyLive(dbPath, masterKey);
  if (!live) {
    return { state: 'unreadable', userId, login, via: 'passphrase', adminProven: false, databaseId, readHead: () => null, masterKey };
  }
  try {
    const user = live.prepare('SELECT role, disabled FROM users WHERE id = ?').get(userId) as { role: string; disabled: number } | undefined;
    if (!user || user.disabled || user.role !== 'admin') {
      throw new LanternError(
        'FORBIDDEN',
        `Restoring a backup replaces every record; only an active administrator of this database may do it${user ? ` ("${login}" is ${user.disabled ? 'disabled' : `a ${user.role}`})` : ''}.`,
      );
    }
    return {
      state: 'opens',
      userId,
      login,
      via: 'passphrase',
      adminProven: true,
      databaseId: databaseIdOf(live),
      readHead: () => liveHead(dbPath, masterKey),
      masterKey,
    };
  } finally {
    live.close();
  }
}

/**
 * The checks that need the verified backup: an administrator proven only by the backup's roles, and
 * a backup of another database, which needs an explicit confirmation.
 */
export function authoriseRestoreOfBackup(live: LiveAuthority, backup: VerifiedBackup, creds: RestoreCredentials): { otherDatabase: boolean } {
  if (!live.adminProven) {
    const db = new Database(backup.copyPath, withSqliteBinding({ readonly: true, fileMustExist: true }));
    try {
      applyDatabaseKey(db, backup.masterKey);
      const userId = live.userId ?? backup.userId;
      const user =
        userId === null
          ? undefined
          : (db.prepare('SELECT role, disabled FROM users WHERE id = ?').get(userId) as { role: string; disabled: number } | undefined);
      if (!user || user.disabled || user.role !== 'admin') {
        throw new LanternError(
          'FORBIDDEN',
          live.state === 'absent'
            ? 'Only an administrator of the backup may restore it here.'
            : "Restoring needs an administrator: this passphrase's account is not an administrator in the backup. Use the recovery key instead.",
        );
      }
    } finally {
      db.close();
    }
  }
  if (live.state === 'absent') return { otherDatabase: false };
  const otherDatabase = live.databaseId === null || backup.databaseId !== live.databaseId;
  if (otherDatabase && creds.confirmOtherDatabase !== true) {
    throw new LanternError(
      'CONFIRMATION_REQUIRED',
      live.databaseId === null
        ? 'The current database cannot tell which database it is, so this backup may belong to another one. Confirm to replace it anyway (the current files are kept beside it).'
        : 'This backup is of another database (a different clinic or install). Restoring it replaces this database and its accounts; confirm to go ahead (the current files are kept beside it).',
    );
  }
  return { otherDatabase };
}
