import { describe, expect, it } from 'vitest';
import { normalVitals } from './testing/normalVitals';

import {
  computeNews2,
  news2Missing,
  scoreConsciousness,
  scoreHeartRate,
  scoreRespiratoryRate,
  scoreSpo2Scale1,
  scoreSpo2Scale2,
  scoreSystolicBp,
  scoreTemperature,
  type News2Vitals,
} from './news2';
import { computeQsofa } from './qsofa';

// Every band edge of the RCP 2017 chart: the last value of one band and the first of the next.
describe('NEWS2 parameter bands (RCP 2017 chart)', () => {
  it.each([
    [5, 3],
    [8, 3],
    [9, 1],
    [11, 1],
    [12, 0],
    [20, 0],
    [21, 2],
    [24, 2],
    [25, 3],
    [40, 3],
    [8.5, 1],
  ])('respiratory rate %s → %s', (v, s) => expect(scoreRespiratoryRate(v)).toBe(s));

  it.each([
    [80, 3],
    [91, 3],
    [92, 2],
    [93, 2],
    [94, 1],
    [95, 1],
    [96, 0],
    [100, 0],
  ])('SpO2 scale 1 %s%% → %s', (v, s) => expect(scoreSpo2Scale1(v)).toBe(s));

  it.each([
    [83, false, 3],
    [84, false, 2],
    [85, false, 2],
    [86, false, 1],
    [87, false, 1],
    [88, false, 0],
    [92, false, 0],
    [93, false, 0],
    [97, false, 0],
    [100, false, 0],
    [88, true, 0],
    [92, true, 0],
    [93, true, 1],
    [94, true, 1],
    [95, true, 2],
    [96, true, 2],
    [97, true, 3],
    [100, true, 3],
    [83, true, 3],
  ] as const)('SpO2 scale 2 %s%%, on oxygen %s → %s', (v, o, s) => expect(scoreSpo2Scale2(v, o)).toBe(s));

  it.each([
    [70, 3],
    [90, 3],
    [91, 2],
    [100, 2],
    [101, 1],
    [110, 1],
    [111, 0],
    [219, 0],
    [220, 3],
  ])('systolic %s → %s', (v, s) => expect(scoreSystolicBp(v)).toBe(s));

  it.each([
    [30, 3],
    [40, 3],
    [41, 1],
    [50, 1],
    [51, 0],
    [90, 0],
    [91, 1],
    [110, 1],
    [111, 2],
    [130, 2],
    [131, 3],
  ])('pulse %s → %s', (v, s) => expect(scoreHeartRate(v)).toBe(s));

  it.each([
    [34, 3],
    [35.0, 3],
    [35.1, 1],
    [36.0, 1],
    [36.1, 0],
    [38.0, 0],
    [38.1, 1],
    [39.0, 1],
    [39.1, 2],
    [41, 2],
  ])('temperature %s °C → %s', (v, s) => expect(scoreTemperature(v)).toBe(s));

  it('consciousness: alert 0, any of C/V/P/U 3', () => {
    expect(scoreConsciousness('alert')).toBe(0);
    for (const c of ['new-confusion', 'voice', 'pain', 'unresponsive'] as const) expect(scoreConsciousness(c)).toBe(3);
  });
});

const normal: Required<Omit<News2Vitals, 'hypercapnicRespiratoryFailure'>> = normalVitals;

describe('NEWS2 aggregate and risk bands', () => {
  it('a normal set scores 0, low', () => {
    expect(computeNews2(normal)).toMatchObject({ score: 0, risk: 'low', spo2Scale: 1 });
  });

  it('4 is low, 5 medium, 6 medium, 7 high', () => {
    // RR 21 (2) + pulse 91 (1) + temp 38.1 (1) = 4
    const four = { ...normal, respiratoryRate: 21, heartRate: 91, temperature: 38.1 };
    expect(computeNews2(four)).toMatchObject({ score: 4, risk: 'low' });
    expect(computeNews2({ ...four, systolicBp: 110 })).toMatchObject({ score: 5, risk: 'medium' });
    expect(computeNews2({ ...four, systolicBp: 100 })).toMatchObject({ score: 6, risk: 'medium' });
    expect(computeNews2({ ...four, systolicBp: 100, spo2: 95 })).toMatchObject({ score: 7, risk: 'high' });
  });

  it('a single parameter scoring 3 with an aggregate under 5 is low-medium; 5 with a 3 is medium', () => {
    expect(computeNews2({ ...normal, consciousness: 'new-confusion' })).toMatchObject({ score: 3, risk: 'low-medium' });
    expect(computeNews2({ ...normal, respiratoryRate: 25, heartRate: 91 })).toMatchObject({ score: 4, risk: 'low-medium' });
    expect(computeNews2({ ...normal, respiratoryRate: 25, heartRate: 111 })).toMatchObject({ score: 5, risk: 'medium' });
    // 2+2 = 4 without any 3 stays low
    expect(computeNews2({ ...normal, respiratoryRate: 21, onSupplementalOxygen: true })).toMatchObject({ score: 4, risk: 'low' });
  });

  it('supplemental oxygen adds 2', () => {
    expect(computeNews2({ ...normal, onSupplementalOxygen: true })?.parameters.airOrOxygen).toBe(2);
  });

  it('scale 2 only when hypercapnic respiratory failure is marked', () => {
    const copd = { ...normal, spo2: 89, onSupplementalOxygen: true };
    expect(computeNews2(copd)).toMatchObject({ spo2Scale: 1, parameters: { spo2: 3 } });
    expect(computeNews2({ ...copd, hypercapnicRespiratoryFailure: true })).toMatchObject({ spo2Scale: 2, parameters: { spo2: 0 }, score: 2 });
    expect(computeNews2({ ...copd, spo2: 98, hypercapnicRespiratoryFailure: true })?.parameters.spo2).toBe(3);
  });

  it('null when any parameter is missing, naming it', () => {
    for (const k of Object.keys(normal) as (keyof typeof normal)[]) {
      const v: News2Vitals = { ...normal, [k]: undefined };
      expect(computeNews2(v), k).toBeNull();
      expect(news2Missing(v)).toEqual([k]);
    }
    expect(computeNews2({ ...normal, heartRate: Number.NaN })).toBeNull();
    expect(computeNews2({ ...normal, consciousness: 'drowsy' as never })).toBeNull();
  });
});

describe('qSOFA (Sepsis-3)', () => {
  const base = { respiratoryRate: 21, systolicBp: 101, consciousness: 'alert' as const };
  it('each criterion at its edge', () => {
    expect(computeQsofa(base)?.score).toBe(0);
    expect(computeQsofa({ ...base, respiratoryRate: 22 })?.score).toBe(1);
    expect(computeQsofa({ ...base, systolicBp: 100 })?.score).toBe(1);
    expect(computeQsofa({ ...base, consciousness: 'new-confusion' })?.score).toBe(1);
    expect(computeQsofa({ respiratoryRate: 22, systolicBp: 100, consciousness: 'voice' })).toEqual({
      score: 3,
      criteria: { respiratoryRate: true, alteredMentation: true, systolicBp: true },
    });
  });
  it('null when a parameter is missing', () => {
    expect(computeQsofa({ ...base, respiratoryRate: undefined })).toBeNull();
    expect(computeQsofa({ ...base, systolicBp: null })).toBeNull();
    expect(computeQsofa({ respiratoryRate: 30, systolicBp: 80 })).toBeNull();
  });
});
