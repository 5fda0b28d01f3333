/**
 * Worker-thread entry for backups: opens a connection of its own with the master key and runs
 * writeBackup there, so the app's connection (and the Electron main process with it) keeps
 * answering while a large database is copied. Started by writeBackupInWorker in backup.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3-multiple-ciphers';
import { withSqliteBinding } from './sqliteBinding';
import { applyDatabaseKey } from './openDatabase';
import { writeBackup } from './backup';
import type { BackupWorkerJob, BackupWorkerReply } from './backup';

function reply(message: BackupWorkerReply): void {
  parentPort?.postMessage(message);
}

const job = workerData as BackupWorkerJob;
try {
  const db = new Database(job.dbPath, withSqliteBinding({ fileMustExist: true }));
  let info: ReturnType<typeof writeBackup>;
  try {
    applyDatabaseKey(db, Buffer.from(job.masterKey));
    info = writeBackup(db, job.dbPath, job.targetDir, new Date(job.now));
  } finally {
    // Closed before the reply: were this connection still open when the app closes its own, the
    // WAL would be folded into the database later, by this thread, after the caller thinks it is done.
    db.close();
  }
  reply({ ok: true, info });
} catch (err) {
  const e = err as Error & Record<string, unknown>;
  // Errors lose their class crossing threads: send the name, message and own fields to rebuild it.
  const fields = Object.fromEntries(Object.entries(e).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v)));
  reply({ ok: false, error: { ...fields, name: String(e?.name ?? 'Error'), message: String(e?.message ?? err) } });
}
