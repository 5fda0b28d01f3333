/**
 * "Ask next": the unasked binary findings that would best separate the leading candidates of a
 * differential forest (the symptom model), by expected information gain. Node built-ins only.
 *
 * For the current evidence x (given findings; the rest unknown = absent for this model):
 *   1. p = the forest's vote fractions; the candidates C = the top `candidates` labels with votes;
 *      q = p restricted to C and renormalised; H = entropy of q (bits).
 *   2. For each unasked finding f, P(f = 1 | evidence) = Σ_c q_c · θ_cf, where θ_cf is the share of
 *      label c's training patterns showing f (recorded at export, smoothed: frequencyTheta).
 *   3. The forest is re-run with f = 1 and with f = 0; q1, q0 = the new vote fractions restricted
 *      to C and renormalised. If no candidate keeps a vote, the answer says "none of these" rather
 *      than which of them, and that branch counts as no reduction (H).
 *      gain(f) = H − [P · H(q1) + (1 − P) · H(q0)].
 *      For the symptom model f = 0 is what "unknown" already encodes, so q0 = q and the gain is
 *      P · (H − H(q1)); a "no" answer cannot move this forest (see the model card).
 *   4. Only findings seen in at least one candidate's training patterns are scored (a finding none
 *      of them shows cannot tell them apart); if fewer than `count` qualify, the rest are scored too.
 *      Ranked by gain, then by P, then by feature order (deterministic); the top `count`.
 * Re-running the forest is cheap: only trees whose current path splits on f can change leaf, and
 * only below the first such split.
 */
import { forestInternals, type ForestModel } from './forestRuntime';

export const LABEL_FEATURE_FREQUENCIES_FORMAT = 'lantern-label-feature-frequencies/1';

export interface LabelFeatureFrequencies {
  format: typeof LABEL_FEATURE_FREQUENCIES_FORMAT;
  modelId: string;
  /** Where the counts come from. */
  source: string;
  features: string[];
  labels: string[];
  /** Training patterns per label. */
  patterns: number[];
  /** counts[label][feature] = patterns of that label showing the feature. */
  counts: number[][];
  /** Laplace smoothing: θ = (count + alpha) / (patterns + 2·alpha). */
  alpha: number;
  /**
   * Optional pooling β within each label's symptom list (the features at least one of its patterns
   * shows): there θ = (count + β·share) / (patterns + β), share = the label's mean fraction of its list
   * per pattern; features outside the list keep the Laplace θ. Absent: Laplace everywhere. A pooled θ
   * never exceeds the Laplace θ of a feature every pattern shows (so an absent finding stays finite
   * evidence even for a label with a single pattern).
   */
  listPooling?: number;
}

/** θ[label × features + feature] as documented on LabelFeatureFrequencies. */
export function frequencyTheta(fr: LabelFeatureFrequencies): Float64Array {
  const nF = fr.features.length;
  const t = new Float64Array(fr.labels.length * nF);
  const beta = fr.listPooling;
  for (let c = 0; c < fr.labels.length; c++) {
    const n = fr.patterns[c] as number;
    const row = fr.counts[c] as number[];
    let listed = 0;
    let shown = 0;
    for (let f = 0; f < nF; f++) {
      if ((row[f] as number) > 0) listed++;
      shown += row[f] as number;
    }
    const share = listed > 0 && n > 0 ? shown / (n * listed) : 0;
    for (let f = 0; f < nF; f++) {
      const k = row[f] as number;
      const laplace = (k + fr.alpha) / (n + 2 * fr.alpha);
      t[c * nF + f] = beta !== undefined && k > 0 ? Math.min((k + beta * share) / (n + beta), (n + fr.alpha) / (n + 2 * fr.alpha)) : laplace;
    }
  }
  return t;
}

export function validateLabelFeatureFrequencies(json: unknown, features: readonly string[], labels: readonly string[]): LabelFeatureFrequencies {
  const fail = (why: string): never => {
    throw new TypeError(`invalid label-feature frequencies: ${why}`);
  };
  const o = json as Partial<LabelFeatureFrequencies> | null;
  if (o === null || typeof o !== 'object') return fail('not an object');
  if (o.format !== LABEL_FEATURE_FREQUENCIES_FORMAT) fail(`format ${String(o.format)}`);
  if (JSON.stringify(o.features) !== JSON.stringify(features)) fail('features differ from the model');
  if (JSON.stringify(o.labels) !== JSON.stringify(labels)) fail('labels differ from the model');
  if (typeof o.alpha !== 'number' || !(o.alpha > 0)) fail('alpha');
  if (o.listPooling !== undefined && !(typeof o.listPooling === 'number' && Number.isFinite(o.listPooling) && o.listPooling >= 0)) fail('listPooling');
  const pats = o.patterns;
  const counts = o.counts;
  if (!Array.isArray(pats) || pats.length !== labels.length || !pats.every((n) => Number.isInteger(n) && n >= 0)) return fail('patterns');
  if (!Array.isArray(counts) || counts.length !== labels.length) return fail('counts');
  counts.forEach((row, c) => {
    if (!Array.isArray(row) || row.length !== features.length || !row.every((k) => Number.isInteger(k) && k >= 0 && k <= (pats[c] as number))) {
      fail(`counts of ${labels[c]}`);
    }
  });
  return o as LabelFeatureFrequencies;
}

export interface AskNextOptions {
  frequencies: LabelFeatureFrequencies;
  /** How many findings to return (default 3). */
  count?: number;
  /** How many leading labels to separate (default 5). */
  candidates?: number;
}

export interface AskNextSuggestion {
  feature: string;
  /** Expected reduction of the entropy (bits) of the leading candidates' distribution. */
  expectedInformationGain: number;
  /** Estimated probability that the finding is present, given the evidence. */
  probabilityPresent: number;
}

/** Precomputed θ per model (frequencies objects are immutable once loaded). */
const thetaCache = new WeakMap<LabelFeatureFrequencies, Float64Array>();

function thetaOf(fr: LabelFeatureFrequencies): Float64Array {
  let t = thetaCache.get(fr);
  if (t === undefined) {
    t = frequencyTheta(fr);
    thetaCache.set(fr, t);
  }
  return t;
}

/** Entropy (bits) of the counts restricted to the candidates; `ifEmpty` where none has a vote. */
function entropyOver(counts: Int32Array, cand: Int32Array, ifEmpty: number): number {
  let total = 0;
  for (let i = 0; i < cand.length; i++) total += counts[cand[i] as number] as number;
  if (total <= 0) return ifEmpty;
  let h = 0;
  for (let i = 0; i < cand.length; i++) {
    const k = counts[cand[i] as number] as number;
    if (k > 0) {
      const q = k / total;
      h -= q * Math.log2(q);
    }
  }
  return h;
}

/**
 * The `count` unasked findings (keys not in `values`) with the highest expected information gain
 * over the leading candidates. Deterministic. `values` as for model.predict (binary 0/1).
 */
export function askNext(model: ForestModel, values: Record<string, number>, options: AskNextOptions): AskNextSuggestion[] {
  const fr = options.frequencies;
  const count = options.count ?? 3;
  const k = options.candidates ?? 5;
  if (JSON.stringify(fr.features) !== JSON.stringify(model.features) || JSON.stringify(fr.labels) !== JSON.stringify(model.labels)) {
    throw new TypeError(`label-feature frequencies do not belong to model ${model.id}`);
  }
  if (model.inputs.some((s) => s.type !== 'binary')) throw new TypeError(`askNext needs a model of binary findings; ${model.id} has other inputs`);
  const fi = forestInternals(model);
  const x = fi.encode(values);
  const nT = fi.nTrees;
  const nF = fi.nFeatures;
  const nL = fi.nLabels;

  // Current leaves, vote counts and, per feature, the first node on each tree's path splitting on it.
  const leaf = new Int32Array(nT);
  const counts = new Int32Array(nL);
  const firstNodeTrees: number[][] = Array.from({ length: nF }, () => []);
  const firstNodes: number[][] = Array.from({ length: nF }, () => []);
  const seenInTree = new Int32Array(nF).fill(-1);
  for (let t = 0; t < nT; t++) {
    let node = fi.roots[t] as number;
    let f = fi.feat[node] as number;
    while (f >= 0) {
      if (seenInTree[f] !== t) {
        seenInTree[f] = t;
        (firstNodeTrees[f] as number[]).push(t);
        (firstNodes[f] as number[]).push(node);
      }
      node = (x[f] as number) < (fi.thr[node] as number) ? (fi.left[node] as number) : (fi.right[node] as number);
      f = fi.feat[node] as number;
    }
    leaf[t] = node;
    counts[fi.vote[node] as number]! += 1;
  }

  // Leading candidates: top-k labels with votes (ties → label order).
  const order = Array.from({ length: nL }, (_, i) => i)
    .filter((i) => (counts[i] as number) > 0)
    .sort((a, b) => (counts[b] as number) - (counts[a] as number) || a - b)
    .slice(0, Math.max(1, k));
  const cand = Int32Array.from(order);
  let candTotal = 0;
  for (const c of order) candTotal += counts[c] as number;
  const h = entropyOver(counts, cand, 0);
  const theta = thetaOf(fr);

  const trial = new Int32Array(nL);
  const countsWith = (f: number, v: number): Int32Array => {
    trial.set(counts);
    const old = x[f] as number;
    if (old === v) return trial;
    x[f] = v;
    const trees = firstNodeTrees[f] as number[];
    const nodes = firstNodes[f] as number[];
    for (let j = 0; j < trees.length; j++) {
      const t = trees[j] as number;
      let node = nodes[j] as number;
      let g = fi.feat[node] as number;
      while (g >= 0) {
        node = (x[g] as number) < (fi.thr[node] as number) ? (fi.left[node] as number) : (fi.right[node] as number);
        g = fi.feat[node] as number;
      }
      const before = leaf[t] as number;
      if (node !== before) {
        trial[fi.vote[before] as number]! -= 1;
        trial[fi.vote[node] as number]! += 1;
      }
    }
    x[f] = old;
    return trial;
  };

  const scored: { f: number; gain: number; p1: number }[] = [];
  const score = (f: number): void => {
    let p1 = 0;
    for (const c of order) p1 += ((counts[c] as number) / candTotal) * (theta[c * nF + f] as number);
    const h1 = entropyOver(countsWith(f, 1), cand, h);
    const h0 = entropyOver(countsWith(f, 0), cand, h);
    scored.push({ f, gain: h - (p1 * h1 + (1 - p1) * h0), p1 });
  };
  const asked = new Set(Object.keys(values));
  const unasked: number[] = [];
  for (let f = 0; f < nF; f++) if (!asked.has(model.features[f] as string)) unasked.push(f);
  const seenInCandidates = (f: number): boolean => order.some((c) => ((fr.counts[c] as number[])[f] as number) > 0);
  const rest: number[] = [];
  for (const f of unasked) {
    if (seenInCandidates(f)) score(f);
    else rest.push(f);
  }
  if (scored.length < count) for (const f of rest) score(f);
  scored.sort((a, b) => b.gain - a.gain || b.p1 - a.p1 || a.f - b.f);
  return scored.slice(0, count).map((s) => ({
    feature: model.features[s.f] as string,
    expectedInformationGain: s.gain,
    probabilityPresent: s.p1,
  }));
}
