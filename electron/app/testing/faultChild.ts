/**
 * Test support: a separate writer process for the fault-injection tests, which kill it with
 * SIGKILL mid-write or run it as an unprivileged user. It writes through the real code (the
 * dispatcher and services, or the repositories in one big transaction) and reports each step as a
 * JSON line on stdout, so the parent knows what was acknowledged as committed before the kill.
 *
 * Run: `node -r db/testing/tsRequireHook.cjs electron/app/testing/faultChild.ts '<json job>'`.
 */
import { randomUUID } from 'node:crypto';
import { readSync } from 'node:fs';
import { createAppServices } from '../appServices';
import { openEncryptedDatabase } from '../../../db/openDatabase';
import { CaseStore } from '../../../db/caseStore';

export type FaultChildJob =
  /** saveCase through the dispatcher, one case per transaction, until killed or `count` reached. */
  | { mode: 'save-cases'; dbPath: string; passphrase: string; patientId: string; count: number; noteBytes: number }
  /**
   * `batches` transactions of `batchSize` cases each, straight through the repositories. In batch
   * `pauseInBatch`, half-way through, it says so and blocks on stdin inside the open transaction,
   * so the parent's SIGKILL lands mid-transaction for certain.
   */
  | { mode: 'batch-insert'; dbPath: string; keyHex: string; batches: number; batchSize: number; noteBytes: number; pauseInBatch?: number }
  /** unlock then saveCase once; prints both envelopes (read-only data folder). */
  | { mode: 'unlock-and-save'; dbPath: string; passphrase: string; patientId: string };

export const faultCase = (note: string) => ({
  findings: { cough: 'present', high_fever: 'present', chills: 'present', fatigue: 'absent', headache: 'present', itching: 'absent' },
  vitals: [
    { code: 'temperature', value: 38.9 },
    { code: 'heartRate', value: 101 },
  ],
  labs: [],
  note,
});

/** How many rows one fault case puts in each table: the parent checks every case has all of them. */
export const faultCaseShape = { findings: 6, vitals: 2, notes: 1 } as const;

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

async function saveCases(job: Extract<FaultChildJob, { mode: 'save-cases' }>): Promise<void> {
  const app = createAppServices({ dbPath: job.dbPath, scheduleBackups: false });
  const unlocked = await app.call('unlock', { passphrase: job.passphrase });
  if (!unlocked.ok) throw new Error(`unlock: ${unlocked.error.message}`);
  for (let i = 0; i < job.count; i++) {
    const note = `case ${i} `.padEnd(job.noteBytes, 'x');
    const saved = await app.call('saveCase', { patientId: job.patientId, case: faultCase(note) });
    if (!saved.ok) throw new Error(`saveCase: ${saved.error.code} ${saved.error.message}`);
    emit({ event: 'saved', caseId: (saved.value as { id: string }).id });
  }
  app.close();
}

function batchInsert(job: Extract<FaultChildJob, { mode: 'batch-insert' }>): void {
  const store = new CaseStore(openEncryptedDatabase(job.dbPath, Buffer.from(job.keyHex, 'hex')));
  // A small page cache spills the open transaction's pages into the WAL file before the commit, so
  // the kill leaves uncommitted frames on disk for recovery to discard.
  store.db.pragma('cache_size = 20');
  const { findings, vitals, note } = faultCase('');
  for (let b = 0; b < job.batches; b++) {
    emit({ event: 'batch-begin', batch: b });
    const at = new Date().toISOString();
    store.transaction(() => {
      for (let i = 0; i < job.batchSize; i++) {
        const patientId = randomUUID();
        const caseId = randomUUID();
        store.patients.insert({ id: patientId, name: `Batch ${b} Patient ${i}`, birthDate: '1980-01-01', sex: 'unknown', createdAt: at }, null);
        store.cases.insert({
          id: caseId,
          patientId,
          clinicianId: null,
          createdAt: at,
          findings: findings as Record<string, 'present' | 'absent'>,
          vitals: vitals.map((v) => ({ code: v.code, loinc: '0000-0', value: v.value, unit: '-', flag: 'normal' })),
          labs: [],
          note: `${note}batch ${b} case ${i} `.padEnd(job.noteBytes, 'y'),
          modelInputs: {},
        });
        store.audit.append({ at, userId: null, action: 'case.create', encounterId: caseId, detail: { patientId, batch: b } });
        if (b === job.pauseInBatch && i === Math.floor(job.batchSize / 2)) {
          emit({ event: 'paused-mid-batch', batch: b });
          readSync(0, Buffer.alloc(1)); // blocks: the parent kills us here
        }
      }
    });
    emit({ event: 'batch-committed', batch: b });
  }
  store.close();
}

async function unlockAndSave(job: Extract<FaultChildJob, { mode: 'unlock-and-save' }>): Promise<void> {
  const app = createAppServices({ dbPath: job.dbPath, scheduleBackups: false });
  emit({ event: 'unlock', result: await app.call('unlock', { passphrase: job.passphrase }) });
  emit({ event: 'saveCase', result: await app.call('saveCase', { patientId: job.patientId, case: faultCase('read-only folder') }) });
  emit({ event: 'sessionStatus', result: await app.call('sessionStatus', {}) });
}

async function run(job: FaultChildJob): Promise<void> {
  switch (job.mode) {
    case 'save-cases':
      return saveCases(job);
    case 'batch-insert':
      return batchInsert(job);
    case 'unlock-and-save':
      return unlockAndSave(job);
  }
}

if (require.main === module) {
  run(JSON.parse(process.argv[2] ?? '{}') as FaultChildJob).then(
    () => emit({ event: 'done' }),
    (err: unknown) => {
      emit({ event: 'failed', message: err instanceof Error ? err.message : String(err) });
      process.exitCode = 1;
    },
  );
}
