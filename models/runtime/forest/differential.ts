/**
 * The whole differential engine for one case, in one call: ranked suggestions with Saabas
 * contributions, each joined with its condition (ICD-10-CM, severity, can't-miss, summary), the
 * can't-miss conditions among them, and the "ask next" findings. Node built-ins only.
 */
import { askNext, type AskNextSuggestion, type LabelFeatureFrequencies } from './askNext';
import type { ConditionInfo } from './conditions';
import type { ForestModel, LabelExplanation } from './forestRuntime';

export interface DifferentialSuggestion extends LabelExplanation {
  condition: ConditionInfo | null;
  cantMiss: boolean;
}

export interface DifferentialResult {
  /** Top-K labels by probability (ties: label order). */
  suggestions: DifferentialSuggestion[];
  /** The suggestions whose condition is can't-miss, in rank order. */
  cantMiss: DifferentialSuggestion[];
  /** Empty when no frequencies are given. */
  askNext: AskNextSuggestion[];
}

export interface DifferentialOptions {
  /** Default 10. */
  topK?: number;
  conditions?: readonly ConditionInfo[] | null;
  frequencies?: LabelFeatureFrequencies | null;
  /** Default 3. */
  askNextCount?: number;
  /** Leading labels ask-next separates (default 5). */
  askNextCandidates?: number;
}

export function runDifferential(model: ForestModel, values: Record<string, number>, options: DifferentialOptions = {}): DifferentialResult {
  const byLabel = new Map((options.conditions ?? []).map((c) => [c.label, c]));
  const suggestions = model.explain(values, options.topK ?? 10).map((e) => {
    const condition = byLabel.get(e.label) ?? null;
    return { ...e, condition, cantMiss: condition?.cantMiss ?? false };
  });
  const next =
    options.frequencies != null
      ? askNext(model, values, {
          frequencies: options.frequencies,
          count: options.askNextCount ?? 3,
          candidates: options.askNextCandidates ?? 5,
        })
      : [];
  return { suggestions, cantMiss: suggestions.filter((s) => s.cantMiss), askNext: next };
}
