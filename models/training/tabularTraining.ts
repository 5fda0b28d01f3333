/**
 * Training helpers for the tabular (binary-outcome) forests: how unknown inputs are filled in,
 * training copies with inputs removed, stratified folds, and binary metrics.
 */
import { type Rng, shuffled } from '../runtime/common/rng';

/** Encoded rows: null = unknown. */
export type Row = (number | null)[];

/**
 * Fill-in value per feature: the median of the known training values (for nominal inputs encoded as
 * indices or codes, the median of the codes is itself a code for two-valued inputs; for more values
 * the most frequent code is used, so a fill-in is always a value the input can take).
 */
export function fillValues(X: readonly Row[], nominal: readonly boolean[]): number[] {
  const nF = nominal.length;
  const out: number[] = [];
  for (let f = 0; f < nF; f++) {
    const vals = X.map((r) => r[f]).filter((v): v is number => v !== null && v !== undefined);
    if (vals.length === 0) {
      out.push(0);
      continue;
    }
    if (nominal[f]) {
      const counts = new Map<number, number>();
      for (const v of vals) counts.set(v, (counts.get(v) ?? 0) + 1);
      // Most frequent; ties → smaller code (deterministic).
      const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] as [number, number];
      out.push(best[0]);
    } else {
      const s = vals.slice().sort((a, b) => a - b);
      const m = s.length >> 1;
      out.push(s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2);
    }
  }
  return out;
}

export function fillRow(r: Row, fill: readonly number[]): number[] {
  return r.map((v, f) => (v === null ? (fill[f] as number) : v));
}

export interface MaskingOptions {
  /** Extra copies of every training row with inputs removed. */
  copies: number;
  /** Per copy, each known input is removed with a probability drawn uniformly from [0, maxShare]. */
  maxShare: number;
  /** Inputs removed from a copy with this (higher) probability, whatever was drawn (e.g. heart's ca/thal/slope). */
  extra?: Record<number, number>;
  /** Known inputs always left in a copy. */
  keepAtLeast: number;
}

/**
 * Each row, plus `copies` versions with known inputs removed (set to unknown). A forest trained on
 * these learns what to do when an input is unknown, so that leaving an input out at prediction time
 * is a situation it has seen, not an out-of-distribution fill-in value.
 */
export function maskedCopies(X: readonly Row[], y: readonly number[], opts: MaskingOptions, rng: Rng): { X: Row[]; y: number[] } {
  const outX: Row[] = [];
  const outY: number[] = [];
  X.forEach((r, i) => {
    outX.push(r.slice());
    outY.push(y[i] as number);
    for (let c = 0; c < opts.copies; c++) {
      const share = rng() * opts.maxShare;
      const copy = r.slice();
      const known: number[] = [];
      r.forEach((v, f) => {
        if (v !== null) known.push(f);
      });
      let removed = 0;
      for (const f of known) {
        const p = Math.max(share, opts.extra?.[f] ?? 0);
        const u = rng();
        if (u < p && known.length - removed > opts.keepAtLeast) {
          copy[f] = null;
          removed++;
        }
      }
      outX.push(copy);
      outY.push(y[i] as number);
    }
  });
  return { X: outX, y: outY };
}

/** Stratified k folds: fold index per row (seeded shuffle within each class, dealt round-robin). */
export function stratifiedFolds(y: readonly number[], k: number, rng: Rng): number[] {
  const fold = new Array<number>(y.length).fill(0);
  const classes = [...new Set(y)].sort((a, b) => a - b);
  let offset = 0;
  for (const c of classes) {
    const idx = shuffled(
      y.map((v, i) => (v === c ? i : -1)).filter((i) => i >= 0),
      rng,
    );
    idx.forEach((row, j) => {
      fold[row] = (j + offset) % k;
    });
    offset += idx.length;
  }
  return fold;
}

// ---- metrics -------------------------------------------------------------------------------------

export interface BinaryScored {
  /** Probability of the positive label. */
  p: number;
  /** 1 if the case is positive. */
  pos: 0 | 1;
}

/** Area under the ROC curve (Mann–Whitney, ties count one half). */
export function auc(s: readonly BinaryScored[]): number {
  const sorted = s.slice().sort((a, b) => a.p - b.p);
  let rankSumPos = 0;
  let nPos = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as BinaryScored).p === (sorted[i] as BinaryScored).p) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if ((sorted[k] as BinaryScored).pos === 1) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = s.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export interface ReliabilityBin {
  from: number;
  to: number;
  cases: number;
  /** Mean predicted probability of the positive label. */
  meanPredicted: number;
  /** Share of those cases that were positive. */
  observed: number;
}

export interface BinaryMetrics {
  cases: number;
  positives: number;
  auc: number;
  /** Threshold 0.5 on the positive label's probability (ties → positive). */
  accuracy: number;
  /** Binary Brier score: mean (p − y)² over cases (0 best, 1 worst); half the two-class multi-class Brier. */
  brier: number;
  logLoss: number;
  /** Recall per label name at threshold 0.5. */
  recall: Record<string, number>;
  ece: number;
  reliability: ReliabilityBin[];
}

export const RELIABILITY_EDGES = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

export function binaryMetrics(s: readonly BinaryScored[], labels: readonly [string, string], positive: number, edges = RELIABILITY_EDGES): BinaryMetrics {
  const n = s.length;
  let correct = 0;
  let brier = 0;
  let logLoss = 0;
  let tp = 0;
  let tn = 0;
  let nPos = 0;
  for (const c of s) {
    const predPos = c.p >= 0.5 ? 1 : 0;
    if (predPos === c.pos) correct++;
    if (c.pos === 1) {
      nPos++;
      if (predPos === 1) tp++;
    } else if (predPos === 0) tn++;
    brier += (c.p - c.pos) ** 2;
    const pt = c.pos === 1 ? c.p : 1 - c.p;
    logLoss += -Math.log(Math.min(1 - 1e-3, Math.max(1e-3, pt)));
  }
  const bins: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b + 1 < edges.length; b++) {
    const from = edges[b] as number;
    const to = edges[b + 1] as number;
    const last = b + 2 === edges.length;
    const inBin = s.filter((c) => c.p >= from && (c.p < to || (last && c.p <= to)));
    const mp = inBin.length ? inBin.reduce((a, c) => a + c.p, 0) / inBin.length : 0;
    const ob = inBin.length ? inBin.filter((c) => c.pos === 1).length / inBin.length : 0;
    bins.push({ from, to, cases: inBin.length, meanPredicted: mp, observed: ob });
    if (inBin.length) ece += (inBin.length / n) * Math.abs(mp - ob);
  }
  const posName = labels[positive] as string;
  const negName = labels[1 - positive] as string;
  return {
    cases: n,
    positives: nPos,
    auc: auc(s),
    accuracy: correct / n,
    brier: brier / n,
    logLoss: logLoss / n,
    recall: { [posName]: nPos ? tp / nPos : NaN, [negName]: n - nPos ? tn / (n - nPos) : NaN },
    ece,
    reliability: bins,
  };
}
