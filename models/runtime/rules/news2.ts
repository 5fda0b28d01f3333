/**
 * NEWS2 (National Early Warning Score 2) exactly as the Royal College of Physicians chart:
 * Royal College of Physicians. National Early Warning Score (NEWS) 2: Standardising the assessment of
 * acute-illness severity in the NHS. Updated report of a working party. London: RCP, 2017.
 *
 * Pure, no I/O. The chart is written for whole numbers (temperature to 0.1 °C); a fractional value
 * scores in the band whose upper bound it does not exceed (RR 8.5 scores as 9–11), never in a
 * lower-risk band than both neighbours would give it.
 */

export const consciousnessLevels = ['alert', 'new-confusion', 'voice', 'pain', 'unresponsive'] as const;
export type Consciousness = (typeof consciousnessLevels)[number];

export interface News2Vitals {
  respiratoryRate?: number | null;
  spo2?: number | null;
  onSupplementalOxygen?: boolean | null;
  /** °C */
  temperature?: number | null;
  systolicBp?: number | null;
  heartRate?: number | null;
  consciousness?: Consciousness | null;
  /**
   * SpO2 scale 2 (target 88–92 %) applies only where a clinician has documented hypercapnic
   * respiratory failure (RCP 2017, chart 1 note); otherwise scale 1.
   */
  hypercapnicRespiratoryFailure?: boolean | null;
}

export type News2Risk = 'low' | 'low-medium' | 'medium' | 'high';

export interface News2Parameters {
  respiratoryRate: number;
  spo2: number;
  airOrOxygen: number;
  systolicBp: number;
  heartRate: number;
  consciousness: number;
  temperature: number;
}

export interface News2Result {
  score: number;
  risk: News2Risk;
  /** Each parameter's sub-score, for the reason text and the screen. */
  parameters: News2Parameters;
  spo2Scale: 1 | 2;
}

/** The seven parameters the chart needs; a result is given only when every one is known. */
export const news2Inputs = ['respiratoryRate', 'spo2', 'onSupplementalOxygen', 'systolicBp', 'heartRate', 'consciousness', 'temperature'] as const;

const known = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function scoreRespiratoryRate(rr: number): number {
  if (rr <= 8) return 3;
  if (rr <= 11) return 1;
  if (rr <= 20) return 0;
  if (rr <= 24) return 2;
  return 3;
}

/** Scale 1: ≤91 → 3; 92–93 → 2; 94–95 → 1; ≥96 → 0. */
export function scoreSpo2Scale1(spo2: number): number {
  if (spo2 <= 91) return 3;
  if (spo2 <= 93) return 2;
  if (spo2 <= 95) return 1;
  return 0;
}

/**
 * Scale 2: ≤83 → 3; 84–85 → 2; 86–87 → 1; 88–92 → 0, and ≥93 on air → 0; on oxygen 93–94 → 1,
 * 95–96 → 2, ≥97 → 3 (over-oxygenation is the risk in hypercapnia).
 */
export function scoreSpo2Scale2(spo2: number, onOxygen: boolean): number {
  if (spo2 <= 83) return 3;
  if (spo2 <= 85) return 2;
  if (spo2 <= 87) return 1;
  if (spo2 <= 92 || !onOxygen) return 0;
  if (spo2 <= 94) return 1;
  if (spo2 <= 96) return 2;
  return 3;
}

export function scoreSystolicBp(sbp: number): number {
  if (sbp <= 90) return 3;
  if (sbp <= 100) return 2;
  if (sbp <= 110) return 1;
  if (sbp <= 219) return 0;
  return 3;
}

export function scoreHeartRate(hr: number): number {
  if (hr <= 40) return 3;
  if (hr <= 50) return 1;
  if (hr <= 90) return 0;
  if (hr <= 110) return 1;
  if (hr <= 130) return 2;
  return 3;
}

/** ≤35.0 → 3; 35.1–36.0 → 1; 36.1–38.0 → 0; 38.1–39.0 → 1; ≥39.1 → 2. */
export function scoreTemperature(t: number): number {
  if (t <= 35.0) return 3;
  if (t <= 36.0) return 1;
  if (t <= 38.0) return 0;
  if (t <= 39.0) return 1;
  return 2;
}

/** ACVPU: alert 0; new confusion, voice, pain, unresponsive 3. */
export function scoreConsciousness(c: Consciousness): number {
  return c === 'alert' ? 0 : 3;
}

/**
 * Aggregate 0–4 low; any single parameter scoring 3 (with an aggregate under 5) low-medium;
 * 5–6 medium; 7 or more high (RCP 2017, chart 2 and table 3).
 */
export function news2Risk(score: number, parameters: News2Parameters): News2Risk {
  if (score >= 7) return 'high';
  if (score >= 5) return 'medium';
  if (Object.values(parameters).some((p) => p === 3)) return 'low-medium';
  return 'low';
}

/** The parameters not given (empty when NEWS2 can be scored). */
export function news2Missing(v: News2Vitals): string[] {
  const missing: string[] = [];
  for (const name of news2Inputs) {
    const value = v[name];
    if (name === 'onSupplementalOxygen') {
      if (typeof value !== 'boolean') missing.push(name);
    } else if (name === 'consciousness') {
      if (!consciousnessLevels.includes(value as Consciousness)) missing.push(name);
    } else if (!known(value)) missing.push(name);
  }
  return missing;
}

/** NEWS2, or null when any of the seven parameters is missing (a partial score would read as reassuring). */
export function computeNews2(v: News2Vitals): News2Result | null {
  if (news2Missing(v).length > 0) return null;
  const onOxygen = v.onSupplementalOxygen as boolean;
  const scale: 1 | 2 = v.hypercapnicRespiratoryFailure === true ? 2 : 1;
  const parameters: News2Parameters = {
    respiratoryRate: scoreRespiratoryRate(v.respiratoryRate as number),
    spo2: scale === 2 ? scoreSpo2Scale2(v.spo2 as number, onOxygen) : scoreSpo2Scale1(v.spo2 as number),
    airOrOxygen: onOxygen ? 2 : 0,
    systolicBp: scoreSystolicBp(v.systolicBp as number),
    heartRate: scoreHeartRate(v.heartRate as number),
    consciousness: scoreConsciousness(v.consciousness as Consciousness),
    temperature: scoreTemperature(v.temperature as number),
  };
  const score = Object.values(parameters).reduce((a, b) => a + b, 0);
  return { score, risk: news2Risk(score, parameters), parameters, spo2Scale: scale };
}
