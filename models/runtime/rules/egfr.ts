/**
 * eGFR by the race-free CKD-EPI 2021 creatinine equation, with KDIGO 2012 GFR (G) and albuminuria (A)
 * categories.
 *
 * Inker LA, Eneanya ND, Coresh J, et al. New creatinine- and cystatin C-based equations to estimate GFR
 * without race. N Engl J Med 2021;385:1737–1749:
 *
 *   eGFR = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age × 1.012 [if female]
 *   κ = 0.7 (female), 0.9 (male); α = −0.241 (female), −0.302 (male); Scr in mg/dL; mL/min/1.73 m².
 *
 * KDIGO 2012 Clinical Practice Guideline for the Evaluation and Management of CKD, Kidney Int Suppl
 * 2013;3(1), tables 5 and 7. The equation is validated in adults (18+) only: a child gets null.
 */
import type { BinarySex } from '../vocab/clinicalTypes';

export type GStage = 'G1' | 'G2' | 'G3a' | 'G3b' | 'G4' | 'G5';
export type AStage = 'A1' | 'A2' | 'A3';

export interface EgfrResult {
  /** mL/min/1.73 m², rounded to a whole number as laboratories report it. */
  egfr: number;
  /** Unrounded, for tests and sweeps. */
  egfrExact: number;
  gStage: GStage;
}

/** CKD-EPI 2021; null outside its scope (age under 18, unknown sex, non-positive creatinine). */
export function ckdEpi2021(creatinineMgDl: number, ageYears: number, sex: BinarySex | null | undefined): EgfrResult | null {
  if (!Number.isFinite(creatinineMgDl) || creatinineMgDl <= 0 || !Number.isFinite(ageYears) || ageYears < 18) return null;
  if (sex !== 'female' && sex !== 'male') return null;
  const female = sex === 'female';
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const r = creatinineMgDl / kappa;
  const exact = 142 * Math.min(r, 1) ** alpha * Math.max(r, 1) ** -1.2 * 0.9938 ** ageYears * (female ? 1.012 : 1);
  const egfr = Math.round(exact);
  return { egfr, egfrExact: exact, gStage: gStage(egfr) };
}

/** KDIGO G category of a (reported, whole-number) eGFR: ≥90 G1, 60–89 G2, 45–59 G3a, 30–44 G3b, 15–29 G4, <15 G5. */
export function gStage(egfr: number): GStage {
  if (egfr >= 90) return 'G1';
  if (egfr >= 60) return 'G2';
  if (egfr >= 45) return 'G3a';
  if (egfr >= 30) return 'G3b';
  if (egfr >= 15) return 'G4';
  return 'G5';
}

/** KDIGO A category from a urine albumin-to-creatinine ratio in mg/g: <30 A1, 30–300 A2, >300 A3. */
export function aStageFromAcr(acrMgPerG: number): AStage {
  if (acrMgPerG < 30) return 'A1';
  if (acrMgPerG <= 300) return 'A2';
  return 'A3';
}

export const dipstickGrades = ['negative', 'trace', '1+', '2+', '3+', '4+'] as const;
export type DipstickGrade = (typeof dipstickGrades)[number];

export interface ApproximateAStage {
  aStage: AStage;
  /** Always true: a dipstick reads concentration, not a ratio, and depends on how dilute the urine is. */
  approximate: true;
  note: string;
}

/**
 * A urine dipstick protein grade mapped ROUGHLY onto an A category (KDIGO 2012 table 7 gives
 * "negative to trace" ≈ A1, "trace to +" ≈ A2, "+ or greater" ≈ A3; the bands overlap). We read
 * negative/trace as A1, 1+ as A2, 2+ and above as A3; confirm with a laboratory ACR.
 * The UCI CKD data's `al` grade 0–5 is this scale (0 = negative … 5 = 4+ style).
 */
export function aStageFromDipstick(grade: DipstickGrade): ApproximateAStage {
  const aStage: AStage = grade === 'negative' || grade === 'trace' ? 'A1' : grade === '1+' ? 'A2' : 'A3';
  return { aStage, approximate: true, note: `urine dipstick ${grade} maps only roughly to ${aStage}; confirm with a urine albumin-to-creatinine ratio` };
}
