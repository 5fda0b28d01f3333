import { describe, expect, it } from 'vitest';
import { historyFromCases, indexCases, weeklyCounts } from './caseCounts';
import { isoWeekLabel, weekIndexOf } from './calendarPeriods';
import { alertWeeksIn, casesBetweenIn, evaluateWeeks, poissonUpperQuantile, withCases } from './outbreakAlerts';
import { defaultSyntheticOptions, generateSyntheticHistory, toConfirmedCases } from './syntheticHistory';

describe('the alert rule', () => {
  it('uses EARS C2 (7 weeks, 2-week guard band) before a year of history exists', () => {
    const counts = [5, 6, 4, 5, 6, 5, 4, 5, 6, 5, 19, 5];
    const ev = evaluateWeeks(counts);
    expect(ev.rule.slice(0, 9)).toEqual(Array(9).fill(null));
    expect(ev.rule[9]).toBe('ears-c2');
    // Week 10's baseline is weeks 1–7: mean 35/7 = 5, sd 0.816 < √5, so 5 + 3√5 ≈ 11.7; the
    // Poisson tail is the higher bar here: P(X > 13) ≤ 0.1% for X ~ Poisson(5).
    expect(ev.expected[10]).toBeCloseTo(5, 6);
    expect(poissonUpperQuantile(5)).toBe(13);
    expect(ev.threshold[10]).toBe(13);
    expect(Array.from(ev.alert)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
  });

  it('does not alert on a single case over a baseline of zeros', () => {
    const ev = evaluateWeeks([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 5]);
    expect(Array.from(ev.alert.slice(10, 12))).toEqual([0, 0]);
    expect(poissonUpperQuantile(0)).toBe(0);
    // With nothing expected, the floor (σ ≥ 1) sets the bar at 3 cases.
    expect(ev.threshold[12]).toBeCloseTo(3, 6);
    expect(ev.alert[12]).toBe(1);
  });

  it('switches to the same weeks of earlier years once a year exists, and leaves alerted weeks out', () => {
    const year = Array.from({ length: 52 }, (_, w) => (w >= 20 && w < 30 ? 30 : 10));
    const outbreak = year.map((c, w) => (w === 40 ? 60 : c));
    const ev = evaluateWeeks([...year, ...outbreak, ...year]);
    // In the first year EARS C2 takes the season's arrival for an outbreak (a known limit)...
    expect(ev.rule[20]).toBe('ears-c2');
    expect(ev.alert[20]).toBe(1);
    // ...from the second year the seasonal baseline expects it.
    expect(ev.rule[52 + 20]).toBe('historical-limits');
    expect(ev.alert[52 + 20]).toBe(0);
    expect(ev.alert[52 + 40]).toBe(1);
    // Year 3's week 40 baseline no longer holds year 2's outbreak week.
    expect(ev.expected[104 + 40]).toBeCloseTo(10, 6);
  });

  it('takes the Poisson tail as a floor for small counts', () => {
    expect(poissonUpperQuantile(1.4)).toBe(6);
    expect(poissonUpperQuantile(20)).toBeGreaterThan(30);
  });
});

describe('on the synthetic history', () => {
  const synthetic = generateSyntheticHistory(defaultSyntheticOptions());
  const cases = toConfirmedCases(synthetic);
  const index = indexCases(historyFromCases(cases), 'icd10Category');
  const firstWeek = weekIndexOf(index.history.firstDay);
  const counts = weeklyCounts(index, firstWeek, weekIndexOf(index.history.lastDay));
  const alertsBySeries = index.series.map((s, i) => ({
    key: s.key,
    weeks: alertWeeksIn(i, evaluateWeeks(counts[i]!), counts[i]!, firstWeek, firstWeek, firstWeek + counts[i]!.length - 1),
  }));
  const labels = (key: string, year: string) =>
    alertsBySeries
      .find((a) => a.key === key)!
      .weeks.map((w) => isoWeekLabel(w.weekIndex))
      .filter((w) => w.startsWith(year));

  it('fires in every week of the injected outbreak', () => {
    expect(synthetic.outbreak).toEqual({ icd10Category: 'A90', weeks: ['2024-W20', '2024-W21', '2024-W22', '2024-W23'] });
    expect(labels('A90', '2024-')).toEqual(expect.arrayContaining(synthetic.outbreak!.weeks));
  });

  it('stays silent in a quiet year for every diagnosis', () => {
    for (const { key } of alertsBySeries) expect({ key, alerts: labels(key, '2025-') }).toEqual({ key, alerts: [] });
    for (const { key } of alertsBySeries) expect({ key, alerts: labels(key, '2022-') }).toEqual({ key, alerts: [] });
  });

  it('lists the cases behind an alert, all of that diagnosis and week', () => {
    const a90 = index.series.findIndex((s) => s.key === 'A90');
    const outbreakWeek = alertsBySeries[a90]!.weeks.find((w) => isoWeekLabel(w.weekIndex) === '2024-W21')!;
    const [alert] = withCases(index, [outbreakWeek], casesBetweenIn(cases));
    expect(alert).toMatchObject({
      series: 'A90',
      label: 'Dengue fever',
      week: '2024-W21',
      weekStart: '2024-05-20',
      weekEnd: '2024-05-26',
      rule: 'historical-limits',
    });
    expect(alert!.cases).toHaveLength(alert!.observed);
    const byId = new Map(cases.map((c) => [c.caseId, c]));
    for (const c of alert!.cases) {
      expect(byId.get(c.caseId)).toMatchObject({ icd10: 'A90', patientId: c.patientId });
      expect(c.createdAt >= '2024-05-20' && c.createdAt < '2024-05-27').toBe(true);
    }
  });
});
