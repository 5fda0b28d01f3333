import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../../db/testing/tmpStore';
import { defaultSyntheticOptions, generateSyntheticHistory, isoWeekOfDate } from './syntheticHistory';
import { runSyntheticHistoryScript, SyntheticHistoryUsageError } from './syntheticHistoryScript';

describe('synthetic case history', () => {
  const history = generateSyntheticHistory(defaultSyntheticOptions());

  it('is the same for the same seed, ids included, and differs for another', () => {
    const again = generateSyntheticHistory(defaultSyntheticOptions());
    expect(again.cases.slice(0, 50)).toEqual(history.cases.slice(0, 50));
    expect(again.cases.length).toBe(history.cases.length);
    expect(generateSyntheticHistory(defaultSyntheticOptions({ seed: 7 })).cases[0]!.id).not.toBe(history.cases[0]!.id);
  });

  it('has the documented seasonal signal and outbreak', () => {
    const perWeek = (icd10: string, week: string) => history.cases.filter((c) => c.icd10 === icd10 && isoWeekOfDate(c.createdAt.slice(0, 10)) === week).length;
    const sum = (icd10: string, weeks: string[]) => weeks.reduce((a, w) => a + perWeek(icd10, w), 0);
    const yearWeeks = (year: number, from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => `${year}-W${String(from + i).padStart(2, '0')}`);
    // Influenza-like illness peaks in January, dengue in September.
    expect(sum('J11.1', yearWeeks(2023, 1, 6))).toBeGreaterThan(3 * sum('J11.1', yearWeeks(2023, 24, 29)));
    expect(sum('A90', yearWeeks(2023, 36, 41))).toBeGreaterThan(3 * sum('A90', yearWeeks(2023, 10, 15)));
    // The outbreak's four weeks hold far more dengue than the same weeks a year before and after.
    expect(sum('A90', history.outbreak!.weeks)).toBeGreaterThan(3 * sum('A90', yearWeeks(2023, 20, 23)));
    expect(sum('A90', history.outbreak!.weeks)).toBeGreaterThan(3 * sum('A90', yearWeeks(2025, 20, 23)));
    expect(history.cases.length).toBeGreaterThan(8000);
    expect(history.end).toBe('2026-01-03');
  });

  it('uses valid v4 ids and gives every case a patient', () => {
    const patients = new Set(history.patients.map((p) => p.id));
    for (const c of history.cases.slice(0, 500)) {
      expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(patients.has(c.patientId)).toBe(true);
    }
  });

  it('writes JSON lines from the script, and says what it needs', async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      const out = join(dir, 'cases.jsonl');
      const summary = await runSyntheticHistoryScript(['--jsonl', out, '--years', '2', '--start', '2023-01-02']);
      const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(summary['cases'] as number);
      expect(Object.keys(JSON.parse(lines[0]!) as object).sort()).toEqual(['birthDate', 'caseId', 'createdAt', 'diagnosis', 'icd10', 'patientId', 'sex']);
      await expect(runSyntheticHistoryScript(['--data-dir', dir], {})).rejects.toThrow(SyntheticHistoryUsageError);
      await expect(runSyntheticHistoryScript(['--scale', '-1', '--jsonl', out])).rejects.toThrow(/--scale/);
    } finally {
      cleanup();
    }
  });
});
