/**
 * Choice of how the per-disease symptom frequencies θ (label-symptom-frequencies.json) are
 * smoothed: Laplace α, and β, the pooling within each disease's symptom list (frequencyTheta in
 * models/runtime/forest/askNext.ts). The calibrated differential's likelihood term reads these θ.
 *
 * Why it matters: each disease has only 3–6 training patterns, and in this dataset every pattern is
 * its disease's symptom list with a few symptoms left out. With Laplace α = 0.5 and no pooling, a
 * finding NONE of a disease's patterns shows still got θ ≈ 0.08 (barely against that disease), while
 * a listed finding shown by one pattern in five got θ ≈ 0.25 against ≈ 0.9 for one shown by all
 * five: which patterns happened to drop it, not how typical it is. The calibration then had to
 * amplify the whole term, that noise included.
 *
 * Both are chosen on the training patterns alone, by leave-one-pattern-out Bernoulli
 * log-likelihood: each pattern's 0/1 symptoms scored under θ computed from its disease's other
 * patterns. The validation patterns are not looked at.
 */
import { frequencyTheta, LABEL_FEATURE_FREQUENCIES_FORMAT, type LabelFeatureFrequencies } from '../runtime/forest/askNext';
import type { Pattern } from './symptomData';

/**
 * The grid stops at 0.01 on purpose: no training pattern shows a symptom its disease's other patterns
 * lack (0 of 1,458 left-out findings), so the likelihood alone would drive α to 0 and make one stray
 * finding rule a disease out. At 0.01 an unlisted finding has θ ≈ 0.002 (five patterns): strong
 * evidence against, not exclusion.
 */
export const FREQUENCY_ALPHA_GRID = [0.5, 0.2, 0.1, 0.05, 0.02, 0.01] as const;
/** null: no pooling (Laplace everywhere); 1000 is, for 3–6 patterns, all listed symptoms at the share. */
export const LIST_POOLING_GRID = [null, 1, 3, 10, 30, 100, 1000] as const;

export interface SmoothingScore {
  alpha: number;
  listPooling: number | null;
  /** Mean over patterns of Σ_features log P(that pattern's 0/1 value | its disease's other patterns). */
  meanLogLikelihood: number;
}

/**
 * Leave-one-pattern-out log-likelihood for every (α, β) on the grids, and the best (ties: the
 * first on the grids: larger α, no or weaker pooling). Patterns whose disease has no other pattern
 * are skipped (nothing to predict them from).
 */
export function chooseFrequencySmoothing(
  patterns: readonly Pattern[],
  nLabels: number,
  alphas: readonly number[] = FREQUENCY_ALPHA_GRID,
  poolings: readonly (number | null)[] = LIST_POOLING_GRID,
): { alpha: number; listPooling: number | null; scores: SmoothingScore[] } {
  const nF = patterns[0]?.x.length ?? 0;
  const n = new Array<number>(nLabels).fill(0);
  const counts = Array.from({ length: nLabels }, () => new Array<number>(nF).fill(0));
  for (const p of patterns) {
    n[p.label]! += 1;
    const row = counts[p.label] as number[];
    for (let f = 0; f < nF; f++) row[f]! += p.x[f] as number;
  }
  const features = Array.from({ length: nF }, (_, f) => String(f));
  const scores: SmoothingScore[] = [];
  for (const alpha of alphas) {
    for (const listPooling of poolings) {
      let sum = 0;
      let used = 0;
      for (const p of patterns) {
        const m = (n[p.label] as number) - 1;
        if (m < 1) continue;
        const others: LabelFeatureFrequencies = {
          format: LABEL_FEATURE_FREQUENCIES_FORMAT,
          modelId: '',
          source: '',
          features,
          labels: ['left-out'],
          patterns: [m],
          counts: [(counts[p.label] as number[]).map((c, f) => c - (p.x[f] as number))],
          alpha,
          ...(listPooling === null ? {} : { listPooling }),
        };
        const theta = frequencyTheta(others);
        for (let f = 0; f < nF; f++) sum += Math.log(p.x[f] === 1 ? (theta[f] as number) : 1 - (theta[f] as number));
        used++;
      }
      scores.push({ alpha, listPooling, meanLogLikelihood: used > 0 ? sum / used : -Infinity });
    }
  }
  let best = scores[0] as SmoothingScore;
  for (const s of scores) if (s.meanLogLikelihood > best.meanLogLikelihood) best = s;
  return { alpha: best.alpha, listPooling: best.listPooling, scores };
}
