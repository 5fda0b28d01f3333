/**
 * On-disk format of a Lantern random forest (`model.json`), written by the training scripts and
 * read by forestRuntime. Derived from trained ml-random-forest / ml-cart trees, but owning its
 * own shape so the app does not depend on the library's serialisation.
 *
 * Per tree, nodes are stored column-wise (index = node id within the tree, root = 0):
 *   feature[i]   GLOBAL feature index of the split, or -1 for a leaf
 *   threshold[i] go to left[i] when value < threshold[i], else right[i] (ml-cart's rule); 0 for a leaf
 *   left[i], right[i] child node ids, -1 for a leaf
 *   vote[i]      for a leaf: the class the tree votes for (argmax of ml-cart's leaf distribution,
 *                first index on ties, exactly as ml-cart predicts); -1 for an internal node
 *   samples[i]   number of the tree's training rows (its bootstrap sample) reaching the node
 *   dist[i]      sparse [classIndex, count, classIndex, count, ...]: those rows counted by the
 *                VOTE of the leaf each ends in. Node value for class c = count(c) / samples[i].
 *                At a leaf this is one-hot on vote[i]; where leaves are pure it equals the node's
 *                class distribution. Using vote counts makes Saabas contributions add up exactly
 *                to the vote-based probability (see forestRuntime.explain).
 */
export const FOREST_FORMAT = 'lantern-forest/1';

/**
 * The encoding contract of one input of a numeric-encoded forest (how predictValues turns a raw
 * value into the number the trees read). The manifest's input specs must agree with it.
 */
export interface ForestInputEncoding {
  name: string;
  type: 'binary' | 'numeric' | 'nominal';
  /** Nominal: the allowed values; numbers are encoded as themselves, strings as their index. */
  values?: (string | number)[];
}

export interface ForestTreeJson {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  vote: number[];
  samples: number[];
  dist: number[][];
}

export interface ForestArtefact {
  format: typeof FOREST_FORMAT;
  id: string;
  version: string;
  kind: 'random-forest';
  /** Input names, in the order of the global feature index. */
  features: string[];
  /**
   * 'binary': every input is 0/1 (the symptom model).
   * 'numeric': inputs are numbers (binary 0/1, measurements, nominal codes or indices; see `inputs`).
   */
  featureEncoding: 'binary' | 'numeric';
  /**
   * Value used for an input the caller leaves out (unknown). Binary forests: 0 or 1 (the symptom
   * model: 0, same as absent). Numeric forests: the default where `unknownValues` is absent.
   */
  missingValue: number;
  /** Numeric forests: value used for each unknown input, in feature order (overrides missingValue). */
  unknownValues?: number[];
  /**
   * How unknown inputs are handled (documentation; the numbers are in missingValue/unknownValues):
   * 'absent' — unknown = absent (0); 'median' — the training median (most frequent code for nominal
   * inputs); 'unknown-branch' — a code below every real value, which trees trained on copies with
   * inputs removed route down branches learned for "unknown".
   */
  unknownHandling?: 'absent' | 'median' | 'unknown-branch';
  /** Numeric forests: the encoding contract of each input, in feature order. */
  inputs?: ForestInputEncoding[];
  labels: string[];
  trees: ForestTreeJson[];
}

function fail(msg: string): never {
  throw new TypeError(`invalid forest artefact: ${msg}`);
}

function isIntArray(a: unknown, min: number, max: number): a is number[] {
  return Array.isArray(a) && a.every((v) => Number.isInteger(v) && v >= min && v <= max);
}

/** Everything of a forest artefact but its trees (also the header of its binary export, forestBinary.ts). */
export type ForestHeader = Omit<ForestArtefact, 'trees'>;

/** The checks of validateForestArtefact on everything but the trees; throws TypeError naming the problem. */
export function validateForestHeader(json: unknown): ForestHeader {
  if (typeof json !== 'object' || json === null) fail('not an object');
  const a = json as Record<string, unknown>;
  if (a['format'] !== FOREST_FORMAT) fail(`format is ${String(a['format'])}, expected ${FOREST_FORMAT}`);
  if (typeof a['id'] !== 'string' || typeof a['version'] !== 'string') fail('id/version');
  if (a['kind'] !== 'random-forest') fail('kind');
  const encoding = a['featureEncoding'];
  if (encoding !== 'binary' && encoding !== 'numeric') fail('featureEncoding');
  const features = a['features'];
  const labels = a['labels'];
  if (!Array.isArray(features) || features.length === 0 || !features.every((f) => typeof f === 'string')) fail('features');
  if (new Set(features).size !== features.length) fail('duplicate feature names');
  if (!Array.isArray(labels) || labels.length === 0 || !labels.every((l) => typeof l === 'string')) fail('labels');
  if (new Set(labels).size !== labels.length) fail('duplicate labels');
  if (encoding === 'binary') {
    if (a['missingValue'] !== 0 && a['missingValue'] !== 1) fail('missingValue');
    if (a['unknownValues'] !== undefined || a['inputs'] !== undefined) fail('unknownValues/inputs on a binary forest');
  } else {
    if (typeof a['missingValue'] !== 'number' || !Number.isFinite(a['missingValue'])) fail('missingValue');
    const uv = a['unknownValues'];
    if (uv !== undefined && (!Array.isArray(uv) || uv.length !== features.length || !uv.every((v) => typeof v === 'number' && Number.isFinite(v)))) {
      fail('unknownValues');
    }
    const inputs = a['inputs'];
    if (inputs !== undefined) {
      if (!Array.isArray(inputs) || inputs.length !== features.length) fail('inputs');
      inputs.forEach((inp: unknown, i) => {
        const o = inp as Record<string, unknown> | null;
        if (o === null || typeof o !== 'object' || o['name'] !== features[i]) fail(`inputs[${i}] must name feature ${String(features[i])}`);
        if (o['type'] !== 'binary' && o['type'] !== 'numeric' && o['type'] !== 'nominal') fail(`inputs[${i}].type`);
        const vals = o['values'];
        if (o['type'] === 'nominal') {
          if (!Array.isArray(vals) || vals.length < 2 || !(vals.every((v) => typeof v === 'string') || vals.every((v) => typeof v === 'number')))
            fail(`inputs[${i}].values`);
        } else if (vals !== undefined) fail(`inputs[${i}].values on a ${String(o['type'])} input`);
      });
    }
  }
  const uh = a['unknownHandling'];
  if (uh !== undefined && uh !== 'absent' && uh !== 'median' && uh !== 'unknown-branch') fail('unknownHandling');
  return a as unknown as ForestHeader;
}

/** Structural validation of a parsed model.json; throws TypeError naming the problem. */
export function validateForestArtefact(json: unknown): ForestArtefact {
  const header = validateForestHeader(json);
  const trees = (json as Record<string, unknown>)['trees'];
  if (!Array.isArray(trees) || trees.length === 0) fail('trees');
  const nF = header.features.length;
  const nL = header.labels.length;
  trees.forEach((t: unknown, ti) => {
    if (typeof t !== 'object' || t === null) fail(`tree ${ti}`);
    const tr = t as Record<string, unknown>;
    const feature = tr['feature'];
    if (!Array.isArray(feature) || feature.length === 0) fail(`tree ${ti} has no nodes`);
    const n = feature.length;
    const ok =
      isIntArray(feature, -1, nF - 1) &&
      isIntArray(tr['left'], -1, n - 1) &&
      isIntArray(tr['right'], -1, n - 1) &&
      isIntArray(tr['vote'], -1, nL - 1) &&
      isIntArray(tr['samples'], 1, Number.MAX_SAFE_INTEGER) &&
      Array.isArray(tr['threshold']) &&
      (tr['threshold'] as unknown[]).every((v) => typeof v === 'number' && Number.isFinite(v)) &&
      Array.isArray(tr['dist']);
    if (!ok) fail(`tree ${ti}: bad node arrays`);
    const cols = ['left', 'right', 'vote', 'samples', 'threshold', 'dist'].map((k) => (tr[k] as unknown[]).length);
    if (cols.some((c) => c !== n)) fail(`tree ${ti}: node arrays differ in length`);
    const left = tr['left'] as number[];
    const right = tr['right'] as number[];
    const vote = tr['vote'] as number[];
    const samples = tr['samples'] as number[];
    const dist = tr['dist'] as unknown[];
    for (let i = 0; i < n; i++) {
      const isLeaf = feature[i] === -1;
      if (isLeaf !== (left[i] === -1) || isLeaf !== (right[i] === -1) || isLeaf !== (vote[i] !== -1)) {
        fail(`tree ${ti} node ${i}: leaf fields inconsistent`);
      }
      if (!isLeaf && ((left[i] as number) <= i || (right[i] as number) <= i)) fail(`tree ${ti} node ${i}: children must follow their parent`);
      const d = dist[i];
      if (!Array.isArray(d) || d.length % 2 !== 0) fail(`tree ${ti} node ${i}: dist`);
      let total = 0;
      for (let j = 0; j < d.length; j += 2) {
        const c = d[j];
        const k = d[j + 1];
        if (!Number.isInteger(c) || c < 0 || c >= nL || !Number.isInteger(k) || k <= 0) fail(`tree ${ti} node ${i}: dist entry`);
        total += k as number;
      }
      if (total !== samples[i]) fail(`tree ${ti} node ${i}: dist does not add up to samples`);
    }
  });
  return json as ForestArtefact;
}
