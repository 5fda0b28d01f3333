import { describe, expect, it } from 'vitest';
import type { ConfirmedCase } from './caseCounts';
import { historyFromCases } from './caseCounts';
import { csvField, surveillanceCsv, surveillanceMeasureReport } from './surveillanceExport';
import { buildSurveillanceTable } from './surveillanceReport';

const cases: ConfirmedCase[] = [
  {
    caseId: '11111111-1111-4111-8111-111111111111',
    patientId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    createdAt: '2025-03-04T08:00:00.000Z',
    diagnosis: 'Dengue fever',
    icd10: 'A90',
    birthDate: '1990-01-01',
    sex: 'female',
  },
  {
    caseId: '22222222-2222-4222-8222-222222222222',
    patientId: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
    createdAt: '2025-03-05T08:00:00.000Z',
    diagnosis: 'Dengue fever',
    icd10: 'A90',
    birthDate: '2021-07-15',
    sex: 'male',
  },
  {
    caseId: '33333333-3333-4333-8333-333333333333',
    patientId: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
    createdAt: '2025-03-18T08:00:00.000Z',
    diagnosis: '=HYPERLINK("x")',
    icd10: null,
    birthDate: '1960-02-02',
    sex: 'unknown',
  },
];
const table = buildSurveillanceTable(
  historyFromCases(cases),
  { from: '2025-03-03', to: '2025-03-23', groupBy: 'icd10Category', granularity: 'week' },
  '2025-04-01',
  '2025-04-01T10:00:00.000Z',
);

describe('CSV export', () => {
  const csv = surveillanceCsv(table);
  const lines = csv.content.trimEnd().split('\r\n');

  it('writes every period × series total, zeros included, then its age band × sex cells', () => {
    expect(lines[0]).toBe('granularity,period,period_start,period_end,partial,series,diagnosis,icd10_category,age_band,sex,count');
    expect(lines.slice(1)).toEqual([
      'week,2025-W10,2025-03-03,2025-03-09,false,A90,Dengue fever,A90,all,all,2',
      'week,2025-W10,2025-03-03,2025-03-09,false,A90,Dengue fever,A90,0-4,male,1',
      'week,2025-W10,2025-03-03,2025-03-09,false,A90,Dengue fever,A90,25-44,female,1',
      `week,2025-W10,2025-03-03,2025-03-09,false,uncoded,"'=HYPERLINK(""x"")",,all,all,0`,
      'week,2025-W11,2025-03-10,2025-03-16,false,A90,Dengue fever,A90,all,all,0',
      `week,2025-W11,2025-03-10,2025-03-16,false,uncoded,"'=HYPERLINK(""x"")",,all,all,0`,
      'week,2025-W12,2025-03-17,2025-03-23,false,A90,Dengue fever,A90,all,all,0',
      `week,2025-W12,2025-03-17,2025-03-23,false,uncoded,"'=HYPERLINK(""x"")",,all,all,1`,
      `week,2025-W12,2025-03-17,2025-03-23,false,uncoded,"'=HYPERLINK(""x"")",,65+,unknown,1`,
    ]);
    expect(csv.rows).toBe(9);
    expect(csv.fileName).toBe('lantern-surveillance_2025-03-03_2025-03-23_week.csv');
  });

  it('carries no patient identifiers', () => {
    for (const c of cases) {
      // Case dates never appear (only period bounds); these fall mid-week.
      for (const value of [c.caseId, c.patientId, c.birthDate, c.createdAt, c.createdAt.slice(0, 10)]) expect(csv.content).not.toContain(value);
    }
  });

  it('quotes and neutralises fields a spreadsheet would misread', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-x')).toBe("'-x");
    expect(csvField(-3)).toBe('-3');
  });
});

describe('FHIR MeasureReport export', () => {
  const exported = surveillanceMeasureReport(table, '7f0c1e2a-0000-4000-8000-000000000001');
  const report = JSON.parse(exported.content) as {
    resourceType: string;
    status: string;
    type: string;
    period: { start: string; end: string };
    group: {
      code: { coding?: { system: string; code: string }[]; text: string };
      population: { code: { coding: { code: string }[] }; count: number }[];
      stratifier: {
        code: { text: string }[];
        stratum: {
          value?: { text: string };
          component?: { code: { text: string }; value: { text?: string; coding?: { code: string }[] } }[];
          population: { count: number }[];
        }[];
      }[];
    }[];
  };

  it('is a summary MeasureReport with one group per series, coded with ICD-10 where known', () => {
    expect(report).toMatchObject({ resourceType: 'MeasureReport', status: 'complete', type: 'summary', period: { start: '2025-03-03', end: '2025-03-23' } });
    expect(report.group.map((g) => [g.code.coding?.[0]?.code ?? null, g.code.text, g.population[0]!.count])).toEqual([
      ['A90', 'Dengue fever', 2],
      [null, '=HYPERLINK("x")', 1],
    ]);
    expect(report.group[0]!.population[0]!.code.coding[0]!.code).toBe('initial-population');
    expect(exported.mediaType).toBe('application/fhir+json');
  });

  it('stratifies by period (zeros included) and by period × age band × sex', () => {
    const [byPeriod, byCell] = report.group[0]!.stratifier;
    expect(byPeriod!.stratum.map((s) => [s.value!.text, s.population[0]!.count])).toEqual([
      ['2025-W10', 2],
      ['2025-W11', 0],
      ['2025-W12', 0],
    ]);
    expect(byCell!.stratum.map((s) => [...s.component!.map((c) => c.value.text ?? c.value.coding![0]!.code), s.population[0]!.count])).toEqual([
      ['2025-W10', '0-4', 'male', 1],
      ['2025-W10', '25-44', 'female', 1],
    ]);
  });

  it('carries no patient identifiers', () => {
    for (const c of cases) for (const value of [c.caseId, c.patientId, c.birthDate]) expect(exported.content).not.toContain(value);
  });
});
