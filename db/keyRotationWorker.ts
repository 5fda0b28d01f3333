/**
 * Worker-thread entry for a master-key rotation's rekey (see rekeyInWorker in keyRotation.ts), so
 * the Electron main process keeps answering while a large database is re-encrypted.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { rekeyDatabaseFile } from './keyRotation';
import type { RekeyWorkerJob } from './keyRotation';

const job = workerData as RekeyWorkerJob;
try {
  rekeyDatabaseFile(job.dbPath, Buffer.from(job.oldKey), Buffer.from(job.newKey));
  parentPort?.postMessage({ ok: true });
} catch (err) {
  parentPort?.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
}
