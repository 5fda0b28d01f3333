import { describe, expect, it } from 'vitest';
import type { SurveillanceReport, SurveillanceSeries } from '../../electron/contract/ipcContract';
import { chosenMethod, defaultSurveillanceRange, forecastView, weeklyView } from './surveillanceView';

const series: SurveillanceSeries = {
  key: 'A90',
  label: 'Dengue fever',
  icd10Category: 'A90',
  total: 41,
  weekly: [3, 30, 4],
  monthly: [20, 21],
  weeklyExpected: [null, 4, 5],
  weeklyThreshold: [null, 12, 13],
  forecast: {
    status: 'forecast',
    targetMonth: '2025-03',
    historyMonths: 40,
    level: 0.95,
    chosen: 'holt-winters',
    methods: [
      {
        method: 'seasonal-naive',
        point: 30,
        lower: 10,
        upper: 50,
        backtest: { origins: 1, mae: 9, coverage: 1, points: [{ month: '2025-01', actual: 20, point: 29, lower: 9, upper: 49 }] },
        parameters: null,
      },
      {
        method: 'holt-winters',
        point: 24,
        lower: 14,
        upper: 34,
        backtest: { origins: 1, mae: 2, coverage: 1, points: [{ month: '2025-01', actual: 20, point: 22, lower: 12, upper: 32 }] },
        parameters: { alpha: 0.2, beta: null, gamma: 0.1 },
      },
    ],
  },
};

const report: SurveillanceReport = {
  from: '2025-01-06',
  to: '2025-02-20',
  groupBy: 'icd10Category',
  ageBand: null,
  sex: null,
  generatedAt: '2025-02-20T10:00:00.000Z',
  totalCases: 41,
  weeks: [
    { key: '2025-W02', start: '2025-01-06', end: '2025-01-12', partial: false },
    { key: '2025-W03', start: '2025-01-13', end: '2025-01-19', partial: false },
    { key: '2025-W04', start: '2025-01-20', end: '2025-01-26', partial: false },
  ],
  months: [
    { key: '2025-01', start: '2025-01-01', end: '2025-01-31', partial: true },
    { key: '2025-02', start: '2025-02-01', end: '2025-02-28', partial: true },
  ],
  series: [series],
  strata: [],
  alerts: [
    {
      series: 'A90',
      label: 'Dengue fever',
      icd10Category: 'A90',
      week: '2025-W03',
      weekStart: '2025-01-13',
      weekEnd: '2025-01-19',
      observed: 30,
      expected: 4,
      threshold: 12,
      rule: 'historical-limits',
      cases: [],
    },
  ],
};

describe('surveillance view', () => {
  it('defaults to the last twelve months, today included', () => {
    expect(defaultSurveillanceRange(new Date(2026, 10, 25, 15))).toEqual({ from: '2025-12-01', to: '2026-11-25' });
    expect(defaultSurveillanceRange(new Date(2026, 0, 3))).toEqual({ from: '2025-02-01', to: '2026-01-03' });
  });

  it('marks the alerting weeks at their observed count', () => {
    expect(weeklyView(report, series)).toEqual({
      labels: ['2025-W02', '2025-W03', '2025-W04'],
      counts: [3, 30, 4],
      expected: [null, 4, 5],
      threshold: [null, 12, 13],
      alerts: [null, 30, null],
      alertWeeks: 1,
    });
  });

  it('draws the chosen method: backtest months, then next month appended; partial months left out', () => {
    expect(chosenMethod(series.forecast)?.method).toBe('holt-winters');
    const view = forecastView(report, series);
    expect(view.labels).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(view.actual).toEqual([null, null, null]);
    expect(view.predicted).toEqual([22, null, 24]);
    expect(view.lower).toEqual([12, null, 14]);
    expect(view.upper).toEqual([32, null, 34]);
    expect(view.targetMonth).toBe('2025-03');
  });

  it('draws counts alone when there is no forecast yet', () => {
    const none: SurveillanceSeries = { ...series, forecast: { status: 'not-enough-history', targetMonth: '2025-03', historyMonths: 5, monthsNeeded: 13 } };
    const view = forecastView({ ...report, months: report.months.map((m) => ({ ...m, partial: false })) }, none);
    expect(view).toMatchObject({ labels: ['2025-01', '2025-02'], actual: [20, 21], predicted: [null, null], method: null, targetMonth: null });
  });
});
