import { describe, expect, it } from 'vitest';

import { cantMissMeasurementNote, contradictedNow, measuredFindings } from './measuredFindings';

const features = ['high_fever', 'mild_fever', 'fast_heart_rate', 'irregular_sugar_level', 'cough'];
const derived = (m: Parameters<typeof measuredFindings>[0], entered: Record<string, number> = {}) =>
  measuredFindings(m, features, entered).map((d) => [d.feature, d.applied, d.measured]);

describe('findings from measurements', () => {
  it('temperature: ≥ 39.0 °C is a high fever, 38.0–38.9 a mild one, below 38 nothing', () => {
    expect(derived({ temperature: 39 })).toEqual([['high_fever', true, 'temperature 39 °C']]);
    expect(derived({ temperature: 38.95 })).toEqual([['mild_fever', true, 'temperature 39 °C']]);
    expect(derived({ temperature: 38 })).toEqual([['mild_fever', true, 'temperature 38 °C']]);
    expect(derived({ temperature: 37.9 })).toEqual([]);
  });

  it('a normal value never makes a finding absent (fevers come and go)', () => {
    for (const m of [{ temperature: 36.5 }, { heartRate: 70, ageYears: 40 }, { glucose: [{ value: 100, from: 'glucose' }] }])
      expect(measuredFindings(m, features, {})).toEqual([]);
  });

  it('heart rate > 100 is a fast heart rate in adults only (age unknown or a child: nothing)', () => {
    expect(derived({ heartRate: 101, ageYears: 18 })).toEqual([['fast_heart_rate', true, 'heart rate 101 /min']]);
    expect(derived({ heartRate: 100, ageYears: 40 })).toEqual([]);
    expect(derived({ heartRate: 130 })).toEqual([]);
    expect(derived({ heartRate: 130, ageYears: 6 })).toEqual([]);
  });

  it('glucose < 70 or ≥ 200 mg/dL is an irregular sugar level, naming each value', () => {
    expect(derived({ glucose: [{ value: 65, from: 'glucose' }] })).toEqual([['irregular_sugar_level', true, 'glucose 65 mg/dL']]);
    expect(
      derived({
        glucose: [
          { value: 150, from: 'glucose' },
          { value: 240, from: '2-hour OGTT glucose' },
        ],
      }),
    ).toEqual([['irregular_sugar_level', true, '2-hour OGTT glucose 240 mg/dL']]);
    expect(derived({ glucose: [{ value: 199, from: 'glucose' }] })).toEqual([]);
  });

  it("the clinician's entry wins: listed, not applied (present or absent)", () => {
    expect(derived({ temperature: 39.5 }, { high_fever: 0 })).toEqual([['high_fever', false, 'temperature 39.5 °C']]);
    expect(derived({ temperature: 39.5 }, { high_fever: 1 })).toEqual([['high_fever', false, 'temperature 39.5 °C']]);
  });

  it('only findings the model has', () => {
    expect(measuredFindings({ temperature: 39.5 }, ['cough'], {})).toEqual([]);
  });

  it("a can't-miss condition whose hallmark a measurement contradicts now gets a note naming the value", () => {
    const c = contradictedNow({ temperature: 36.8, heartRate: 72, ageYears: 30 });
    expect([...c.keys()].sort()).toEqual(['fast_heart_rate', 'high_fever', 'mild_fever']);
    const note = cantMissMeasurementNote(['chills', 'high_fever'], c, (f) => f.replace(/_/g, ' '));
    expect(note).toContain('high fever');
    expect(note).toContain('36.8 °C');
    expect(cantMissMeasurementNote(['chills'], c, (f) => f)).toBeNull();
    expect(contradictedNow({ temperature: 37.5 }).size).toBe(0);
  });
});
