/**
 * Surveillance over about 100,000 confirmed cases (the committed synthetic history at scale 11):
 *
 * - `aggregationAndForecast`: decode the case rows into columns, then counts (weekly, monthly, age
 *   band × sex), alerts and forecasts with backtests for every series: the 200 ms budget;
 * - `reportCold` / `reportWarm`: the `surveillanceReport` call on a real encrypted database, first
 *   (reading and decrypting every confirmed case) and then with the decoded history cached;
 * - `exportCsv`: the audited CSV export of a year, weekly.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAppServices } from '../electron/app/appServices';
import { historyFromCases } from '../electron/app/surveillance/caseCounts';
import type { ConfirmedCase } from '../electron/app/surveillance/caseCounts';
import { dayNumber } from '../electron/app/surveillance/calendarPeriods';
import type { CasesBetween } from '../electron/app/surveillance/outbreakAlerts';
import { buildSurveillanceReport } from '../electron/app/surveillance/surveillanceReport';
import { defaultSyntheticOptions, generateSyntheticHistory, toConfirmedCases, writeSyntheticHistory } from '../electron/app/surveillance/syntheticHistory';
import { stats } from './forestBench';

export const surveillanceBudgetMs = 200;

/** The cases behind alerts by (diagnosis, day), as the database's index serves them. */
function indexedCasesBetween(cases: readonly ConfirmedCase[]): CasesBetween {
  const byKey = new Map<string, ConfirmedCase[]>();
  for (const c of cases) {
    const key = `${c.diagnosis}|${dayNumber(c.createdAt)}`;
    const list = byKey.get(key);
    if (list) list.push(c);
    else byKey.set(key, [c]);
  }
  return (fromDay, toDay, diagnoses) =>
    diagnoses.flatMap((d) => Array.from({ length: toDay - fromDay + 1 }, (_, i) => byKey.get(`${d}|${fromDay + i}`) ?? []).flat());
}

function timed<T>(fn: () => T): [number, T] {
  const t0 = performance.now();
  const value = fn();
  return [performance.now() - t0, value];
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await fn();
  return [performance.now() - t0, value];
}

export async function runSurveillanceBench(dir: string): Promise<object> {
  const synthetic = generateSyntheticHistory(defaultSyntheticOptions({ scale: 11 }));
  const cases = toConfirmedCases(synthetic);
  // The whole five years: every case counted, every week evaluated, every alert's cases attached.
  const request = { from: synthetic.options.start, to: synthetic.end, groupBy: 'icd10Category' as const };
  const today = synthetic.end;
  const casesBetween = indexedCasesBetween(cases);

  const pure: number[] = [];
  let alerts = 0;
  let series = 0;
  for (let i = 0; i < 12; i++) {
    const [ms, report] = timed(() => buildSurveillanceReport(historyFromCases(cases), request, today, casesBetween, new Date().toISOString()));
    if (i >= 2) pure.push(ms); // the first runs include compilation
    alerts = report.alerts.length;
    series = report.series.length;
  }

  const services = createAppServices({ dbPath: join(dir, 'surveillance.db'), scheduleBackups: false });
  try {
    await services.session.setup('Bench', 'bench passphrase');
    const { store, user } = services.session.require();
    const [writeMs] = timed(() => writeSyntheticHistory(store, synthetic, user.id));
    const call = async (method: string, payload: unknown) => {
      const r = await services.call(method, payload);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value;
    };
    const [coldMs] = await timedAsync(() => call('surveillanceReport', request));
    const warm: number[] = [];
    for (let i = 0; i < 10; i++) warm.push((await timedAsync(() => call('surveillanceReport', request)))[0]);
    const exportCsv: number[] = [];
    for (let i = 0; i < 5; i++) {
      exportCsv.push((await timedAsync(() => call('exportSurveillance', { from: '2025-01-01', to: '2025-12-31', granularity: 'week', format: 'csv' })))[0]);
    }
    const pureStats = stats(pure);
    const warmStats = stats(warm);
    return {
      cases: cases.length,
      series,
      alertsInRange: alerts,
      aggregationAndForecast: { ...pureStats, budgetMedianMs: surveillanceBudgetMs, withinBudget: pureStats.medianMs <= surveillanceBudgetMs },
      reportWarm: { ...warmStats, budgetMedianMs: surveillanceBudgetMs, withinBudget: warmStats.medianMs <= surveillanceBudgetMs },
      reportColdMs: Math.round(coldMs),
      exportCsv: stats(exportCsv),
      writeSyntheticHistoryMs: Math.round(writeMs),
    };
  } finally {
    services.close();
  }
}
