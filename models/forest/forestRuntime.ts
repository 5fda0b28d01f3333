/**
 * Runtime for Lantern random forests (format: forestFormat.ts). Node built-ins only.
 *
 * - predict(): probability of a label = fraction of trees whose leaf votes for it. Every tree
 *   votes (ml-random-forest's own predictProbability drops the first tree's vote; we do not use it).
 * - explain(): Saabas tree-path contributions. For each tree the path from root to leaf is walked;
 *   the change in the label's node value at each split is credited to that split's feature; the
 *   sums are averaged over trees. Node values are the fractions of the tree's training rows
 *   reaching the node whose leaf votes for the label (see forestFormat.ts), so for every label
 *       baseline + sum(contributions) == probability (vote fraction), up to float rounding.
 *   Where leaves are pure these node values are the ordinary class distributions.
 *
 * Trees are flattened into typed arrays at load; one prediction walks ~100 short paths.
 */
import type { ForestArtefact } from './forestFormat';

/** An input the model does not know, or a value it cannot take (binary inputs: 0 or 1). */
export class FeatureError extends Error {
  readonly feature: string;
  constructor(feature: string, message: string) {
    super(message);
    this.name = 'FeatureError';
    this.feature = feature;
  }
}

export interface ForestPrediction {
  /** label -> probability (fraction of tree votes); sums to 1. */
  probabilities: Record<string, number>;
}

export interface LabelExplanation {
  label: string;
  /** Vote-based probability, the same number predict() gives. */
  probability: number;
  /** The label's average root value (its share of votes over the training rows); probability = baseline + sum of weights. */
  baseline: number;
  /** Saabas contributions, sorted by |weight| descending; zero contributions left out. */
  contributions: { feature: string; weight: number }[];
}

export interface ForestModel {
  id: string;
  version: string;
  sha256: string;
  features: readonly string[];
  labels: readonly string[];
  /** Missing key = unknown, encoded as the model's missingValue (0 for the symptom model: same as absent). */
  predict(values: Record<string, number>): ForestPrediction;
  /** The top-K labels by probability (ties: label order), each with Saabas contributions. */
  explain(values: Record<string, number>, topK: number): LabelExplanation[];
}

const EPS = 1e-12;

class FlatForest implements ForestModel {
  readonly id: string;
  readonly version: string;
  readonly sha256: string;
  readonly features: readonly string[];
  readonly labels: readonly string[];

  private readonly featureIndex: Map<string, number>;
  private readonly missingValue: number;
  private readonly nTrees: number;
  private readonly roots: Int32Array;
  private readonly feat: Int32Array;
  private readonly thr: Float64Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly vote: Int32Array;
  /** CSR per node: entries valStart[n]..valStart[n+1] of valClass/valFrac. */
  private readonly valStart: Int32Array;
  private readonly valClass: Int32Array;
  private readonly valFrac: Float64Array;
  private readonly baselines: Float64Array;

  constructor(a: ForestArtefact, sha256: string) {
    this.id = a.id;
    this.version = a.version;
    this.sha256 = sha256;
    this.features = Object.freeze(a.features.slice());
    this.labels = Object.freeze(a.labels.slice());
    this.featureIndex = new Map(a.features.map((f, i) => [f, i]));
    this.missingValue = a.missingValue;
    this.nTrees = a.trees.length;

    let nNodes = 0;
    let nVals = 0;
    for (const t of a.trees) {
      nNodes += t.feature.length;
      for (const d of t.dist) nVals += d.length / 2;
    }
    this.roots = new Int32Array(this.nTrees);
    this.feat = new Int32Array(nNodes);
    this.thr = new Float64Array(nNodes);
    this.left = new Int32Array(nNodes);
    this.right = new Int32Array(nNodes);
    this.vote = new Int32Array(nNodes);
    this.valStart = new Int32Array(nNodes + 1);
    this.valClass = new Int32Array(nVals);
    this.valFrac = new Float64Array(nVals);
    this.baselines = new Float64Array(a.labels.length);

    let base = 0;
    let v = 0;
    a.trees.forEach((t, ti) => {
      this.roots[ti] = base;
      const n = t.feature.length;
      for (let i = 0; i < n; i++) {
        const g = base + i;
        const f = t.feature[i] as number;
        this.feat[g] = f;
        this.thr[g] = t.threshold[i] as number;
        this.left[g] = f < 0 ? -1 : base + (t.left[i] as number);
        this.right[g] = f < 0 ? -1 : base + (t.right[i] as number);
        this.vote[g] = t.vote[i] as number;
        this.valStart[g] = v;
        const d = t.dist[i] as number[];
        const samples = t.samples[i] as number;
        for (let j = 0; j < d.length; j += 2) {
          this.valClass[v] = d[j] as number;
          this.valFrac[v] = (d[j + 1] as number) / samples;
          v++;
        }
      }
      // Baseline: the root's value for each label, averaged over trees.
      const rootDist = t.dist[0] as number[];
      const rootSamples = t.samples[0] as number;
      for (let j = 0; j < rootDist.length; j += 2) {
        this.baselines[rootDist[j] as number]! += (rootDist[j + 1] as number) / rootSamples / this.nTrees;
      }
      base += n;
    });
    this.valStart[nNodes] = v;
  }

  private encode(values: Record<string, number>): Float64Array {
    if (typeof values !== 'object' || values === null) throw new FeatureError('', 'values must be an object of feature -> 0/1');
    const x = new Float64Array(this.features.length).fill(this.missingValue);
    for (const key of Object.keys(values)) {
      const idx = this.featureIndex.get(key);
      if (idx === undefined) throw new FeatureError(key, `model ${this.id} has no input "${key}"`);
      const val = values[key];
      if (val !== 0 && val !== 1) {
        throw new FeatureError(key, `input "${key}" of model ${this.id} is binary: expected 0 or 1, got ${String(val)}`);
      }
      x[idx] = val;
    }
    return x;
  }

  private leafOf(root: number, x: Float64Array): number {
    let node = root;
    let f = this.feat[node] as number;
    while (f >= 0) {
      node = (x[f] as number) < (this.thr[node] as number) ? (this.left[node] as number) : (this.right[node] as number);
      f = this.feat[node] as number;
    }
    return node;
  }

  private votes(x: Float64Array): Int32Array {
    const counts = new Int32Array(this.labels.length);
    for (let t = 0; t < this.nTrees; t++) {
      const leaf = this.leafOf(this.roots[t] as number, x);
      counts[this.vote[leaf] as number]! += 1;
    }
    return counts;
  }

  private nodeValue(node: number, cls: number): number {
    const end = this.valStart[node + 1] as number;
    for (let j = this.valStart[node] as number; j < end; j++) {
      if (this.valClass[j] === cls) return this.valFrac[j] as number;
    }
    return 0;
  }

  predict(values: Record<string, number>): ForestPrediction {
    const counts = this.votes(this.encode(values));
    const probabilities: Record<string, number> = {};
    this.labels.forEach((l, i) => {
      probabilities[l] = (counts[i] as number) / this.nTrees;
    });
    return { probabilities };
  }

  explain(values: Record<string, number>, topK: number): LabelExplanation[] {
    if (!Number.isInteger(topK) || topK < 0) throw new RangeError(`topK must be a non-negative integer, got ${topK}`);
    const x = this.encode(values);
    const counts = this.votes(x);
    const order = Array.from({ length: this.labels.length }, (_, i) => i).sort(
      (a, b) => (counts[b] as number) - (counts[a] as number) || a - b,
    );
    const chosen = order.slice(0, Math.min(topK, order.length));
    const contrib = new Float64Array(this.features.length);
    return chosen.map((cls) => {
      contrib.fill(0);
      for (let t = 0; t < this.nTrees; t++) {
        let node = this.roots[t] as number;
        let prev = this.nodeValue(node, cls);
        let f = this.feat[node] as number;
        while (f >= 0) {
          node = (x[f] as number) < (this.thr[node] as number) ? (this.left[node] as number) : (this.right[node] as number);
          const cur = this.nodeValue(node, cls);
          contrib[f]! += cur - prev;
          prev = cur;
          f = this.feat[node] as number;
        }
      }
      const contributions: { feature: string; weight: number }[] = [];
      for (let i = 0; i < contrib.length; i++) {
        const w = (contrib[i] as number) / this.nTrees;
        if (Math.abs(w) > EPS) contributions.push({ feature: this.features[i] as string, weight: w });
      }
      contributions.sort((p, q) => Math.abs(q.weight) - Math.abs(p.weight) || (p.feature < q.feature ? -1 : 1));
      return {
        label: this.labels[cls] as string,
        probability: (counts[cls] as number) / this.nTrees,
        baseline: this.baselines[cls] as number,
        contributions,
      };
    });
  }
}

/** Builds a ready-to-use model from a validated artefact (see validateForestArtefact). */
export function createForestModel(artefact: ForestArtefact, sha256: string): ForestModel {
  return new FlatForest(artefact, sha256);
}
