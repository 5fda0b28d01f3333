/**
 * qSOFA (quick Sequential Organ Failure Assessment), Sepsis-3:
 * Singer M, Deutschman CS, Seymour CW, et al. The Third International Consensus Definitions for Sepsis
 * and Septic Shock (Sepsis-3). JAMA 2016;315(8):801–810. One point each for respiratory rate ≥ 22/min,
 * altered mentation (GCS < 15) and systolic blood pressure ≤ 100 mmHg; ≥ 2 identifies patients with
 * suspected infection at greater risk of a poor outcome.
 */
import type { Consciousness } from './news2';
import { consciousnessLevels } from './news2';

export interface QsofaVitals {
  respiratoryRate?: number | null;
  systolicBp?: number | null;
  consciousness?: Consciousness | null;
}

export interface QsofaResult {
  score: number;
  criteria: { respiratoryRate: boolean; alteredMentation: boolean; systolicBp: boolean };
}

const known = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** qSOFA, or null when respiratory rate, systolic pressure or consciousness is missing. */
export function computeQsofa(v: QsofaVitals): QsofaResult | null {
  if (!known(v.respiratoryRate) || !known(v.systolicBp) || !consciousnessLevels.includes(v.consciousness as Consciousness)) return null;
  // Anything but "alert" on ACVPU is a GCS below 15.
  const criteria = { respiratoryRate: v.respiratoryRate >= 22, alteredMentation: v.consciousness !== 'alert', systolicBp: v.systolicBp <= 100 };
  return { score: Object.values(criteria).filter(Boolean).length, criteria };
}
