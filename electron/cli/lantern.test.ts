/**
 * The CLI in-process (same code as the `lantern` bin): stdout captured, passphrase from the
 * environment as documented.
 */
import { describe, expect, it, vi } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './lantern';
import { captureCli } from './testing/cliCapture';
import { unlockEncryptedDatabase } from '../../db/openDatabase';

const cli = captureCli();

const lines = cli.lines;

describe('lantern case add / case list', () => {
  it('creates the database on first add, reuses the patient, lists decrypted cases', async () => {
    const db = join(cli.dir, 'clinic.db');
    const input = join(cli.dir, 'case.json');
    writeFileSync(
      input,
      JSON.stringify({
        patient: { name: 'Nguyễn Văn An', birthDate: '1962-11-02', sex: 'male' },
        findings: { cough: 'present', high_fever: 'present', breathlessness: 'present', itching: 'absent' },
        note: 'Productive cough for a week.',
      }),
    );
    expect(await main(['case', 'add', '--db', db, '--input', input])).toBe(0);
    expect(await main(['case', 'add', '--db', db, '--input', input])).toBe(0);
    const added = lines();
    expect(added).toHaveLength(2);
    expect(added[0]!['patientId']).toBe(added[1]!['patientId']);
    expect(readFileSync(db).includes(Buffer.from('Productive cough'))).toBe(false);

    cli.out = [];
    expect(await main(['case', 'list', '--db', db])).toBe(0);
    const listed = lines();
    expect(listed.map((l) => l['id'])).toEqual(added.map((a) => a['id']));
    expect(listed[0]).toMatchObject({
      patient: { name: 'Nguyễn Văn An', birthDate: '1962-11-02', sex: 'male' },
      findings: { cough: 'present', high_fever: 'present', breathlessness: 'present', itching: 'absent' },
      note: 'Productive cough for a week.',
      differential: { modelId: 'symptom-differential' },
      complaint: { modelId: 'symptom-text', abstained: null },
    });
    expect((listed[0]!['complaint'] as { ranking: unknown[] }).ranking).toHaveLength(3);
  });

  it('refuses a wrong passphrase with exit code 3 and a message that says so', async () => {
    const db = join(cli.dir, 'clinic.db');
    const input = join(cli.dir, 'case.json');
    writeFileSync(input, JSON.stringify({ patient: { name: 'A', birthDate: '2000-01-01', sex: 'female' }, findings: {}, note: '' }));
    await main(['case', 'add', '--db', db, '--input', input]);
    vi.stubEnv('LANTERN_PASSPHRASE', 'not it');
    await expect(main(['case', 'list', '--db', db])).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/wrong passphrase/i) });
  });
});

/** Runs `lantern predict` over input lines (objects written as JSON, strings as they are) and reads its output lines. */
async function predict<Row>(model: string, records: (object | string)[]): Promise<Row[]> {
  const input = join(cli.dir, 'in.jsonl');
  const output = join(cli.dir, 'out.jsonl');
  writeFileSync(input, records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n'));
  expect(await main(['predict', '--model', model, '--input', input, '--output', output])).toBe(0);
  return readFileSync(output, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Row);
}

interface Outcome {
  probabilities?: Record<string, number>;
  abstained?: { code: string; message: string };
}

describe('lantern predict', () => {
  it('writes one probability line per good input and an error record per bad one', async () => {
    const rows = await predict<Outcome & { id: unknown; error?: { code: string; field?: string } }>('symptom-differential', [
      { id: 'p1', features: { continuous_sneezing: 1, chills: 1, watering_from_eyes: 1 } },
      { id: 'p2', features: { not_a_feature: 1 } },
      '{broken',
      { id: 'p3', features: { cough: 0.5 } },
      { id: 'p4', features: {} },
    ]);
    expect(rows.map((r) => r.id)).toEqual(['p1', 'p2', null, 'p3', 'p4']);
    for (const r of [rows[0]!]) {
      const sum = Object.values(r.probabilities!).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 9);
      expect(Object.keys(r.probabilities!)).toHaveLength(41);
    }
    const top = Object.entries(rows[0]!.probabilities!).sort((a, b) => b[1] - a[1])[0]![0];
    expect(top).toBe('Allergy');
    expect(rows[1]!.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'features.not_a_feature' });
    expect(rows[2]!.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(rows[3]!.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'features.cough' });
    // A line with no known finding abstains rather than answering with the prior.
    expect(rows[4]).toEqual({ id: 'p4', abstained: { code: 'INSUFFICIENT_INPUTS', message: expect.stringContaining('Not assessed') } });
  });

  it('abstains on one unspecific finding, warns on a presentation no known disease shows, counts absent findings', async () => {
    const cold = { continuous_sneezing: 1, chills: 1, cough: 1 };
    const rows = await predict<Outcome & { id: string; warning?: { code: string; message: string } }>('symptom-differential', [
      { id: 'one', features: { headache: 1 } },
      { id: 'triad', features: { headache: 1, stiff_neck: 1, high_fever: 1 } },
      { id: 'absentOnly', features: { headache: 0, cough: 0 } },
      { id: 'cold', features: cold },
      { id: 'coldNoFever', features: { ...cold, high_fever: 0, fatigue: 0 } },
    ]);
    expect(rows[0]).toEqual({ id: 'one', abstained: { code: 'INSUFFICIENT_INPUTS', message: expect.stringMatching(/Add findings/) } });
    expect(Object.keys(rows[1]!).sort()).toEqual(['id', 'probabilities', 'warning']);
    expect(rows[1]!.warning).toMatchObject({ code: 'OUT_OF_DISTRIBUTION', message: expect.stringMatching(/not covered/) });
    expect(Math.max(...Object.values(rows[1]!.probabilities!))).toBeLessThanOrEqual(0.5);
    expect(rows[2]!.abstained?.code).toBe('OUT_OF_DISTRIBUTION');
    expect(Object.keys(rows[3]!).sort()).toEqual(['id', 'probabilities']);
    // Absent findings are evidence: the probabilities move.
    expect(rows[4]!.probabilities).not.toEqual(rows[3]!.probabilities);
  });

  it('reads patient context and refuses a malformed one, naming the field', async () => {
    const rows = await predict<Record<string, unknown>>('heart-disease', [
      { id: 'a', features: { age: 60, sex: 1, cp: 4, trestbps: 150, chol: 250, thalach: 120, oldpeak: 2 }, patient: { ageYears: 60, sex: 'male' } },
      { id: 'b', features: { cp: 4 }, patient: { sex: 'M' } },
    ]);
    expect(rows[0]!['probabilities']).toBeDefined();
    expect(rows[1]).toMatchObject({ id: 'b', error: { code: 'VALIDATION_FAILED', field: 'patient.sex' } });
  });
});

describe('lantern audit verify', () => {
  it('exits 0 on an intact chain and 1 naming the first event edited outside the app', async () => {
    const db = join(cli.dir, 'clinic.db');
    const input = join(cli.dir, 'case.json');
    writeFileSync(input, JSON.stringify({ patient: { name: 'Asha Patel', birthDate: '1979-05-05', sex: 'female' }, findings: { cough: 'present' }, note: '' }));
    await main(['case', 'add', '--db', db, '--input', input]);
    cli.out = [];
    expect(await main(['audit', 'verify', '--db', db])).toBe(0);
    expect(lines()[0]).toMatchObject({ intact: true, firstBrokenSeq: null, head: { seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });

    // Edited with the key, outside the app: the trigger is dropped and a row changed.
    const { db: raw } = await unlockEncryptedDatabase(db, 'clinic passphrase');
    raw.exec('DROP TRIGGER audit_events_no_update');
    raw.prepare(`UPDATE audit_events SET user_id = NULL WHERE seq = 3`).run();
    raw.close();
    cli.out = [];
    expect(await main(['audit', 'verify', '--db', db])).toBe(1);
    expect(lines()[0]).toMatchObject({ intact: false, firstBrokenSeq: 3 });
  });
});
