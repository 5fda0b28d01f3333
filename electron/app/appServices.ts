/**
 * The composition root shared by Electron main, the loopback host and the CLI: one session, the
 * models loaded once on first use, and the dispatcher every transport calls.
 */
import { loadSymptomTextModel } from '../../models/runtime/nlp/symptomText';
import type { Result } from '../contract/ipcContract';
import { loadModelRegistry } from '../../models/runtime/registry';
import { loadClinicalCatalogue } from '../../models/runtime/vocab/clinicalCatalogue';
import { LanternSession } from './accountability/lanternSession';
import type { SessionOptions } from './accountability/lanternSession';
import type { ClinicalModels } from './diagnosis/diagnosisService';
import { createMethodHandlers } from './methodHandlers';
import type { MethodHandlers } from './methodHandlers';
import { dispatch } from './dispatch';
import { acquireDatabaseLock } from '../../db/databaseLock';
import { NoteAnalysisRunner } from './notes/noteAnalysisRunner';
import { BackupScheduler, defaultBackupSchedule } from './backup/backupService';
import type { BackupSchedule } from './backup/backupService';

export interface AppServices {
  session: LanternSession;
  models: () => ClinicalModels;
  handlers: MethodHandlers;
  /** Scheduled backups (run while unlocked) and the backup folder. */
  backups: BackupScheduler;
  call: (method: unknown, payload: unknown) => Promise<Result<unknown>>;
  close: () => void;
}

export function createAppServices(
  options: { dbPath: string; modelsDir?: string; backup?: Partial<BackupSchedule>; scheduleBackups?: boolean; purpose?: string; noteBudgetMs?: number } & Omit<
    SessionOptions,
    'dbPath'
  >,
): AppServices {
  // One Lantern per database: a second app, the CLI or a restore beside this one is refused.
  const lock = acquireDatabaseLock(options.dbPath, options.purpose ?? 'Lantern');
  const session = new LanternSession({
    dbPath: options.dbPath,
    kdf: options.kdf,
    idleLockMs: options.idleLockMs,
    now: options.now,
    secretStore: options.secretStore,
    rekey: options.rekey,
  });
  let loaded: ClinicalModels | undefined;
  const models = (): ClinicalModels =>
    (loaded ??= {
      registry: loadModelRegistry(options.modelsDir),
      catalogue: loadClinicalCatalogue(options.modelsDir),
      complaintText: loadSymptomTextModel(options.modelsDir),
    });
  const backups = new BackupScheduler(session, { ...defaultBackupSchedule(options.dbPath), ...options.backup }, options.now);
  if (options.scheduleBackups ?? true) backups.start();
  const notes = new NoteAnalysisRunner(options.noteBudgetMs);
  const handlers = createMethodHandlers({ session, models, backups, notes });
  return {
    session,
    models,
    handlers,
    backups,
    call: (method, payload) => dispatch(handlers, method, payload),
    close: () => {
      backups.stop();
      notes.close();
      try {
        session.lock();
      } finally {
        lock.release();
      }
    },
  };
}
