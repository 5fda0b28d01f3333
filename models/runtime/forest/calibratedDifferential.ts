/**
 * The symptom differential as a clinician may read it: calibrated probabilities for thin
 * presentations, absent findings counted as evidence, and an answer that says when it has too little
 * to go on or when no disease it knows fits. Node built-ins only.
 *
 * Score of disease d for present findings P (k = |P|) and findings marked absent A:
 *
 *   z_d = wF · log(votes_d + ε)                      the forest (trained on present findings only)
 *       + wL · Σ_{s ∈ P} log θ_ds                    how often d's patterns show each present finding
 *       + wL · Σ_{s ∈ A} log (1 − θ_ds)              … and how often they lack each absent finding
 *       − wS · k · log size_d                        d with long symptom lists explain any one finding less
 *
 *   p = softmax(z), with (wF, wL, wS) fitted per number of present findings (1, 2, 3, 4+) on
 *   validation presentations (models/training/calibrateSymptomDifferential.ts).
 *
 * θ are the per-disease symptom frequencies (label-symptom-frequencies.json, smoothed as frequencyTheta says).
 * Unknown findings are left out of every term: unknown is not evidence. An absent finding multiplies
 * each disease by its likelihood ratio (1 − θ)^wL, the same naive-Bayes update a present finding
 * gets, on the same learnt scale wL (the forest cannot do this: it was trained on rows where a 0
 * meant "not listed").
 *
 * Then, in this order:
 *   - no present finding (only absent ones): abstain OUT_OF_DISTRIBUTION: every disease this model
 *     knows presents with symptoms;
 *   - fewer present findings than the minimum evidence learnt on validation and no diagnosis at or
 *     above the carry probability: abstain INSUFFICIENT_INPUTS naming the findings to ask about
 *     (largest expected information gain under this same model);
 *   - coverage: the best disease's mean log θ per present finding below the threshold learnt on
 *     validation presentations (no disease shows this combination): the probabilities are flattened
 *     (temperature, ranking kept) until none exceeds `maxProbability` and a warning says the
 *     presentation is not covered.
 */
import { mulberry32 } from '../common/rng';
import type { Abstention } from '../scope';
import { frequencyTheta, type LabelFeatureFrequencies } from './askNext';
import { FeatureError } from './errors';
import { forestInternals, type ForestInternals, type ForestModel } from './forestRuntime';
import { encodeRawValue, type InputSpec } from './inputSpec';

export const DIFFERENTIAL_CALIBRATION_FORMAT = 'lantern-differential-calibration/1';

export interface CalibrationWeights {
  forest: number;
  likelihood: number;
  patternSize: number;
}

export interface CalibrationBucket {
  minFindings: number;
  /** null: no upper bound. */
  maxFindings: number | null;
  weights: CalibrationWeights;
}

export interface DifferentialCalibration {
  format: typeof DIFFERENTIAL_CALIBRATION_FORMAT;
  modelId: string;
  /** Added to vote fractions before the log (a disease without votes is unlikely, not impossible). */
  forestEpsilon: number;
  buckets: CalibrationBucket[];
  minimumEvidence: {
    /**
     * Presentations with fewer present findings answer only when one diagnosis reaches
     * carryProbability and leads the runner-up by at least carryMargin (absent: 0).
     */
    minFindings: number;
    carryProbability: number;
    carryMargin?: number;
    /** How both were chosen, for the card. */
    basis: string;
  };
  coverage: {
    /** Mean log θ per present finding of the best-fitting disease below this: not covered. */
    threshold: number;
    /** Largest probability shown for a presentation that is not covered. */
    maxProbability: number;
    basis: string;
  };
  /** Findings named when asking for more (INSUFFICIENT_INPUTS). */
  askCount: number;
}

export interface CoverageWarning {
  code: 'OUT_OF_DISTRIBUTION';
  message: string;
}

export type FindingsAssessment =
  | {
      kind: 'answered';
      /** label → calibrated probability; sums to 1. */
      probabilities: Record<string, number>;
      presentFindings: number;
      absentFindings: number;
      /** Best disease's mean log θ per present finding (the coverage statistic). */
      coverage: number;
      warning?: CoverageWarning;
    }
  | { kind: 'abstained'; abstained: Abstention; presentFindings: number; absentFindings: number };

export function validateDifferentialCalibration(json: unknown, modelId: string): DifferentialCalibration {
  const fail = (why: string): never => {
    throw new TypeError(`invalid differential calibration: ${why}`);
  };
  const o = json as Partial<DifferentialCalibration> | null;
  if (o === null || typeof o !== 'object') return fail('not an object');
  if (o.format !== DIFFERENTIAL_CALIBRATION_FORMAT) fail(`format ${String(o.format)}`);
  if (o.modelId !== modelId) fail(`for model ${String(o.modelId)}, not ${modelId}`);
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (!finite(o.forestEpsilon) || !(o.forestEpsilon > 0)) fail('forestEpsilon');
  if (!Array.isArray(o.buckets) || o.buckets.length === 0) return fail('buckets');
  let next = 1;
  o.buckets.forEach((b, i) => {
    if (b.minFindings !== next) fail(`bucket ${i} starts at ${b.minFindings}, expected ${next}`);
    const last = i === (o.buckets as CalibrationBucket[]).length - 1;
    if (last !== (b.maxFindings === null)) fail(`bucket ${i}: only the last bucket is open-ended`);
    if (b.maxFindings !== null && !(Number.isInteger(b.maxFindings) && b.maxFindings >= b.minFindings)) fail(`bucket ${i}: maxFindings`);
    if (!finite(b.weights?.forest) || !finite(b.weights?.likelihood) || !finite(b.weights?.patternSize)) fail(`bucket ${i}: weights`);
    next = (b.maxFindings ?? 0) + 1;
  });
  const me = o.minimumEvidence;
  if (!me || !Number.isInteger(me.minFindings) || me.minFindings < 1 || !finite(me.carryProbability) || me.carryProbability <= 0 || me.carryProbability > 1)
    fail('minimumEvidence');
  if (me && me.carryMargin !== undefined && !(finite(me.carryMargin) && me.carryMargin >= 0 && me.carryMargin < 1)) fail('minimumEvidence.carryMargin');
  const cv = o.coverage;
  if (!cv || !finite(cv.threshold) || !finite(cv.maxProbability) || cv.maxProbability <= 0 || cv.maxProbability > 1) fail('coverage');
  if (!Number.isInteger(o.askCount) || (o.askCount as number) < 1) fail('askCount');
  return o as DifferentialCalibration;
}

/** log θ, log(1 − θ) and log pattern size per label, from the frequencies file. */
export interface FrequencyTables {
  nLabels: number;
  nFeatures: number;
  /** [label * nFeatures + feature] */
  theta: Float64Array;
  logTheta: Float64Array;
  logNotTheta: Float64Array;
  /** Mean present findings per pattern of each label. */
  logSize: Float64Array;
}

export function frequencyTables(freq: LabelFeatureFrequencies): FrequencyTables {
  const nL = freq.labels.length;
  const nF = freq.features.length;
  const theta = new Float64Array(nL * nF);
  const logTheta = new Float64Array(nL * nF);
  const logNotTheta = new Float64Array(nL * nF);
  const logSize = new Float64Array(nL);
  theta.set(frequencyTheta(freq));
  for (let d = 0; d < nL; d++) {
    const n = freq.patterns[d] as number;
    const row = freq.counts[d] as number[];
    let present = 0;
    for (let f = 0; f < nF; f++) {
      present += row[f] as number;
      const t = theta[d * nF + f] as number;
      logTheta[d * nF + f] = Math.log(t);
      logNotTheta[d * nF + f] = Math.log(1 - t);
    }
    logSize[d] = Math.log(Math.max(1, n > 0 ? present / n : 1));
  }
  return { nLabels: nL, nFeatures: nF, theta, logTheta, logNotTheta, logSize };
}

/** The parts of a presentation every score needs, computed once (training reuses them). */
export interface PresentationTerms {
  present: number[];
  absent: number[];
  /** Forest vote fractions. */
  votes: Float64Array;
  /** Σ log θ over present findings, per label. */
  presentLogLik: Float64Array;
  /** Σ log(1 − θ) over absent findings, per label. */
  absentLogLik: Float64Array;
}

export function bucketFor(cal: DifferentialCalibration, k: number): CalibrationBucket {
  for (const b of cal.buckets) if (k >= b.minFindings && (b.maxFindings === null || k <= b.maxFindings)) return b;
  return cal.buckets[cal.buckets.length - 1] as CalibrationBucket;
}

/** Calibrated scores z (before softmax) for the bucket's weights. */
export function scores(t: FrequencyTables, terms: PresentationTerms, w: CalibrationWeights, eps: number): Float64Array {
  const k = terms.present.length;
  const z = new Float64Array(t.nLabels);
  for (let d = 0; d < t.nLabels; d++) {
    z[d] =
      w.forest * Math.log((terms.votes[d] as number) + eps) +
      w.likelihood * ((terms.presentLogLik[d] as number) + (terms.absentLogLik[d] as number)) -
      w.patternSize * k * (t.logSize[d] as number);
  }
  return z;
}

export function softmax(z: Float64Array, temperature = 1, out?: Float64Array): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) if ((z[i] as number) > max) max = z[i] as number;
  const p = out ?? new Float64Array(z.length);
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    const e = Math.exp(((z[i] as number) - max) / temperature);
    p[i] = e;
    sum += e;
  }
  for (let i = 0; i < z.length; i++) p[i]! /= sum;
  return p;
}

/** Best disease's mean log θ per present finding: low when no disease shows all of them. */
export function coverageStatistic(terms: PresentationTerms): number {
  const k = terms.present.length;
  if (k === 0) return -Infinity;
  const ll = terms.presentLogLik;
  let best = -Infinity;
  for (let i = 0; i < ll.length; i++) if ((ll[i] as number) > best) best = ll[i] as number;
  return best / k;
}

/**
 * The flattest-needed softmax(z / T), T ≥ 1, whose largest probability is at most `cap`; ranking is
 * kept. With β = 1/T, max p = 1 / g(β), g(β) = Σ exp(β (z_i − max z)) is convex and decreasing, so
 * Newton from β = 1 lands left of the root once and then climbs to it from the side where max p ≤ cap.
 */
export function flattenTo(z: Float64Array, cap: number, out?: Float64Array, scratch?: Float64Array): Float64Array {
  const n = z.length;
  let zMax = -Infinity;
  for (let i = 0; i < n; i++) if ((z[i] as number) > zMax) zMax = z[i] as number;
  const target = 1 / cap;
  // z − max z once (the same subtraction every pass made); g(β) and g'(β) in one pass, no allocation
  // per Newton step (the batch CLI runs this per line).
  const d = scratch ?? new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = (z[i] as number) - zMax;
  // g's terms exp(β d_i) of the last β are kept in p: the answer is those terms normalised, where
  // that β is the one chosen (as it is but for a Newton run that does not settle).
  const p = out ?? new Float64Array(n);
  let s = 0;
  let ds = 0;
  let lastBeta = NaN;
  const g = (beta: number): void => {
    s = 0;
    ds = 0;
    for (let i = 0; i < n; i++) {
      const di = d[i] as number;
      const e = Math.exp(beta * di);
      p[i] = e;
      s += e;
      ds += di * e;
    }
    lastBeta = beta;
  };
  let beta = 1;
  g(beta);
  // Unflattened: softmax(z), whose terms exp((z_i − max z) / 1) and their sum are exactly g(1)'s.
  if (s >= target) {
    for (let i = 0; i < n; i++) p[i]! /= s;
    return p;
  }
  // The last iterate on the side where the cap holds (every iterate after the first is).
  let safe = 0;
  for (let i = 0; i < 50 && ds < 0; i++) {
    const next = Math.max(0, beta - (s - target) / ds);
    const step = Math.abs(next - beta);
    beta = next;
    g(beta);
    if (s >= target) safe = beta;
    if (step <= 1e-9 * Math.max(beta, 1e-9) && s >= target) break;
  }
  // Computed with β itself so that the top probability is exactly 1 / g(β) ≤ cap (no rounding above it).
  if (safe !== lastBeta) for (let i = 0; i < n; i++) p[i] = Math.exp(safe * (d[i] as number));
  let sum = 0;
  for (let i = 0; i < n; i++) sum += p[i] as number;
  for (let i = 0; i < n; i++) p[i]! /= sum;
  return p;
}

const entropy = (p: ArrayLike<number>): number => {
  let h = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i] as number;
    if (v > 0) h -= v * Math.log2(v);
  }
  return h;
};

/**
 * Unanswered findings that would most reduce the uncertainty of p under this same model (a "yes"
 * multiplies by θ^wL, a "no" by (1 − θ)^wL), by expected information gain; ties by feature order.
 */
export function findingsToAsk(
  t: FrequencyTables,
  p: Float64Array,
  answered: ReadonlySet<number>,
  wL: number,
  count: number,
): { feature: number; gain: number }[] {
  const h0 = entropy(p);
  const out: { feature: number; gain: number }[] = [];
  const yes = new Float64Array(t.nLabels);
  const no = new Float64Array(t.nLabels);
  for (let f = 0; f < t.nFeatures; f++) {
    if (answered.has(f)) continue;
    let pYes = 0;
    let sy = 0;
    let sn = 0;
    for (let d = 0; d < t.nLabels; d++) {
      const th = t.theta[d * t.nFeatures + f] as number;
      const pd = p[d] as number;
      pYes += pd * th;
      yes[d] = pd * th ** wL;
      no[d] = pd * (1 - th) ** wL;
      sy += yes[d] as number;
      sn += no[d] as number;
    }
    for (let d = 0; d < t.nLabels; d++) {
      yes[d]! /= sy;
      no[d]! /= sn;
    }
    out.push({ feature: f, gain: h0 - (pYes * entropy(yes) + (1 - pYes) * entropy(no)) });
  }
  out.sort((a, b) => b.gain - a.gain || a.feature - b.feature);
  return out.slice(0, count);
}

interface BinaryWalk {
  nodes: Int32Array;
  roots: Int32Array;
  row: Uint8Array;
  nFeatures: number;
  /** Per tree, the nodes (×3) the unknown row passes, root to leaf: unknownPath[pathStart[t] ..< pathStart[t + 1]]. */
  unknownPath: Int32Array;
  pathStart: Int32Array;
  /**
   * [feature × nTrees + tree]: where on tree t's unknownPath its walk must start when the feature is
   * set to 1 — the first node splitting on it where 1 (from the unknown row's 0) takes the other
   * branch — else the path's leaf. Feature-major, so one finding's starts are read in one run.
   */
  jumpTo: Int32Array;
  /** Per tree, where its unknownPath ends (the leaf). */
  leafAt: Int32Array;
  /** Scratch: per tree, the start of this presentation's walk. */
  start: Int32Array;
}

/** The forest as [feature, child if 0, child if 1] triples (node index × 3), leaves as [-1 - vote, 0, 0]. */
function binaryWalkOf(forest: ForestInternals, unknownRow: Float64Array): BinaryWalk {
  const n = forest.feat.length;
  const nodes = new Int32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const f = forest.feat[i] as number;
    if (f < 0) {
      nodes[3 * i] = -1 - (forest.vote[i] as number);
      continue;
    }
    const thr = forest.thr[i] as number;
    nodes[3 * i] = f;
    nodes[3 * i + 1] = 3 * (0 < thr ? (forest.left[i] as number) : (forest.right[i] as number));
    nodes[3 * i + 2] = 3 * (1 < thr ? (forest.left[i] as number) : (forest.right[i] as number));
  }
  const roots = Int32Array.from(forest.roots, (r) => 3 * r);
  const row = Uint8Array.from(unknownRow);
  const nF = forest.nFeatures;
  const nTrees = roots.length;
  const path: number[] = [];
  const pathStart = new Int32Array(nTrees + 1);
  const leafAt = new Int32Array(nTrees);
  const jumpTo = new Int32Array(nF * nTrees).fill(-1);
  for (let t = 0; t < nTrees; t++) {
    pathStart[t] = path.length;
    let m = roots[t] as number;
    for (;;) {
      path.push(m);
      const f = nodes[m] as number;
      if (f < 0) break;
      const next = nodes[m + 1 + (row[f] as number)] as number;
      // Only a finding at 0 in the unknown row can be set to 1; it matters where 1 takes the other branch.
      if (row[f] === 0 && nodes[m + 2] !== next && jumpTo[f * nTrees + t] === -1) jumpTo[f * nTrees + t] = path.length - 1;
      m = next;
    }
    leafAt[t] = path.length - 1;
    for (let f = 0; f < nF; f++) if (jumpTo[f * nTrees + t] === -1) jumpTo[f * nTrees + t] = leafAt[t] as number;
  }
  pathStart[nTrees] = path.length;
  return { nodes, roots, row, nFeatures: nF, unknownPath: Int32Array.from(path), pathStart, jumpTo, leafAt, start: new Int32Array(nTrees) };
}

/** Top probability and its lead over the runner-up (NaN propagates, so a broken p never carries). */
export function topAndMargin(p: ArrayLike<number>): { top: number; margin: number } {
  let top = -Infinity;
  let second = -Infinity;
  for (let i = 0; i < p.length; i++) {
    const v = p[i] as number;
    if (v !== v) return { top: NaN, margin: NaN };
    if (v > top) {
      second = top;
      top = v;
    } else if (v > second) second = v;
  }
  return { top, margin: top - (second === -Infinity ? 0 : second) };
}

/** Whether a thin presentation's probabilities carry a differential under the learnt rule. */
export function carries(p: ArrayLike<number>, rule: DifferentialCalibration['minimumEvidence']): boolean {
  const { top, margin } = topAndMargin(p);
  return top >= rule.carryProbability && margin >= (rule.carryMargin ?? 0);
}

/** assessFlat's answer: `p` in label order (a reused buffer: read it before the next call). */
export type FlatAssessment =
  | { kind: 'answered'; p: Float64Array; warning: CoverageWarning | undefined }
  | { kind: 'abstained'; abstained: Abstention; presentFindings: number; absentFindings: number };

function notCoveredWarning(cal: DifferentialCalibration): CoverageWarning {
  return {
    code: 'OUT_OF_DISTRIBUTION',
    message: `Presentation not covered: no disease this differential knows shows this combination of findings, so no suggestion is given more than ${Math.round(cal.coverage.maxProbability * 100)} %. Check the red-flag rules (e.g. meningitis, sepsis) and vital signs first.`,
  };
}

interface BulkBuffers {
  present: number[];
  absent: number[];
  presentLogLik: Float64Array;
  absentLogLik: Float64Array;
  counts: Int32Array;
  z: Float64Array;
  p: Float64Array;
  d: Float64Array;
  /** [feature × nLabels + label]: the frequency tables transposed. */
  logThetaByFeature: Float64Array;
  logNotThetaByFeature: Float64Array;
  /** [votes]: log(votes / nTrees + ε). */
  logVote: Float64Array;
}

function bulkBuffers(t: FrequencyTables, nTrees: number, eps: number): BulkBuffers {
  const nL = t.nLabels;
  const nF = t.nFeatures;
  const logThetaByFeature = new Float64Array(nL * nF);
  const logNotThetaByFeature = new Float64Array(nL * nF);
  for (let d = 0; d < nL; d++) {
    for (let f = 0; f < nF; f++) {
      logThetaByFeature[f * nL + d] = t.logTheta[d * nF + f] as number;
      logNotThetaByFeature[f * nL + d] = t.logNotTheta[d * nF + f] as number;
    }
  }
  const logVote = new Float64Array(nTrees + 1);
  for (let c = 0; c <= nTrees; c++) logVote[c] = Math.log(c / nTrees + eps);
  return {
    present: [],
    absent: [],
    presentLogLik: new Float64Array(nL),
    absentLogLik: new Float64Array(nL),
    counts: new Int32Array(nL),
    z: new Float64Array(nL),
    p: new Float64Array(nL),
    d: new Float64Array(nL),
    logThetaByFeature,
    logNotThetaByFeature,
    logVote,
  };
}

/** A loaded differential with its calibration: one call per presentation. */
export class CalibratedDifferential {
  readonly tables: FrequencyTables;
  private readonly featureIndex: Map<string, number>;
  private readonly forest: ForestInternals;
  /** The row the trees read when nothing is known. */
  private readonly unknownRow: Float64Array;
  /** Scratch copy of unknownRow: present findings set to 1 for one forest pass, then put back. */
  private readonly row: Float64Array;
  /** Per feature: 1 where the input is binary, so 0/1 can skip the general value rules (same result). */
  private readonly binary: Uint8Array;
  /**
   * Where every value the trees can read is 0 or 1 (unknown row of 0/1, present = 1): per node
   * [feature, child for 0, child for 1], leaves [-1 - vote, 0, 0], so a walk reads one array and the
   * row as bytes; `x < threshold` decided once per node for 0 and for 1 (the same leaves). Else null.
   */
  private readonly binaryWalk: BinaryWalk | null;

  constructor(
    readonly model: ForestModel,
    readonly frequencies: LabelFeatureFrequencies,
    readonly calibration: DifferentialCalibration,
    /** Clinician-facing finding names for messages (default: the feature name with spaces). */
    private readonly findingName: (feature: string) => string = (f) => f.replace(/_+/g, ' ').trim(),
  ) {
    if (JSON.stringify(frequencies.features) !== JSON.stringify(model.features)) throw new TypeError('frequencies do not match the model’s features');
    if (JSON.stringify(frequencies.labels) !== JSON.stringify(model.labels)) throw new TypeError('frequencies do not match the model’s labels');
    this.tables = frequencyTables(frequencies);
    this.featureIndex = new Map(model.features.map((f, i) => [f, i]));
    this.forest = forestInternals(model);
    this.unknownRow = this.forest.encode({});
    this.row = this.unknownRow.slice();
    this.binary = Uint8Array.from(model.inputs, (s) => (s.type === 'binary' ? 1 : 0));
    this.binaryWalk = this.unknownRow.every((v) => v === 0 || v === 1) ? binaryWalkOf(this.forest, this.unknownRow) : null;
    this.notCovered = notCoveredWarning(calibration);
    this.bulk = bulkBuffers(this.tables, this.forest.nTrees, calibration.forestEpsilon);
  }

  private readonly notCovered: CoverageWarning;
  /** assessFlat's reused buffers and lookup tables. */
  private readonly bulk: BulkBuffers;

  /** Vote counts of the forest for the unknown row with `present` set to 1 (into `out` when given). */
  private presentVotes(present: readonly number[], out?: Int32Array): Int32Array {
    const w = this.binaryWalk;
    if (w === null) {
      const x = this.row;
      for (let j = 0; j < present.length; j++) x[present[j] as number] = 1;
      const counts = this.forest.votes(x);
      for (let j = 0; j < present.length; j++) x[present[j] as number] = this.unknownRow[present[j] as number] as number;
      if (out === undefined) return counts;
      out.set(counts);
      return out;
    }
    const { nodes, row, unknownPath, jumpTo, leafAt, start } = w;
    for (let j = 0; j < present.length; j++) row[present[j] as number] = 1;
    const counts = out === undefined ? new Int32Array(this.forest.nLabels) : out.fill(0);
    const nTrees = leafAt.length;
    // Along the unknown row's path nothing changes until the first node that splits on a finding
    // set to 1 here: each tree's walk starts there (or at that path's leaf).
    start.set(leafAt);
    for (let j = 0; j < present.length; j++) {
      const base = (present[j] as number) * nTrees;
      for (let t = 0; t < nTrees; t++) {
        const at = jumpTo[base + t] as number;
        if (at < (start[t] as number)) start[t] = at;
      }
    }
    for (let t = 0; t < nTrees; t++) {
      let n = unknownPath[start[t] as number] as number;
      let f = nodes[n] as number;
      while (f >= 0) {
        n = nodes[n + 1 + (row[f] as number)] as number;
        f = nodes[n] as number;
      }
      counts[-1 - f]! += 1;
    }
    for (let j = 0; j < present.length; j++) row[present[j] as number] = this.unknownRow[present[j] as number] as number;
    return counts;
  }

  /** Present (1), absent (0) and unknown (key left out) findings → the terms of every score. */
  terms(values: Record<string, unknown>): PresentationTerms {
    const present: number[] = [];
    const absent: number[] = [];
    this.readFindings(values, present, absent);
    return this.termsOf(present, absent);
  }

  /** terms() from feature indices already read (each sorted ascending, no index in both); keeps the arrays. */
  private termsOf(present: number[], absent: number[]): PresentationTerms {
    const t = this.tables;
    const nF = t.nFeatures;
    const presentLogLik = new Float64Array(t.nLabels);
    const absentLogLik = new Float64Array(t.nLabels);
    const nP = present.length;
    const nA = absent.length;
    for (let d = 0; d < t.nLabels; d++) {
      const base = d * nF;
      let a = 0;
      for (let j = 0; j < nP; j++) a += t.logTheta[base + (present[j] as number)] as number;
      let b = 0;
      for (let j = 0; j < nA; j++) b += t.logNotTheta[base + (absent[j] as number)] as number;
      presentLogLik[d] = a;
      absentLogLik[d] = b;
    }
    const counts = this.presentVotes(present);
    const votes = new Float64Array(counts.length);
    for (let i = 0; i < counts.length; i++) votes[i] = (counts[i] as number) / this.forest.nTrees;
    return { present, absent, votes, presentLogLik, absentLogLik };
  }

  /** Validates the findings and sorts their indices into `present` and `absent` (both emptied first). */
  private readFindings(values: Record<string, unknown>, present: number[], absent: number[]): void {
    if (typeof values !== 'object' || values === null || Array.isArray(values))
      throw new FeatureError('', 'findings must be an object of finding -> 1 (present) or 0 (absent)');
    present.length = 0;
    absent.length = 0;
    const keys = Object.keys(values);
    for (let j = 0; j < keys.length; j++) {
      const key = keys[j] as string;
      const i = this.featureIndex.get(key);
      if (i === undefined) throw new FeatureError(key, `model ${this.model.id} has no input "${key}"`);
      const v = values[key];
      // The same rules as predictValues: 0/1 (or false/true); null, "", "?" are unknown. A binary
      // input's 0 and 1 are answered here without the general rules (which would give the same).
      const enc = this.binary[i] === 1 && (v === 0 || v === 1) ? v : encodeRawValue(this.model.inputs[i] as InputSpec, v, this.model.id);
      if (enc === null) continue;
      if (enc === 1) {
        present.push(i);
      } else absent.push(i);
    }
    present.sort((a, b) => a - b);
    absent.sort((a, b) => a - b);
  }

  /**
   * assess() for bulk use: the same numbers (same operations in the same order), computed in buffers
   * this instance reuses, so the answered `p` is valid only until the next call. Thin presentations
   * (fewer present findings than the minimum evidence) and empty ones take assess() itself.
   */
  assessFlat(values: Record<string, unknown>): FlatAssessment {
    const b = this.bulk;
    this.readFindings(values, b.present, b.absent);
    return this.assessIndices(b.present, b.absent);
  }

  /**
   * assessFlat() on findings already read as feature indices: `present` and `absent` each sorted
   * ascending, without repeats, no index in both (what readFindings gives). Read, not kept.
   */
  assessIndices(present: readonly number[], absent: readonly number[]): FlatAssessment {
    const b = this.bulk;
    const cal = this.calibration;
    const k = present.length;
    if (k === 0 || k < cal.minimumEvidence.minFindings) {
      const a = this.assessTerms(this.termsOf(present.slice(), absent.slice()));
      if (a.kind === 'abstained') return a;
      return { kind: 'answered', p: Float64Array.from(this.model.labels, (l) => a.probabilities[l] as number), warning: a.warning };
    }
    const t = this.tables;
    const nL = t.nLabels;
    // Label-minor tables: each finding adds one contiguous row; per label the sum runs over the
    // findings in the same (sorted) order as terms(), so the sums are the same doubles.
    const pl = b.presentLogLik.fill(0);
    const al = b.absentLogLik.fill(0);
    for (let j = 0; j < k; j++) {
      const row = (present[j] as number) * nL;
      for (let d = 0; d < nL; d++) pl[d]! += b.logThetaByFeature[row + d] as number;
    }
    for (let j = 0; j < absent.length; j++) {
      const row = (absent[j] as number) * nL;
      for (let d = 0; d < nL; d++) al[d]! += b.logNotThetaByFeature[row + d] as number;
    }
    const counts = this.presentVotes(present, b.counts);
    const w = bucketFor(cal, k).weights;
    const z = b.z;
    let best = -Infinity;
    for (let d = 0; d < nL; d++) {
      // scores(): log(votes + ε) is looked up by vote count (the same log of the same sum).
      z[d] =
        w.forest * (b.logVote[counts[d] as number] as number) +
        w.likelihood * ((pl[d] as number) + (al[d] as number)) -
        w.patternSize * k * (t.logSize[d] as number);
      if ((pl[d] as number) > best) best = pl[d] as number;
    }
    if (best / k < cal.coverage.threshold) return { kind: 'answered', p: flattenTo(z, cal.coverage.maxProbability, b.p, b.d), warning: this.notCovered };
    return { kind: 'answered', p: softmax(z, 1, b.p), warning: undefined };
  }

  assess(values: Record<string, unknown>): FindingsAssessment {
    return this.assessTerms(this.terms(values));
  }

  assessTerms(terms: PresentationTerms): FindingsAssessment {
    const cal = this.calibration;
    const k = terms.present.length;
    const counts = { presentFindings: k, absentFindings: terms.absent.length };
    if (k === 0) {
      return {
        kind: 'abstained',
        ...counts,
        abstained: {
          code: terms.absent.length > 0 ? 'OUT_OF_DISTRIBUTION' : 'INSUFFICIENT_INPUTS',
          message:
            terms.absent.length > 0
              ? 'Not assessed: only absent findings. Every disease this differential knows presents with symptoms, so a presentation without any is not one it covers; check the red-flag rules and vital signs, and add the findings that are present.'
              : 'Not assessed: no findings given. Add the findings that are present (and those checked and absent).',
        },
      };
    }
    const bucket = bucketFor(cal, k);
    const z = scores(this.tables, terms, bucket.weights, cal.forestEpsilon);
    // softmax(z) is needed only for the minimum-evidence check or where the presentation is covered.
    let p: Float64Array | null = null;
    if (k < cal.minimumEvidence.minFindings) p = softmax(z);
    if (p !== null && !carries(p, cal.minimumEvidence)) {
      const answered = new Set([...terms.present, ...terms.absent]);
      const ask = findingsToAsk(this.tables, p, answered, bucket.weights.likelihood, cal.askCount).map((a) => this.model.features[a.feature] as string);
      const given = terms.present.map((f) => this.findingName(this.model.features[f] as string)).join(', ');
      return {
        kind: 'abstained',
        ...counts,
        abstained: {
          code: 'INSUFFICIENT_INPUTS',
          message: `Not assessed: ${k === 1 ? 'one finding' : `${k} findings`} (${given}) cannot carry a differential (fewer than ${cal.minimumEvidence.minFindings} present findings and no diagnosis at ${Math.round(cal.minimumEvidence.carryProbability * 100)} % or more${(cal.minimumEvidence.carryMargin ?? 0) > 0 ? ` with a lead of ${Math.round((cal.minimumEvidence.carryMargin as number) * 100)} points` : ''}). Add findings, present or absent; most informative now: ${ask.map(this.findingName).join(', ')}.`,
          missing: ask,
        },
      };
    }
    const coverage = coverageStatistic(terms);
    let warning: CoverageWarning | undefined;
    if (coverage < cal.coverage.threshold) {
      p = flattenTo(z, cal.coverage.maxProbability);
      warning = { ...this.notCovered };
    }
    p ??= softmax(z);
    const probabilities: Record<string, number> = {};
    const labels = this.model.labels;
    for (let i = 0; i < labels.length; i++) probabilities[labels[i] as string] = p[i] as number;
    return { kind: 'answered', probabilities, ...counts, coverage, ...(warning ? { warning } : {}) };
  }
}

export interface CalibratedExplanation {
  label: string;
  probability: number;
  /**
   * Per given finding (present or absent; unknown ones are not evidence and never listed): its Shapley
   * share of (probability − 1/labels), sorted by |weight|; they add up to that difference.
   */
  contributions: { feature: string; weight: number }[];
}

export interface CalibratedDifferentialResult {
  assessment: FindingsAssessment;
  /** Top-K by probability (ties: label order); empty when abstained. */
  explanations: CalibratedExplanation[];
  /** Unanswered findings to ask next, by expected information gain under this model. */
  askNext: { feature: string; expectedInformationGain: number }[];
}

/** The probabilities shown for a set of terms (flattened when not covered; uniform with no present finding). */
function shownProbabilities(diff: CalibratedDifferential, t: PresentationTerms): Float64Array {
  const cal = diff.calibration;
  if (t.present.length === 0) return new Float64Array(diff.tables.nLabels).fill(1 / diff.tables.nLabels);
  const z = scores(diff.tables, t, bucketFor(cal, t.present.length).weights, cal.forestEpsilon);
  return coverageStatistic(t) < cal.coverage.threshold ? flattenTo(z, cal.coverage.maxProbability) : softmax(z);
}

/** Findings up to which Shapley values are exact (2^n presentations scored); above, sampled orders. */
const EXACT_SHAPLEY_MAX = 8;
const SHAPLEY_PERMUTATIONS = 64;

/**
 * Shapley values of the given findings for the probability shown, per label: each finding's average
 * change of the probability when it is added to the others in every order, from "nothing known"
 * (every label 1/n). They add up exactly to probability − 1/n, and a finding that is redundant with
 * the others (leaving it out alone would change nothing at 100 %) still gets its share. Exact up to
 * EXACT_SHAPLEY_MAX findings, else averaged over SHAPLEY_PERMUTATIONS orders (seeded: deterministic).
 */
function shapleyContributions(diff: CalibratedDifferential, given: readonly [string, unknown][]): Float64Array[] {
  const n = given.length;
  const nL = diff.tables.nLabels;
  const phi = given.map(() => new Float64Array(nL));
  const cache = new Map<number, Float64Array>();
  const value = (mask: number): Float64Array => {
    let v = cache.get(mask);
    if (v === undefined) {
      const sub: Record<string, unknown> = {};
      given.forEach(([name, val], i) => {
        if (mask & (1 << i)) sub[name] = val;
      });
      v = shownProbabilities(diff, diff.terms(sub));
      cache.set(mask, v);
    }
    return v;
  };
  if (n <= EXACT_SHAPLEY_MAX) {
    const fact = [1];
    for (let i = 1; i <= n; i++) fact.push((fact[i - 1] as number) * i);
    for (let i = 0; i < n; i++) {
      for (let mask = 0; mask < 1 << n; mask++) {
        if (mask & (1 << i)) continue;
        let size = 0;
        for (let m = mask; m; m &= m - 1) size++;
        const w = ((fact[size] as number) * (fact[n - size - 1] as number)) / (fact[n] as number);
        const a = value(mask | (1 << i));
        const b = value(mask);
        for (let d = 0; d < nL; d++) phi[i]![d]! += w * ((a[d] as number) - (b[d] as number));
      }
    }
    return phi;
  }
  // Sampled orders: a subset is a sorted list of indices here (n can exceed 31 bits).
  const keyed = new Map<string, Float64Array>();
  const valueOf = (members: number[]): Float64Array => {
    const key = members.join(',');
    let v = keyed.get(key);
    if (v === undefined) {
      const sub: Record<string, unknown> = {};
      for (const i of members) sub[(given[i] as [string, unknown])[0]] = (given[i] as [string, unknown])[1];
      v = shownProbabilities(diff, diff.terms(sub));
      keyed.set(key, v);
    }
    return v;
  };
  const rng = mulberry32(0x5eed);
  for (let r = 0; r < SHAPLEY_PERMUTATIONS; r++) {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    const members: number[] = [];
    let prev = valueOf(members);
    for (const i of order) {
      members.push(i);
      members.sort((a, b) => a - b);
      const cur = valueOf(members);
      for (let d = 0; d < nL; d++) phi[i]![d]! += ((cur[d] as number) - (prev[d] as number)) / SHAPLEY_PERMUTATIONS;
      prev = cur;
    }
  }
  return phi;
}

/** Assessment, top-K with Shapley contributions of the given findings, and what to ask next. */
export function explainCalibrated(diff: CalibratedDifferential, values: Record<string, unknown>, topK: number, askCount = 3): CalibratedDifferentialResult {
  const terms = diff.terms(values);
  const assessment = diff.assessTerms(terms);
  const features = diff.model.features;
  const answered = new Set([...terms.present, ...terms.absent]);
  const k = Math.max(1, terms.present.length);
  const wL = bucketFor(diff.calibration, k).weights.likelihood;
  if (assessment.kind === 'abstained') {
    const p =
      terms.present.length > 0
        ? softmax(scores(diff.tables, terms, bucketFor(diff.calibration, k).weights, diff.calibration.forestEpsilon))
        : new Float64Array(diff.tables.nLabels).fill(1 / diff.tables.nLabels);
    return {
      assessment,
      explanations: [],
      askNext: findingsToAsk(diff.tables, p, answered, wL, askCount).map((a) => ({ feature: features[a.feature] as string, expectedInformationGain: a.gain })),
    };
  }
  const labels = diff.model.labels;
  const p = Float64Array.from(labels, (l) => assessment.probabilities[l] as number);
  const order = Array.from(labels, (_, i) => i)
    .sort((a, b) => (p[b] as number) - (p[a] as number) || a - b)
    .slice(0, Math.max(0, topK));
  const given = Object.entries(values).filter(([, v]) => v !== null && v !== undefined && v !== '' && v !== '?');
  const phi = shapleyContributions(diff, given);
  const explanations = order.map((d) => ({
    label: labels[d] as string,
    probability: p[d] as number,
    contributions: given
      .map(([name], i) => ({ feature: name, weight: (phi[i] as Float64Array)[d] as number }))
      .filter((c) => Math.abs(c.weight) > 1e-12)
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.feature < b.feature ? -1 : 1)),
  }));
  return {
    assessment,
    explanations,
    askNext: findingsToAsk(diff.tables, p, answered, wL, askCount).map((a) => ({ feature: features[a.feature] as string, expectedInformationGain: a.gain })),
  };
}
