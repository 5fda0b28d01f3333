/**
 * Which suggestions of a stored differential a clinician answers, and what they last said about
 * each. Pure functions, so the rules are unit-tested apart from the screen.
 */
import type { Decision, Differential, DifferentialItem } from '../../electron/contract/ipcContract';

/** As many as the differential panel ranks; can't-miss items further down are added. */
export const DECIDABLE_TOP_N = 10;

export type DecidableItem =
  | { kind: 'diagnosis'; label: string; cantMiss: boolean; probability: number; item: DifferentialItem }
  | { kind: 'risk'; label: string; cantMiss: false; probability: number };

/**
 * The items shown for decisions, in the panel's order: the top ranked diagnoses, then any
 * can't-miss diagnosis below them (the model gave it some probability), then risk models that ran
 * (a risk model's decision label is its model id, as the app stores it).
 */
export function decidableItems(differential: Differential): DecidableItem[] {
  const ranked = [...differential.items].sort((a, b) => b.probability - a.probability);
  const top = ranked.slice(0, DECIDABLE_TOP_N);
  const extraCantMiss = ranked.slice(DECIDABLE_TOP_N).filter((i) => i.cantMiss && i.probability > 0);
  const diagnoses: DecidableItem[] = [...top, ...extraCantMiss].map((item) => ({
    kind: 'diagnosis',
    label: item.label,
    cantMiss: item.cantMiss,
    probability: item.probability,
    item,
  }));
  const risks: DecidableItem[] = (differential.riskAssessments ?? []).flatMap((r) =>
    r.status === 'ran' ? [{ kind: 'risk' as const, label: r.modelId, cantMiss: false as const, probability: r.probability }] : [],
  );
  return [...diagnoses, ...risks];
}

/** The latest decision per label on one suggestion (decisions arrive oldest first; a changed mind is a new row). */
export function latestDecisions(decisions: readonly Decision[], suggestionId: string): Map<string, Decision> {
  const latest = new Map<string, Decision>();
  for (const d of decisions) {
    if (d.suggestionId !== suggestionId) continue;
    const seen = latest.get(d.label);
    if (!seen || seen.createdAt <= d.createdAt) latest.set(d.label, d);
  }
  return latest;
}
