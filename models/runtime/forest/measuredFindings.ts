/**
 * Measured vitals and labs as findings of the symptom differential. Its data (the Kaggle symptom
 * lists) has no measurements, only findings, so a measurement enters only where it settles one of
 * them. Cut-offs (adults; every one a measurement at the visit):
 *
 *   high_fever            temperature ≥ 39.0 °C        (the usual "high fever" line)
 *   mild_fever            38.0 ≤ temperature < 39.0 °C (fever is ≥ 38.0 °C; below 39 it is not high)
 *   fast_heart_rate       heart rate > 100 /min, age ≥ 18 (adult tachycardia; children's limits differ)
 *   irregular_sugar_level glucose < 70 mg/dL (ADA level 1 hypoglycaemia) or ≥ 200 mg/dL (random
 *                         hyperglycaemia in the diabetic range)
 *
 * Only "present" is derived. A normal value now does not make a symptom absent: fevers come and go
 * (malaria's paroxysms, antipyretics), a fast heart rate may have been paroxysmal, and an absent
 * finding lowers the diseases that have it, so a normal desk reading would wrongly push down
 * malaria, dengue or typhoid. SpO2 and respiratory rate have no finding in these data
 * ("breathlessness" is a symptom the patient reports, not a saturation), so they do not enter.
 *
 * A finding the clinician entered (present or absent) is never overwritten; where the measurement
 * disagrees it is listed, not applied. Derived findings are marked as such everywhere they appear.
 */

export interface Measurements {
  /** °C. */
  temperature?: number;
  /** Beats per minute. */
  heartRate?: number;
  /** mg/dL, each with where it was measured (serum glucose, OGTT …). */
  glucose?: readonly { value: number; from: string }[];
  ageYears?: number;
}

export interface MeasuredFinding {
  feature: string;
  state: 'present';
  /** What was measured, for the clinician: "temperature 39.2 °C". */
  measured: string;
  /** The cut-off that turned it into the finding. */
  rule: string;
  /** False where the clinician entered the finding (their entry stands; this one is shown only). */
  applied: boolean;
}

type Rule = { feature: string; rule: string; measured: (m: Measurements) => string | null };

const round1 = (v: number): number => Math.round(v * 10) / 10;

const RULES: readonly Rule[] = [
  {
    feature: 'high_fever',
    rule: 'temperature ≥ 39.0 °C',
    measured: (m) => (m.temperature !== undefined && m.temperature >= 39 ? `temperature ${round1(m.temperature)} °C` : null),
  },
  {
    feature: 'mild_fever',
    rule: 'temperature 38.0–38.9 °C',
    measured: (m) => (m.temperature !== undefined && m.temperature >= 38 && m.temperature < 39 ? `temperature ${round1(m.temperature)} °C` : null),
  },
  {
    feature: 'fast_heart_rate',
    rule: 'heart rate > 100 /min (adults)',
    measured: (m) =>
      m.heartRate !== undefined && m.heartRate > 100 && m.ageYears !== undefined && m.ageYears >= 18 ? `heart rate ${round1(m.heartRate)} /min` : null,
  },
  {
    feature: 'irregular_sugar_level',
    rule: 'glucose < 70 or ≥ 200 mg/dL',
    measured: (m) => {
      const out = (m.glucose ?? []).filter((g) => g.value < 70 || g.value >= 200);
      return out.length > 0 ? out.map((g) => `${g.from} ${round1(g.value)} mg/dL`).join(', ') : null;
    },
  },
];

/**
 * The findings the measurements settle, for a model with these features; `entered` holds the
 * clinician's own entries (feature → 1 present, 0 absent), which win.
 */
export function measuredFindings(m: Measurements, features: readonly string[], entered: Readonly<Record<string, number>>): MeasuredFinding[] {
  const known = new Set(features);
  const out: MeasuredFinding[] = [];
  for (const r of RULES) {
    if (!known.has(r.feature)) continue;
    const measured = r.measured(m);
    if (measured === null) continue;
    out.push({ feature: r.feature, state: 'present', measured, rule: r.rule, applied: !(r.feature in entered) });
  }
  return out;
}

/** Hallmark findings a measurement contradicts now (value in the normal range), with the value. */
export function contradictedNow(m: Measurements): Map<string, string> {
  const out = new Map<string, string>();
  if (m.temperature !== undefined && m.temperature < 37.5) {
    out.set('high_fever', `temperature ${round1(m.temperature)} °C`);
    out.set('mild_fever', `temperature ${round1(m.temperature)} °C`);
  }
  if (m.heartRate !== undefined && m.heartRate >= 50 && m.heartRate <= 100 && m.ageYears !== undefined && m.ageYears >= 18)
    out.set('fast_heart_rate', `heart rate ${round1(m.heartRate)} /min`);
  return out;
}

/** A finding present in at least this share of a disease's patterns is one of its hallmarks. */
export const HALLMARK_MIN_FREQUENCY = 0.9;

/**
 * A note for a can't-miss condition whose hallmark a measurement contradicts now: the alarm stays
 * (a normal value now does not rule these out) but the screen says which value disagrees.
 */
export function cantMissMeasurementNote(
  hallmarks: readonly string[],
  contradicted: ReadonlyMap<string, string>,
  findingName: (f: string) => string,
): string | null {
  const hits = hallmarks.filter((h) => contradicted.has(h));
  if (hits.length === 0) return null;
  return hits.map((h) => `${findingName(h)} is typical, but measured ${contradicted.get(h) as string} (normal now; it may come and go)`).join('; ');
}
