/**
 * Evaluation of the `ddxplus-differential` model on held-out DDXPlus patients: every evidence
 * known, and a simulated interview (age, sex, the initial complaint, then the questions ask-next
 * chooses, answered from the patient's record). Shared by the training script and the
 * data-dependent test. Node built-ins only.
 *
 * Answers from the record: DDXPlus lists only what is present (and non-default values), so a
 * yes/no evidence the record does not list is answered "no", and a scale or choice it does not list
 * takes the release's default (pain intensity 0, location "nowhere", no travel) — the same rule the
 * release itself uses. An asked follow-up always has its parent answered yes first.
 */
import type { DdxplusModel } from '../runtime/ddxplus/ddxplusModel';
import type { DdxFeatures, DdxPatient } from '../runtime/ddxplus/ddxplusEncoding';
import type { DdxRecord } from './ddxplusData';
import { rankOf } from './metrics';

export function patientOf(r: DdxRecord): DdxPatient {
  return { ageYears: r.age, sex: r.sex };
}

/** Vote fractions per label with every evidence known. */
export function scoreFull(model: DdxplusModel, r: DdxRecord): Float64Array {
  const features = model.encoder.completeRecord(r.evidences);
  return toFractions(model, model.votesOf(model.encoder.encode(patientOf(r), features)));
}

function toFractions(model: DdxplusModel, counts: Int32Array): Float64Array {
  const n = model.forest.labels.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += counts[i] as number;
  return Float64Array.from(counts, (k) => k / total);
}

export interface InterviewTrace {
  /** Vote fractions after 0, 1, …, n questions. */
  steps: Float64Array[];
  /** The evidences asked, in order. */
  asked: string[];
}

/** Starts from age, sex and the initial complaint; asks `questions` times the best ask-next question. */
export function simulateInterview(model: DdxplusModel, r: DdxRecord, questions: number): InterviewTrace {
  const complete = model.encoder.completeRecord(r.evidences);
  const patient = patientOf(r);
  let known: DdxFeatures = model.encoder.normalise({ [r.initialEvidence]: complete[r.initialEvidence] });
  const steps: Float64Array[] = [toFractions(model, model.votesOf(model.encoder.encode(patient, known)))];
  const asked: string[] = [];
  for (let q = 0; q < questions; q++) {
    const next = model.askNext(patient, known, 1)[0];
    if (next !== undefined) {
      asked.push(next.feature);
      known = model.encoder.normalise({ ...known, [next.feature]: complete[next.feature] });
    }
    steps.push(toFractions(model, model.votesOf(model.encoder.encode(patient, known))));
  }
  return { steps, asked };
}

export interface MacroTopK {
  top1: number;
  top5: number;
  /** Plain (micro) accuracies, for comparison. */
  microTop1: number;
  microTop5: number;
  /** Per label index: cases, top-1 hits, top-5 hits. */
  perLabel: { cases: number; top1: number; top5: number }[];
}

/** Macro top-1/top-5: the mean over conditions with held-out cases of each condition's recall. */
export function macroTopK(scored: readonly { p: ArrayLike<number>; label: number }[], nLabels: number): MacroTopK {
  const perLabel = Array.from({ length: nLabels }, () => ({ cases: 0, top1: 0, top5: 0 }));
  let m1 = 0;
  let m5 = 0;
  for (const s of scored) {
    const r = rankOf(s.p, s.label);
    const pl = perLabel[s.label] as { cases: number; top1: number; top5: number };
    pl.cases++;
    if (r <= 1) {
      pl.top1++;
      m1++;
    }
    if (r <= 5) {
      pl.top5++;
      m5++;
    }
  }
  const present = perLabel.filter((x) => x.cases > 0);
  return {
    top1: present.reduce((a, x) => a + x.top1 / x.cases, 0) / present.length,
    top5: present.reduce((a, x) => a + x.top5 / x.cases, 0) / present.length,
    microTop1: m1 / scored.length,
    microTop5: m5 / scored.length,
    perLabel,
  };
}

export interface DifferentialMetrics {
  threshold: number;
  recall: number;
  precision: number;
  f1: number;
}

/**
 * DDXPlus's differential metrics: the predicted differential is every condition with a vote
 * fraction >= threshold; recall and precision against the record's DIFFERENTIAL_DIAGNOSIS
 * conditions (set overlap), averaged over patients; F1 from the mean recall and precision.
 */
export function differentialMetrics(
  scored: readonly { p: ArrayLike<number>; truth: readonly string[] }[],
  labels: readonly string[],
  threshold: number,
): DifferentialMetrics {
  let rec = 0;
  let prec = 0;
  for (const s of scored) {
    const pred = new Set<string>();
    for (let i = 0; i < labels.length; i++) if ((s.p[i] as number) >= threshold) pred.add(labels[i] as string);
    const truth = new Set(s.truth);
    let inter = 0;
    for (const t of truth) if (pred.has(t)) inter++;
    rec += truth.size > 0 ? inter / truth.size : 1;
    prec += pred.size > 0 ? inter / pred.size : 0;
  }
  const recall = rec / scored.length;
  const precision = prec / scored.length;
  return { threshold, recall, precision, f1: recall + precision > 0 ? (2 * recall * precision) / (recall + precision) : 0 };
}

/** Up to `perLabel` validation patients per pathology, first in split order (the interview is costly to simulate). */
export function capPerPathology(records: readonly DdxRecord[], perLabel: number): DdxRecord[] {
  const n = new Map<string, number>();
  return records.filter((r) => {
    const k = n.get(r.pathology) ?? 0;
    n.set(r.pathology, k + 1);
    return k < perLabel;
  });
}
