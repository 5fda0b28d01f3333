/** Small seeded PRNG (mulberry32) so that splits and augmentation are reproducible. */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

/** k distinct indices from 0..n-1, in random order. */
export function sampleIndices(n: number, k: number, rng: Rng): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  return shuffled(all, rng).slice(0, Math.max(0, Math.min(n, k)));
}
