/**
 * `lantern case export` in-process (same code as the bin): the FHIR bundle or PDF on stdout as
 * exact bytes, or to --output with a JSON summary; exit codes as documented.
 */
import { describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './lantern';
import { captureCli } from './testing/cliCapture';
import { validateFhir } from '../app/reports/fhirSchemaValidation';

const cli = captureCli();

const stdout = () => Buffer.concat(cli.out);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function addCase(db: string): Promise<string> {
  const input = join(cli.dir, 'case.json');
  writeFileSync(
    input,
    JSON.stringify({
      patient: { name: '王芳', birthDate: '1985-03-14', sex: 'female' },
      findings: { cough: 'present', high_fever: 'present', itching: 'absent' },
      vitals: [{ code: 'temperature', value: 38.6 }],
      labs: [{ loinc: '1988-5', value: 4.2 }],
      note: '发热两天。',
    }),
  );
  expect(await main(['case', 'add', '--db', db, '--input', input])).toBe(0);
  const id = (JSON.parse(stdout().toString('utf8')) as { id: string }).id;
  cli.out = [];
  return id;
}

// Each command opens the database with the real scrypt cost (as the bin does): slow on a busy machine.
describe('lantern case export', { timeout: 90_000 }, () => {
  it('writes a FHIR bundle to stdout, and a PDF to --output with a summary', async () => {
    const db = join(cli.dir, 'clinic.db');
    const id = await addCase(db);

    expect(await main(['case', 'export', '--db', db, '--id', id, '--format', 'fhir'])).toBe(0);
    const fhirBytes = stdout();
    const bundle = JSON.parse(fhirBytes.toString('utf8')) as {
      resourceType: string;
      entry: { resource: { resourceType: string; name?: { text: string }[] } }[];
    };
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource.name).toEqual([{ text: '王芳' }]);
    expect(validateFhir(bundle)).toEqual({ valid: true });
    const line = cli.err
      .join('')
      .split('\n')
      .find((l) => l.startsWith('lantern case export: '))!;
    const summary = JSON.parse(line.slice('lantern case export: '.length)) as { sha256: string; mediaType: string };
    expect(summary).toMatchObject({ sha256: sha256(fhirBytes), mediaType: 'application/fhir+json' });

    cli.out = [];
    const pdfFile = join(cli.dir, 'report.pdf');
    expect(await main(['case', 'export', '--db', db, '--id', id, '--format', 'pdf', '--output', pdfFile])).toBe(0);
    const pdf = readFileSync(pdfFile);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(JSON.parse(stdout().toString('utf8'))).toMatchObject({ mediaType: 'application/pdf', bytes: pdf.length, sha256: sha256(pdf), output: pdfFile });
  });

  it('writes a PDF to stdout byte for byte', async () => {
    const db = join(cli.dir, 'clinic.db');
    const id = await addCase(db);
    expect(await main(['case', 'export', '--db', db, '--id', id, '--format', 'pdf'])).toBe(0);
    const pdf = stdout();
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
    expect(cli.err.join('')).toContain(sha256(pdf));
  });

  it('exit codes: 1 for an unknown case, 2 for usage errors, 3 for a wrong passphrase', async () => {
    const db = join(cli.dir, 'clinic.db');
    const id = await addCase(db);
    await expect(main(['case', 'export', '--db', db, '--id', '00000000-0000-4000-8000-000000000000', '--format', 'pdf'])).rejects.toMatchObject({
      exitCode: 1,
      message: expect.stringContaining('No case with id 00000000-0000-4000-8000-000000000000'),
    });
    await expect(main(['case', 'export', '--db', db, '--id', id, '--format', 'docx'])).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('--format must be one of fhir, pdf'),
    });
    await expect(main(['case', 'export', '--db', db, '--format', 'fhir'])).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('missing --id'),
    });
    await expect(main(['case', 'export', '--db', db, '--id', 'not-a-uuid', '--format', 'fhir'])).rejects.toMatchObject({ exitCode: 2 });
    vi.stubEnv('LANTERN_PASSPHRASE', 'not it');
    await expect(main(['case', 'export', '--db', db, '--id', id, '--format', 'fhir'])).rejects.toMatchObject({ exitCode: 3 });
    expect(cli.out).toEqual([]);
  });
});
