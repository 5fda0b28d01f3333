/**
 * Fits the temperature of the `ddxplus-differential` model (models/runtime/ddxplus/ddxplusCalibration.ts)
 * on held-out patients only, and measures it on others.
 *
 * The validation patients (never trained on) are split in two by pathology, alternately in split
 * order: the *fitting* half chooses the temperature (the one minimising the multi-class Brier score
 * on a grid, pooling every-evidence-known rows and the 10-question interview states), the
 * *evaluation* half reports ECE before and after. The interview is simulated on the same capped set
 * as the training script's evaluation. Node built-ins only.
 */
import { applyTemperature, DDXPLUS_CALIBRATION_FORMAT, type DdxCalibrationFile } from '../runtime/ddxplus/ddxplusCalibration';
import type { DdxplusModel } from '../runtime/ddxplus/ddxplusModel';
import type { DdxRecord } from './ddxplusData';
import { capPerPathology, scoreFull, simulateInterview } from './ddxplusEval';
import { calibrationTable, type CalibrationBin } from './metrics';

/** Temperatures tried: 0.20, 0.21, …, 2.00. */
const GRID = Array.from({ length: 181 }, (_, i) => Math.round((0.2 + i * 0.01) * 100) / 100);

interface Row {
  p: Float64Array;
  label: number;
}

export interface EceBeforeAfter {
  patients: number;
  before: number;
  after: number;
  binsAfter: CalibrationBin[];
}

export interface DdxCalibrationReport {
  method: string;
  temperature: number;
  fitting: { patients: number; interviewPatients: number; brierBefore: number; brierAfter: number };
  evaluation: { everyEvidenceKnown: EceBeforeAfter; interview: EceBeforeAfter };
}

/** Alternate patients of each pathology (in split order) between the fitting and the evaluation half. */
export function halves(records: readonly DdxRecord[]): { fit: DdxRecord[]; evaluate: DdxRecord[] } {
  const seen = new Map<string, number>();
  const fit: DdxRecord[] = [];
  const evaluate: DdxRecord[] = [];
  for (const r of records) {
    const k = seen.get(r.pathology) ?? 0;
    seen.set(r.pathology, k + 1);
    (k % 2 === 0 ? evaluate : fit).push(r);
  }
  return { fit, evaluate };
}

/** Mean multi-class Brier score. */
export function brier(rows: readonly Row[], temperature: number): number {
  let total = 0;
  for (const r of rows) {
    const p = applyTemperature(r.p, temperature);
    for (let i = 0; i < p.length; i++) total += ((p[i] as number) - (i === r.label ? 1 : 0)) ** 2;
  }
  return total / rows.length;
}

/** The grid temperature with the lowest Brier score (the smallest on a tie). */
export function fitTemperature(rows: readonly Row[]): number {
  let best = 1;
  let bestScore = brier(rows, 1);
  for (const t of GRID) {
    const s = brier(rows, t);
    if (s < bestScore - 1e-12) {
      best = t;
      bestScore = s;
    }
  }
  return best;
}

function eceBeforeAfter(rows: readonly Row[], temperature: number, edges: readonly number[]): EceBeforeAfter {
  const after = calibrationTable(
    rows.map((r) => ({ p: applyTemperature(r.p, temperature), label: r.label })),
    edges,
  );
  return { patients: rows.length, before: calibrationTable(rows, edges).ece, after: after.ece, binsAfter: after.bins };
}

/** `model` must give raw vote fractions (temperature 1); `validation` must not have been trained on. */
export function fitDdxCalibration(
  model: DdxplusModel,
  validation: readonly DdxRecord[],
  options: { interviewPerPathology: number; questions: number; edges: readonly number[] },
): { file: DdxCalibrationFile; report: DdxCalibrationReport } {
  const li = new Map(model.labels.map((l, i) => [l, i]));
  const full = (rs: readonly DdxRecord[]): Row[] => rs.map((r) => ({ p: scoreFull(model, r), label: li.get(r.pathology) as number }));
  const interview = (rs: readonly DdxRecord[]): Row[] =>
    rs.map((r) => ({ p: simulateInterview(model, r, options.questions).steps[options.questions] as Float64Array, label: li.get(r.pathology) as number }));
  const all = halves(validation);
  const interviewHalves = halves(capPerPathology(validation, options.interviewPerPathology));
  const fitRows = [...full(all.fit), ...interview(interviewHalves.fit)];
  const temperature = fitTemperature(fitRows);
  const round = (v: number): number => Math.round(v * 10000) / 10000;
  const r4 = (e: EceBeforeAfter): EceBeforeAfter => ({ ...e, before: round(e.before), after: round(e.after) });
  return {
    file: { format: DDXPLUS_CALIBRATION_FORMAT, method: 'temperature-on-vote-fractions', temperature },
    report: {
      method: 'p_i ∝ v_i^(1/T) on the forest vote fractions; T minimises the Brier score on the fitting half of the validation patients (grid 0.20–2.00)',
      temperature,
      fitting: {
        patients: all.fit.length,
        interviewPatients: interviewHalves.fit.length,
        brierBefore: round(brier(fitRows, 1)),
        brierAfter: round(brier(fitRows, temperature)),
      },
      evaluation: {
        everyEvidenceKnown: r4(eceBeforeAfter(full(all.evaluate), temperature, options.edges)),
        interview: r4(eceBeforeAfter(interview(interviewHalves.evaluate), temperature, options.edges)),
      },
    },
  };
}
