/** `lantern triage` in-process, as the bin runs it: input and output files, one record per line. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './lantern';
import { makeTempDir } from '../../db/testing/tmpStore';

let dir: string;
let cleanup: () => void;
let stderr: string[];

beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
});

const septic = {
  respiratoryRate: 26,
  spo2: 93,
  onSupplementalOxygen: false,
  temperature: 39.4,
  systolicBp: 92,
  heartRate: 118,
  consciousness: 'new-confusion',
};
const normal = { respiratoryRate: 16, spo2: 98, onSupplementalOxygen: false, temperature: 37, systolicBp: 122, heartRate: 72, consciousness: 'alert' };

async function runTriage(lines: unknown[]): Promise<Record<string, unknown>[]> {
  const input = join(dir, 'in.jsonl');
  const output = join(dir, 'out.jsonl');
  writeFileSync(input, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
  expect(await main(['triage', '--input', input, '--output', output])).toBe(0);
  return readFileSync(output, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('lantern triage', () => {
  it('scores a septic patient: NEWS2 high, qSOFA 3, sepsis flag first; output has exactly id, news2, qsofa, flags', async () => {
    const [row] = await runTriage([
      { id: 'sep-1', patient: { ageYears: 67, sex: 'female' }, vitals: septic, findings: { chills: 'present', cough: 'present' } },
    ]);
    expect(Object.keys(row!)).toEqual(['id', 'news2', 'qsofa', 'flags']);
    // RR 26 (3) + SpO2 93 (2) + air (0) + SBP 92 (2) + HR 118 (2) + confusion (3) + 39.4 °C (2) = 14
    expect(row).toMatchObject({ id: 'sep-1', news2: { score: 14, risk: 'high' }, qsofa: { score: 3 } });
    expect(Object.keys(row!['news2'] as object)).toEqual(['score', 'risk']);
    expect(Object.keys(row!['qsofa'] as object)).toEqual(['score']);
    const flags = row!['flags'] as { code: string; severity: string; reason: string }[];
    expect(flags[0]).toMatchObject({ code: 'SEPSIS_SUSPECTED', severity: 'critical' });
    expect(flags[0]!.reason).toContain('qSOFA 3');
    expect(flags.map((f) => f.code)).toContain('NEWS2_HIGH');
    for (const f of flags) expect(Object.keys(f)).toEqual(['code', 'severity', 'reason']);
  });

  it('null scores when a parameter is missing; scale 2 with hypercapnic failure; labs in catalogue or converted units', async () => {
    const rows = await runTriage([
      { id: 1, vitals: { ...normal, consciousness: undefined } },
      { id: 2, vitals: { ...normal, spo2: 89, onSupplementalOxygen: true, hypercapnicRespiratoryFailure: true } },
      { id: 3, vitals: { ...normal, spo2: 89, onSupplementalOxygen: true } },
      { id: 4, vitals: normal, labs: [{ loinc: '2345-7', value: 2.5, unit: 'mmol/L' }] },
      { id: 5, vitals: normal, labs: [{ loinc: '2345-7', value: 182 }] },
      { id: 6, vitals: normal, labs: [{ loinc: '2823-3', value: 6.8 }] },
      { id: 7 },
    ]);
    expect(rows[0]).toEqual({ id: 1, news2: null, qsofa: null, flags: [] });
    expect(rows[1]).toMatchObject({ news2: { score: 2, risk: 'low' } });
    expect(rows[2]).toMatchObject({ news2: { score: 5, risk: 'medium' } });
    expect((rows[3]!['flags'] as { reason: string }[])[0]!.reason).toMatch(/^Glucose 45\.04 mg\/dL is below 54 mg\/dL/);
    expect(rows[4]).toEqual({ id: 5, news2: { score: 0, risk: 'low' }, qsofa: { score: 0 }, flags: [] });
    expect(rows[5]!['flags']).toEqual([{ code: 'CRITICAL_LAB', severity: 'critical', reason: expect.stringContaining('Potassium 6.8 mmol/L') }]);
    expect(rows[6]).toEqual({ id: 7, news2: null, qsofa: null, flags: [] });
  });

  it('bad lines give the usual error record and the run goes on', async () => {
    const rows = await runTriage([
      '{broken',
      { vitals: normal },
      { id: 'a', vitals: { ...normal, temperature: 98.6 } },
      { id: 'b', vitals: { ...normal, pulse: 80 } },
      { id: 'c', findings: { neck_stiffness: 'present' } },
      { id: 'd', findings: { stiff_neck: 'yes' } },
      { id: 'e', vitals: { ...normal, consciousness: 'drowsy' } },
      { id: 'f', labs: [{ loinc: '9999-9', value: 1 }] },
      { id: 'g', labs: [{ loinc: '2823-3', value: 5, unit: 'mg/dL' }] },
      { id: 'h', patient: { sex: 'other' } },
      { id: 'ok', vitals: normal, findings: { stiff_neck: 'present', high_fever: 'present', facial_droop: 'absent' } },
    ]);
    const err = (i: number) => rows[i]!['error'] as { code: string; field?: string };
    expect(rows.map((r) => r['id'])).toEqual([null, null, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'ok']);
    expect(err(0)).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(err(1)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'id' });
    expect(err(2)).toMatchObject({ code: 'VALUE_OUT_OF_RANGE', field: 'vitals.temperature' });
    expect(err(3)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'vitals.pulse' });
    expect(err(4)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'findings.neck_stiffness' });
    expect(err(5)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'findings.stiff_neck' });
    expect(err(6)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'vitals.consciousness' });
    expect(err(7)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'labs.0.loinc' });
    expect(err(8)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'labs.0.unit' });
    expect(err(9)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'patient.sex' });
    expect((rows[10]!['flags'] as { code: string }[]).map((f) => f.code)).toEqual(['MENINGITIS_RED_FLAGS']);
    expect(stderr.join('')).toContain('1 triaged, 10 with errors');
  });

  it('is in the usage text', async () => {
    let printed = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed += String(chunk);
      return true;
    });
    expect(await main(['--help'])).toBe(0);
    expect(printed).toContain('lantern triage --input <in.jsonl> --output <out.jsonl>');
  });
});
