/**
 * Next month's count per series, from complete monthly counts, by two documented methods fitted
 * here on this computer:
 *
 * - seasonal naive (the baseline): next month = the same month last year;
 * - additive Holt-Winters (level, optional trend, 12 monthly seasonal terms), its smoothing
 *   parameters chosen on the series by least one-step-ahead squared error over a fixed grid.
 *
 * Each method's 95% prediction interval is point ± 1.96 σ, σ the RMS of its in-sample one-step
 * errors but never below √point (a count cannot be less variable than Poisson). Both are backtested
 * by rolling origin: refitted on the months before each of the last (up to) 12 months and scored on
 * that month, giving MAE and interval coverage. The method with the lower backtest MAE is "chosen";
 * both are reported so nobody trusts a forecast that has not earned it. See README.md.
 */
import type { ForecastBacktestPoint, ForecastMethod, ForecastMethodResult, SurveillanceForecast } from '../../contract/ipcContract';
import { monthLabel } from './calendarPeriods';

export const seasonLength = 12;
export const intervalLevel = 0.95;
const z95 = 1.959964;
/** Seasonal naive needs last year's month plus one seasonal difference for its σ. */
export const minMonthsSeasonalNaive = seasonLength + 1;
/** Holt-Winters is initialised from two full seasons and needs one more month for its σ... */
export const minMonthsHoltWintersFit = 2 * seasonLength + 1;
/** ...and is only offered once it can be backtested on at least this many months. */
export const minBacktestOrigins = 6;
export const maxBacktestOrigins = 12;

const alphaGrid = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9] as const;
/** null: no trend term (the level alone carries changes). */
const betaGrid = [null, 0.02, 0.1] as const;
const gammaGrid = [0.05, 0.1, 0.2, 0.3, 0.5] as const;

export interface OneStepForecast {
  point: number;
  lower: number;
  upper: number;
}

export interface HoltWintersParameters {
  alpha: number;
  beta: number | null;
  gamma: number;
}

export interface HoltWintersFit extends OneStepForecast {
  parameters: HoltWintersParameters;
  /** RMS of in-sample one-step errors (months after the first season). */
  sigma: number;
}

function interval(point: number, sigma: number): OneStepForecast {
  const p = Math.max(0, point);
  const s = Math.max(sigma, Math.sqrt(Math.max(p, 1)));
  return { point: p, lower: Math.max(0, p - z95 * s), upper: p + z95 * s };
}

const mean = (xs: ArrayLike<number>, from: number, to: number): number => {
  let sum = 0;
  for (let i = from; i < to; i++) sum += xs[i]!;
  return sum / (to - from);
};

/** Same month last year; σ from the seasonal differences y[t] − y[t−12] seen so far. */
export function seasonalNaive(history: ArrayLike<number>): OneStepForecast {
  const n = history.length;
  if (n < minMonthsSeasonalNaive) throw new RangeError(`seasonal naive needs ${minMonthsSeasonalNaive} months, got ${n}`);
  let sse = 0;
  for (let t = seasonLength; t < n; t++) sse += (history[t]! - history[t - seasonLength]!) ** 2;
  return interval(history[n - seasonLength]!, Math.sqrt(sse / (n - seasonLength)));
}

/** Runs the additive recursion for one parameter set: one-step SSE and the forecast for month n. */
function holtWintersRun(
  y: ArrayLike<number>,
  alpha: number,
  beta: number | null,
  gamma: number,
  season: Float64Array,
): { sse: number; count: number; next: number } {
  const m = seasonLength;
  const n = y.length;
  const mean1 = mean(y, 0, m);
  const mean2 = mean(y, m, 2 * m);
  // Seasonal terms: each month's average deviation from its season's mean over the first two seasons.
  for (let i = 0; i < m; i++) season[i] = (y[i]! - mean1 + y[i + m]! - mean2) / 2;
  let trend = beta === null ? 0 : (mean2 - mean1) / m;
  // Level at the end of the first season (its mean sits mid-season).
  let level = mean1 + ((m - 1) / 2) * trend;
  let sse = 0;
  for (let t = m; t < n; t++) {
    const s = season[t % m]!;
    const forecast = level + trend + s;
    const e = y[t]! - forecast;
    sse += e * e;
    const previousLevel = level;
    const previousTrend = trend;
    level = alpha * (y[t]! - s) + (1 - alpha) * (previousLevel + previousTrend);
    if (beta !== null) trend = beta * (level - previousLevel) + (1 - beta) * previousTrend;
    season[t % m] = gamma * (y[t]! - previousLevel - previousTrend) + (1 - gamma) * s;
  }
  return { sse, count: n - m, next: level + trend + season[n % m]! };
}

/** Fits every grid point and keeps the one with the least one-step squared error. */
export function fitHoltWinters(history: ArrayLike<number>): HoltWintersFit {
  if (history.length < minMonthsHoltWintersFit) {
    throw new RangeError(`Holt-Winters needs ${minMonthsHoltWintersFit} months, got ${history.length}`);
  }
  const season = new Float64Array(seasonLength);
  let best: { sse: number; count: number; next: number; parameters: HoltWintersParameters } | null = null;
  for (const alpha of alphaGrid) {
    for (const beta of betaGrid) {
      for (const gamma of gammaGrid) {
        const run = holtWintersRun(history, alpha, beta, gamma, season);
        if (best === null || run.sse < best.sse - 1e-9) best = { ...run, parameters: { alpha, beta, gamma } };
      }
    }
  }
  const sigma = Math.sqrt(best!.sse / best!.count);
  return { ...interval(best!.next, sigma), parameters: best!.parameters, sigma };
}

function forecastWith(method: ForecastMethod, history: ArrayLike<number>): OneStepForecast {
  switch (method) {
    case 'seasonal-naive':
      return seasonalNaive(history);
    case 'holt-winters':
      return fitHoltWinters(history);
  }
}

export interface BacktestResult {
  origins: number;
  mae: number;
  coverage: number;
  points: ForecastBacktestPoint[];
}

/**
 * Rolling origin, one month ahead: for each of the last `origins` months, refit on the months
 * before it (parameters re-chosen too) and score the forecast against what happened.
 */
export function backtest(method: ForecastMethod, history: ArrayLike<number>, origins: number, firstMonth: number): BacktestResult {
  const n = history.length;
  const points: ForecastBacktestPoint[] = [];
  let absError = 0;
  let covered = 0;
  for (let k = n - origins; k < n; k++) {
    const f = forecastWith(method, Array.prototype.slice.call(history, 0, k) as number[]);
    const actual = history[k]!;
    absError += Math.abs(actual - f.point);
    if (actual >= f.lower && actual <= f.upper) covered += 1;
    points.push({ month: monthLabel(firstMonth + k), actual, ...f });
  }
  return { origins, mae: absError / origins, coverage: covered / origins, points };
}

/**
 * The forecast for the month after `history` (complete months, oldest first, starting at
 * `firstMonth` as a consecutive month number), or "not enough history".
 */
export function forecastNextMonth(history: ArrayLike<number>, firstMonth: number): SurveillanceForecast {
  const n = history.length;
  const targetMonth = monthLabel(firstMonth + n);
  if (n < minMonthsSeasonalNaive) {
    return { status: 'not-enough-history', targetMonth, historyMonths: n, monthsNeeded: minMonthsSeasonalNaive };
  }
  const holtWintersAvailable = n >= minMonthsHoltWintersFit + minBacktestOrigins;
  // Both methods are scored on the same months, so their errors compare like for like.
  const origins = Math.min(maxBacktestOrigins, n - (holtWintersAvailable ? minMonthsHoltWintersFit : minMonthsSeasonalNaive));
  const methods: ForecastMethodResult[] = [];
  const naive = seasonalNaive(history);
  methods.push({
    method: 'seasonal-naive',
    ...naive,
    backtest: origins > 0 ? backtest('seasonal-naive', history, origins, firstMonth) : null,
    parameters: null,
  });
  if (holtWintersAvailable) {
    const hw = fitHoltWinters(history);
    methods.push({
      method: 'holt-winters',
      point: hw.point,
      lower: hw.lower,
      upper: hw.upper,
      backtest: backtest('holt-winters', history, origins, firstMonth),
      parameters: hw.parameters,
    });
  }
  const chosen = methods.reduce((a, b) => ((b.backtest?.mae ?? Infinity) < (a.backtest?.mae ?? Infinity) ? b : a));
  return { status: 'forecast', targetMonth, historyMonths: n, level: intervalLevel, chosen: chosen.method, methods };
}
