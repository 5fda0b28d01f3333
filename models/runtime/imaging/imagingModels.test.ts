import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { npzU8, readNpzMembers } from './npz';

import * as ort from 'onnxruntime-node';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

import { decodedImageFromInts, ImageInputError, type DecodedImage } from './decodedImage';
import {
  classifyPneumonia,
  IMAGING_MANIFEST,
  ImagingModelIntegrityError,
  loadImagingModel,
  pneumoniaInput,
  releaseImagingModels,
  segmentVessels,
  UnknownImagingModelError,
  type ImagingManifestEntry,
} from './imagingModels';
import { auc } from '../../training/metrics';

const modelsDir = path.resolve(__dirname, '..', '..', 'artefacts');
const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, IMAGING_MANIFEST), 'utf8')) as {
  models: ImagingManifestEntry[];
};
const entryOf = (id: string): ImagingManifestEntry => {
  const e = manifest.models.find((m) => m.id === id);
  if (e === undefined) throw new Error(`no ${id} in the imaging manifest`);
  return e;
};

function f32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float32Array(buf.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}
function u8(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}
/** Saliency as classifyPneumonia derives it from the raw CAM. */
function expectedSaliency(cam: Float32Array, target: 'pneumonia' | 'normal'): Float32Array {
  const sign = target === 'pneumonia' ? 1 : -1;
  const s = cam.map((v) => Math.max(0, sign * v));
  const max = s.reduce((a, v) => Math.max(a, v), 0);
  return max > 0 ? s.map((v) => v / max) : s;
}

const tmpDirs: string[] = [];
/** A copy of models/artefacts/manifest.json and the artefacts in a temporary models folder. */
function copyModels(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-imaging-'));
  tmpDirs.push(dir);
  fs.copyFileSync(path.join(modelsDir, IMAGING_MANIFEST), path.join(dir, IMAGING_MANIFEST));
  for (const m of manifest.models.filter((x) => x.kind === 'onnx')) {
    fs.mkdirSync(path.join(dir, path.dirname(m.artefact)), { recursive: true });
    fs.copyFileSync(path.join(modelsDir, m.artefact), path.join(dir, m.artefact));
  }
  return dir;
}
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
afterAll(async () => {
  await releaseImagingModels();
});

describe('imaging model loading', () => {
  it('the manifest matches the committed artefacts', () => {
    const imaging = manifest.models.filter((m) => m.kind === 'onnx');
    expect(imaging.map((m) => m.id).sort()).toEqual(['pneumonia-xray', 'retina-vessels']);
    for (const m of imaging) {
      const sha = createHash('sha256')
        .update(fs.readFileSync(path.join(modelsDir, m.artefact)))
        .digest('hex');
      expect(sha, m.id).toBe(m.sha256);
      expect(m.kind).toBe('onnx');
      expect(fs.existsSync(path.join(modelsDir, m.card)), m.card).toBe(true);
    }
  });

  it('loads each model once and caches the session', async () => {
    const a = await loadImagingModel('pneumonia-xray');
    const b = await loadImagingModel('pneumonia-xray', modelsDir);
    expect(b).toBe(a);
    expect(a.sha256).toBe(entryOf('pneumonia-xray').sha256);
    expect(a.session.inputNames).toEqual(['image']);
    expect([...a.session.outputNames].sort()).toEqual(['cam', 'logits', 'probabilities']);
    const r = await loadImagingModel('retina-vessels');
    expect(r.session.inputNames).toEqual(['green']);
    expect(r.session.outputNames).toEqual(['probability']);
  });

  it('refuses a tampered artefact before creating a session, naming model, file and both hashes', async () => {
    const dir = copyModels();
    const entry = entryOf('pneumonia-xray');
    const file = path.join(dir, entry.artefact);
    const bytes = fs.readFileSync(file);
    // Flip the lowest bit of a byte in the middle of the file (inside a weight tensor): still a valid
    // ONNX model, just a different one.
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] as number) ^ 1;
    fs.writeFileSync(file, bytes);
    const tampered = await ort.InferenceSession.create(new Uint8Array(bytes));
    await tampered.release(); // onnxruntime would happily have run it

    const create = vi.spyOn(ort.InferenceSession, 'create');
    const err = await loadImagingModel('pneumonia-xray', dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImagingModelIntegrityError);
    const e = err as ImagingModelIntegrityError;
    // One integrity error for every model kind (the app maps it to MODEL_INTEGRITY).
    expect(e.name).toBe('ModelIntegrityError');
    expect(e.modelId).toBe('pneumonia-xray');
    expect(e.file).toBe(file);
    expect(e.expected).toBe(entry.sha256);
    expect(e.actual).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(e.message).toContain('pneumonia-xray');
    expect(e.message).toContain('model.onnx');
    expect(e.message).toContain(entry.sha256);
    expect(e.message).toContain('failed its integrity check');
    expect(create).not.toHaveBeenCalled();

    // not cached: still refused on the next call; classifying with that folder is refused too
    await expect(loadImagingModel('pneumonia-xray', dir)).rejects.toBeInstanceOf(ImagingModelIntegrityError);
    const img = decodedImageFromInts(28, 28, 1, new Uint8Array(784).fill(128));
    await expect(classifyPneumonia(img, dir)).rejects.toBeInstanceOf(ImagingModelIntegrityError);
    // the untouched model in the same folder still loads
    await expect(loadImagingModel('retina-vessels', dir)).resolves.toMatchObject({ id: 'retina-vessels' });
  });

  it('refuses a missing artefact, an unknown id and a malformed manifest', async () => {
    const dir = copyModels();
    fs.rmSync(path.join(dir, entryOf('retina-vessels').artefact));
    await expect(loadImagingModel('retina-vessels', dir)).rejects.toBeInstanceOf(ImagingModelIntegrityError);
    await expect(loadImagingModel('no-such-model', dir)).rejects.toBeInstanceOf(UnknownImagingModelError);
    const dir2 = copyModels();
    const mf = path.join(dir2, IMAGING_MANIFEST);
    const j = JSON.parse(fs.readFileSync(mf, 'utf8')) as { models: ImagingManifestEntry[] };
    const target = j.models.find((m) => m.kind === 'onnx')!;
    target.artefact = '../../etc/passwd';
    fs.writeFileSync(mf, JSON.stringify(j));
    await expect(loadImagingModel(target.id, dir2)).rejects.toBeInstanceOf(ImagingModelIntegrityError);
    fs.writeFileSync(mf, '{ not json');
    await expect(loadImagingModel('pneumonia-xray', dir2)).rejects.toThrow(/not JSON/);
  });
});

interface PneumoniaFixture {
  modelSha256: string;
  labels: string[];
  validation: {
    index: number;
    label: string;
    pixelsU8: string;
    probabilities: { normal: number; pneumonia: number };
    camF32: string;
  }[];
  preprocessing: {
    width: number;
    height: number;
    channels: 3;
    rgbF32: string;
    expectedInputF32: string;
    probabilities: { normal: number; pneumonia: number };
    camF32: string;
  };
}
const pneumoniaFixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'pneumonia-fixture.json'), 'utf8')) as PneumoniaFixture;

describe('classifyPneumonia', () => {
  it('the fixture belongs to the committed model', () => {
    expect(pneumoniaFixture.modelSha256).toBe(entryOf('pneumonia-xray').sha256);
    expect(pneumoniaFixture.labels).toEqual(entryOf('pneumonia-xray').labels);
  });

  it('reproduces PyTorch on 8 validation images (probabilities within 1e-4, saliency from the same CAM)', async () => {
    expect(pneumoniaFixture.validation).toHaveLength(8);
    let correct = 0;
    for (const v of pneumoniaFixture.validation) {
      const img = decodedImageFromInts(28, 28, 1, u8(v.pixelsU8));
      const r = await classifyPneumonia(img);
      expect(Math.abs(r.probabilities.pneumonia - v.probabilities.pneumonia), `val ${v.index}`).toBeLessThan(1e-4);
      expect(Math.abs(r.probabilities.normal - v.probabilities.normal), `val ${v.index}`).toBeLessThan(1e-4);
      expect(r.saliency.target).toBe(v.probabilities.pneumonia >= v.probabilities.normal ? 'pneumonia' : 'normal');
      expect(maxAbsDiff(r.saliency.input.data, expectedSaliency(f32(v.camF32), r.saliency.target))).toBeLessThan(1e-3);
      expect(r.saliency.data).toEqual(r.saliency.input.data); // 28x28 image: no resampling
      if ((r.probabilities.pneumonia >= 0.5 ? 'pneumonia' : 'normal') === v.label) correct++;
    }
    expect(correct).toBeGreaterThanOrEqual(6);
  });

  it('preprocesses an RGB image of another size like Pillow and reproduces PyTorch on it', async () => {
    const p = pneumoniaFixture.preprocessing;
    const img: DecodedImage = { width: p.width, height: p.height, channels: 3, data: f32(p.rgbF32) };
    const pre = pneumoniaInput(img);
    expect(pre.input.width).toBe(28);
    expect(pre.input.height).toBe(28);
    expect(pre.crop).toEqual({ x: 0, y: 4, width: 37, height: 37 });
    expect(maxAbsDiff(pre.input.data, f32(p.expectedInputF32))).toBeLessThan(1e-5);
    const r = await classifyPneumonia(img);
    expect(Math.abs(r.probabilities.pneumonia - p.probabilities.pneumonia)).toBeLessThan(1e-4);
    expect(maxAbsDiff(r.saliency.input.data, expectedSaliency(f32(p.camF32), r.saliency.target))).toBeLessThan(1e-3);
  });

  it('returns probabilities summing to 1 and a saliency in [0,1] laid over the image', async () => {
    const w = 300;
    const h = 200;
    const data = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = 0.5 + 0.4 * Math.sin(x / 17) * Math.cos(y / 23);
    const r = await classifyPneumonia({ width: w, height: h, channels: 1, data });
    const { pneumonia, normal } = r.probabilities;
    expect(pneumonia).toBeGreaterThanOrEqual(0);
    expect(normal).toBeGreaterThanOrEqual(0);
    expect(Math.abs(pneumonia + normal - 1)).toBeLessThan(1e-6);
    expect(r.saliency.method).toBe('grad-cam');
    expect(r.saliency.width).toBe(w);
    expect(r.saliency.height).toBe(h);
    expect(r.saliency.data).toHaveLength(w * h);
    expect(r.saliency.crop).toEqual({ x: 50, y: 0, width: 200, height: 200 });
    expect(r.saliency.input.width).toBe(28);
    expect(r.saliency.input.height).toBe(28);
    expect(r.saliency.input.data).toHaveLength(784);
    const maxOf = (a: Float32Array): number => a.reduce((m, v) => Math.max(m, v), 0);
    const minOf = (a: Float32Array): number => a.reduce((m, v) => Math.min(m, v), 1);
    expect(minOf(r.saliency.data)).toBeGreaterThanOrEqual(0);
    expect(maxOf(r.saliency.data)).toBeLessThanOrEqual(1);
    expect(maxOf(r.saliency.input.data)).toBeLessThanOrEqual(1);
    // nothing outside the centre square the model saw
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < 50; x++) expect(r.saliency.data[y * w + x]).toBe(0);
      for (let x = 250; x < w; x++) expect(r.saliency.data[y * w + x]).toBe(0);
    }
    expect(r.model).toEqual({ id: 'pneumonia-xray', version: entryOf('pneumonia-xray').version, sha256: entryOf('pneumonia-xray').sha256 });
  });

  it('gives (almost) the same answer for an upscaled copy of a validation image', async () => {
    const v = pneumoniaFixture.validation[0]!;
    const small = decodedImageFromInts(28, 28, 1, u8(v.pixelsU8));
    // nearest-neighbour x8 upscaling, then RGB: the bicubic downscale recovers the 28x28 closely
    const W = 224;
    const big = new Float32Array(W * W * 3);
    for (let y = 0; y < W; y++)
      for (let x = 0; x < W; x++) big.fill(small.data[Math.floor(y / 8) * 28 + Math.floor(x / 8)] as number, (y * W + x) * 3, (y * W + x) * 3 + 3);
    const a = await classifyPneumonia(small);
    const b = await classifyPneumonia({ width: W, height: W, channels: 3, data: big });
    expect(Math.abs(a.probabilities.pneumonia - b.probabilities.pneumonia)).toBeLessThan(0.1);
  });

  it('rejects malformed images', async () => {
    await expect(classifyPneumonia({ width: 2, height: 2, channels: 1, data: new Float32Array(3) })).rejects.toBeInstanceOf(ImageInputError);
    await expect(classifyPneumonia({ width: 1, height: 1, channels: 1, data: new Float32Array([2]) })).rejects.toBeInstanceOf(ImageInputError);
  });
});

interface RetinaFixture {
  modelSha256: string;
  crops: { image: number; width: number; height: number; channels: 3; rgbU8: string; probabilityF32: string }[];
}
const readRetinaFixture = (): RetinaFixture => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'retina-fixture.json'), 'utf8')) as RetinaFixture;

describe('segmentVessels', () => {
  it('reproduces PyTorch on DRIVE validation crops (padded and unpadded sizes) within 1e-4', async () => {
    const retinaFixture = readRetinaFixture();
    expect(retinaFixture.modelSha256).toBe(entryOf('retina-vessels').sha256);
    expect(retinaFixture.crops.length).toBeGreaterThanOrEqual(2);
    for (const c of retinaFixture.crops) {
      const img = decodedImageFromInts(c.width, c.height, 3, u8(c.rgbU8));
      const r = await segmentVessels(img);
      expect(r.width).toBe(c.width);
      expect(r.height).toBe(c.height);
      expect(maxAbsDiff(r.probability, f32(c.probabilityF32)), `crop of ${c.image}`).toBeLessThan(1e-4);
    }
  });

  it('returns a probability map of the input size for a whole 565x584 image', async () => {
    const w = 565;
    const h = 584;
    const data = new Float32Array(w * h * 3);
    for (let i = 0; i < w * h; i++) {
      const x = i % w;
      const y = Math.floor(i / w);
      const inFov = (x - w / 2) ** 2 + (y - h / 2) ** 2 < 270 ** 2;
      const vessel = Math.abs(y - h / 2 - 40 * Math.sin(x / 60)) < 4;
      data[i * 3] = inFov ? 0.7 : 0;
      data[i * 3 + 1] = inFov ? (vessel ? 0.25 : 0.45) : 0;
      data[i * 3 + 2] = inFov ? 0.15 : 0;
    }
    const r = await segmentVessels({ width: w, height: h, channels: 3, data });
    expect(r.width).toBe(w);
    expect(r.height).toBe(h);
    expect(r.probability).toHaveLength(w * h);
    let min = 1;
    let max = 0;
    for (const v of r.probability) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    // the synthetic dark curve is found as a vessel, flat background is not
    const onVessel = r.probability[Math.round(h / 2 + 40 * Math.sin(280 / 60)) * w + 280] as number;
    const background = r.probability[(h / 2 + 120) * w + 280] as number;
    expect(onVessel).toBeGreaterThan(0.5);
    expect(background).toBeLessThan(0.5);
    // grey input works too
    const grey = await segmentVessels({ width: 40, height: 33, channels: 1, data: new Float32Array(40 * 33).fill(0.4) });
    expect(grey.probability).toHaveLength(40 * 33);
  });
});

// ---------------------------------------------------------------- data-dependent (../shared/data)

const dataDir = process.env['LANTERN_DATA_DIR'] || path.resolve(modelsDir, '..', '..', '..', 'shared', 'data');
const npzFile = path.join(dataDir, 'imaging', 'pneumoniamnist', 'pneumoniamnist_trainval.npz');
const hasData = fs.existsSync(npzFile);

describe.skipIf(!hasData)('pneumonia-xray on the whole validation split (needs ../shared/data)', () => {
  it('reproduces metrics.json (AUC, accuracy) in the TS runtime', async () => {
    const zip = readNpzMembers(npzFile);
    const images = npzU8(zip, 'val_images');
    const labels = npzU8(zip, 'val_labels');
    expect(images.shape).toEqual([524, 28, 28]);
    const scores: number[] = [];
    const ys: number[] = [];
    let correct = 0;
    for (let i = 0; i < images.shape[0]!; i++) {
      const img = decodedImageFromInts(28, 28, 1, images.data.subarray(i * 784, (i + 1) * 784));
      const r = await classifyPneumonia(img);
      const y = labels.data[i] as number;
      scores.push(r.probabilities.pneumonia);
      ys.push(y);
      if ((r.probabilities.pneumonia >= 0.5 ? 1 : 0) === y) correct++;
    }
    const metrics = JSON.parse(fs.readFileSync(path.join(modelsDir, 'pneumonia-xray', 'metrics.json'), 'utf8')) as {
      validation: { auc: number; 'at0.5': { accuracy: number } };
    };
    expect(auc(scores, ys)).toBeCloseTo(metrics.validation.auc, 3);
    expect(correct / ys.length).toBeCloseTo(metrics.validation['at0.5'].accuracy, 3);
  });
});
