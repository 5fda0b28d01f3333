/**
 * `lantern backup` and `lantern restore` in-process (same code as the bin), with the passphrase
 * from the environment and the documented exit codes.
 */
import { describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './lantern';
import { backupDatabaseFile } from '../../db/backup';
import { captureCli } from './testing/cliCapture';

const cli = captureCli();

const lines = cli.lines;

function caseFile(name: string): string {
  const path = join(cli.dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ patient: { name, birthDate: '1970-05-05', sex: 'female' }, findings: { cough: 'present' }, note: `note for ${name}` }));
  return path;
}

describe('lantern backup / restore', () => {
  // Each command runs the real scrypt (N=2^17) once or twice: allow for a slow machine.
  it('backs up, restores the backup over later changes, and keeps the replaced database', { timeout: 90_000 }, async () => {
    const db = join(cli.dir, 'clinic.db');
    expect(await main(['case', 'add', '--db', db, '--input', caseFile('Before Backup')])).toBe(0);
    cli.out = [];
    expect(await main(['backup', '--db', db, '--to', join(cli.dir, 'usb')])).toBe(0);
    const [backup] = lines();
    expect(backup).toMatchObject({ folder: expect.stringContaining(join(cli.dir, 'usb', 'lantern-backup-')), auditHead: { seq: expect.any(Number) } });
    expect(await main(['case', 'add', '--db', db, '--input', caseFile('After Backup')])).toBe(0);

    cli.out = [];
    expect(await main(['restore', '--db', db, '--from', String(backup!['folder'])])).toBe(0);
    const [restored] = lines();
    expect(restored).toMatchObject({
      restored: db,
      from: backup!['folder'],
      auditHead: backup!['auditHead'],
      previous: expect.stringContaining(`${db}.before-restore-`),
    });
    expect(existsSync(String(restored!['previous']))).toBe(true);

    cli.out = [];
    expect(await main(['case', 'list', '--db', db])).toBe(0);
    expect(lines().map((l) => (l['patient'] as { name: string }).name)).toEqual(['Before Backup']);
  });

  it('exit code 3 for a wrong passphrase, 1 for a damaged backup, 2 for a missing --from; the database stays', { timeout: 90_000 }, async () => {
    const db = join(cli.dir, 'clinic.db');
    await main(['case', 'add', '--db', db, '--input', caseFile('Someone')]);
    cli.out = [];
    await main(['backup', '--db', db, '--to', join(cli.dir, 'backups')]);
    const folder = String(lines()[0]!['folder']);
    const before = readFileSync(db);

    vi.stubEnv('LANTERN_PASSPHRASE', 'not it');
    await expect(main(['restore', '--db', db, '--from', folder])).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/wrong passphrase/i) });
    vi.stubEnv('LANTERN_PASSPHRASE', 'clinic passphrase');
    truncateSync(join(folder, backupDatabaseFile), 1000);
    await expect(main(['restore', '--db', db, '--from', folder])).rejects.toMatchObject({ exitCode: 1, message: expect.stringMatching(/truncated/) });
    await expect(main(['restore', '--db', db])).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/missing --from/) });
    expect(readFileSync(db)).toEqual(before);
  });
});
