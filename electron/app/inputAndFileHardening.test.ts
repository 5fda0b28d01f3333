/**
 * Issue 14's small things with big consequences: files holding patient data are the owner's alone
 * (0600, folders 0700); input files over their cap end in a clear error before being read; a case
 * the app rejects leaves no orphan patient; notes refuse NUL and lone surrogates.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { closeSync, openSync, statSync, ftruncateSync, writeFileSync } from 'node:fs';
import { createAppServices } from './appServices';
import type { AppServices } from './appServices';
import { makeTempDir, testKdf } from '../../db/testing/tmpStore';
import { keyringPathFor } from '../../db/keyring';
import { checkpointPathFor } from '../../db/auditCheckpoints';
import { backupDatabaseFile } from '../../db/backup';
import { inputFileLimits } from './inputFileLimits';
import { runDicomInfo } from './imaging/dicomInfoCommand';
import { dispatchTestClient, type CaseRequest } from './testing/dispatchTestClient';
import { main } from '../cli/lantern';

let dir: string;
let cleanup: () => void;
let app: AppServices | null;
let oldUmask: number;

beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
  // The usual desktop umask, under which files would otherwise be world-readable.
  oldUmask = process.umask(0o022);
  app = null;
});
afterEach(() => {
  app?.close();
  process.umask(oldUmask);
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  cleanup();
});

const mode = (path: string) => statSync(path).mode & 0o777;

/** A file of `bytes` without writing them (sparse), to test caps cheaply. */
function sparseFile(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
}

describe('files are the owner’s alone', () => {
  it('database, WAL, keyring, checkpoints, backups: 0600; data and backup folders: 0700', async () => {
    const dbPath = join(dir, 'data', 'lantern.db');
    app = createAppServices({ dbPath, kdf: testKdf, scheduleBackups: false });
    const { ok } = dispatchTestClient(() => app!);
    await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
    await ok('createPatient', { name: 'Kofi Mensah', birthDate: '1970-02-03', sex: 'male' });
    const backup = await ok('createBackup', { targetDir: join(dir, 'usb') });
    expect(mode(join(dir, 'data'))).toBe(0o700);
    for (const f of [dbPath, `${dbPath}-wal`, keyringPathFor(dbPath), checkpointPathFor(dbPath), join(backup.folder, backupDatabaseFile)])
      expect(mode(f), f).toBe(0o600);
    expect(mode(backup.folder)).toBe(0o700);
    expect(mode(join(dir, 'usb'))).toBe(0o700);
  });
});

describe('input files are capped', () => {
  it('dicom-info refuses a file over the cap without reading it', () => {
    const big = join(dir, 'huge.dcm');
    sparseFile(big, inputFileLimits.dicom + 1);
    expect(runDicomInfo(big)).toMatchObject({
      exitCode: 2,
      output: { error: { code: 'FILE_TOO_LARGE', message: expect.stringMatching(/over the 512 MiB limit/) } },
    });
  });

  it('a JSONL batch over the cap is refused with a clear error', async () => {
    const big = join(dir, 'huge.jsonl');
    sparseFile(big, inputFileLimits.jsonl + 1);
    await expect(main(['ner', '--input', big, '--output', join(dir, 'out.jsonl')])).rejects.toMatchObject({
      message: expect.stringMatching(/over the 1024 MiB limit/),
    });
  });
});

describe('cases and notes', () => {
  it('a case the app rejects leaves no orphan patient (lantern case add)', { timeout: 60_000 }, async () => {
    vi.stubEnv('LANTERN_PASSPHRASE', 'clinic passphrase');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const db = join(dir, 'clinic.db');
    const input = join(dir, 'case.json');
    writeFileSync(
      input,
      JSON.stringify({
        patient: { name: 'Orphan Check', birthDate: '1970-05-05', sex: 'female' },
        findings: { cough: 'present' },
        vitals: [{ code: 'temperature', value: 80 }],
      }),
    );
    await expect(main(['case', 'add', '--db', db, '--input', input])).rejects.toMatchObject({ exitCode: 2 });
    writeFileSync(
      input,
      JSON.stringify({ patient: { name: 'Nul Note', birthDate: '1970-05-05', sex: 'female' }, findings: { cough: 'present' }, note: 'fever\u0000' }),
    );
    await expect(main(['case', 'add', '--db', db, '--input', input])).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/NUL/) });

    app = createAppServices({ dbPath: db, scheduleBackups: false });
    const { ok } = dispatchTestClient(() => app!);
    await ok('unlock', { passphrase: 'clinic passphrase' });
    expect(await ok('searchPatients', { query: 'orphan' })).toEqual([]);
    expect(await ok('searchPatients', { query: 'nul' })).toEqual([]);
  });

  it('the app refuses a note with NUL or a lone surrogate, and keeps a well-formed one', async () => {
    app = createAppServices({ dbPath: join(dir, 'lantern.db'), kdf: testKdf, scheduleBackups: false });
    const { ok, fails } = dispatchTestClient(() => app!);
    await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
    const patient = await ok('createPatient', { name: 'Kofi Mensah', birthDate: '1970-02-03', sex: 'male' });
    const base = { findings: { cough: 'present' }, vitals: [], labs: [] } satisfies Omit<CaseRequest, 'note'>;
    expect(await fails('saveCase', { patientId: patient.id, case: { ...base, note: 'a\u0000b' } })).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'case.note',
    });
    expect(await fails('saveCase', { patientId: patient.id, case: { ...base, note: 'broken \uD800 text' } })).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/surrogate/),
    });
    expect(await fails('saveCase', { patientId: patient.id, case: { ...base, note: 'tail \uDC00' } })).toMatchObject({ code: 'VALIDATION_FAILED' });
    const saved = await ok('saveCase', { patientId: patient.id, case: { ...base, note: 'Fièvre 39 °C, 发烧 😷' } });
    expect(saved.note).toBe('Fièvre 39 °C, 发烧 😷');
  });
});
