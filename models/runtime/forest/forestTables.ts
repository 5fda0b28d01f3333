/**
 * A forest as column tables (every tree's nodes one after another), the one form the runtime builds
 * a model from, whether the forest came from `model.json` (forestTablesOf) or from its binary export
 * (forestBinary.ts), so both give the same model. Node built-ins only.
 */
import type { ForestArtefact, ForestHeader } from './forestFormat';

export type IntArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
export type FloatArray = Float32Array | Float64Array;

/**
 * The trees of forestFormat.ts, concatenated: tree t holds nodes treeStart[t] ..< treeStart[t + 1];
 * per node the same fields as model.json (child ids local to the tree, as there), and the sparse
 * `dist` pairs of node g at distStart[g] ..< distStart[g + 1] in distClass / distCount.
 */
export interface ForestTables {
  header: ForestHeader;
  treeStart: IntArray;
  feature: IntArray;
  threshold: FloatArray;
  left: IntArray;
  right: IntArray;
  vote: IntArray;
  samples: IntArray;
  distStart: IntArray;
  distClass: IntArray;
  distCount: IntArray;
}

/** The tables of a validated model.json (see validateForestArtefact). */
export function forestTablesOf(a: ForestArtefact): ForestTables {
  const { trees, ...header } = a;
  let nNodes = 0;
  let nDist = 0;
  for (const t of trees) {
    nNodes += t.feature.length;
    for (const d of t.dist) nDist += d.length / 2;
  }
  const treeStart = new Int32Array(trees.length + 1);
  const feature = new Int32Array(nNodes);
  const threshold = new Float64Array(nNodes);
  const left = new Int32Array(nNodes);
  const right = new Int32Array(nNodes);
  const vote = new Int32Array(nNodes);
  const samples = new Int32Array(nNodes);
  const distStart = new Int32Array(nNodes + 1);
  const distClass = new Int32Array(nDist);
  const distCount = new Int32Array(nDist);
  let g = 0;
  let p = 0;
  trees.forEach((t, ti) => {
    treeStart[ti] = g;
    for (let i = 0; i < t.feature.length; i++, g++) {
      feature[g] = t.feature[i] as number;
      threshold[g] = t.threshold[i] as number;
      left[g] = t.left[i] as number;
      right[g] = t.right[i] as number;
      vote[g] = t.vote[i] as number;
      samples[g] = t.samples[i] as number;
      distStart[g] = p;
      const d = t.dist[i] as number[];
      for (let j = 0; j < d.length; j += 2, p++) {
        distClass[p] = d[j] as number;
        distCount[p] = d[j + 1] as number;
      }
    }
  });
  treeStart[trees.length] = g;
  distStart[nNodes] = p;
  return { header, treeStart, feature, threshold, left, right, vote, samples, distStart, distClass, distCount };
}

/**
 * The structural rules validateForestArtefact applies to trees, on tables (a binary export is not
 * trusted to be well formed because its hash matched: the hash says who wrote it, not that the
 * writer was right). Throws TypeError naming the problem.
 */
export function validateForestTables(t: ForestTables): void {
  const fail = (msg: string): never => {
    throw new TypeError(`invalid forest tables: ${msg}`);
  };
  const nF = t.header.features.length;
  const nL = t.header.labels.length;
  const nTrees = t.treeStart.length - 1;
  if (nTrees < 1) fail('no trees');
  const nNodes = t.feature.length;
  if (t.treeStart[0] !== 0 || t.treeStart[nTrees] !== nNodes) fail('treeStart does not span the nodes');
  for (const [name, col] of [
    ['threshold', t.threshold],
    ['left', t.left],
    ['right', t.right],
    ['vote', t.vote],
    ['samples', t.samples],
  ] as const) {
    if (col.length !== nNodes) fail(`${name} has ${col.length} entries for ${nNodes} nodes`);
  }
  if (t.distStart.length !== nNodes + 1 || t.distStart[0] !== 0 || t.distStart[nNodes] !== t.distClass.length || t.distCount.length !== t.distClass.length)
    fail('dist columns');
  for (let ti = 0; ti < nTrees; ti++) {
    const base = t.treeStart[ti] as number;
    const n = (t.treeStart[ti + 1] as number) - base;
    if (n < 1) fail(`tree ${ti} has no nodes`);
    for (let i = 0; i < n; i++) {
      const g = base + i;
      const f = t.feature[g] as number;
      if (f < -1 || f >= nF) fail(`tree ${ti} node ${i}: feature`);
      if (!Number.isFinite(t.threshold[g] as number)) fail(`tree ${ti} node ${i}: threshold`);
      const l = t.left[g] as number;
      const r = t.right[g] as number;
      const v = t.vote[g] as number;
      const isLeaf = f === -1;
      if (isLeaf !== (l === -1) || isLeaf !== (r === -1) || isLeaf !== (v !== -1)) fail(`tree ${ti} node ${i}: leaf fields inconsistent`);
      if (isLeaf ? v < 0 || v >= nL : l <= i || r <= i || l >= n || r >= n) fail(`tree ${ti} node ${i}: children or vote out of range`);
      const s = t.samples[g] as number;
      if (s < 1) fail(`tree ${ti} node ${i}: samples`);
      const from = t.distStart[g] as number;
      const to = t.distStart[g + 1] as number;
      if (to < from) fail(`tree ${ti} node ${i}: dist`);
      let total = 0;
      for (let j = from; j < to; j++) {
        const c = t.distClass[j] as number;
        const k = t.distCount[j] as number;
        if (c < 0 || c >= nL || k <= 0) fail(`tree ${ti} node ${i}: dist entry`);
        total += k;
      }
      if (total !== s) fail(`tree ${ti} node ${i}: dist does not add up to samples`);
    }
  }
}
