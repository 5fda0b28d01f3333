/**
 * The rule-based triage of one case: NEWS2, qSOFA and the red flags, with no model. Used by
 * `lantern triage` and by the app's diagnosis on every run.
 */
import { computeNews2, type Consciousness, type News2Result } from './news2';
import { computeQsofa, type QsofaResult } from './qsofa';
import { evaluateRedFlags, type FindingState, type RedFlag, type RuleCatalogue, type RuleLab } from './redFlags';

export interface TriageVitals {
  respiratoryRate?: number | null;
  spo2?: number | null;
  onSupplementalOxygen?: boolean | null;
  /** °C */
  temperature?: number | null;
  systolicBp?: number | null;
  diastolicBp?: number | null;
  heartRate?: number | null;
  consciousness?: Consciousness | null;
  hypercapnicRespiratoryFailure?: boolean | null;
}

export interface TriageInput {
  vitals: TriageVitals;
  findings: Readonly<Record<string, FindingState>>;
  /** In catalogue units (convert first: see units.ts). */
  labs?: readonly RuleLab[];
}

export interface TriageResult {
  news2: News2Result | null;
  qsofa: QsofaResult | null;
  flags: RedFlag[];
}

export function triage(input: TriageInput, catalogue: RuleCatalogue): TriageResult {
  const news2 = computeNews2(input.vitals);
  const qsofa = computeQsofa(input.vitals);
  const flags = evaluateRedFlags({ vitals: input.vitals, findings: input.findings, labs: input.labs ?? [], news2, qsofa, catalogue });
  return { news2, qsofa, flags };
}
