/**
 * Weekly alerts: a week alerts when its count exceeds expected + 3 σ (the EARS C2 rule), with the
 * expectation taken from the baseline that fits the history available:
 *
 * - historical limits (seasonal): the same week ±2 weeks in each of the previous 1–5 years, used
 *   once two earlier years exist, so a normal seasonal rise is expected rather than alerted on;
 * - EARS C2 (no seasonal history yet): the 7 weeks ending 3 weeks before (a 2-week guard band, so
 *   a growing outbreak does not hide in its own baseline).
 *
 * σ is the baseline's sample standard deviation but never below √expected (Poisson) nor 1 case, so
 * a baseline of zeros does not alert on a single case; and the count must be improbable under
 * Poisson with the expected mean (P ≤ 0.1%), since small counts are too skewed for "3 σ" alone.
 * Weeks the seasonal rule alerted on are left out of later seasonal baselines, so one outbreak does
 * not raise the bar for the next year; EARS C2 alerts are not (in a first year they are often just
 * the season arriving, and leaving those out would make the next year's season look like an
 * outbreak too). See README.md.
 */
import type { OutbreakRule, SurveillanceAlert, SurveillanceAlertCase } from '../../contract/ipcContract';
import type { CaseIndex, ConfirmedCase } from './caseCounts';
import { ageBandOf, passesFilter, seriesKeyOf } from './caseCounts';
import { ageInYears, dayNumber, isoDateOf, isoWeekLabel, weekStartDay } from './calendarPeriods';

export const alertSigmas = 3;
/** The count must also be this improbable under Poisson with the expected mean. */
export const alertTailProbability = 0.001;
export const weeksPerYear = 52;
export const historicalYears = 5;
export const historicalHalfWindow = 2;
/** One earlier year (5 baseline weeks) is enough for the seasonal baseline to beat the short one. */
export const minHistoricalYears = 1;
export const earsBaselineWeeks = 7;
export const earsGuardWeeks = 2;
/** EARS C2 is not evaluated on fewer baseline weeks than this (after leaving out alerted weeks). */
const minEarsBaseline = 4;

export interface WeeklyEvaluation {
  /** Per week: the baseline mean and the alert threshold; NaN where there is no baseline. */
  expected: Float64Array;
  threshold: Float64Array;
  rule: (OutbreakRule | null)[];
  alert: Uint8Array;
}

/**
 * The smallest count q with P(X > q) ≤ `alertTailProbability` for X ~ Poisson(mu): small counts are
 * discrete and skewed, so "3 σ" alone alerts too readily on a handful of cases.
 */
export function poissonUpperQuantile(mu: number, tail = alertTailProbability): number {
  let pmf = Math.exp(-mu);
  let cdf = pmf;
  let k = 0;
  while (1 - cdf > tail && k < mu + 50 * Math.sqrt(mu + 1) + 50) {
    k += 1;
    pmf *= mu / k;
    cdf += pmf;
  }
  return k;
}

function limits(values: number[]): { expected: number; threshold: number } {
  const n = values.length;
  const mu = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mu) ** 2, 0) / (n - 1) : 0;
  const sigma = Math.max(Math.sqrt(variance), Math.sqrt(Math.max(mu, 1)));
  return { expected: mu, threshold: Math.max(mu + alertSigmas * sigma, poissonUpperQuantile(mu)) };
}

/**
 * Evaluates every week of a series of consecutive weekly counts (index 0 = the first week of the
 * history), in order, so a week's baseline already knows which earlier weeks alerted.
 */
export function evaluateWeeks(counts: ArrayLike<number>): WeeklyEvaluation {
  const n = counts.length;
  const expected = new Float64Array(n).fill(Number.NaN);
  const threshold = new Float64Array(n).fill(Number.NaN);
  const rule: (OutbreakRule | null)[] = new Array<OutbreakRule | null>(n).fill(null);
  const alert = new Uint8Array(n);
  const baseline: number[] = [];
  for (let t = 0; t < n; t++) {
    baseline.length = 0;
    let used: OutbreakRule | null = null;
    if (t - minHistoricalYears * weeksPerYear - historicalHalfWindow >= 0) {
      used = 'historical-limits';
      for (let k = 1; k <= historicalYears; k++) {
        for (let j = -historicalHalfWindow; j <= historicalHalfWindow; j++) {
          const i = t - k * weeksPerYear + j;
          if (i >= 0 && !(alert[i] === 1 && rule[i] === 'historical-limits')) baseline.push(counts[i]!);
        }
      }
    } else if (t - earsGuardWeeks - earsBaselineWeeks >= 0) {
      used = 'ears-c2';
      for (let i = t - earsGuardWeeks - earsBaselineWeeks; i < t - earsGuardWeeks; i++) if (alert[i] === 0) baseline.push(counts[i]!);
      // A growing outbreak's own earlier weeks would otherwise hide it; with too few left, wait.
      if (baseline.length < minEarsBaseline) used = null;
    }
    if (used === null || baseline.length === 0) continue;
    const l = limits(baseline);
    expected[t] = l.expected;
    threshold[t] = l.threshold;
    rule[t] = used;
    if (counts[t]! > l.threshold) alert[t] = 1;
  }
  return { expected, threshold, rule, alert };
}

/** An alerting week of one series, before the cases behind it are attached. */
export interface AlertWeek {
  series: number;
  weekIndex: number;
  observed: number;
  expected: number;
  threshold: number;
  rule: OutbreakRule;
}

/** The alerting weeks among [fromWeek, toWeek] (consecutive week numbers), `firstWeek` = counts[0]. */
export function alertWeeksIn(
  series: number,
  evaluation: WeeklyEvaluation,
  counts: ArrayLike<number>,
  firstWeek: number,
  fromWeek: number,
  toWeek: number,
): AlertWeek[] {
  const out: AlertWeek[] = [];
  for (let w = Math.max(fromWeek, firstWeek); w <= toWeek && w - firstWeek < counts.length; w++) {
    const t = w - firstWeek;
    if (evaluation.alert[t] !== 1) continue;
    out.push({ series, weekIndex: w, observed: counts[t]!, expected: evaluation.expected[t]!, threshold: evaluation.threshold[t]!, rule: evaluation.rule[t]! });
  }
  return out;
}

/**
 * Confirmed cases recorded under one of `diagnoses` and dated within [fromDay, toDay] (day
 * numbers): the repository (an index seek per diagnosis), or a test's array.
 */
export type CasesBetween = (fromDay: number, toDay: number, diagnoses: readonly string[]) => ConfirmedCase[];

/**
 * Attaches the cases behind each alerting week (those of its series that pass the report's filter),
 * newest week first. Ids are read only for alerting weeks, so the counts never carry them.
 */
export function withCases(index: CaseIndex, weeks: AlertWeek[], casesBetween: CasesBetween): SurveillanceAlert[] {
  const diagnosesOf = index.series.map((): Set<string> => new Set());
  index.history.kinds.forEach((k) => diagnosesOf[index.series.findIndex((s) => s.key === seriesKeyOf(k.diagnosis, k.icd10, index.groupBy))]?.add(k.diagnosis));
  return weeks
    .map((a): SurveillanceAlert => {
      const s = index.series[a.series]!;
      const start = weekStartDay(a.weekIndex);
      const cases = casesBetween(start, start + 6, [...diagnosesOf[a.series]!])
        .filter((c) => seriesKeyOf(c.diagnosis, c.icd10, index.groupBy) === s.key)
        .filter((c) => passesFilter(ageBandOf(ageInYears(c.birthDate, c.createdAt)), c.sex, index.filter))
        .map((c): SurveillanceAlertCase => ({ caseId: c.caseId, patientId: c.patientId, createdAt: c.createdAt }))
        .sort((x, y) => (x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : x.caseId < y.caseId ? -1 : 1));
      return {
        series: s.key,
        label: s.label,
        icd10Category: s.icd10Category,
        week: isoWeekLabel(a.weekIndex),
        weekStart: isoDateOf(start),
        weekEnd: isoDateOf(start + 6),
        observed: a.observed,
        expected: a.expected,
        threshold: a.threshold,
        rule: a.rule,
        cases,
      };
    })
    .sort((x, y) => (x.weekStart === y.weekStart ? y.observed - x.observed : x.weekStart < y.weekStart ? 1 : -1));
}

/** In-memory CasesBetween over an array (tests, the benchmark's pure run). */
export function casesBetweenIn(cases: readonly ConfirmedCase[]): CasesBetween {
  const days = cases.map((c) => dayNumber(c.createdAt));
  return (fromDay, toDay, diagnoses) => {
    const wanted = new Set(diagnoses);
    return cases.filter((c, i) => days[i]! >= fromDay && days[i]! <= toDay && wanted.has(c.diagnosis));
  };
}
