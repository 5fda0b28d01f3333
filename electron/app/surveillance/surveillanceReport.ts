/**
 * The report, the home screen's alert list and the export table, from a case history held in
 * memory. Pure: no database, no clock (today is an input), so tests and the benchmark run exactly
 * what the app runs.
 *
 * Periods: the range's weeks and months (partial where cut). Forecasts use the complete months of
 * the whole history up to the range's end (at most the last 72), alerts the weekly counts of the
 * whole history up to the range's end, so neither depends on where the range happens to start.
 */
import type {
  AgeBand,
  Sex,
  SurveillanceAlert,
  SurveillanceAlertList,
  SurveillanceGranularity,
  SurveillanceGrouping,
  SurveillanceReport,
  SurveillanceSeries,
} from '../../contract/ipcContract';
import type { CaseHistory, CaseIndex } from './caseCounts';
import { indexCases, monthlyCounts, periodsBetween, periodStrataCounts, strataCounts, weeklyCounts } from './caseCounts';
import { dayNumber, monthIndexOfDay, monthStartDay, weekIndexOf } from './calendarPeriods';
import type { AlertWeek, CasesBetween } from './outbreakAlerts';
import { alertWeeksIn, evaluateWeeks, withCases } from './outbreakAlerts';
import { forecastNextMonth } from './seasonalForecast';
import type { SurveillanceTable } from './surveillanceExport';

/** Older months say little about next month and would only slow the fit. */
export const maxForecastHistoryMonths = 72;

export interface ReportRequest {
  from: string;
  to: string;
  groupBy: SurveillanceGrouping;
  ageBand?: AgeBand | undefined;
  sex?: Sex | undefined;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Series that have at least one case on or before `toDay`, most cases in [fromDay, toDay] first. */
function seriesOrder(index: CaseIndex, fromDay: number, toDay: number): { order: number[]; inRange: Int32Array; seen: Uint8Array } {
  const inRange = new Int32Array(index.series.length);
  const seen = new Uint8Array(index.series.length);
  const { day } = index.history;
  for (let i = 0; i < day.length; i++) {
    const s = index.seriesOf[i]!;
    if (s < 0 || day[i]! > toDay) continue;
    seen[s] = 1;
    if (day[i]! >= fromDay) inRange[s]! += 1;
  }
  const order = index.series
    .map((_, i) => i)
    .filter((i) => seen[i] === 1)
    .sort((a, b) => inRange[b]! - inRange[a]! || (index.series[a]!.key < index.series[b]!.key ? -1 : 1));
  return { order, inRange, seen };
}

/** The complete months of history before `endDay` (inclusive): [first, last] month numbers. */
function completeMonths(history: CaseHistory, endDay: number): { first: number; last: number } {
  const firstMonthOfData = monthIndexOfDay(history.firstDay);
  // A history that starts mid-month would make its first month look quiet: start at the next one.
  const first = monthStartDay(firstMonthOfData) === history.firstDay ? firstMonthOfData : firstMonthOfData + 1;
  const endMonth = monthIndexOfDay(endDay);
  const last = monthStartDay(endMonth + 1) - 1 === endDay ? endMonth : endMonth - 1;
  return { first: Math.max(first, last - maxForecastHistoryMonths + 1), last };
}

interface WeeklyAlerting {
  firstWeek: number;
  counts: Int32Array[];
  evaluations: ReturnType<typeof evaluateWeeks>[];
}

function evaluateHistory(index: CaseIndex, toDay: number): WeeklyAlerting {
  const firstWeek = weekIndexOf(index.history.firstDay);
  const counts = weeklyCounts(index, firstWeek, weekIndexOf(toDay), -Infinity, toDay);
  return { firstWeek, counts, evaluations: counts.map((c) => evaluateWeeks(c)) };
}

export function buildSurveillanceReport(
  history: CaseHistory,
  request: ReportRequest,
  today: string,
  casesBetween: CasesBetween,
  generatedAt: string,
): SurveillanceReport {
  const fromDay = dayNumber(request.from);
  const toDay = dayNumber(request.to);
  const todayDay = dayNumber(today);
  const weeks = periodsBetween('week', fromDay, toDay, todayDay);
  const months = periodsBetween('month', fromDay, toDay, todayDay);
  const base: SurveillanceReport = {
    from: request.from,
    to: request.to,
    groupBy: request.groupBy,
    ageBand: request.ageBand ?? null,
    sex: request.sex ?? null,
    generatedAt,
    totalCases: 0,
    weeks,
    months,
    series: [],
    strata: [],
    alerts: [],
  };
  if (history.size === 0) return base;
  const index = indexCases(history, request.groupBy, { ageBand: request.ageBand, sex: request.sex });
  const { order, inRange } = seriesOrder(index, fromDay, toDay);
  const firstRangeWeek = weekIndexOf(fromDay);
  const firstRangeMonth = monthIndexOfDay(fromDay);
  const rangeWeekly = weeklyCounts(index, firstRangeWeek, weekIndexOf(toDay), fromDay, toDay);
  const rangeMonthly = monthlyCounts(index, firstRangeMonth, monthIndexOfDay(toDay), fromDay, toDay);
  const alerting = evaluateHistory(index, toDay);
  const forecastMonths = completeMonths(history, Math.min(toDay, todayDay));
  const forecastCounts = monthlyCounts(index, forecastMonths.first, forecastMonths.last);

  const alertWeeks: AlertWeek[] = [];
  const series = order.map((s): SurveillanceSeries => {
    const info = index.series[s]!;
    const ev = alerting.evaluations[s]!;
    const at = (w: number) => w - alerting.firstWeek;
    const valueAt = (xs: Float64Array, w: number): number | null => {
      const t = at(w);
      return t >= 0 && t < xs.length && !Number.isNaN(xs[t]!) ? round2(xs[t]!) : null;
    };
    alertWeeks.push(...alertWeeksIn(s, ev, alerting.counts[s]!, alerting.firstWeek, firstRangeWeek, weekIndexOf(toDay)));
    return {
      key: info.key,
      label: info.label,
      icd10Category: info.icd10Category,
      total: inRange[s]!,
      weekly: Array.from(rangeWeekly[s]!),
      monthly: Array.from(rangeMonthly[s]!),
      weeklyExpected: weeks.map((_, k) => valueAt(ev.expected, firstRangeWeek + k)),
      weeklyThreshold: weeks.map((_, k) => valueAt(ev.threshold, firstRangeWeek + k)),
      forecast: forecastNextMonth(forecastCounts[s]!, forecastMonths.first),
    };
  });
  return {
    ...base,
    totalCases: series.reduce((a, s) => a + s.total, 0),
    series,
    strata: strataCounts(index, fromDay, toDay),
    alerts: roundAlerts(withCases(index, alertWeeks, casesBetween)),
  };
}

function roundAlerts(alerts: SurveillanceAlert[]): SurveillanceAlert[] {
  return alerts.map((a) => ({ ...a, expected: round2(a.expected), threshold: round2(a.threshold) }));
}

/** Alerts of the last `weeks` weeks up to today (the current week included), all cases, by ICD-10 category. */
export function buildAlertList(history: CaseHistory, weeks: number, today: string, casesBetween: CasesBetween): SurveillanceAlertList {
  const todayDay = dayNumber(today);
  const list: SurveillanceAlertList = { asOf: today, weeks, alerts: [] };
  if (history.size === 0) return list;
  const index = indexCases(history, 'icd10Category');
  const alerting = evaluateHistory(index, todayDay);
  const lastWeek = weekIndexOf(todayDay);
  const found = index.series.flatMap((_, s) =>
    alertWeeksIn(s, alerting.evaluations[s]!, alerting.counts[s]!, alerting.firstWeek, lastWeek - weeks + 1, lastWeek),
  );
  return { ...list, alerts: roundAlerts(withCases(index, found, casesBetween)) };
}

export interface TableRequest {
  from: string;
  to: string;
  groupBy: SurveillanceGrouping;
  granularity: SurveillanceGranularity;
}

/** The export's aggregate table: every period × series total, and the non-zero age band × sex cells. */
export function buildSurveillanceTable(history: CaseHistory, request: TableRequest, today: string, generatedAt: string): SurveillanceTable {
  const fromDay = dayNumber(request.from);
  const toDay = dayNumber(request.to);
  const periods = periodsBetween(request.granularity, fromDay, toDay, dayNumber(today));
  const empty: SurveillanceTable = { ...request, generatedAt, periods, series: [], totals: [], strata: [] };
  if (history.size === 0) return empty;
  const index = indexCases(history, request.groupBy);
  const { order } = seriesOrder(index, fromDay, toDay);
  let totals: Int32Array[];
  switch (request.granularity) {
    case 'week':
      totals = weeklyCounts(index, weekIndexOf(fromDay), weekIndexOf(toDay), fromDay, toDay);
      break;
    case 'month':
      totals = monthlyCounts(index, monthIndexOfDay(fromDay), monthIndexOfDay(toDay), fromDay, toDay);
      break;
  }
  // Renumber series to the report's order; cells of series not listed are dropped.
  const position = new Map(order.map((s, i) => [s, i]));
  const strata = periodStrataCounts(index, request.granularity, fromDay, toDay)
    .filter((c) => position.has(c.series))
    .map((c) => ({ ...c, series: position.get(c.series)! }))
    .sort((a, b) => a.period - b.period || a.series - b.series);
  return { ...empty, series: order.map((s) => index.series[s]!), totals: order.map((s) => totals[s]!), strata };
}
