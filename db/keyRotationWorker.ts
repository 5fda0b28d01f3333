/**
 * Worker-thread entry for a master-key rotation's rekey (see rekeyInWorker in keyRotation.ts), so
 * the Electron main process keeps answering while a large database is re-encrypted.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { rekeyDatabaseFile } from './keyRotation';
import type { RekeyWorkerJob, RekeyWorkerMessage } from './keyRotation';

const job = workerData as RekeyWorkerJob;
try {
  const post = (message: RekeyWorkerMessage) => parentPort?.postMessage(message);
  rekeyDatabaseFile(job.dbPath, Buffer.from(job.oldKey), Buffer.from(job.newKey), (step) => post({ step }));
  post({ ok: true });
} catch (err) {
  parentPort?.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) } satisfies RekeyWorkerMessage);
}
