/**
 * The aggregate table a district office asks for, as CSV and as a FHIR R4 MeasureReport. Only
 * counts leave: period, diagnosis group, age band, sex; never a name, id, birth date or case date.
 * Every period × series total is written, zeros included ("zero reporting": a quiet week is data).
 */
import type { SurveillanceExportFormat, SurveillanceGranularity, SurveillanceGrouping, SurveillancePeriod } from '../../contract/ipcContract';
import type { PeriodStratum, SeriesInfo } from './caseCounts';

export interface SurveillanceTable {
  from: string;
  to: string;
  granularity: SurveillanceGranularity;
  groupBy: SurveillanceGrouping;
  generatedAt: string;
  periods: SurveillancePeriod[];
  series: SeriesInfo[];
  /** Per series, per period: the total count (zeros included). */
  totals: ArrayLike<number>[];
  /** Non-zero period × series × age band × sex cells. */
  strata: PeriodStratum[];
}

export interface ExportedContent {
  content: string;
  mediaType: string;
  fileName: string;
  rows: number;
}

export const csvColumns = [
  'granularity',
  'period',
  'period_start',
  'period_end',
  'partial',
  'series',
  'diagnosis',
  'icd10_category',
  'age_band',
  'sex',
  'count',
] as const;

/**
 * RFC 4180 quoting, and a leading apostrophe on text a spreadsheet would run as a formula
 * (diagnosis names are typed by people; `=HYPERLINK(...)` must stay text).
 */
export function csvField(value: string | number | boolean): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function baseName(t: SurveillanceTable): string {
  return `lantern-surveillance_${t.from}_${t.to}_${t.granularity}`;
}

export function surveillanceCsv(t: SurveillanceTable): ExportedContent {
  const lines = [csvColumns.join(',')];
  const byCell = new Map<string, PeriodStratum[]>();
  for (const s of t.strata) {
    const key = `${s.period}:${s.series}`;
    const list = byCell.get(key);
    if (list) list.push(s);
    else byCell.set(key, [s]);
  }
  t.periods.forEach((p, pi) => {
    t.series.forEach((series, si) => {
      const head = [t.granularity, p.key, p.start, p.end, p.partial, series.key, series.label, series.icd10Category ?? ''];
      lines.push([...head, 'all', 'all', t.totals[si]![pi]!].map(csvField).join(','));
      for (const s of byCell.get(`${pi}:${si}`) ?? []) lines.push([...head, s.ageBand, s.sex, s.count].map(csvField).join(','));
    });
  });
  return { content: `${lines.join('\r\n')}\r\n`, mediaType: 'text/csv; charset=utf-8', fileName: `${baseName(t)}.csv`, rows: lines.length - 1 };
}

const initialPopulation = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-population', code: 'initial-population', display: 'Initial Population' }],
};
const population = (count: number) => [{ code: initialPopulation, count }];
const text = (value: string) => ({ text: value });
const sum = (xs: ArrayLike<number>): number => {
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += xs[i]!;
  return total;
};

/**
 * A summary MeasureReport: one group per series (coded with its ICD-10 category where it has one),
 * its total as the initial population, a stratifier by period (every period, zeros included) and
 * one by period × age band × sex (non-zero cells), the latter as stratum components.
 */
export function surveillanceMeasureReport(t: SurveillanceTable, id: string): ExportedContent {
  const strataBySeries = t.series.map((): PeriodStratum[] => []);
  for (const s of t.strata) strataBySeries[s.series]!.push(s);
  const report = {
    resourceType: 'MeasureReport',
    id,
    status: 'complete',
    type: 'summary',
    measure: 'urn:lantern:measure:confirmed-diagnosis-counts',
    date: t.generatedAt,
    period: { start: t.from, end: t.to },
    group: t.series.map((series, si) => ({
      code: {
        ...(series.icd10Category === null ? {} : { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: series.icd10Category, display: series.label }] }),
        text: series.label,
      },
      population: population(sum(t.totals[si]!)),
      stratifier: [
        {
          code: [text(t.granularity)],
          stratum: t.periods.map((p, pi) => ({ value: text(p.key), population: population(t.totals[si]![pi]!) })),
        },
        {
          code: [text(`${t.granularity}-age-band-sex`)],
          stratum: strataBySeries[si]!.map((s) => ({
            component: [
              { code: text(t.granularity), value: text(t.periods[s.period]!.key) },
              { code: text('age-band'), value: text(s.ageBand) },
              { code: text('sex'), value: { coding: [{ system: 'http://hl7.org/fhir/administrative-gender', code: s.sex }] } },
            ],
            population: population(s.count),
          })),
        },
      ],
    })),
  };
  return {
    content: `${JSON.stringify(report, null, 2)}\n`,
    mediaType: 'application/fhir+json',
    fileName: `${baseName(t)}.measure-report.json`,
    rows: t.strata.length,
  };
}

export function exportSurveillanceTable(t: SurveillanceTable, format: SurveillanceExportFormat, id: string): ExportedContent {
  switch (format) {
    case 'csv':
      return surveillanceCsv(t);
    case 'fhir-measure-report':
      return surveillanceMeasureReport(t, id);
  }
}
