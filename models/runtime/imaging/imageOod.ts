/**
 * Out-of-distribution check for the imaging models, learned from data: the squared Mahalanobis
 * distance of an image's features (the network's own penultimate / bottleneck features) to the
 * training images, with a tied, shrunk covariance (Lee et al. 2018). An image farther than the
 * threshold (chosen on validation images so that >= 95 % of them are kept) is not analysed.
 *
 * The feature extractor is an ONNX artefact cut out of the model itself (models/runtime/imaging/onnxSubgraph.ts)
 * and the statistics a JSON artefact; both are listed with their sha256 in the model's manifest entry
 * (`ood`) and verified before use, like the model. Written by
 * electron/app/imaging/imagingOodFitScript.ts. Node built-ins + onnxruntime-node only.
 */
import * as ort from 'onnxruntime-node';

import { readManifest, readVerified as readVerifiedFile } from '../modelFiles';
import { validateDecodedImage, type DecodedImage } from './decodedImage';
import {
  IMAGING_MANIFEST,
  ImagingModelIntegrityError,
  PNEUMONIA_INPUT_SIZE,
  PNEUMONIA_MODEL_ID,
  RETINA_MODEL_ID,
  RETINA_MULTIPLE,
  pneumoniaInput,
  sessionCache,
  type ImagingManifestEntry,
} from './imagingModels';
import { greenChannel, padToMultiple } from './preprocess';

/** An artefact referenced from a manifest entry, with its expected sha256. */
export interface VerifiedFileRef {
  artefact: string;
  sha256: string;
}

/** `ood` in an imaging manifest entry. */
export interface ImagingOodEntry {
  /** ONNX feature extractor: input as the model's, output `ood_features`. */
  features: VerifiedFileRef & { input: string; output: string; tensor: string; fromModelSha256: string };
  /** Absent only while the fit script is between its two steps. */
  statistics?: VerifiedFileRef;
}

/** The statistics artefact (JSON). */
export interface OodStatistics {
  modelId: string;
  /** sha256 of the feature extractor these statistics were fitted with. */
  featuresSha256: string;
  dim: number;
  /** One mean per class (pneumonia: normal, pneumonia; retina: one); the distance is to the nearest. */
  means: number[][];
  /** Inverse of the shrunk tied covariance, row-major dim x dim, base64 of float64 little endian. */
  precisionF64: string;
  /** Squared Mahalanobis distance above which an image is out of distribution. */
  threshold: number;
  /** How the statistics and threshold were made (descriptive, for the card). */
  fit: Record<string, unknown>;
}

export interface DistributionCheck {
  /** Squared Mahalanobis distance to the nearest class mean. */
  distance: number;
  threshold: number;
  inDistribution: boolean;
}

// ------------------------------------------------------------------------------------------ maths

export interface MahalanobisFit {
  means: number[][];
  /** row-major dim x dim */
  precision: Float64Array;
}

/**
 * Class means and the inverse of the pooled within-class covariance shrunk towards a scaled
 * identity: (1 - shrinkage) S + shrinkage (tr S / d) I, so that it is invertible and stable when
 * there are few samples per dimension.
 */
export function fitMahalanobis(samples: readonly Float64Array[], classes: readonly number[], shrinkage: number): MahalanobisFit {
  if (samples.length === 0 || samples.length !== classes.length) throw new Error('fitMahalanobis: samples and classes must be non-empty and of equal length');
  const d = (samples[0] as Float64Array).length;
  const k = Math.max(...classes) + 1;
  const sums = Array.from({ length: k }, () => new Float64Array(d));
  const counts = new Array<number>(k).fill(0);
  samples.forEach((x, i) => {
    const c = classes[i] as number;
    counts[c] = (counts[c] as number) + 1;
    const s = sums[c] as Float64Array;
    for (let j = 0; j < d; j++) s[j] = (s[j] as number) + (x[j] as number);
  });
  if (counts.some((n) => n === 0)) throw new Error('fitMahalanobis: every class needs samples');
  const means = sums.map((s, c) => Array.from(s, (v) => v / (counts[c] as number)));
  const cov = new Float64Array(d * d);
  const diff = new Float64Array(d);
  samples.forEach((x, i) => {
    const m = means[classes[i] as number] as number[];
    for (let j = 0; j < d; j++) diff[j] = (x[j] as number) - (m[j] as number);
    for (let a = 0; a < d; a++) {
      const da = diff[a] as number;
      for (let b = a; b < d; b++) cov[a * d + b] = (cov[a * d + b] as number) + da * (diff[b] as number);
    }
  });
  const n = samples.length - k;
  let trace = 0;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = (cov[a * d + b] as number) / Math.max(n, 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
    trace += cov[a * d + a] as number;
  }
  const ridge = (shrinkage * trace) / d;
  for (let i = 0; i < d * d; i++) cov[i] = (1 - shrinkage) * (cov[i] as number);
  for (let a = 0; a < d; a++) cov[a * d + a] = (cov[a * d + a] as number) + ridge;
  return { means, precision: invertSpd(cov, d) };
}

/** Inverse of a symmetric positive definite matrix (Cholesky). */
export function invertSpd(m: Float64Array, d: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i * d + j] as number;
      for (let k = 0; k < j; k++) s -= (L[i * d + k] as number) * (L[j * d + k] as number);
      if (i === j) {
        if (!(s > 0)) throw new Error('invertSpd: matrix is not positive definite');
        L[i * d + i] = Math.sqrt(s);
      } else {
        L[i * d + j] = s / (L[j * d + j] as number);
      }
    }
  }
  // inverse of L (lower triangular), then inv = L^-T L^-1
  const Li = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    Li[i * d + i] = 1 / (L[i * d + i] as number);
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= (L[i * d + k] as number) * (Li[k * d + j] as number);
      Li[i * d + j] = s / (L[i * d + i] as number);
    }
  }
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < d; k++) s += (Li[k * d + i] as number) * (Li[k * d + j] as number);
      inv[i * d + j] = s;
      inv[j * d + i] = s;
    }
  }
  return inv;
}

/** Squared Mahalanobis distance of `x` to the nearest of `means`. */
export function mahalanobis(x: ArrayLike<number>, means: readonly (readonly number[])[], precision: Float64Array): number {
  const d = x.length;
  const diff = new Float64Array(d);
  let best = Infinity;
  for (const m of means) {
    for (let j = 0; j < d; j++) diff[j] = (x[j] as number) - (m[j] as number);
    let s = 0;
    for (let a = 0; a < d; a++) {
      let row = 0;
      for (let b = 0; b < d; b++) row += (precision[a * d + b] as number) * (diff[b] as number);
      s += (diff[a] as number) * row;
    }
    if (s < best) best = s;
  }
  return best;
}

export function f64ToBase64(a: Float64Array): string {
  const b = Buffer.alloc(a.length * 8);
  a.forEach((v, i) => b.writeDoubleLE(v, i * 8));
  return b.toString('base64');
}

export function base64ToF64(s: string): Float64Array {
  const b = Buffer.from(s, 'base64');
  const out = new Float64Array(b.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = b.readDoubleLE(i * 8);
  return out;
}

// ---------------------------------------------------------------------------------------- loading

interface LoadedOod {
  entry: ImagingManifestEntry;
  session: ort.InferenceSession;
  featuresSha256: string;
  statistics: (OodStatistics & { precision: Float64Array }) | null;
}

function readManifestEntry(modelsDir: string, modelId: string): ImagingManifestEntry & { ood?: ImagingOodEntry } {
  const { file, entries } = readManifest(modelsDir);
  const entry = entries.find((m) => m.id === modelId);
  if (entry === undefined) throw new ImagingModelIntegrityError(modelId, file, 'an entry for the model', 'none');
  return entry as unknown as ImagingManifestEntry & { ood?: ImagingOodEntry };
}

/** An OOD file named by the manifest entry's `ood` section, through the one verified read. */
function readVerified(modelsDir: string, modelId: string, ref: VerifiedFileRef | undefined, what: string): Buffer {
  if (ref === undefined || typeof ref.artefact !== 'string' || !/^[0-9a-f]{64}$/.test(String(ref.sha256))) {
    throw new ImagingModelIntegrityError(modelId, IMAGING_MANIFEST, `an ${what} entry with artefact and sha256`, 'none');
  }
  return readVerifiedFile(modelsDir, modelId, ref.artefact, ref.sha256).bytes;
}

async function loadOod(modelId: string, modelsDir: string): Promise<LoadedOod> {
  const entry = readManifestEntry(modelsDir, modelId);
  const ood = entry.ood;
  const bytes = readVerified(modelsDir, modelId, ood?.features, 'ood.features');
  // Cut out of another model.onnx (e.g. after retraining): its features would not be this model's.
  if (ood!.features.fromModelSha256 !== entry.sha256) {
    throw new ImagingModelIntegrityError(
      modelId,
      ood!.features.artefact,
      `a feature extractor cut from model ${entry.sha256}`,
      `one cut from ${String(ood!.features.fromModelSha256)}`,
      'run imagingOodFitScript again',
    );
  }
  const session = await ort.InferenceSession.create(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    intraOpNumThreads: 2,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  let statistics: LoadedOod['statistics'] = null;
  if (ood?.statistics !== undefined) {
    const raw = readVerified(modelsDir, modelId, ood.statistics, 'ood.statistics');
    const s = JSON.parse(raw.toString('utf8')) as OodStatistics;
    const precision = base64ToF64(s.precisionF64);
    if (
      s.featuresSha256 !== ood.features.sha256 ||
      precision.length !== s.dim * s.dim ||
      !s.means.every((m) => m.length === s.dim) ||
      !Number.isFinite(s.threshold)
    ) {
      throw new ImagingModelIntegrityError(modelId, ood.statistics.artefact, 'statistics fitted with this feature extractor', 'mismatching ones');
    }
    statistics = { ...s, precision };
  }
  return { entry, session, featuresSha256: ood!.features.sha256, statistics };
}

const extractors = sessionCache(loadOod);

function getOod(modelId: string, modelsDir?: string): Promise<LoadedOod> {
  return extractors.get(modelId, modelsDir);
}

/** Releases the feature extractors (tests, shutdown, and the fit script after it rewrote them). */
export function releaseImagingOod(): Promise<void> {
  return extractors.release();
}

// --------------------------------------------------------------------------------------- features

function outputOf(out: ort.InferenceSession.OnnxValueMapType, name: string, modelId: string): ort.Tensor {
  const t = out[name];
  if (t === undefined || !(t.data instanceof Float32Array)) throw new Error(`imaging model "${modelId}": feature extractor returned no float32 "${name}"`);
  return t;
}

/** Colour summary (per-channel mean and standard deviation, mean saturation): what the green-only U-Net cannot see. */
function colourStats(image: DecodedImage): number[] {
  const n = image.width * image.height;
  const c = image.channels;
  let sr = 0,
    sg = 0,
    sb = 0,
    qr = 0,
    qg = 0,
    qb = 0;
  let sat = 0;
  for (let i = 0; i < n; i++) {
    const r = image.data[i * c] as number;
    const g = c === 3 ? (image.data[i * c + 1] as number) : r;
    const b = c === 3 ? (image.data[i * c + 2] as number) : r;
    sr += r;
    sg += g;
    sb += b;
    qr += r * r;
    qg += g * g;
    qb += b * b;
    sat += Math.max(r, g, b) - Math.min(r, g, b);
  }
  const means = [sr / n, sg / n, sb / n];
  const sds = [qr, qg, qb].map((s, j) => Math.sqrt(Math.max(0, s / n - (means[j] as number) ** 2)));
  return [...means, ...sds, sat / n];
}

/**
 * The feature vector the OOD check uses for `modelId`:
 * - pneumonia-xray: the 128 globally pooled activations of the last convolutional block (the input
 *   of the linear head), on the model's own 28x28 input;
 * - retina-vessels: the 96 channel means of the U-Net bottleneck on the green channel, plus the
 *   colour summary (mean and SD of R, G, B, mean saturation), since the network sees green only.
 */
export async function imageFeatures(modelId: string, image: DecodedImage, modelsDir?: string): Promise<Float64Array> {
  const ood = await getOod(modelId, modelsDir);
  if (modelId === PNEUMONIA_MODEL_ID) {
    const { input } = pneumoniaInput(image);
    const S = PNEUMONIA_INPUT_SIZE;
    const out = await ood.session.run({ image: new ort.Tensor('float32', input.data, [1, 1, S, S]) });
    return Float64Array.from(outputOf(out, 'ood_features', modelId).data as Float32Array);
  }
  if (modelId === RETINA_MODEL_ID) {
    validateDecodedImage(image);
    const padded = padToMultiple(greenChannel(image), RETINA_MULTIPLE);
    const out = await ood.session.run({ green: new ort.Tensor('float32', padded.data, [1, 1, padded.height, padded.width]) });
    const t = outputOf(out, 'ood_features', modelId);
    const [, channels, h, w] = t.dims as number[];
    const data = t.data as Float32Array;
    const plane = (h as number) * (w as number);
    const pooled: number[] = [];
    for (let ch = 0; ch < (channels as number); ch++) {
      let s = 0;
      for (let i = ch * plane, e = i + plane; i < e; i++) s += data[i] as number;
      pooled.push(s / plane);
    }
    return Float64Array.from([...pooled, ...colourStats(image)]);
  }
  throw new Error(`no out-of-distribution features for model "${modelId}"`);
}

/**
 * Distance of `image` to the model's training images and whether it is within the threshold.
 * Throws ImagingModelIntegrityError when the extractor or statistics are missing or tampered with.
 */
export async function checkImageDistribution(modelId: string, image: DecodedImage, modelsDir?: string): Promise<DistributionCheck> {
  const ood = await getOod(modelId, modelsDir);
  if (ood.statistics === null) {
    throw new ImagingModelIntegrityError(modelId, IMAGING_MANIFEST, 'ood.statistics for the model', 'none');
  }
  const x = await imageFeatures(modelId, image, modelsDir);
  const s = ood.statistics;
  const distance = mahalanobis(x, s.means, s.precision);
  // NaN (degenerate features) counts as out of distribution.
  return { distance, threshold: s.threshold, inDistribution: distance <= s.threshold };
}
