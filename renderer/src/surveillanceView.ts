/**
 * What the surveillance screen draws, derived from the app's report: the default range, the weekly
 * chart's series (counts, expected, threshold, alert markers) and the monthly chart's (counts, the
 * chosen method's backtest forecasts and interval, next month's forecast). Pure, so it is tested
 * without a browser.
 */
import type { ForecastMethodResult, SurveillanceForecast, SurveillanceReport, SurveillanceSeries } from '../../electron/contract/ipcContract';
import { todayIsoDate } from './format';

/** The last twelve months: from the first of the month eleven months back, to today. */
export function defaultSurveillanceRange(now: Date = new Date()): { from: string; to: string } {
  const first = new Date(now.getFullYear(), now.getMonth() - 11, 1);
  return { from: todayIsoDate(first), to: todayIsoDate(now) };
}

export function chosenMethod(forecast: SurveillanceForecast): ForecastMethodResult | null {
  return forecast.status === 'forecast' ? (forecast.methods.find((m) => m.method === forecast.chosen) ?? null) : null;
}

export interface WeeklyView {
  labels: string[];
  counts: number[];
  expected: (number | null)[];
  threshold: (number | null)[];
  /** The observed count in weeks that alerted, null elsewhere (drawn as markers). */
  alerts: (number | null)[];
  alertWeeks: number;
}

export function weeklyView(report: SurveillanceReport, series: SurveillanceSeries): WeeklyView {
  const alerting = new Set(report.alerts.filter((a) => a.series === series.key).map((a) => a.week));
  const alerts = report.weeks.map((w, i) => (alerting.has(w.key) ? (series.weekly[i] ?? null) : null));
  return {
    labels: report.weeks.map((w) => w.key),
    counts: series.weekly,
    expected: series.weeklyExpected,
    threshold: series.weeklyThreshold,
    alerts,
    alertWeeks: alerts.filter((a) => a !== null).length,
  };
}

export interface ForecastView {
  labels: string[];
  /** Complete months only: a month still running would look like a fall. */
  actual: (number | null)[];
  predicted: (number | null)[];
  lower: (number | null)[];
  upper: (number | null)[];
  method: ForecastMethodResult | null;
  targetMonth: string | null;
}

export function forecastView(report: SurveillanceReport, series: SurveillanceSeries): ForecastView {
  const method = chosenMethod(series.forecast);
  const labels = report.months.map((m) => m.key);
  const targetMonth = series.forecast.targetMonth;
  if (method && !labels.includes(targetMonth) && targetMonth > (labels.at(-1) ?? '')) labels.push(targetMonth);
  const at = new Map(labels.map((l, i) => [l, i]));
  const actual: (number | null)[] = labels.map(() => null);
  report.months.forEach((m, i) => {
    if (!m.partial) actual[i] = series.monthly[i] ?? null;
  });
  const predicted: (number | null)[] = labels.map(() => null);
  const lower: (number | null)[] = labels.map(() => null);
  const upper: (number | null)[] = labels.map(() => null);
  const place = (month: string, p: { point: number; lower: number; upper: number }) => {
    const i = at.get(month);
    if (i === undefined) return;
    predicted[i] = p.point;
    lower[i] = p.lower;
    upper[i] = p.upper;
  };
  if (method) {
    for (const p of method.backtest?.points ?? []) place(p.month, p);
    place(targetMonth, method);
  }
  return { labels, actual, predicted, lower, upper, method, targetMonth: method ? targetMonth : null };
}

/** Offers text as a file through a `blob:` link with `download` (no navigation, nothing inline). */
export function downloadText(fileName: string, mediaType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mediaType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke after the click has been handled; the download keeps its own reference.
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}
