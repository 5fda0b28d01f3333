import { describe, expect, it } from 'vitest';
import { historyFromCases, indexCases, monthlyCounts } from './caseCounts';
import { dayNumber, monthIndexOfDay } from './calendarPeriods';
import { backtest, fitHoltWinters, forecastNextMonth, minMonthsSeasonalNaive, seasonalNaive } from './seasonalForecast';
import { defaultSyntheticOptions, generateSyntheticHistory, toConfirmedCases } from './syntheticHistory';

const jan2020 = 2020 * 12;
/** A clean seasonal shape (period 12) on a linear trend. */
const shape = [10, 14, 20, 30, 42, 50, 46, 36, 24, 16, 12, 9];
const seasonal = (months: number, trend = 0) => Array.from({ length: months }, (_, t) => shape[t % 12]! + trend * t);

describe('seasonal naive', () => {
  it('repeats the same month last year, with σ from the seasonal differences', () => {
    const y = seasonal(24, 0.5);
    const f = seasonalNaive(y);
    expect(f.point).toBe(y[12]);
    // Every seasonal difference is 12 × 0.5 = 6, so σ = 6 and the interval is ±1.96 × 6.
    expect(f.upper - f.point).toBeCloseTo(1.959964 * 6, 4);
  });

  it('never gives a negative count or an interval narrower than Poisson', () => {
    const f = seasonalNaive([...Array(12).fill(0), 0]);
    expect(f.point).toBe(0);
    expect(f.lower).toBe(0);
    expect(f.upper).toBeCloseTo(1.959964, 4);
  });
});

describe('Holt-Winters', () => {
  it('learns a clean seasonal series with trend and forecasts the next month', () => {
    const y = seasonal(48, 0.5);
    const fit = fitHoltWinters(y);
    const next = shape[48 % 12]! + 0.5 * 48;
    expect(Math.abs(fit.point - next)).toBeLessThan(1);
    expect(fit.parameters.beta).not.toBeNull();
    expect(fit.sigma).toBeLessThan(1.5);
  });

  it('needs two seasons and a month', () => {
    expect(() => fitHoltWinters(seasonal(24))).toThrow(RangeError);
  });
});

describe('backtest', () => {
  it('scores one-month-ahead forecasts from each origin against what happened', () => {
    const y = seasonal(30);
    const result = backtest('seasonal-naive', y, 6, jan2020);
    expect(result.origins).toBe(6);
    expect(result.points.map((p) => p.month)).toEqual(['2022-01', '2022-02', '2022-03', '2022-04', '2022-05', '2022-06']);
    // A repeating shape: last year's month is exactly right.
    expect(result.mae).toBe(0);
    expect(result.coverage).toBe(1);
  });
});

describe('next month', () => {
  it('says "not enough history" below 13 complete months', () => {
    expect(forecastNextMonth(seasonal(12), jan2020)).toEqual({
      status: 'not-enough-history',
      targetMonth: '2021-01',
      historyMonths: 12,
      monthsNeeded: minMonthsSeasonalNaive,
    });
  });

  it('backtests Holt-Winters only from origins with 25 months behind them', () => {
    for (const months of [30, 31, 36, 37]) {
      const f = forecastNextMonth(seasonal(months, 0.2), jan2020);
      if (f.status !== 'forecast') throw new Error('expected a forecast');
      const hw = f.methods.find((m) => m.method === 'holt-winters');
      expect({ months, origins: hw?.backtest?.origins ?? null }).toEqual({ months, origins: months < 31 ? null : Math.min(12, months - 25) });
    }
  });

  it('offers only seasonal naive until Holt-Winters can be backtested', () => {
    const f = forecastNextMonth(seasonal(20), jan2020);
    expect(f.status).toBe('forecast');
    if (f.status !== 'forecast') return;
    expect(f.methods.map((m) => m.method)).toEqual(['seasonal-naive']);
    expect(f.targetMonth).toBe('2021-09');
    expect(f.methods[0]!.backtest?.origins).toBe(7);
  });

  it('beats the seasonal-naive baseline on the backtest of the synthetic history', () => {
    const synthetic = generateSyntheticHistory(defaultSyntheticOptions());
    const index = indexCases(historyFromCases(toConfirmedCases(synthetic)), 'icd10Category');
    // Complete months: January 2021 to December 2025.
    const first = monthIndexOfDay(dayNumber('2021-01-04'));
    const last = monthIndexOfDay(dayNumber('2025-12-31'));
    const counts = monthlyCounts(index, first, last);
    const seasonalSeries = ['J11', 'A09', 'A90'];
    for (const key of seasonalSeries) {
      const f = forecastNextMonth(counts[index.series.findIndex((s) => s.key === key)]!, first);
      expect(f.status).toBe('forecast');
      if (f.status !== 'forecast') continue;
      expect(f.targetMonth).toBe('2026-01');
      const [naive, hw] = f.methods;
      expect(hw?.method).toBe('holt-winters');
      expect(hw!.backtest!.origins).toBe(12);
      expect({ key, hwBeatsNaive: hw!.backtest!.mae < naive!.backtest!.mae }).toEqual({ key, hwBeatsNaive: true });
      expect(f.chosen).toBe('holt-winters');
      // Calibration: a 95% interval that covers at least 10 of 12 held-out months.
      expect(hw!.backtest!.coverage).toBeGreaterThanOrEqual(10 / 12);
    }
  });
});
