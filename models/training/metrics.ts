/** Multi-class evaluation metrics for probability outputs. */

export interface Scored {
  /** Probability per label index (sums to 1). */
  p: ArrayLike<number>;
  label: number;
}

/** Log loss clips probabilities at this floor (vote fractions can be exactly 0). */
export const LOG_LOSS_EPS = 1e-3;

export interface MetricSet {
  cases: number;
  top1: number;
  top3: number;
  top10: number;
  macroRecall: number;
  /** Multi-class Brier score: mean over cases of sum over labels of (p - y)^2 (0 best, 2 worst). */
  brier: number;
  logLoss: number;
  /** Cases whose top probability is shared by more than one label. */
  topTies: number;
}

/**
 * Rank of the true label as shown to a user: labels ordered by probability, ties by label index.
 * A label with probability 0 is never counted as a hit (it has no votes at all).
 */
export function rankOf(p: ArrayLike<number>, label: number): number {
  const pt = p[label] as number;
  if (pt <= 0) return Infinity;
  let rank = 1;
  for (let i = 0; i < p.length; i++) {
    if (i === label) continue;
    const pi = p[i] as number;
    if (pi > pt || (pi === pt && i < label)) rank++;
  }
  return rank;
}

export function top1Of(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] as number) > (p[best] as number)) best = i;
  return best;
}

export function computeMetrics(scored: readonly Scored[], nLabels: number): MetricSet {
  let top1 = 0;
  let top3 = 0;
  let top10 = 0;
  let brier = 0;
  let logLoss = 0;
  let topTies = 0;
  const perLabelHits = new Float64Array(nLabels);
  const perLabelCases = new Float64Array(nLabels);
  for (const s of scored) {
    const r = rankOf(s.p, s.label);
    if (r <= 1) top1++;
    if (r <= 3) top3++;
    if (r <= 10) top10++;
    perLabelCases[s.label]! += 1;
    if (top1Of(s.p) === s.label && (s.p[s.label] as number) > 0) perLabelHits[s.label]! += 1;
    let b = 0;
    let max = -1;
    let nMax = 0;
    for (let i = 0; i < nLabels; i++) {
      const pi = s.p[i] as number;
      const d = pi - (i === s.label ? 1 : 0);
      b += d * d;
      if (pi > max) {
        max = pi;
        nMax = 1;
      } else if (pi === max) nMax++;
    }
    if (nMax > 1) topTies++;
    brier += b;
    logLoss += -Math.log(Math.max(LOG_LOSS_EPS, s.p[s.label] as number));
  }
  const n = scored.length;
  let recallSum = 0;
  let recallLabels = 0;
  for (let c = 0; c < nLabels; c++) {
    if ((perLabelCases[c] as number) > 0) {
      recallSum += (perLabelHits[c] as number) / (perLabelCases[c] as number);
      recallLabels++;
    }
  }
  return {
    cases: n,
    top1: top1 / n,
    top3: top3 / n,
    top10: top10 / n,
    macroRecall: recallLabels > 0 ? recallSum / recallLabels : 0,
    brier: brier / n,
    logLoss: logLoss / n,
    topTies,
  };
}

export interface CalibrationBin {
  from: number;
  to: number;
  cases: number;
  meanConfidence: number;
  accuracy: number;
}

/** Reliability of the top-1 probability: bins of confidence vs. how often the top label was right. */
export function calibrationTable(scored: readonly Scored[], edges: readonly number[]): { bins: CalibrationBin[]; ece: number } {
  const bins: CalibrationBin[] = [];
  let ece = 0;
  for (let b = 0; b + 1 < edges.length; b++) {
    const from = edges[b] as number;
    const to = edges[b + 1] as number;
    const last = b + 2 === edges.length;
    let n = 0;
    let conf = 0;
    let hits = 0;
    for (const s of scored) {
      const t = top1Of(s.p);
      const c = s.p[t] as number;
      if (c >= from && (c < to || (last && c <= to))) {
        n++;
        conf += c;
        if (t === s.label) hits++;
      }
    }
    bins.push({ from, to, cases: n, meanConfidence: n ? conf / n : 0, accuracy: n ? hits / n : 0 });
    if (n) ece += (n / scored.length) * Math.abs(conf / n - hits / n);
  }
  return { bins, ece };
}

/**
 * Area under the ROC curve by ranks (Mann-Whitney U), ties sharing their mean rank; `labels` are 1
 * (positive) or 0. Used for the imaging models and their out-of-distribution checks.
 */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    const avg = (i + j + 2) / 2;
    for (let k = i; k <= j; k++)
      if (labels[idx[k]!] === 1) {
        rankSumPos += avg;
        nPos++;
      }
    i = j + 1;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * (labels.length - nPos));
}
