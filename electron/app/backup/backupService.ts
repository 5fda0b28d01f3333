/**
 * Backups as the app offers them: on demand ("Back up now", `lantern backup`), on a schedule while
 * the database is unlocked (the key exists only then), and restore for the CLI. The file work is in
 * db/backup.ts; this adds the audit trail, the default folder, retention and storage errors.
 */
import { basename, dirname, join } from 'node:path';
import type { BackupSummary, UserSummary } from '../../contract/ipcContract';
import { listBackups, pruneBackups, readBackupManifest, restoreBackup, writeBackup, writeBackupInWorker } from '../../../db/backup';
import { BackupWorkerUnavailableError } from '../../../db/backupErrors';
import type { BackupInfo, BackupManifest } from '../../../db/backup';
import { openEncryptedDatabase } from '../../../db/openDatabase';
import { CaseStore } from '../../../db/caseStore';
import type { LanternSession } from '../accountability/lanternSession';
import type { Actor } from '../actor';
import { LanternError } from '../serviceErrors';
import { acquireDatabaseLock } from '../../../db/databaseLock';
import { appendCheckpoint, checkpointKey } from '../../../db/auditCheckpoints';
import { keyringPathFor, recordDatabaseId } from '../../../db/keyring';
import { authoriseRestoreOfBackup, authoriseRestoreOnLive } from './restoreAuthority';
import type { RestoreCredentials } from './restoreAuthority';
import { loadOrCreateInstallKey } from '../../../db/installKey';
import { type KeyObject } from 'node:crypto';
import { signingKeyAction, signingPublicKey } from '../../../db/auditSigning';

export interface BackupSchedule {
  /** Where scheduled backups go and where "Back up now" writes unless told otherwise. */
  dir: string;
  /** A scheduled backup is made when the newest one in `dir` is older than this. */
  everyMs: number;
  /** Scheduled backups keep this many in `dir`, removing older ones. */
  keep: number;
}

export const dayMs = 24 * 60 * 60 * 1000;

/** Daily into `<data dir>/backups`, keeping a week; LANTERN_BACKUP_DIR names another folder (e.g. a USB disk). */
export function defaultBackupSchedule(dbPath: string, env: NodeJS.ProcessEnv = process.env): BackupSchedule {
  const dir = env['LANTERN_BACKUP_DIR'];
  return { dir: dir !== undefined && dir !== '' ? dir : join(dirname(dbPath), 'backups'), everyMs: dayMs, keep: 7 };
}

export type BackupTrigger = 'manual' | 'schedule' | 'cli';

function summaryOf(folder: string, m: BackupManifest): BackupSummary {
  return { folder, createdAt: m.createdAt, schemaVersion: m.schemaVersion, auditHead: m.auditHead, bytes: m.database.bytes, sha256: m.database.sha256 };
}

/** File-system and SQLite failures while writing (full disk, read-only folder, no such drive). */
function isStorageFailure(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  return /^(SQLITE_(FULL|READONLY|IOERR|CANTOPEN|PERM)|E[A-Z]+)/.test(code) ? code : null;
}

/** What a backup needs from the unlocked session: the key for its own connection, and who asked. */
export interface BackupActor extends Actor {
  masterKey: Buffer;
}

/**
 * Writes a backup of the unlocked database into `targetDir` (in a worker thread, on a connection
 * of its own, so the app keeps answering) and records it in the audit trail as `backup.create` with
 * the backup's chain head, so the trail says which events each backup holds.
 */
export async function createBackup(
  actor: BackupActor,
  dbPath: string,
  targetDir: string,
  options: { now?: Date; trigger?: BackupTrigger } = {},
): Promise<BackupSummary> {
  const { store, user } = actor;
  const now = options.now ?? new Date();
  let info: BackupInfo;
  try {
    info = await writeBackupInWorker({ dbPath, masterKey: actor.masterKey, targetDir, now }).catch((err: unknown) => {
      if (!(err instanceof BackupWorkerUnavailableError)) throw err;
      // Where worker threads cannot load the app (a packaging problem), back up on the app's own
      // connection: the same snapshot, only the app waits meanwhile.
      console.warn(`[lantern] ${err.message}; backing up on the app's connection instead.`);
      return writeBackup(store.db, dbPath, targetDir, now);
    });
  } catch (err) {
    const code = isStorageFailure(err);
    if (code === null) throw err;
    throw new LanternError(
      'STORAGE_FAILED',
      `The backup could not be written to ${targetDir} (${code}): ${(err as Error).message}. No partial backup was left.`,
      {},
      { cause: err },
    );
  }
  const summary = summaryOf(info.folder, info.manifest);
  // Locked while the copy ran: the backup is complete, but there is no open trail to record it in.
  if (!store.db.open) return summary;
  store.transaction(() =>
    store.audit.append({
      at: now.toISOString(),
      userId: user.id,
      action: 'backup.create',
      detail: {
        folder: basename(info.folder),
        trigger: options.trigger ?? 'manual',
        auditHead: summary.auditHead,
        schemaVersion: summary.schemaVersion,
        sha256: summary.sha256,
      },
    }),
  );
  return summary;
}

/** The backups in `dir`, newest first; a folder whose manifest cannot be read is left out. */
export function listBackupSummaries(dir: string): BackupSummary[] {
  return listBackups(dir)
    .reverse()
    .flatMap((name) => {
      try {
        return [summaryOf(join(dir, name), readBackupManifest(join(dir, name)))];
      } catch {
        return [];
      }
    });
}

export interface RestoreSummary {
  restored: string;
  from: string;
  previous: string | null;
  createdAt: string;
  schemaVersion: number;
  auditHead: { seq: number; hash: string };
}

export interface RestoreOptions {
  now?: Date;
  /** Who is signed in to the app doing the restore (null: the lock screen or the CLI). */
  signedIn?: UserSummary | null;
  /** The caller already holds the database lock (the running app); otherwise the restore takes it. */
  lockHeld?: boolean;
  /** Runs after every check passed, right before the files are swapped (the app signs out here). */
  beforeSwap?: () => void;
}

/**
 * Restores a backup over the database at `dbPath`, as an administrator's act (restoreAuthority.ts),
 * then opens the restored database (migrating it if it is older) and records in its trail who
 * restored, from what, by which proof, and the head of the chain it replaced.
 */
/** The install key's private half where no keychain is needed to open it (else the line is MACed, see auditCheckpoints.ts). */
function installSignerWithoutKeychain(dbPath: string, now: Date): KeyObject | null {
  try {
    return loadOrCreateInstallKey(dbPath, null, now).privateKey;
  } catch {
    return null;
  }
}

export async function restoreFromBackup(
  dbPath: string,
  request: { backupPath: string } & RestoreCredentials,
  options: RestoreOptions = {},
): Promise<RestoreSummary> {
  const now = options.now ?? new Date();
  const lock = options.lockHeld ? null : acquireDatabaseLock(dbPath, 'lantern restore');
  try {
    const live = await authoriseRestoreOnLive(dbPath, request, options.signedIn ?? null);
    let replacedHead: { seq: number; hash: string } | null = null;
    let otherDatabase = false;
    const unlock =
      request.backupPassphrase !== undefined
        ? { passphrase: request.backupPassphrase }
        : request.passphrase !== undefined
          ? { passphrase: request.passphrase }
          : { recoveryKey: request.recoveryKey ?? '' };
    let result: Awaited<ReturnType<typeof restoreBackup>>;
    try {
      result = await restoreBackup({
        dbPath,
        backupPath: request.backupPath,
        now,
        ...unlock,
        authorise: (verified) => {
          ({ otherDatabase } = authoriseRestoreOfBackup(live, verified, request));
          options.beforeSwap?.();
          replacedHead = live.readHead();
        },
      });
    } finally {
      live.masterKey?.fill(0);
    }
    try {
      recordDatabaseId(keyringPathFor(dbPath), result.databaseId);
      const store = new CaseStore(openEncryptedDatabase(dbPath, result.masterKey));
      try {
        const actorId = live.userId ?? result.userId;
        const at = now.toISOString();
        // The actor may not exist in an older backup (an admin added since): the trail then names the login.
        const known = actorId !== null && store.users.get(actorId) !== undefined;
        // Signed by the actor's key from the restored keyring (the one the restored trail knows); else a
        // system event (the actor named in its detail) signed by the install key.
        const backupKey = result.signingKey && result.userId !== null ? { userId: result.userId, key: result.signingKey } : null;
        const recorded = backupKey && store.audit.recordedSigningKey(backupKey.userId);
        const asActor = known && backupKey !== null && backupKey.userId === actorId && (recorded === null || recorded === signingPublicKey(backupKey.key));
        store.audit.holdSigningKeys(backupKey, installSignerWithoutKeychain(dbPath, now));
        store.transaction(() => {
          if (asActor && recorded === null)
            store.audit.append({
              at,
              userId: actorId,
              action: signingKeyAction,
              detail: { userId: actorId, publicKey: signingPublicKey(backupKey.key), reason: 'restore' },
            });
          store.audit.append({
            at,
            userId: asActor ? actorId : null,
            action: 'backup.restore',
            detail: {
              backup: basename(request.backupPath),
              backupCreatedAt: result.manifest.createdAt,
              auditHead: result.manifest.auditHead,
              databaseId: result.databaseId,
              previous: result.previousDbPath === null ? null : basename(result.previousDbPath),
              by: { userId: actorId, login: live.login, via: live.via },
              replaced: { state: live.state, databaseId: live.databaseId, head: replacedHead },
              otherDatabase,
            },
          });
        });
        store.audit.dropSigningKeys();
        // The restored trail's first anchor: its head now, restore event included.
        const head = store.audit.head();
        if (head)
          appendCheckpoint(
            dbPath,
            checkpointKey(result.masterKey),
            { seq: head.seq, hash: head.hash, at: now.toISOString() },
            installSignerWithoutKeychain(dbPath, now),
          );
      } finally {
        store.close();
      }
    } finally {
      result.masterKey.fill(0);
    }
    return {
      restored: dbPath,
      from: request.backupPath,
      previous: result.previousDbPath,
      createdAt: result.manifest.createdAt,
      schemaVersion: result.manifest.schemaVersion,
      auditHead: result.manifest.auditHead,
    };
  } finally {
    lock?.release();
  }
}

/**
 * Scheduled backups. A timer checks now and then; a backup is made only while the database is
 * unlocked (the key is in memory only then) and when the newest backup is older than `everyMs`.
 * The check does not count as user activity, so it never keeps an idle session open.
 */
export class BackupScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  lastError: string | null = null;

  constructor(
    private readonly session: LanternSession,
    readonly schedule: BackupSchedule,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** "Back up now": into `targetDir`, or the schedule's folder. */
  createNow(actor: BackupActor, targetDir: string = this.schedule.dir): Promise<BackupSummary> {
    return createBackup(actor, this.session.dbPath, targetDir, { now: this.now(), trigger: 'manual' });
  }

  /** Makes a backup when one is due; resolves to it, or null when none was due, one is running, or the database is locked. */
  async runIfDue(): Promise<BackupSummary | null> {
    if (this.running) return null;
    const unlocked = this.session.peekUnlocked();
    if (unlocked === null) return null;
    const now = this.now();
    const newest = listBackupSummaries(this.schedule.dir)[0];
    if (newest !== undefined && now.getTime() - Date.parse(newest.createdAt) < this.schedule.everyMs) return null;
    this.running = true;
    try {
      const summary = await createBackup(unlocked, this.session.dbPath, this.schedule.dir, { now, trigger: 'schedule' });
      pruneBackups(this.schedule.dir, this.schedule.keep);
      this.lastError = null;
      return summary;
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      throw err;
    } finally {
      this.running = false;
    }
  }

  start(checkEveryMs = Math.min(this.schedule.everyMs, 15 * 60 * 1000)): void {
    this.stop();
    this.timer = setInterval(() => {
      this.runIfDue().catch((err: unknown) => console.error('[lantern] scheduled backup failed:', err));
    }, checkEveryMs);
    // A pending check must not keep the CLI or a test process alive.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
