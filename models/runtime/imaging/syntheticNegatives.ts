/**
 * Deterministic images that are not chest X-rays or fundus photographs, to measure how often the
 * imaging models' out-of-distribution check rejects what it should: blank, black, white, noise,
 * patterns, a page of text, photo-like colour scenes. Seeded (mulberry32); the same seed gives the
 * same pixels everywhere. Node built-ins only.
 */
import { mulberry32, type Rng } from '../common/rng';
import type { DecodedImage } from './decodedImage';

export interface NegativeImage {
  group: string;
  name: string;
  image: DecodedImage;
}

function grey(width: number, height: number, f: (x: number, y: number) => number): DecodedImage {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = Math.min(1, Math.max(0, f(x, y)));
  return { width, height, channels: 1, data };
}

function rgb(width: number, height: number, f: (x: number, y: number) => [number, number, number]): DecodedImage {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = f(x, y);
      const i = (y * width + x) * 3;
      data[i] = Math.min(1, Math.max(0, r));
      data[i + 1] = Math.min(1, Math.max(0, g));
      data[i + 2] = Math.min(1, Math.max(0, b));
    }
  }
  return { width, height, channels: 3, data };
}

/** Approximately normal deviate (sum of 4 uniforms, variance 1). */
function gauss(rng: Rng): number {
  return (rng() + rng() + rng() + rng() - 2) * Math.sqrt(3);
}

/** 3x5 capitals, rows top to bottom, 3 bits each (4 = left column). */
const FONT: Readonly<Record<string, readonly number[]>> = {
  A: [2, 5, 7, 5, 5],
  B: [6, 5, 6, 5, 6],
  C: [3, 4, 4, 4, 3],
  D: [6, 5, 5, 5, 6],
  E: [7, 4, 6, 4, 7],
  F: [7, 4, 6, 4, 4],
  G: [3, 4, 5, 5, 3],
  H: [5, 5, 7, 5, 5],
  I: [7, 2, 2, 2, 7],
  J: [1, 1, 1, 5, 2],
  K: [5, 5, 6, 5, 5],
  L: [4, 4, 4, 4, 7],
  M: [5, 7, 7, 5, 5],
  N: [6, 5, 5, 5, 5],
  O: [2, 5, 5, 5, 2],
  P: [6, 5, 6, 4, 4],
  Q: [2, 5, 5, 6, 3],
  R: [6, 5, 6, 5, 5],
  S: [3, 4, 2, 1, 6],
  T: [7, 2, 2, 2, 2],
  U: [5, 5, 5, 5, 7],
  V: [5, 5, 5, 5, 2],
  W: [5, 5, 7, 7, 5],
  X: [5, 5, 2, 5, 5],
  Y: [5, 5, 2, 2, 2],
  Z: [7, 1, 2, 4, 7],
  ' ': [0, 0, 0, 0, 0],
};

const WORDS = 'PATIENT HISTORY FEVER COUGH THREE DAYS CHEST CLEAR RATE NORMAL REPORT SIGNED DOCTOR PLAN REVIEW WEEK'.split(' ');

/** A page of text: lines of words in the 3x5 font at `scale`, dark on light (or inverted). */
export function textPage(width: number, height: number, scale: number, seed: number, inverted = false): DecodedImage {
  const rng = mulberry32(seed);
  const ink = new Uint8Array(width * height);
  const lineH = 7 * scale;
  for (let top = 2 * scale; top + 5 * scale < height; top += lineH) {
    let x = 2 * scale;
    while (x < width - 4 * scale) {
      const word = WORDS[Math.floor(rng() * WORDS.length)] as string;
      for (const ch of `${word} `) {
        const rows = FONT[ch] ?? FONT[' ']!;
        for (let r = 0; r < 5; r++) {
          for (let c = 0; c < 3; c++) {
            if ((((rows[r] as number) >> (2 - c)) & 1) === 0) continue;
            for (let dy = 0; dy < scale; dy++) {
              for (let dx = 0; dx < scale; dx++) {
                const px = x + c * scale + dx;
                const py = top + r * scale + dy;
                if (px < width && py < height) ink[py * width + px] = 1;
              }
            }
          }
        }
        x += 4 * scale;
      }
    }
  }
  return grey(width, height, (x, y) => ((ink[y * width + x] === 1) !== inverted ? 0.08 : 0.95));
}

/** A photo-like colour scene: sky gradient, ground, soft coloured blobs, fine grain. */
export function photoLike(width: number, height: number, seed: number): DecodedImage {
  const rng = mulberry32(seed);
  const horizon = 0.35 + 0.3 * rng();
  const sky: [number, number, number] = [0.3 + 0.4 * rng(), 0.5 + 0.3 * rng(), 0.7 + 0.3 * rng()];
  const ground: [number, number, number] = [0.2 + 0.5 * rng(), 0.3 + 0.4 * rng(), 0.1 + 0.3 * rng()];
  const blobs = Array.from({ length: 6 }, () => ({
    cx: rng() * width,
    cy: rng() * height,
    r: (0.05 + 0.2 * rng()) * Math.min(width, height),
    c: [rng(), rng(), rng()] as [number, number, number],
  }));
  const noise = mulberry32(seed ^ 0x5bd1e995);
  return rgb(width, height, (x, y) => {
    const t = y / height;
    const base: [number, number, number] = t < horizon ? [sky[0] * (1 - 0.4 * t), sky[1] * (1 - 0.3 * t), sky[2]] : ground;
    let [r, g, b] = base;
    for (const bl of blobs) {
      const w = Math.exp(-((x - bl.cx) ** 2 + (y - bl.cy) ** 2) / (2 * bl.r * bl.r));
      r = r * (1 - w) + bl.c[0] * w;
      g = g * (1 - w) + bl.c[1] * w;
      b = b * (1 - w) + bl.c[2] * w;
    }
    const n = 0.03 * gauss(noise);
    return [r + n, g + n, b + n];
  });
}

/** The synthetic negatives at `width` x `height` (several of each kind). */
export function syntheticNegatives(width: number, height: number, seed = 20240611): NegativeImage[] {
  const out: NegativeImage[] = [];
  const add = (group: string, name: string, image: DecodedImage): void => void out.push({ group, name, image });
  add(
    'blank',
    'black',
    grey(width, height, () => 0),
  );
  add(
    'blank',
    'white',
    grey(width, height, () => 1),
  );
  for (const v of [0.25, 0.5, 0.75])
    add(
      'blank',
      `grey ${v}`,
      grey(width, height, () => v),
    );
  for (let k = 0; k < 4; k++) {
    const r = mulberry32(seed + k);
    add(
      'noise',
      `uniform grey ${k}`,
      grey(width, height, () => r()),
    );
    const g = mulberry32(seed + 100 + k);
    add(
      'noise',
      `gaussian grey ${k}`,
      grey(width, height, () => 0.5 + 0.15 * gauss(g)),
    );
    const s = mulberry32(seed + 200 + k);
    add(
      'noise',
      `salt and pepper ${k}`,
      grey(width, height, () => (s() < 0.1 ? (s() < 0.5 ? 0 : 1) : 0.5)),
    );
    const c = mulberry32(seed + 300 + k);
    add(
      'noise',
      `uniform colour ${k}`,
      rgb(width, height, () => [c(), c(), c()]),
    );
  }
  for (const period of [4, 16, 64]) {
    add(
      'pattern',
      `checkerboard ${period}`,
      grey(width, height, (x, y) => ((Math.floor(x / period) + Math.floor(y / period)) % 2 === 0 ? 0.1 : 0.9)),
    );
    add(
      'pattern',
      `stripes ${period}`,
      grey(width, height, (x) => (Math.floor(x / period) % 2 === 0 ? 0.2 : 0.8)),
    );
  }
  add(
    'pattern',
    'horizontal gradient',
    grey(width, height, (x) => x / width),
  );
  add(
    'pattern',
    'vertical gradient',
    grey(width, height, (_x, y) => y / height),
  );
  add(
    'pattern',
    'radial gradient',
    grey(width, height, (x, y) => Math.hypot(x - width / 2, y - height / 2) / (Math.min(width, height) / 2)),
  );
  add(
    'pattern',
    'rings',
    grey(width, height, (x, y) => 0.5 + 0.5 * Math.sin(Math.hypot(x - width / 2, y - height / 2) / 6)),
  );
  add(
    'pattern',
    'bright disc',
    grey(width, height, (x, y) => (Math.hypot(x - width / 2, y - height / 2) < Math.min(width, height) / 3 ? 0.9 : 0.1)),
  );
  for (let k = 0; k < 3; k++) {
    const scale = Math.max(1, Math.round(Math.min(width, height) / (60 + 40 * k)));
    add('text', `page ${k}`, textPage(width, height, scale, seed + 400 + k));
  }
  add('text', 'page inverted', textPage(width, height, Math.max(1, Math.round(Math.min(width, height) / 80)), seed + 410, true));
  for (let k = 0; k < 8; k++) add('photo-like', `scene ${k}`, photoLike(width, height, seed + 500 + k));
  return out;
}
