import { describe, expect, it } from 'vitest';
import type { ConfirmedCase } from './caseCounts';
import {
  ageBandOf,
  CaseHistoryBuilder,
  historyFromCases,
  icd10Category,
  indexCases,
  monthlyCounts,
  periodsBetween,
  periodStrataCounts,
  strataCounts,
  weeklyCounts,
} from './caseCounts';
import { dayNumber, monthIndexOfDay, weekIndexOf } from './calendarPeriods';

let n = 0;
function confirmed(createdAt: string, diagnosis: string, icd10: string | null, birthDate: string, sex: ConfirmedCase['sex']): ConfirmedCase {
  n += 1;
  return { caseId: `case-${n}`, patientId: `patient-${n}`, createdAt, diagnosis, icd10, birthDate, sex };
}

// A hand-made week and a bit: Monday 2025-03-03 to Monday 2025-03-10.
const cases: ConfirmedCase[] = [
  confirmed('2025-03-03T08:00:00.000Z', 'Dengue fever', 'A90', '2022-03-04', 'female'), // age 2 (birthday tomorrow)
  confirmed('2025-03-04T09:00:00.000Z', 'Dengue fever', 'A90', '2022-03-04', 'female'), // age 3 that day
  confirmed('2025-03-05T10:00:00.000Z', 'Dengue fever', 'A90', '1990-01-01', 'male'), // 35
  confirmed('2025-03-06T11:00:00.000Z', 'Dengue haemorrhagic fever', 'A91', '1950-06-30', 'male'), // 74
  confirmed('2025-03-07T12:00:00.000Z', 'Influenza-like illness', 'J11.1', '2015-03-07', 'other'), // 10 today
  confirmed('2025-03-09T23:59:00.000Z', 'Influenza', 'J11.0', '2010-01-01', 'unknown'), // Sunday, 15
  confirmed('2025-03-10T00:00:00.000Z', 'Influenza-like illness', 'j11.1', '2030-01-01', 'female'), // Monday; born later: unknown band
  confirmed('2025-03-10T07:00:00.000Z', 'Cough', null, '2000-01-01', 'female'),
];

describe('age bands and categories', () => {
  it('bands ages at their edges', () => {
    expect([0, 4, 5, 14, 15, 24, 25, 44, 45, 64, 65, 120].map(ageBandOf)).toEqual([
      '0-4',
      '0-4',
      '5-14',
      '5-14',
      '15-24',
      '15-24',
      '25-44',
      '25-44',
      '45-64',
      '45-64',
      '65+',
      '65+',
    ]);
    expect(ageBandOf(null)).toBe('unknown');
  });

  it('takes the first three characters of the code as the category', () => {
    expect(icd10Category('J11.1')).toBe('J11');
    expect(icd10Category(' a90 ')).toBe('A90');
    expect(icd10Category(null)).toBeNull();
    expect(icd10Category('')).toBeNull();
  });
});

describe('counting confirmed diagnoses', () => {
  const history = historyFromCases(cases);
  const from = dayNumber('2025-03-03');
  const to = dayNumber('2025-03-10');

  it('groups by ICD-10 category, labelled with the diagnosis recorded most often', () => {
    const index = indexCases(history, 'icd10Category');
    expect(index.series.map((s) => [s.key, s.label, s.icd10Category])).toEqual([
      ['A90', 'Dengue fever', 'A90'],
      ['A91', 'Dengue haemorrhagic fever', 'A91'],
      ['J11', 'Influenza-like illness', 'J11'],
      ['uncoded', 'Cough', null],
    ]);
    const weekly = weeklyCounts(index, weekIndexOf(from), weekIndexOf(to));
    expect(weekly.map((w) => Array.from(w))).toEqual([
      [3, 0],
      [1, 0],
      [2, 1],
      [0, 1],
    ]);
  });

  it('groups by diagnosis name, each with its most frequent category', () => {
    const index = indexCases(history, 'diagnosis');
    expect(index.series.map((s) => [s.key, s.icd10Category])).toEqual([
      ['Dengue fever', 'A90'],
      ['Dengue haemorrhagic fever', 'A91'],
      ['Influenza-like illness', 'J11'],
      ['Influenza', 'J11'],
      ['Cough', null],
    ]);
    const monthly = monthlyCounts(index, monthIndexOfDay(from), monthIndexOfDay(to));
    expect(monthly.map((m) => Array.from(m))).toEqual([[3], [1], [2], [1], [1]]);
  });

  it('counts by age band (age on the case date) and sex', () => {
    const strata = strataCounts(indexCases(history, 'icd10Category'), from, to);
    expect(strata).toEqual([
      { series: 'A90', ageBand: '0-4', sex: 'female', count: 2 },
      { series: 'A90', ageBand: '25-44', sex: 'male', count: 1 },
      { series: 'A91', ageBand: '65+', sex: 'male', count: 1 },
      { series: 'J11', ageBand: '5-14', sex: 'other', count: 1 },
      { series: 'J11', ageBand: '15-24', sex: 'unknown', count: 1 },
      { series: 'J11', ageBand: 'unknown', sex: 'female', count: 1 },
      { series: 'uncoded', ageBand: '25-44', sex: 'female', count: 1 },
    ]);
    expect(strata.reduce((a, s) => a + s.count, 0)).toBe(cases.length);
  });

  it('restricts to the range, and filters by age band or sex', () => {
    const index = indexCases(history, 'icd10Category');
    const firstWeekOnly = strataCounts(index, from, dayNumber('2025-03-09'));
    expect(firstWeekOnly.reduce((a, s) => a + s.count, 0)).toBe(6);
    const women = indexCases(history, 'icd10Category', { sex: 'female' });
    expect(Array.from(weeklyCounts(women, weekIndexOf(from), weekIndexOf(to))[0]!)).toEqual([2, 0]);
    const children = indexCases(history, 'icd10Category', { ageBand: '0-4' });
    expect(strataCounts(children, from, to)).toEqual([{ series: 'A90', ageBand: '0-4', sex: 'female', count: 2 }]);
  });

  it('tables period × series × band × sex cells for export', () => {
    const cells = periodStrataCounts(indexCases(history, 'icd10Category'), 'week', from, to);
    expect(cells.filter((c) => c.period === 1)).toEqual([
      { period: 1, series: 2, ageBand: 'unknown', sex: 'female', count: 1 },
      { period: 1, series: 3, ageBand: '25-44', sex: 'female', count: 1 },
    ]);
    expect(cells.reduce((a, c) => a + c.count, 0)).toBe(cases.length);
  });

  it('marks periods the range or today cuts as partial', () => {
    const weeks = periodsBetween('week', dayNumber('2025-03-05'), dayNumber('2025-03-23'), dayNumber('2025-03-20'));
    expect(weeks.map((w) => [w.key, w.start, w.end, w.partial])).toEqual([
      ['2025-W10', '2025-03-03', '2025-03-09', true],
      ['2025-W11', '2025-03-10', '2025-03-16', false],
      ['2025-W12', '2025-03-17', '2025-03-23', true],
    ]);
    const months = periodsBetween('month', dayNumber('2025-01-01'), dayNumber('2025-03-31'), dayNumber('2025-12-31'));
    expect(months.map((m) => [m.key, m.end, m.partial])).toEqual([
      ['2025-01', '2025-01-31', false],
      ['2025-02', '2025-02-28', false],
      ['2025-03', '2025-03-31', false],
    ]);
  });

  it('takes back a case counted with the same values, and only such a case', () => {
    const b = new CaseHistoryBuilder();
    for (const c of cases) b.add(c.createdAt, c.diagnosis, c.icd10, c.birthDate, c.sex);
    expect(b.remove('2025-03-05T17:00:00.000Z', 'Dengue fever', 'A90', '1990-01-01', 'male')).toBe(true);
    expect(b.remove('2025-03-05T17:00:00.000Z', 'Dengue fever', 'A90', '1990-01-01', 'male')).toBe(false);
    expect(b.remove('2025-03-05T17:00:00.000Z', 'Malaria', 'B54', '1990-01-01', 'male')).toBe(false);
    const after = b.build();
    expect(after.size).toBe(cases.length - 1);
    expect(after.kinds.find((k) => k.diagnosis === 'Dengue fever')!.cases).toBe(2);
    expect(strataCounts(indexCases(after, 'icd10Category'), from, to).find((s) => s.series === 'A90' && s.ageBand === '25-44')).toBeUndefined();
  });

  it('holds an empty history', () => {
    const empty = historyFromCases([]);
    expect(empty.size).toBe(0);
    expect(indexCases(empty, 'diagnosis').series).toEqual([]);
  });
});
