/**
 * One `lantern predict --model symptom-differential` output line: JSON.stringify({id, probabilities,
 * warning}) over one record object reused for every line (its keys set once, in label order, then
 * only their values replaced), so a batch does not build a 41-key object per line. The bytes are
 * those of a fresh object: same keys, same insertion order, same values, same serialiser.
 */
import type { CoverageWarning } from '../../models/runtime/forest/calibratedDifferential';

export function differentialLineWriter(labels: readonly string[]): (id: string | number, p: ArrayLike<number>, warning: CoverageWarning | undefined) => string {
  const probabilities: Record<string, number> = {};
  for (const l of labels) probabilities[l] = 0;
  // `warning: undefined` is left out by JSON.stringify, as before.
  const line: { id: string | number; probabilities: Record<string, number>; warning: CoverageWarning | undefined } = {
    id: '',
    probabilities,
    warning: undefined,
  };
  const n = labels.length;
  return (id, p, warning) => {
    for (let i = 0; i < n; i++) probabilities[labels[i] as string] = p[i] as number;
    line.id = id;
    line.warning = warning;
    return JSON.stringify(line);
  };
}
