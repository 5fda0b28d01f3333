/**
 * The validation presentations the symptom differential's calibration is fitted and scored on
 * (calibrateSymptomDifferential.ts), also read by the baseline comparison (compareSymptomBaselines.ts).
 */
import { mulberry32, sampleIndices, type Rng } from '../runtime/common/rng';
import { presentIndices, type Pattern } from './symptomData';

export const PRESENTATION_SEED = 1301;
/** Draws per validation pattern for each of 1, 2, 3 and 4+ present findings. */
export const DRAWS = 40;

/** k present findings of a pattern (feature indices, in draw order). */
function drawPresent(x: Uint8Array, k: number, rng: Rng): number[] {
  const present = presentIndices(x);
  return sampleIndices(present.length, k, rng).map((j) => present[j] as number);
}

/** A validation presentation: present findings (feature indices), its disease, its pattern's index. */
export interface ValidationPresentation {
  present: number[];
  label: number;
  pattern: number;
}

/**
 * The validation presentations every figure of this script is computed on (seeded): per pattern, 40 draws
 * of exactly 1, 2 and 3 present findings, 40 of 4 or more, 20 with half of them, and the whole pattern.
 */
export function validationPresentations(validation: readonly Pattern[]): { name: string; bucket: number | null; cases: ValidationPresentation[] }[] {
  const rng = mulberry32(PRESENTATION_SEED);
  const sets: { name: string; bucket: number | null; cases: ValidationPresentation[] }[] = [
    { name: '1 finding', bucket: 0, cases: [] },
    { name: '2 findings', bucket: 1, cases: [] },
    { name: '3 findings', bucket: 2, cases: [] },
    { name: '4 or more findings', bucket: 3, cases: [] },
    { name: 'half the findings', bucket: null, cases: [] },
    { name: 'all findings', bucket: null, cases: [] },
  ];
  validation.forEach((p, pi) => {
    const n = presentIndices(p.x).length;
    for (let k = 1; k <= 3; k++) {
      if (n < k) continue;
      for (let d = 0; d < DRAWS; d++) sets[k - 1]!.cases.push({ present: drawPresent(p.x, k, rng), label: p.label, pattern: pi });
    }
    if (n >= 4) {
      for (let d = 0; d < DRAWS; d++) {
        const k = 4 + Math.floor(rng() * (n - 3));
        sets[3]!.cases.push({ present: drawPresent(p.x, k, rng), label: p.label, pattern: pi });
      }
    }
    for (let d = 0; d < 20; d++) sets[4]!.cases.push({ present: drawPresent(p.x, Math.max(1, n - Math.round(n / 2)), rng), label: p.label, pattern: pi });
    sets[5]!.cases.push({ present: drawPresent(p.x, n, rng), label: p.label, pattern: pi });
  });
  return sets;
}
