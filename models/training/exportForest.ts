/**
 * Trains an ml-random-forest RandomForestClassifier and exports it to Lantern's own forest format
 * (forest/forestFormat.ts), with per-node vote counts for Saabas explanations.
 *
 * ml-cart keeps a class distribution only at leaves. To get per-node counts we wrap
 * DecisionTreeClassifier.prototype.train for the duration of one training run: right after each
 * tree is trained on its (bootstrapped, feature-bagged) sample, that exact sample is routed through
 * the tree and counted at every node. The routed leaf label counts are checked against ml-cart's
 * stored leaf distributions, so a mismatch fails the export.
 */
import { FOREST_FORMAT, type ForestArtefact, type ForestInputEncoding, type ForestTreeJson } from '../runtime/forest/forestFormat';

// ---- minimal typings of the parts of ml-random-forest / ml-cart / ml-matrix we use -------------
interface MatrixLike {
  rows: number;
  columns: number;
  get(row: number, column: number): number;
  getRow(row: number): number[];
}
interface CartNode {
  splitColumn?: number;
  splitValue?: number;
  left?: CartNode;
  right?: CartNode;
  distribution?: MatrixLike;
  /** Patched ml-cart, monotone constraints: the leaf's own rows' distribution before clipping. */
  unclippedDistribution?: MatrixLike;
}
interface CartTree {
  root: CartNode;
  options: Record<string, unknown>;
  train(X: MatrixLike, y: number[]): void;
}
export interface RfClassifier {
  estimators: CartTree[];
  indexes: number[][];
  nEstimators: number;
  train(X: number[][], y: number[]): void;
  predict(X: number[][]): number[];
  predictionValues(X: number[][]): MatrixLike;
}
export interface RfOptions {
  nEstimators: number;
  maxFeatures: number;
  replacement: boolean;
  seed: number;
  useSampleBagging: boolean;
  noOOB: boolean;
  treeOptions?: { minNumSamples?: number; maxDepth?: number; gainThreshold?: number };
  /** Monotone constraints (patched ml-cart), per input of the whole forest; see MonotoneOptions. */
  monotone?: MonotoneOptions;
}
/**
 * Monotone constraints for a two-class forest (patches/ml-cart+2.1.1.patch): per input, 1 = the
 * fraction of `classIndex` at the leaves may only rise with the input, -1 only fall, 0 free.
 * Thresholds below `unconstrainedBelow` (codes such as "unknown") are free.
 */
export interface MonotoneOptions {
  constraints: number[];
  classIndex: 0 | 1;
  unconstrainedBelow?: number;
}
/**
 * The options every Lantern forest trains with: bagging without replacement, seeded, and no
 * out-of-bag pass (ml-random-forest's OOB pass can crash and is not needed).
 */
export function baggedForestOptions(maxFeatures: number, fixed: { nEstimators: number; seed: number; treeOptions?: RfOptions['treeOptions'] }): RfOptions {
  return {
    nEstimators: fixed.nEstimators,
    maxFeatures,
    replacement: false,
    seed: fixed.seed,
    useSampleBagging: true,
    noOOB: true,
    ...(fixed.treeOptions ? { treeOptions: fixed.treeOptions } : {}),
  };
}

interface MlRandomForestModule {
  RandomForestClassifier: new (options: RfOptions) => RfClassifier;
}
interface MlCartModule {
  DecisionTreeClassifier: { prototype: CartTree };
}

// Both resolve through Node's CommonJS loader, so the ml-cart instance here is the (patched) one
// ml-random-forest itself requires.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mlRandomForest = require('ml-random-forest') as MlRandomForestModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mlCart = require('ml-cart') as MlCartModule;

function isInternal(n: CartNode): n is CartNode & { left: CartNode; right: CartNode; splitColumn: number; splitValue: number } {
  // ml-cart's classify(): a node with both children is a split, anything else a leaf.
  return n.left !== undefined && n.right !== undefined;
}

/** ml-cart's prediction at a leaf: maxRowIndex of its distribution (first index on ties). */
function leafVote(n: CartNode): number {
  const d = n.distribution;
  if (d === undefined || d.columns === 0) throw new Error('leaf without a distribution');
  let best = 0;
  let v = d.get(0, 0);
  for (let i = 1; i < d.columns; i++) {
    if (d.get(0, i) > v) {
      v = d.get(0, i);
      best = i;
    }
  }
  return best;
}

interface TreeStats {
  nodes: CartNode[]; // pre-order
  samples: Int32Array;
  voteCounts: Int32Array[]; // per node, per class
  leaves: number;
  /** Leaves whose training rows all have the same label. */
  pureLeaves: number;
}

function computeStats(tree: CartTree, X: MatrixLike, y: readonly number[], nLabels: number): TreeStats {
  const nodes: CartNode[] = [];
  const ids = new Map<CartNode, number>();
  const stack: CartNode[] = [tree.root];
  while (stack.length > 0) {
    const n = stack.pop() as CartNode;
    ids.set(n, nodes.length);
    nodes.push(n);
    if (isInternal(n)) stack.push(n.right, n.left); // left first in pre-order
  }
  const samples = new Int32Array(nodes.length);
  const voteCounts = nodes.map(() => new Int32Array(nLabels));
  const leafLabelCounts = new Map<CartNode, Int32Array>();
  for (let r = 0; r < X.rows; r++) {
    const row = X.getRow(r);
    const path: number[] = [];
    let n = tree.root;
    for (;;) {
      path.push(ids.get(n) as number);
      if (!isInternal(n)) break;
      n = (row[n.splitColumn] as number) < n.splitValue ? n.left : n.right;
    }
    const vote = leafVote(n);
    for (const id of path) {
      samples[id]! += 1;
      voteCounts[id]![vote]! += 1;
    }
    const lc = leafLabelCounts.get(n) ?? new Int32Array(nLabels);
    lc[y[r] as number]! += 1;
    leafLabelCounts.set(n, lc);
  }
  // Check: the routed rows reproduce ml-cart's own leaf distributions.
  let leaves = 0;
  let pureLeaves = 0;
  for (const n of nodes) {
    if (isInternal(n)) continue;
    const lc = leafLabelCounts.get(n);
    if (lc === undefined) throw new Error('a leaf received no training rows when re-routed');
    const total = lc.reduce((a, b) => a + b, 0);
    leaves++;
    if (lc.some((k) => k === total)) pureLeaves++;
    // a leaf clipped by a monotone bound votes by its clipped distribution; its rows give the unclipped one
    const d = n.unclippedDistribution ?? (n.distribution as MatrixLike);
    for (let c = 0; c < nLabels; c++) {
      const stored = c < d.columns ? d.get(0, c) : 0;
      if (Math.abs(stored - (lc[c] as number) / total) > 1e-9) {
        throw new Error('re-routed training rows do not reproduce a leaf distribution');
      }
    }
  }
  return { nodes, samples, voteCounts, leaves, pureLeaves };
}

export interface TrainedForest {
  rf: RfClassifier;
  stats: TreeStats[];
}

/** Trains the forest, capturing per-node statistics of each tree's own training sample. */
export function trainForest(X: number[][], y: number[], nLabels: number, options: RfOptions): TrainedForest {
  const proto = mlCart.DecisionTreeClassifier.prototype;
  const original = proto.train;
  const byTree = new Map<CartTree, TreeStats>();
  const { monotone, ...rfOnly } = options;
  let treeNo = 0;
  proto.train = function (this: CartTree, Xs: MatrixLike, ys: number[]): void {
    if (monotone !== undefined) {
      // ml-random-forest trains tree k on its own column subset rf.indexes[k] (set just before):
      // the constraints follow the columns.
      const used = rf.indexes[treeNo];
      if (used === undefined || used.length !== Xs.columns) throw new Error(`tree ${treeNo}: no column subset for the monotone constraints`);
      this.options.monotone = { ...monotone, constraints: used.map((g) => monotone.constraints[g] ?? 0) };
    }
    treeNo++;
    original.call(this, Xs, ys);
    byTree.set(this, computeStats(this, Xs, ys, nLabels));
  };
  let rf: RfClassifier;
  try {
    rf = new mlRandomForest.RandomForestClassifier(rfOnly);
    rf.train(X, y);
  } finally {
    proto.train = original;
  }
  const stats = rf.estimators.map((e) => {
    const s = byTree.get(e);
    if (s === undefined) throw new Error('a tree was trained outside the captured DecisionTreeClassifier.train');
    return s;
  });
  return { rf, stats };
}

export interface ExportMeta {
  id: string;
  version: string;
  features: string[];
  labels: string[];
  missingValue: number;
  /** Default 'binary'. */
  featureEncoding?: 'binary' | 'numeric';
  unknownValues?: number[];
  unknownHandling?: 'absent' | 'median' | 'unknown-branch';
  inputs?: ForestInputEncoding[];
}

export function exportForest(trained: TrainedForest, meta: ExportMeta): ForestArtefact {
  const trees: ForestTreeJson[] = trained.stats.map((s, ti) => {
    const globalIndex = trained.rf.indexes[ti];
    if (globalIndex === undefined) throw new Error(`no feature indexes for tree ${ti}`);
    const ids = new Map(s.nodes.map((n, i) => [n, i]));
    const t: ForestTreeJson = { feature: [], threshold: [], left: [], right: [], vote: [], samples: [], dist: [] };
    s.nodes.forEach((n, i) => {
      if (isInternal(n)) {
        const g = globalIndex[n.splitColumn];
        if (g === undefined) throw new Error(`tree ${ti}: split column ${n.splitColumn} outside its feature subset`);
        t.feature.push(g);
        t.threshold.push(n.splitValue);
        t.left.push(ids.get(n.left) as number);
        t.right.push(ids.get(n.right) as number);
        t.vote.push(-1);
      } else {
        t.feature.push(-1);
        t.threshold.push(0);
        t.left.push(-1);
        t.right.push(-1);
        t.vote.push(leafVote(n));
      }
      t.samples.push(s.samples[i] as number);
      const d: number[] = [];
      (s.voteCounts[i] as Int32Array).forEach((k, c) => {
        if (k > 0) d.push(c, k);
      });
      t.dist.push(d);
    });
    return t;
  });
  return {
    format: FOREST_FORMAT,
    id: meta.id,
    version: meta.version,
    kind: 'random-forest',
    features: meta.features,
    featureEncoding: meta.featureEncoding ?? 'binary',
    missingValue: meta.missingValue,
    ...(meta.unknownValues !== undefined ? { unknownValues: meta.unknownValues } : {}),
    ...(meta.unknownHandling !== undefined ? { unknownHandling: meta.unknownHandling } : {}),
    ...(meta.inputs !== undefined ? { inputs: meta.inputs } : {}),
    labels: meta.labels,
    trees,
  };
}

/** Per-tree votes straight from ml-random-forest (each estimator on its own feature subset). */
export function libraryVotes(rf: RfClassifier, X: number[][]): number[][] {
  const pv = rf.predictionValues(X);
  return Array.from({ length: pv.rows }, (_, r) => pv.getRow(r));
}
