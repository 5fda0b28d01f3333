/**
 * Image preprocessing for the imaging models, mirroring the training scripts
 * (models/training/imaging/train_pneumonia.py, train_retina_unet.py). Node built-ins only.
 */
import { type DecodedImage } from './decodedImage';

/** A single-channel float image, row-major. */
export interface GreyImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Square region of an image, in image pixel coordinates. */
export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * RGB -> grey with ITU-R 601-2 luma (PIL's "L" weights 0.299, 0.587, 0.114); grey is copied.
 * With `rect`, only that region is converted (and returned).
 */
export function toGrey(image: DecodedImage, rect?: CropRect): GreyImage {
  const r = rect ?? { x: 0, y: 0, width: image.width, height: image.height };
  const out = new Float32Array(r.width * r.height);
  const d = image.data;
  for (let y = 0; y < r.height; y++) {
    const o = y * r.width;
    const s0 = (r.y + y) * image.width + r.x;
    if (image.channels === 1) {
      out.set(d.subarray(s0, s0 + r.width), o);
    } else {
      for (let x = 0, j = s0 * 3; x < r.width; x++, j += 3) {
        out[o + x] = (d[j] as number) * 0.299 + (d[j + 1] as number) * 0.587 + (d[j + 2] as number) * 0.114;
      }
    }
  }
  return { width: r.width, height: r.height, data: out };
}

/** The green channel of an RGB image (the channel with the best vessel contrast); grey is copied. */
export function greenChannel(image: DecodedImage): GreyImage {
  const n = image.width * image.height;
  const out = new Float32Array(n);
  const d = image.data;
  if (image.channels === 1) {
    out.set(d.subarray(0, n));
  } else {
    for (let i = 0, j = 1; i < n; i++, j += 3) out[i] = d[j] as number;
  }
  return { width: image.width, height: image.height, data: out };
}

/** Centre square of side min(width, height); offset floor((long - short) / 2) on the long axis. */
export function centreSquare(width: number, height: number): CropRect {
  const s = Math.min(width, height);
  return { x: Math.floor((width - s) / 2), y: Math.floor((height - s) / 2), width: s, height: s };
}

export function crop(img: GreyImage, r: CropRect): GreyImage {
  const out = new Float32Array(r.width * r.height);
  for (let y = 0; y < r.height; y++) {
    const src = (r.y + y) * img.width + r.x;
    out.set(img.data.subarray(src, src + r.width), y * r.width);
  }
  return { width: r.width, height: r.height, data: out };
}

/** Pillow's bicubic kernel (a = -0.5, support 2). */
function bicubic(x: number): number {
  const a = -0.5;
  if (x < 0) x = -x;
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

interface Coeffs {
  /** Per output index: first input index. */
  start: Int32Array;
  /** Per output index: number of taps. */
  count: Int32Array;
  /** Taps, `ksize` per output index. */
  k: Float64Array;
  ksize: number;
}

/** Pillow's precompute_coeffs (libImaging/Resample.c) for the full input range. */
function precomputeCoeffs(inSize: number, outSize: number): Coeffs {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = 2 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const k = new Float64Array(outSize * ksize);
  const ss = 1 / filterscale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0;
    const base = xx * ksize;
    for (let x = 0; x < xmax; x++) {
      const w = bicubic((x + xmin - center + 0.5) * ss);
      k[base + x] = w;
      ww += w;
    }
    if (ww !== 0) for (let x = 0; x < xmax; x++) k[base + x] = (k[base + x] as number) / ww;
    start[xx] = xmin;
    count[xx] = xmax;
  }
  return { start, count, k, ksize };
}

/**
 * Resizes like Pillow's `Image.resize(size, Image.BICUBIC)` on a float ("F") image: antialiased
 * bicubic (kernel support scaled by the reduction factor), horizontal pass then vertical pass,
 * double-precision accumulation, float32 intermediate and result.
 */
export function resizeBicubic(img: GreyImage, outWidth: number, outHeight: number): GreyImage {
  let cur = img;
  if (outWidth !== cur.width) {
    const c = precomputeCoeffs(cur.width, outWidth);
    const out = new Float32Array(outWidth * cur.height);
    for (let y = 0; y < cur.height; y++) {
      const row = y * cur.width;
      for (let xx = 0; xx < outWidth; xx++) {
        const s0 = row + (c.start[xx] as number);
        const n = c.count[xx] as number;
        const kb = xx * c.ksize;
        let ss = 0;
        for (let x = 0; x < n; x++) ss += (cur.data[s0 + x] as number) * (c.k[kb + x] as number);
        out[y * outWidth + xx] = ss;
      }
    }
    cur = { width: outWidth, height: cur.height, data: out };
  }
  if (outHeight !== cur.height) {
    const c = precomputeCoeffs(cur.height, outHeight);
    const w = cur.width;
    const out = new Float32Array(w * outHeight);
    for (let yy = 0; yy < outHeight; yy++) {
      const y0 = c.start[yy] as number;
      const n = c.count[yy] as number;
      const kb = yy * c.ksize;
      for (let x = 0; x < w; x++) {
        let ss = 0;
        for (let y = 0; y < n; y++) ss += (cur.data[(y0 + y) * w + x] as number) * (c.k[kb + y] as number);
        out[yy * w + x] = ss;
      }
    }
    cur = { width: w, height: outHeight, data: out };
  }
  return cur === img ? { width: img.width, height: img.height, data: img.data.slice() } : cur;
}

/** Zero-pads at the bottom and right so that both sides are multiples of `m`. */
export function padToMultiple(img: GreyImage, m: number): GreyImage {
  const W = Math.ceil(img.width / m) * m;
  const H = Math.ceil(img.height / m) * m;
  if (W === img.width && H === img.height) return img;
  const out = new Float32Array(W * H);
  for (let y = 0; y < img.height; y++) out.set(img.data.subarray(y * img.width, (y + 1) * img.width), y * W);
  return { width: W, height: H, data: out };
}

/**
 * Bilinear upsampling of a small map into the `rect` of a `width` x `height` canvas (half-pixel
 * centres, edge clamped); zero outside `rect`. Used to lay a 28x28 saliency map over the image.
 */
export function upsampleInto(map: GreyImage, width: number, height: number, rect: CropRect): Float32Array {
  const out = new Float32Array(width * height);
  const m = map.data;
  const mw = map.width;
  // per output column: source columns and weight (computed once)
  const x0s = new Int32Array(rect.width);
  const x1s = new Int32Array(rect.width);
  const txs = new Float64Array(rect.width);
  const sx = mw / rect.width;
  for (let x = 0; x < rect.width; x++) {
    const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), mw - 1);
    const x0 = Math.floor(fx);
    x0s[x] = x0;
    x1s[x] = Math.min(x0 + 1, mw - 1);
    txs[x] = fx - x0;
  }
  const sy = map.height / rect.height;
  const xStart = Math.max(0, -rect.x);
  const xEnd = Math.min(rect.width, width - rect.x);
  for (let y = 0; y < rect.height; y++) {
    const oy = rect.y + y;
    if (oy < 0 || oy >= height) continue;
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), map.height - 1);
    const y0 = Math.floor(fy);
    const r0 = y0 * mw;
    const r1 = Math.min(y0 + 1, map.height - 1) * mw;
    const ty = fy - y0;
    const base = oy * width + rect.x;
    for (let x = xStart; x < xEnd; x++) {
      const a = x0s[x] as number;
      const b = x1s[x] as number;
      const tx = txs[x] as number;
      const top = (m[r0 + a] as number) * (1 - tx) + (m[r0 + b] as number) * tx;
      const bot = (m[r1 + a] as number) * (1 - tx) + (m[r1 + b] as number) * tx;
      out[base + x] = top * (1 - ty) + bot * ty;
    }
  }
  return out;
}
