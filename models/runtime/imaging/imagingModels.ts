/**
 * Imaging models (ONNX, onnxruntime-node): `pneumonia-xray` (chest X-ray classifier with a
 * class-activation map) and `retina-vessels` (fundus vessel segmentation, U-Net).
 *
 * Reads models/artefacts/manifest.json; each artefact's SHA-256 is checked on the very bytes
 * that are then handed to onnxruntime, before any session is created. Sessions are created once per
 * (models folder, id) and cached. Node built-ins + onnxruntime-node only; no electron or db imports.
 */
import { ModelError } from '../modelErrors';
import * as path from 'node:path';

import * as ort from 'onnxruntime-node';
import { ModelIntegrityError, readManifest, readVerifiedAsync, type BaseManifestEntry } from '../modelFiles';

import { resolveModelsDir } from '../common/paths';
import { validateDecodedImage, type DecodedImage } from './decodedImage';
import { centreSquare, greenChannel, padToMultiple, resizeBicubic, toGrey, upsampleInto, type CropRect, type GreyImage } from './preprocess';

export { ImageInputError, type DecodedImage } from './decodedImage';
export type { CropRect, GreyImage } from './preprocess';

export const PNEUMONIA_MODEL_ID = 'pneumonia-xray';
export const RETINA_MODEL_ID = 'retina-vessels';
/** Side of the pneumonia model's square input. */
export const PNEUMONIA_INPUT_SIZE = 28;
/** The vessel U-Net needs height and width multiples of this (three 2x poolings); inputs are zero-padded. */
export const RETINA_MULTIPLE = 8;
/** The one manifest, relative to the models folder (imaging entries have kind "onnx"). */
export const IMAGING_MANIFEST = 'manifest.json';

/** Imaging models fail integrity like every other kind (one error, mapped to MODEL_INTEGRITY). */
export { ModelIntegrityError as ImagingModelIntegrityError } from '../modelFiles';

export class UnknownImagingModelError extends ModelError {
  readonly code = 'MODEL_INTEGRITY' as const;
  override readonly modelId: string;
  constructor(modelId: string, known: readonly string[]) {
    super(`unknown imaging model "${modelId}" (known: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownImagingModelError';
    this.modelId = modelId;
  }
}

export interface ImagingManifestEntry {
  id: string;
  version: string;
  kind: 'onnx';
  /** Path of the artefact relative to the models folder. */
  artefact: string;
  sha256: string;
  card: string;
  /** Input shapes and preprocessing, as written by the training script (descriptive). */
  inputs: Record<string, unknown>;
  labels: string[];
}

export interface ImagingModel {
  id: string;
  version: string;
  sha256: string;
  /** Absolute path of the verified artefact. */
  file: string;
  entry: ImagingManifestEntry;
  session: ort.InferenceSession;
}

export interface ModelRef {
  id: string;
  version: string;
  sha256: string;
}

/** The imaging entries (kind "onnx") of the one manifest, with their own fields checked. */
function imagingEntries(file: string, entries: BaseManifestEntry[]): ImagingManifestEntry[] {
  const imaging = entries.filter((e) => e.kind === 'onnx');
  for (const e of imaging) {
    if (typeof e['inputs'] !== 'object' || e['inputs'] === null) {
      throw new ModelIntegrityError('manifest', file, 'a valid manifest', 'an invalid one', `entry ${e.id}: inputs`);
    }
  }
  return imaging as unknown as ImagingManifestEntry[];
}

async function load(id: string, modelsDir: string): Promise<ImagingModel> {
  const { file: manifestFile, entries: all } = readManifest(modelsDir);
  const entries = imagingEntries(manifestFile, all);
  const entry = entries.find((m) => m.id === id);
  if (entry === undefined)
    throw new UnknownImagingModelError(
      id,
      entries.map((m) => m.id),
    );
  const { file, bytes } = await readVerifiedAsync(modelsDir, id, entry.artefact, entry.sha256);
  // Only verified bytes reach onnxruntime (no second read of the file).
  const session = await ort.InferenceSession.create(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    intraOpNumThreads: 2,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  return { id, version: entry.version, sha256: entry.sha256, file, entry, session };
}

/** Loads once per (models folder, id); a failed load is not cached; `release` frees every session. */
export function sessionCache<T extends { session: ort.InferenceSession }>(load: (id: string, modelsDir: string) => Promise<T>) {
  const cache = new Map<string, Promise<T>>();
  return {
    get(id: string, modelsDir?: string): Promise<T> {
      const dir = path.resolve(modelsDir ?? resolveModelsDir(__dirname));
      const key = `${dir}\u0000${id}`;
      let p = cache.get(key);
      if (p === undefined) {
        p = load(id, dir);
        cache.set(key, p);
        p.catch(() => cache.delete(key));
      }
      return p;
    },
    async release(): Promise<void> {
      const all = [...cache.values()];
      cache.clear();
      for (const p of all) {
        try {
          await (await p).session.release();
        } catch {
          // a failed load has nothing to release
        }
      }
    },
  };
}

const sessions = sessionCache(load);

/**
 * Loads (once) and returns the imaging model `id` from `modelsDir` (default: the project's models/).
 * Throws `ImagingModelIntegrityError` (manifest or artefact missing, malformed, or SHA-256 mismatch —
 * checked before any session is created) or `UnknownImagingModelError`. A failed load is not cached.
 */
export function loadImagingModel(id: string, modelsDir?: string): Promise<ImagingModel> {
  return sessions.get(id, modelsDir);
}

/** Releases every cached session (tests, shutdown). */
export function releaseImagingModels(): Promise<void> {
  return sessions.release();
}

function outputData(out: ort.InferenceSession.OnnxValueMapType, name: string, modelId: string): Float32Array {
  const t = out[name];
  if (t === undefined || !(t.data instanceof Float32Array)) {
    throw new Error(`imaging model "${modelId}" returned no float32 output "${name}"`);
  }
  return t.data;
}

// --------------------------------------------------------------------------------------- pneumonia

export interface PneumoniaInput {
  /** The 28x28 grey model input (values as in training: [0,1]). */
  input: GreyImage;
  /** The square of the original image that the input was made from. */
  crop: CropRect;
}

/**
 * Preprocessing of `pneumonia-xray` (as in training; see its model card): grey (ITU-R 601-2 luma) ->
 * centre square crop of side min(w,h) -> Pillow-compatible antialiased bicubic resize to 28x28.
 */
export function pneumoniaInput(image: DecodedImage): PneumoniaInput {
  validateDecodedImage(image);
  const rect = centreSquare(image.width, image.height);
  const square = toGrey(image, rect);
  return { input: resizeBicubic(square, PNEUMONIA_INPUT_SIZE, PNEUMONIA_INPUT_SIZE), crop: rect };
}

export interface Saliency {
  /** The original image's width and height: the map is laid over the whole image. */
  width: number;
  height: number;
  /**
   * Row-major values in [0,1] (1 = the strongest evidence for `target`), bilinearly upsampled from the
   * model's 28x28 map into `crop`; 0 outside `crop` (the model never saw it) and everywhere when there
   * is no positive evidence.
   */
  data: Float32Array;
  /** The class whose evidence is shown: the predicted class. */
  target: 'pneumonia' | 'normal';
  /** The centre square of the image that the model saw, in image pixels. */
  crop: CropRect;
  /** The same map at the model's input resolution (28x28), covering `crop`. */
  input: GreyImage;
  /** Grad-CAM of the logit difference (equal to CAM for this GAP + linear head). */
  method: 'grad-cam';
}

export interface PneumoniaResult {
  probabilities: { pneumonia: number; normal: number };
  saliency: Saliency;
  model: ModelRef;
}

/**
 * Chest X-ray -> P(pneumonia), P(normal) (sum 1) and a saliency map for the predicted class.
 * The map is Grad-CAM of the logit difference (pneumonia - normal), computed inside the ONNX graph
 * (exact for this GAP + linear head), ReLU'd for the predicted class (its negative for "normal"),
 * scaled to [0,1] by its maximum and laid over the image (see `Saliency`).
 */
export async function classifyPneumonia(image: DecodedImage, modelsDir?: string): Promise<PneumoniaResult> {
  const { input, crop: rect } = pneumoniaInput(image);
  const model = await loadImagingModel(PNEUMONIA_MODEL_ID, modelsDir);
  const S = PNEUMONIA_INPUT_SIZE;
  const out = await model.session.run({ image: new ort.Tensor('float32', input.data, [1, 1, S, S]) });
  const prob = outputData(out, 'probabilities', model.id);
  const cam = outputData(out, 'cam', model.id);
  const pNormal = prob[0] as number;
  const pPneumonia = prob[1] as number;
  const target = pPneumonia >= pNormal ? 'pneumonia' : 'normal';
  const sign = target === 'pneumonia' ? 1 : -1;
  const small = new Float32Array(S * S);
  let max = 0;
  for (let i = 0; i < small.length; i++) {
    const v = Math.max(0, sign * (cam[i] as number));
    small[i] = v;
    if (v > max) max = v;
  }
  if (max > 0) for (let i = 0; i < small.length; i++) small[i] = (small[i] as number) / max;
  const inputMap: GreyImage = { width: S, height: S, data: small };
  return {
    probabilities: { pneumonia: pPneumonia, normal: pNormal },
    saliency: {
      width: image.width,
      height: image.height,
      data: upsampleInto(inputMap, image.width, image.height, rect),
      target,
      crop: rect,
      input: inputMap,
      method: 'grad-cam',
    },
    model: { id: model.id, version: model.version, sha256: model.sha256 },
  };
}

// ------------------------------------------------------------------------------------------ retina

export interface VesselResult {
  width: number;
  height: number;
  /** Per-pixel vessel probability in [0,1], row-major, same size as the input image. */
  probability: Float32Array;
  model: ModelRef;
}

/**
 * Fundus photograph -> per-pixel vessel probability (same width/height). Preprocessing as in training:
 * green channel (grey used as is), zero-padded at the bottom/right to multiples of 8; the local
 * contrast normalisation happens inside the graph. The whole image is run at once (fully convolutional);
 * no resizing, so the image should be at roughly DRIVE's scale (field of view ~540 px across).
 * Values outside the field of view are not meaningful.
 */
export async function segmentVessels(image: DecodedImage, modelsDir?: string): Promise<VesselResult> {
  validateDecodedImage(image);
  const model = await loadImagingModel(RETINA_MODEL_ID, modelsDir);
  const g = greenChannel(image);
  const padded = padToMultiple(g, RETINA_MULTIPLE);
  const out = await model.session.run({
    green: new ort.Tensor('float32', padded.data, [1, 1, padded.height, padded.width]),
  });
  const p = outputData(out, 'probability', model.id);
  if (p.length !== padded.width * padded.height) {
    throw new Error(`imaging model "${model.id}" returned ${p.length} values for a ${padded.width}x${padded.height} input`);
  }
  let probability: Float32Array;
  if (padded === g) {
    probability = p.slice();
  } else {
    probability = new Float32Array(g.width * g.height);
    for (let y = 0; y < g.height; y++) {
      probability.set(p.subarray(y * padded.width, y * padded.width + g.width), y * g.width);
    }
  }
  return {
    width: image.width,
    height: image.height,
    probability,
    model: { id: model.id, version: model.version, sha256: model.sha256 },
  };
}
