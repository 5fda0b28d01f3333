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
 * - predictValues()/explainValues(): the same on raw JSON values, validated and encoded through the
 *   input declarations (inputSpec.ts); unknown inputs are filled in with the artefact's values for
 *   "unknown" and reported.
 *
 * Trees are flattened into typed arrays at load, from model.json or its binary export through the
 * same tables (forestTables.ts); one prediction walks one root-to-leaf path per tree. The dense vote
 * counts explain() reads (labels × nodes) are built on its first call.
 */
import { FeatureError } from './errors';
import type { ForestArtefact, ForestHeader } from './forestFormat';
import { forestTablesOf, type ForestTables } from './forestTables';
import {
  binaryInputsFromNames,
  encodeRawInputs,
  encodeRawValue,
  InputValueError,
  InsufficientInputsError,
  nominalIsNumeric,
  type InputSpec,
} from './inputSpec';

export { FeatureError } from './errors';

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

/** Result of predictValues: probabilities plus what was unknown and filled in. */
export interface ValuesPrediction extends ForestPrediction {
  /**
   * Inputs that were unknown and filled in by the model (training median, or the "unknown" branch the
   * forest learnt), feature order. Empty for the symptom model, where unknown means absent by design
   * (its unknown inputs are listed in `missing` only).
   */
  imputed: string[];
  /** Inputs not given: key absent, null, "", "?", or a value the input declares as "not recorded" (feature order). */
  missing: string[];
  /** imputed.length / number of inputs (how much of the answer rests on filled-in inputs). */
  imputedShare: number;
}

export interface ValuesExplanation extends ValuesPrediction {
  /** Top-K labels with Saabas contributions (as explain()). */
  explanations: LabelExplanation[];
}

/** How an unknown input is filled in (see forestFormat.ts `unknownHandling`). */
export type UnknownHandling = 'absent' | 'median' | 'unknown-branch';

export interface ForestModel {
  id: string;
  version: string;
  sha256: string;
  features: readonly string[];
  labels: readonly string[];
  /** Input declarations (manifest); binary specs generated from the names where the manifest lists names only. */
  inputs: readonly InputSpec[];
  /** predictValues refuses fewer known inputs than this (InsufficientInputsError). */
  minInputs: number;
  unknownHandling: UnknownHandling;
  /**
   * Encoded values (numbers); a missing key = unknown, filled in as the model does (the symptom
   * model: 0, same as absent). Binary forests take 0/1. Numeric forests validate numeric and coded
   * inputs exactly as predictValues does (physiological range; a declared "not recorded" code such as
   * 0 = unknown) and take string-valued nominal inputs as their index in `values`.
   */
  predict(values: Record<string, number>): ForestPrediction;
  /** The top-K labels by probability (ties: label order), each with Saabas contributions. */
  explain(values: Record<string, number>, topK: number): LabelExplanation[];
  /**
   * Raw JSON values (numbers; the source's strings for nominal inputs; null/absent = unknown),
   * validated against the input declarations. Throws InputValueError (a FeatureError naming the
   * field) for an unknown input or an impossible value, InsufficientInputsError below minInputs.
   */
  predictValues(raw: Record<string, unknown>): ValuesPrediction;
  /** predictValues plus the top-K Saabas explanations. */
  explainValues(raw: Record<string, unknown>, topK: number): ValuesExplanation;
}

export interface ForestModelOptions {
  /** Input declarations in feature order (default: binary inputs labelled from their names). */
  inputs?: readonly InputSpec[];
  /** Default 1. */
  minInputs?: number;
}

/** Read-only view of a loaded forest's flattened arrays (for ask-next and benchmarks). */
export interface ForestInternals {
  nTrees: number;
  nFeatures: number;
  nLabels: number;
  roots: Int32Array;
  feat: Int32Array;
  thr: Float64Array;
  left: Int32Array;
  right: Int32Array;
  vote: Int32Array;
  /** Encoded values with unknown inputs filled in (validates like predict()). */
  encode(values: Record<string, number>): Float64Array;
  /** Vote counts per label for an encoded row. */
  votes(x: Float64Array): Int32Array;
}

const EPS = 1e-12;

class FlatForest implements ForestModel {
  readonly id: string;
  readonly version: string;
  readonly sha256: string;
  readonly features: readonly string[];
  readonly labels: readonly string[];
  readonly inputs: readonly InputSpec[];
  readonly minInputs: number;
  readonly unknownHandling: UnknownHandling;

  private readonly featureIndex: Map<string, number>;
  private readonly specByName: Map<string, InputSpec>;
  private readonly numeric: boolean;
  /** Per feature: the value used when unknown. */
  private readonly fill: Float64Array;
  /** Per feature: the string-valued nominal inputs' value count (encoded as index), else 0. */
  private readonly indexCount: Int32Array;
  readonly nTrees: number;
  readonly roots: Int32Array;
  readonly feat: Int32Array;
  readonly thr: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly vote: Int32Array;
  /** The forest's `dist` and `samples` columns, for the Saabas tables built on first explain(). */
  private readonly tables: ForestTables;
  private saabas: { count: Uint16Array | Uint32Array; nodeSamples: Float64Array } | null = null;
  private readonly baselines: Float64Array;

  constructor(tables: ForestTables, sha256: string, options: ForestModelOptions = {}) {
    const a = tables.header;
    this.id = a.id;
    this.version = a.version;
    this.sha256 = sha256;
    this.features = Object.freeze(a.features.slice());
    this.labels = Object.freeze(a.labels.slice());
    this.featureIndex = new Map(a.features.map((f, i) => [f, i]));
    this.numeric = a.featureEncoding === 'numeric';
    this.unknownHandling = a.unknownHandling ?? (this.numeric ? 'median' : 'absent');
    const inputs = options.inputs ?? binaryInputsFromNames(a.features);
    checkInputsAgainstArtefact(a, inputs);
    this.inputs = Object.freeze(inputs.map((s) => Object.freeze({ ...s })));
    this.specByName = new Map(this.inputs.map((s) => [s.name, s]));
    this.minInputs = options.minInputs ?? 1;
    this.fill = Float64Array.from(a.features, (_, i) => a.unknownValues?.[i] ?? a.missingValue);
    this.indexCount = Int32Array.from(this.inputs, (s) => (s.type === 'nominal' && !nominalIsNumeric(s) ? (s.values?.length ?? 0) : 0));
    this.nTrees = tables.treeStart.length - 1;
    this.tables = tables;

    const nNodes = tables.feature.length;
    this.roots = Int32Array.from(tables.treeStart.subarray(0, this.nTrees));
    this.feat = Int32Array.from(tables.feature);
    this.thr = Float64Array.from(tables.threshold);
    this.vote = Int32Array.from(tables.vote);
    // Child ids are local to their tree in the tables, global here.
    this.left = new Int32Array(nNodes);
    this.right = new Int32Array(nNodes);
    for (let t = 0; t < this.nTrees; t++) {
      const base = tables.treeStart[t] as number;
      const end = tables.treeStart[t + 1] as number;
      for (let g = base; g < end; g++) {
        const leaf = (tables.feature[g] as number) < 0;
        this.left[g] = leaf ? -1 : base + (tables.left[g] as number);
        this.right[g] = leaf ? -1 : base + (tables.right[g] as number);
      }
    }
    // Baseline: the root's value for each label, averaged over trees.
    this.baselines = new Float64Array(a.labels.length);
    for (let t = 0; t < this.nTrees; t++) {
      const root = tables.treeStart[t] as number;
      const rootSamples = tables.samples[root] as number;
      for (let j = tables.distStart[root] as number; j < (tables.distStart[root + 1] as number); j++) {
        this.baselines[tables.distClass[j] as number]! += (tables.distCount[j] as number) / rootSamples / this.nTrees;
      }
    }
  }

  /**
   * Dense vote counts: count[n * nLabels + c] = rows of the tree's sample reaching node n whose leaf
   * votes for label c; node value = count / nodeSamples[n] (a division per read, so the value is the
   * same double as count/samples computed any other way). Built on the first explain(): a batch of
   * predictions never reads them.
   */
  private saabasTables(): { count: Uint16Array | Uint32Array; nodeSamples: Float64Array } {
    if (this.saabas !== null) return this.saabas;
    const t = this.tables;
    const nNodes = t.feature.length;
    const nL = this.labels.length;
    let maxSamples = 0;
    for (let i = 0; i < this.nTrees; i++) maxSamples = Math.max(maxSamples, t.samples[t.treeStart[i] as number] as number);
    const count = maxSamples < 65536 ? new Uint16Array(nNodes * nL) : new Uint32Array(nNodes * nL);
    const nodeSamples = Float64Array.from(t.samples);
    for (let g = 0; g < nNodes; g++) {
      for (let j = t.distStart[g] as number; j < (t.distStart[g + 1] as number); j++) count[g * nL + (t.distClass[j] as number)] = t.distCount[j] as number;
    }
    this.saabas = { count, nodeSamples };
    return this.saabas;
  }

  encode(values: Record<string, number>): Float64Array {
    if (typeof values !== 'object' || values === null) throw new FeatureError('', 'values must be an object of feature -> 0/1');
    const x = Float64Array.from(this.fill);
    for (const [key, val] of Object.entries(values)) {
      const idx = this.featureIndex.get(key);
      if (idx === undefined) throw new FeatureError(key, `model ${this.id} has no input "${key}"`);
      if (!this.numeric) {
        if (val !== 0 && val !== 1) {
          throw new FeatureError(key, `input "${key}" of model ${this.id} is binary: expected 0 or 1, got ${String(val)}`);
        }
        x[idx] = val;
        continue;
      }
      const nIndex = this.indexCount[idx] as number;
      if (nIndex > 0) {
        if (val === undefined || val === null) continue;
        if (!Number.isInteger(val) || (val as number) < 0 || (val as number) >= nIndex) {
          const spec = this.specByName.get(key) as InputSpec;
          throw new InputValueError(
            key,
            'not-in-values',
            val,
            `input "${key}" of model ${this.id}: predict() takes the index (0–${nIndex - 1}) of one of ${(spec.values ?? []).map((v) => JSON.stringify(v)).join(', ')}; got ${String(val)} (predictValues takes the strings)`,
            { allowed: spec.values ?? [] },
          );
        }
        x[idx] = val as number;
        continue;
      }
      const enc = encodeRawValue(this.specByName.get(key) as InputSpec, val, this.id);
      if (enc !== null) x[idx] = enc;
    }
    return x;
  }

  /** Raw JSON values → encoded row, the list of unknown inputs; validates everything. */
  private encodeRaw(raw: Record<string, unknown>): { x: Float64Array; missing: string[] } {
    const { encoded, missing } = encodeRawInputs(this.inputs, this.featureIndex, raw, this.id);
    const given = this.features.length - missing.length;
    if (given < this.minInputs) throw new InsufficientInputsError(this.id, given, this.minInputs);
    const x = Float64Array.from(this.fill);
    for (let i = 0; i < encoded.length; i++) {
      const v = encoded[i];
      if (v !== null && v !== undefined) x[i] = v;
    }
    return { x, missing };
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

  votes(x: Float64Array): Int32Array {
    const counts = new Int32Array(this.labels.length);
    for (let t = 0; t < this.nTrees; t++) {
      const leaf = this.leafOf(this.roots[t] as number, x);
      counts[this.vote[leaf] as number]! += 1;
    }
    return counts;
  }

  private probabilitiesOf(counts: Int32Array): Record<string, number> {
    const probabilities: Record<string, number> = {};
    this.labels.forEach((l, i) => {
      probabilities[l] = (counts[i] as number) / this.nTrees;
    });
    return probabilities;
  }

  predict(values: Record<string, number>): ForestPrediction {
    return { probabilities: this.probabilitiesOf(this.votes(this.encode(values))) };
  }

  explain(values: Record<string, number>, topK: number): LabelExplanation[] {
    const x = this.encode(values);
    return this.explainEncoded(x, this.votes(x), topK);
  }

  predictValues(raw: Record<string, unknown>): ValuesPrediction {
    const { x, missing } = this.encodeRaw(raw);
    const imputed = this.imputedOf(missing);
    return { probabilities: this.probabilitiesOf(this.votes(x)), imputed, missing, imputedShare: imputed.length / this.features.length };
  }

  private imputedOf(missing: string[]): string[] {
    return this.unknownHandling === 'absent' ? [] : missing.slice();
  }

  explainValues(raw: Record<string, unknown>, topK: number): ValuesExplanation {
    const { x, missing } = this.encodeRaw(raw);
    const counts = this.votes(x);
    const imputed = this.imputedOf(missing);
    return {
      probabilities: this.probabilitiesOf(counts),
      imputed,
      missing,
      imputedShare: imputed.length / this.features.length,
      explanations: this.explainEncoded(x, counts, topK),
    };
  }

  internals(): ForestInternals {
    return {
      nTrees: this.nTrees,
      nFeatures: this.features.length,
      nLabels: this.labels.length,
      roots: this.roots,
      feat: this.feat,
      thr: this.thr,
      left: this.left,
      right: this.right,
      vote: this.vote,
      encode: (values) => this.encode(values),
      votes: (x) => this.votes(x),
    };
  }

  private explainEncoded(x: Float64Array, counts: Int32Array, topK: number): LabelExplanation[] {
    if (!Number.isInteger(topK) || topK < 0) throw new RangeError(`topK must be a non-negative integer, got ${topK}`);
    const nL = this.labels.length;
    const nF = this.features.length;
    const order = Array.from({ length: nL }, (_, i) => i).sort((a, b) => (counts[b] as number) - (counts[a] as number) || a - b);
    const chosen = order.slice(0, Math.min(topK, order.length));
    const k = chosen.length;
    if (k === 0) return [];
    // One walk per tree for all chosen labels.
    const contrib = new Float64Array(k * nF);
    let prev = new Float64Array(k);
    let cur = new Float64Array(k);
    const cls = Int32Array.from(chosen);
    const { count, nodeSamples } = this.saabasTables();
    const { feat, thr, left, right } = this;
    for (let t = 0; t < this.nTrees; t++) {
      let node = this.roots[t] as number;
      let n = nodeSamples[node] as number;
      for (let i = 0; i < k; i++) prev[i] = (count[node * nL + (cls[i] as number)] as number) / n;
      let f = feat[node] as number;
      while (f >= 0) {
        node = (x[f] as number) < (thr[node] as number) ? (left[node] as number) : (right[node] as number);
        n = nodeSamples[node] as number;
        const row = node * nL;
        for (let i = 0; i < k; i++) {
          const c = (count[row + (cls[i] as number)] as number) / n;
          cur[i] = c;
          const d = c - (prev[i] as number);
          if (d !== 0) contrib[i * nF + f]! += d;
        }
        const tmp = prev;
        prev = cur;
        cur = tmp;
        f = feat[node] as number;
      }
    }
    return chosen.map((cls, i) => {
      const contributions: { feature: string; weight: number }[] = [];
      for (let g = 0; g < nF; g++) {
        const w = (contrib[i * nF + g] as number) / this.nTrees;
        if (Math.abs(w) > EPS) contributions.push({ feature: this.features[g] as string, weight: w });
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

/** The manifest's input declarations must name the artefact's features in order, with the same encoding. */
function checkInputsAgainstArtefact(a: ForestHeader, inputs: readonly InputSpec[]): void {
  if (inputs.length !== a.features.length || inputs.some((s, i) => s.name !== a.features[i])) {
    throw new TypeError('input declarations do not name the forest’s features in order');
  }
  inputs.forEach((s, i) => {
    if (a.featureEncoding === 'binary') {
      if (s.type !== 'binary') throw new TypeError(`input ${s.name}: a binary forest takes binary inputs only`);
      return;
    }
    const enc = a.inputs?.[i];
    if (enc === undefined) return;
    if (enc.type !== s.type || JSON.stringify(enc.values ?? null) !== JSON.stringify(s.values ?? null)) {
      throw new TypeError(
        `input ${s.name}: declared as ${s.type} ${JSON.stringify(s.values ?? null)}, the forest was trained on ${enc.type} ${JSON.stringify(enc.values ?? null)}`,
      );
    }
  });
}

/**
 * Builds a ready-to-use model from a validated artefact (see validateForestArtefact). Throws
 * TypeError where `options.inputs` disagree with the artefact's features or encoding.
 */
export function createForestModel(artefact: ForestArtefact, sha256: string, options: ForestModelOptions = {}): ForestModel {
  return new FlatForest(forestTablesOf(artefact), sha256, options);
}

/**
 * The same model from tables (a binary export read by decodeForestBinary, already validated):
 * `sha256` is that of the model.json the tables were exported from, the model's identity.
 */
export function createForestModelFromTables(tables: ForestTables, sha256: string, options: ForestModelOptions = {}): ForestModel {
  return new FlatForest(tables, sha256, options);
}

/** The flattened arrays of a model built by createForestModel (throws for any other object). */
export function forestInternals(model: ForestModel): ForestInternals {
  if (!(model instanceof FlatForest)) throw new TypeError('not a Lantern forest model');
  return model.internals();
}
