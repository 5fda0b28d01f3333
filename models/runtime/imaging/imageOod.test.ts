import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { sha256Hex } from '../registry';
import { decodedImageFromInts, type DecodedImage } from './decodedImage';
import { assessImage } from './imageAssessment';
import { checkImageDistribution, fitMahalanobis, invertSpd, mahalanobis, releaseImagingOod, type ImagingOodEntry, type OodStatistics } from './imageOod';
import { IMAGING_MANIFEST, ImagingModelIntegrityError, releaseImagingModels, type ImagingManifestEntry } from './imagingModels';
import { npzU8, readNpzMembers } from './npz';
import { extractOnnxOutputs, listOnnxNodes } from './onnxSubgraph';
import { resizeBicubic } from './preprocess';
import { syntheticNegatives } from './syntheticNegatives';

const modelsDir = path.resolve(__dirname, '..', '..', 'artefacts');
type Entry = ImagingManifestEntry & { ood: ImagingOodEntry };
const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, IMAGING_MANIFEST), 'utf8')) as { models: Entry[] };
const entryOf = (id: string): Entry => manifest.models.find((m) => m.id === id)!;

afterAll(async () => {
  await releaseImagingOod();
  await releaseImagingModels();
});

describe('Mahalanobis statistics', () => {
  it('inverts a symmetric positive definite matrix', () => {
    const m = Float64Array.from([4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2]);
    const inv = invertSpd(m, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += (m[i * 3 + k] as number) * (inv[k * 3 + j] as number);
        expect(s).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
    expect(() => invertSpd(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/positive definite/);
  });

  it('measures distance in units of the spread, to the nearest class mean', () => {
    // class 0 around (0,0), class 1 around (10,0); x spread 1, y spread 0.1
    const xs: Float64Array[] = [];
    const cs: number[] = [];
    for (const [cx, c] of [
      [0, 0],
      [10, 1],
    ] as const) {
      for (const dx of [-1, 1])
        for (const dy of [-0.1, 0.1]) {
          xs.push(Float64Array.from([cx + dx, dy]));
          cs.push(c);
        }
    }
    const fit = fitMahalanobis(xs, cs, 0);
    expect(fit.means).toEqual([
      [0, 0],
      [10, 0],
    ]);
    const alongX = mahalanobis([2, 0], fit.means, fit.precision);
    const alongY = mahalanobis([0, 0.2], fit.means, fit.precision);
    expect(alongY).toBeCloseTo(alongX, 6); // 0.2 in y is as unusual as 2 in x
    expect(mahalanobis([9, 0], fit.means, fit.precision)).toBeCloseTo(mahalanobis([1, 0], fit.means, fit.precision), 10);
  });
});

describe('feature extractors and statistics are verified artefacts', () => {
  for (const id of ['pneumonia-xray', 'retina-vessels']) {
    it(`${id}: ood-features.onnx is the committed cut of model.onnx; ood.json matches the manifest`, () => {
      const e = entryOf(id);
      const model = fs.readFileSync(path.join(modelsDir, e.artefact));
      expect(sha256Hex(model)).toBe(e.ood.features.fromModelSha256);
      const cut = extractOnnxOutputs(model, { ood_features: e.ood.features.tensor });
      expect(sha256Hex(Buffer.from(cut))).toBe(e.ood.features.sha256);
      expect(sha256Hex(fs.readFileSync(path.join(modelsDir, e.ood.features.artefact)))).toBe(e.ood.features.sha256);
      const statsBytes = fs.readFileSync(path.join(modelsDir, e.ood.statistics!.artefact));
      expect(sha256Hex(statsBytes)).toBe(e.ood.statistics!.sha256);
      const stats = JSON.parse(statsBytes.toString('utf8')) as OodStatistics;
      expect(stats.featuresSha256).toBe(e.ood.features.sha256);
      // the cut keeps only what the features need: no head, no decoder
      expect(listOnnxNodes(cut).length).toBeLessThan(listOnnxNodes(model).length);
    });
  }

  it('refuses to name a new output after an existing tensor, or a tensor nobody produces', () => {
    const model = fs.readFileSync(path.join(modelsDir, entryOf('pneumonia-xray').artefact));
    expect(() => extractOnnxOutputs(model, { logits: '/ReduceMean_output_0' })).toThrow(/already a tensor/);
    expect(() => extractOnnxOutputs(model, { x: 'no-such-tensor' })).toThrow(/no node produces/);
  });

  it('a tampered statistics file or feature extractor is an integrity error, not an answer', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-ood-'));
    try {
      fs.cpSync(modelsDir, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}training`) });
      const stats = path.join(dir, 'pneumonia-xray', 'ood.json');
      const s = JSON.parse(fs.readFileSync(stats, 'utf8')) as OodStatistics;
      fs.writeFileSync(stats, JSON.stringify({ ...s, threshold: 1e9 }));
      const grey: DecodedImage = { width: 64, height: 64, channels: 1, data: new Float32Array(64 * 64).fill(0.5) };
      await expect(checkImageDistribution('pneumonia-xray', grey, dir)).rejects.toBeInstanceOf(ImagingModelIntegrityError);
      const features = path.join(dir, 'retina-vessels', 'ood-features.onnx');
      const bytes = fs.readFileSync(features);
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 10) ^ 0xff, bytes.length - 10);
      fs.writeFileSync(features, bytes);
      await expect(checkImageDistribution('retina-vessels', grey, dir)).rejects.toThrow(/integrity check/);
    } finally {
      await releaseImagingOod();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const pneumoniaFixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'pneumonia-fixture.json'), 'utf8')) as {
  validation: { pixelsU8: string }[];
};

describe('pneumonia-xray: what it answers and what it refuses', () => {
  it('keeps validation chest X-rays, also upsampled to 512 px', async () => {
    for (const v of pneumoniaFixture.validation) {
      const px = new Uint8Array(Buffer.from(v.pixelsU8, 'base64'));
      const small = decodedImageFromInts(28, 28, 1, px);
      const big = resizeBicubic({ width: 28, height: 28, data: small.data }, 512, 512);
      const clamped: DecodedImage = { width: 512, height: 512, channels: 1, data: big.data.map((x) => Math.min(1, Math.max(0, x))) };
      expect((await assessImage('pneumonia-xray', small)).abstained).toBeNull();
      expect((await assessImage('pneumonia-xray', clamped)).abstained).toBeNull();
    }
  });

  it('refuses blank, noise, patterns and text as out of distribution, and colour photographs as out of scope', async () => {
    for (const n of syntheticNegatives(256, 256)) {
      const a = await assessImage('pneumonia-xray', n.image);
      expect(a.abstained, `${n.group}: ${n.name}`).not.toBeNull();
      if (n.image.channels === 1) expect(a.abstained?.code, n.name).toBe('OUT_OF_DISTRIBUTION');
    }
  });

  it('refuses an MR by its tags, and an adult by age, before looking at the pixels', async () => {
    const px = decodedImageFromInts(28, 28, 1, new Uint8Array(Buffer.from(pneumoniaFixture.validation[0]!.pixelsU8, 'base64')));
    const mr = await assessImage('pneumonia-xray', px, { dicom: { Modality: 'MR' } });
    expect(mr).toEqual({ abstained: { code: 'OUT_OF_SCOPE', message: expect.stringContaining('MR') } });
    const adult = await assessImage('pneumonia-xray', px, { patient: { ageYears: 40 } });
    expect(adult.abstained?.code).toBe('OUT_OF_SCOPE');
    expect(adult.distance).toBeUndefined();
  });
});

describe('retina-vessels: what it answers and what it refuses', () => {
  it('refuses noise, a page of text and a photo-like scene at DRIVE size', async () => {
    const picks = syntheticNegatives(565, 584).filter((n) => ['uniform colour 0', 'page 0', 'scene 0', 'checkerboard 16'].includes(n.name));
    expect(picks).toHaveLength(4);
    for (const n of picks) expect((await assessImage('retina-vessels', n.image)).abstained, n.name).not.toBeNull();
  });
});

const dataDir = process.env['LANTERN_DATA_DIR'] || path.resolve(modelsDir, '..', '..', '..', 'shared', 'data');
const npzFile = path.join(dataDir, 'imaging', 'pneumoniamnist', 'pneumoniamnist_trainval.npz');

describe.skipIf(!fs.existsSync(npzFile))('OOD thresholds on the validation split (needs ../shared/data)', () => {
  it('keeps >= 95 % of validation chest X-rays (as metrics.json reports)', async () => {
    const val = npzU8(readNpzMembers(npzFile), 'val_images');
    let kept = 0;
    const n = val.shape[0]!;
    for (let i = 0; i < n; i++) {
      const img = decodedImageFromInts(28, 28, 1, val.data.subarray(i * 784, (i + 1) * 784));
      if ((await checkImageDistribution('pneumonia-xray', img)).inDistribution) kept++;
    }
    const metrics = JSON.parse(fs.readFileSync(path.join(modelsDir, 'pneumonia-xray', 'metrics.json'), 'utf8')) as {
      outOfDistribution: { falseRejection: { validation: { rate: number } } };
    };
    expect(kept / n).toBeGreaterThanOrEqual(0.95);
    expect(1 - kept / n).toBeCloseTo(metrics.outOfDistribution.falseRejection.validation.rate, 3);
  });
});
