/**
 * Fits the imaging models' out-of-distribution checks and measures them (deterministic):
 *
 *   npx tsc -p tsconfig.json && node build/electron/app/imaging/imagingOodFitScript.js
 *
 * For each model: cuts the feature extractor out of the verified model.onnx (ood-features.onnx),
 * fits the Mahalanobis statistics on training images, sets the threshold on held-out images, and
 * measures true rejection on negatives (synthetic blank/noise/pattern/text/photo-like images, DRIVE
 * fundus photographs or PneumoniaMNIST X-rays, every decodable DICOM in ../shared/data/dicom) and
 * false rejection on held-out positives. Writes models/<id>/ood.json, the `ood` and `scope` of the
 * model's entry in models/artefacts/manifest.json, an `outOfDistribution` section in
 * models/<id>/metrics.json and in the model card. Lives in electron/ because it decodes TIFF and
 * DICOM with the app's decoders. Reads ../shared/data (or $LANTERN_DATA_DIR).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { resolveDataDir, resolveModelsDir } from '../../../models/runtime/common/paths';
import { sha256Hex } from '../../../models/runtime/registry';
import { decodedImageFromInts, type DecodedImage } from '../../../models/runtime/imaging/decodedImage';
import { assessImage } from '../../../models/runtime/imaging/imageAssessment';
import { f64ToBase64, fitMahalanobis, imageFeatures, mahalanobis, releaseImagingOod, type OodStatistics } from '../../../models/runtime/imaging/imageOod';
import { classifyPneumonia, IMAGING_MANIFEST, PNEUMONIA_MODEL_ID, RETINA_MODEL_ID, releaseImagingModels } from '../../../models/runtime/imaging/imagingModels';
import { imagingScopes } from '../../../models/runtime/imaging/inputQualification';
import { npzU8, readNpzMembers } from '../../../models/runtime/imaging/npz';
import { extractOnnxOutputs } from '../../../models/runtime/imaging/onnxSubgraph';
import { resizeBicubic } from '../../../models/runtime/imaging/preprocess';
import { syntheticNegatives, type NegativeImage } from '../../../models/runtime/imaging/syntheticNegatives';
import { decodeDicom } from './dicomDecode';
import { decodeImageFileSync, dicomFrameToDisplay } from './imageDecode';
import { auc } from '../../../models/training/metrics';

const SEED = 20240611;
/** Share of held-out positives the threshold keeps (the issue asks for >= 95 %; 99 % leaves room for a harder test set). */
const KEEP_QUANTILE = 0.99;
const FEATURE_TENSORS: Record<string, { input: string; tensor: string; description: string }> = {
  [PNEUMONIA_MODEL_ID]: {
    input: 'image',
    tensor: '/ReduceMean_output_0',
    description: '128 globally pooled activations of the last convolutional block (input of the linear head)',
  },
  [RETINA_MODEL_ID]: {
    input: 'green',
    tensor: '/net/mid/mid.5/Relu_output_0',
    description: '96 channel means of the U-Net bottleneck + mean and SD of R, G, B and mean saturation of the photograph',
  },
};
const SHRINKAGE: Record<string, number> = { [PNEUMONIA_MODEL_ID]: 0.01, [RETINA_MODEL_ID]: 0.3 };

type Manifest = { models: Record<string, unknown>[] };

const modelsDir = resolveModelsDir(__dirname);
const dataDir = resolveDataDir(__dirname);
const manifestFile = path.join(modelsDir, IMAGING_MANIFEST);

function readManifest(): Manifest {
  return JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
}
function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
function entryOf(m: Manifest, id: string): Record<string, unknown> {
  const e = m.models.find((x) => x['id'] === id);
  if (e === undefined) throw new Error(`no ${id} in ${manifestFile}`);
  return e;
}

const round = (v: number, d = 4): number => Number(v.toFixed(d));

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** Step 1: the feature extractor, cut out of the verified model artefact. */
function writeFeatureExtractor(id: string): void {
  const m = readManifest();
  const e = entryOf(m, id);
  const bytes = fs.readFileSync(path.join(modelsDir, e['artefact'] as string));
  if (sha256Hex(bytes) !== e['sha256']) throw new Error(`${id}: model.onnx does not match the manifest`);
  const spec = FEATURE_TENSORS[id]!;
  const out = extractOnnxOutputs(bytes, { ood_features: spec.tensor });
  const rel = `${id}/ood-features.onnx`;
  fs.writeFileSync(path.join(modelsDir, rel), out);
  e['scope'] = imagingScopes[id];
  e['ood'] = {
    features: { artefact: rel, sha256: sha256Hex(out), fromModelSha256: e['sha256'], input: spec.input, output: 'ood_features', tensor: spec.tensor },
  };
  writeJson(manifestFile, m);
}

function writeStatistics(id: string, stats: OodStatistics): void {
  const rel = `${id}/ood.json`;
  const text = `${JSON.stringify(stats, null, 2)}\n`;
  fs.writeFileSync(path.join(modelsDir, rel), text);
  const m = readManifest();
  const e = entryOf(m, id);
  (e['ood'] as Record<string, unknown>)['statistics'] = { artefact: rel, sha256: sha256Hex(Buffer.from(text, 'utf8')) };
  writeJson(manifestFile, m);
}

interface Tally {
  n: number;
  rejectedByOod: number;
  rejectedInAll: number;
}

/** True rejection per negative group: by the learned check alone, and by rules + check (what users get). */
async function rejectionRates(
  id: string,
  negatives: readonly (NegativeImage & { dicom?: Record<string, string> })[],
  threshold: number,
  stats: OodStatistics & { precision: Float64Array },
) {
  const groups = new Map<string, Tally>();
  const examples: Record<string, string[]> = {};
  for (const neg of negatives) {
    const x = await imageFeatures(id, neg.image);
    const d = mahalanobis(x, stats.means, stats.precision);
    const byOod = !(d <= threshold);
    const assessed = await assessImage(id, neg.image, neg.dicom ? { dicom: neg.dicom } : {});
    const t = groups.get(neg.group) ?? { n: 0, rejectedByOod: 0, rejectedInAll: 0 };
    t.n++;
    if (byOod) t.rejectedByOod++;
    if (assessed.abstained !== null) t.rejectedInAll++;
    else (examples[neg.group] ??= []).push(`${neg.name} (distance ${d.toFixed(1)})`);
    groups.set(neg.group, t);
  }
  const rows = [...groups.entries()].map(([group, t]) => ({
    group,
    n: t.n,
    trueRejectionOod: round(t.rejectedByOod / t.n),
    trueRejectionRulesAndOod: round(t.rejectedInAll / t.n),
    ...(examples[group] ? { acceptedExamples: examples[group] } : {}),
  }));
  const all = [...groups.values()].reduce(
    (a, t) => ({ n: a.n + t.n, rejectedByOod: a.rejectedByOod + t.rejectedByOod, rejectedInAll: a.rejectedInAll + t.rejectedInAll }),
    { n: 0, rejectedByOod: 0, rejectedInAll: 0 },
  );
  return { groups: rows, total: { n: all.n, trueRejectionOod: round(all.rejectedByOod / all.n), trueRejectionRulesAndOod: round(all.rejectedInAll / all.n) } };
}

function dicomNegatives(): (NegativeImage & { dicom: Record<string, string> })[] {
  const dir = path.join(dataDir, 'dicom');
  const out: (NegativeImage & { dicom: Record<string, string> })[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith('.dcm')) continue;
    try {
      const img = decodeDicom(fs.readFileSync(path.join(dir, name)), name);
      const image = dicomFrameToDisplay(img, img.frame(0));
      out.push({ group: `DICOM ${img.modality ?? 'no modality'}`, name, image, dicom: img.header });
    } catch {
      // files without decodable pixels (reports, plans, broken files) are not images to check
    }
  }
  return out;
}

function withoutDicom<T extends { dicom?: unknown }>(xs: readonly T[]): T[] {
  return xs.map((x) => ({ ...x, dicom: undefined }));
}

function upsampleGrey(pixels: Uint8Array, side: number, w: number, h: number): DecodedImage {
  const small = decodedImageFromInts(side, side, 1, pixels);
  const big = resizeBicubic({ width: side, height: side, data: small.data }, w, h);
  for (let i = 0; i < big.data.length; i++) big.data[i] = Math.min(1, Math.max(0, big.data[i] as number));
  return { width: w, height: h, channels: 1, data: big.data };
}

function toRgb(image: DecodedImage): DecodedImage {
  if (image.channels === 3) return image;
  const data = new Float32Array(image.data.length * 3);
  for (let i = 0; i < image.data.length; i++) data[3 * i] = data[3 * i + 1] = data[3 * i + 2] = image.data[i] as number;
  return { width: image.width, height: image.height, channels: 3, data };
}

// ------------------------------------------------------------------------------------------ pneumonia

async function fitPneumonia() {
  const id = PNEUMONIA_MODEL_ID;
  const npzRel = 'imaging/pneumoniamnist/pneumoniamnist_trainval.npz';
  const members = readNpzMembers(path.join(dataDir, npzRel));
  const trainX = npzU8(members, 'train_images');
  const trainY = npzU8(members, 'train_labels');
  const valX = npzU8(members, 'val_images');
  const valY = npzU8(members, 'val_labels');
  const img = (a: { data: Uint8Array }, i: number) => decodedImageFromInts(28, 28, 1, a.data.subarray(i * 784, (i + 1) * 784));
  const feats: Float64Array[] = [];
  const classes: number[] = [];
  for (let i = 0; i < trainX.shape[0]!; i++) {
    feats.push(await imageFeatures(id, img(trainX, i)));
    classes.push(trainY.data[i] as number);
  }
  const fit = fitMahalanobis(feats, classes, SHRINKAGE[id]!);
  const valD: number[] = [];
  for (let i = 0; i < valX.shape[0]!; i++) valD.push(mahalanobis(await imageFeatures(id, img(valX, i)), fit.means, fit.precision));
  const threshold = quantile(
    [...valD].sort((a, b) => a - b),
    KEEP_QUANTILE,
  );
  // Cross-fitted keep rate: threshold from one half of val, kept share of the other half.
  const halves = [valD.filter((_, i) => i % 2 === 0), valD.filter((_, i) => i % 2 === 1)];
  const crossKept = [0, 1].map((h) => {
    const t = quantile(
      [...halves[h]!].sort((a, b) => a - b),
      KEEP_QUANTILE,
    );
    const other = halves[1 - h]!;
    return other.filter((d) => d <= t).length / other.length;
  });
  // The 512-px path: val images upsampled (bicubic) to 512x512 go through the runtime's resize back.
  const up: { d: number; p: number; y: number }[] = [];
  const orig: { p: number; y: number }[] = [];
  for (let i = 0; i < valX.shape[0]!; i++) {
    const big = upsampleGrey(valX.data.subarray(i * 784, (i + 1) * 784), 28, 512, 512);
    up.push({
      d: mahalanobis(await imageFeatures(id, big), fit.means, fit.precision),
      p: (await classifyPneumonia(big)).probabilities.pneumonia,
      y: valY.data[i] as number,
    });
    orig.push({ p: (await classifyPneumonia(img(valX, i))).probabilities.pneumonia, y: valY.data[i] as number });
  }
  const perf = (rows: { p: number; y: number }[]) => ({
    n: rows.length,
    auc: round(
      auc(
        rows.map((r) => r.p),
        rows.map((r) => r.y),
      ),
    ),
    accuracy: round(rows.filter((r) => (r.p >= 0.5 ? 1 : 0) === r.y).length / rows.length),
  });
  const stats: OodStatistics = {
    modelId: id,
    featuresSha256: (entryOf(readManifest(), id)['ood'] as { features: { sha256: string } }).features.sha256,
    dim: feats[0]!.length,
    means: fit.means,
    precisionF64: f64ToBase64(fit.precision),
    threshold,
    fit: {
      features: FEATURE_TENSORS[id]!.description,
      distance: 'squared Mahalanobis distance to the nearer class mean (normal, pneumonia), tied covariance',
      trainedOn: `${npzRel} train split (${feats.length} images)`,
      shrinkage: SHRINKAGE[id],
      threshold: `${KEEP_QUANTILE} quantile of the ${valD.length} validation images' distances`,
    },
  };
  writeStatistics(id, stats);
  await releaseImagingOod();
  const negatives = [
    ...syntheticNegatives(512, 512, SEED),
    ...driveImages().map((d) => ({ group: 'retina (DRIVE fundus photographs)', name: d.name, image: d.image })),
    ...dicomNegatives(),
  ];
  const rates = await rejectionRates(id, negatives, threshold, { ...stats, precision: fit.precision });
  const withoutRules = await rejectionRates(
    id,
    withoutDicom(dicomNegatives()).map((n) => ({ ...n, group: `${n.group} (pixels only, no DICOM tags)` })),
    threshold,
    { ...stats, precision: fit.precision },
  );
  const kept = (ds: readonly number[]) => round(ds.filter((d) => d <= threshold).length / ds.length);
  return {
    method: stats.fit,
    threshold: round(threshold, 3),
    falseRejection: {
      validation: { n: valD.length, rate: round(1 - kept(valD)), note: 'in-sample: the threshold is set on these images' },
      validationCrossFitted: {
        n: valD.length,
        rate: round(1 - (crossKept[0]! + crossKept[1]!) / 2),
        note: 'threshold from one half of val, rate on the other half, averaged over both halves',
      },
      validationUpsampled512: { n: up.length, rate: round(1 - kept(up.map((u) => u.d))) },
    },
    trueRejection: { ...rates, dicomPixelsOnly: withoutRules },
    heldOutPerformance: {
      validation: perf(orig),
      validationUpsampled512: perf(up),
      validationUpsampled512Kept: perf(up.filter((u) => u.d <= threshold)),
      note: 'PneumoniaMNIST val split: never trained on (used for epoch selection); the official test split is held out outside this project',
    },
  };
}

// --------------------------------------------------------------------------------------------- retina

function driveImages(): { id: number; name: string; image: DecodedImage }[] {
  const dir = path.join(dataDir, 'imaging', 'drive', 'training', 'images');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.tif'))
    .sort()
    .map((f) => ({ id: Number.parseInt(f, 10), name: f, image: decodeImageFileSync(fs.readFileSync(path.join(dir, f)), f) }));
}

/** Photometric and geometric variants a fundus camera produces: flips, exposure, gamma, contrast. */
function fundusVariants(image: DecodedImage): DecodedImage[] {
  const map = (f: (v: number) => number): DecodedImage => ({ ...image, data: image.data.map((v) => Math.min(1, Math.max(0, f(v)))) });
  const flip = (vertical: boolean): DecodedImage => {
    const { width: w, height: h } = image;
    const data = new Float32Array(image.data.length);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const sy = vertical ? h - 1 - y : y;
        const sx = vertical ? x : w - 1 - x;
        for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = image.data[(sy * w + sx) * 3 + c] as number;
      }
    }
    return { ...image, data };
  };
  return [
    image,
    flip(false),
    flip(true),
    map((v) => v * 0.85),
    map((v) => v * 1.15),
    map((v) => v ** 0.8),
    map((v) => v ** 1.25),
    map((v) => 0.5 + (v - 0.5) * 0.85),
  ];
}

async function fitRetina() {
  const id = RETINA_MODEL_ID;
  const metrics = JSON.parse(fs.readFileSync(path.join(modelsDir, id, 'metrics.json'), 'utf8')) as { data: { trainIds: number[]; valIds: number[] } };
  const { trainIds, valIds } = metrics.data;
  const drive = driveImages();
  const trainFeats: { img: number; x: Float64Array }[] = [];
  const valFeats: Float64Array[] = [];
  for (const d of drive) {
    for (const v of fundusVariants(d.image)) {
      const x = await imageFeatures(id, v);
      if (trainIds.includes(d.id)) trainFeats.push({ img: d.id, x });
      else if (valIds.includes(d.id)) valFeats.push(x);
    }
  }
  const shrink = SHRINKAGE[id]!;
  const fit = fitMahalanobis(
    trainFeats.map((t) => t.x),
    trainFeats.map(() => 0),
    shrink,
  );
  // Leave one training photograph out (with its variants): distances of photographs the statistics did not see.
  const looD: number[] = [];
  for (const held of trainIds) {
    const rest = trainFeats.filter((t) => t.img !== held);
    const f = fitMahalanobis(
      rest.map((t) => t.x),
      rest.map(() => 0),
      shrink,
    );
    for (const t of trainFeats.filter((t) => t.img === held)) looD.push(mahalanobis(t.x, f.means, f.precision));
  }
  const valD = valFeats.map((x) => mahalanobis(x, fit.means, fit.precision));
  const threshold = quantile(
    [...looD, ...valD].sort((a, b) => a - b),
    KEEP_QUANTILE,
  );
  const stats: OodStatistics = {
    modelId: id,
    featuresSha256: (entryOf(readManifest(), id)['ood'] as { features: { sha256: string } }).features.sha256,
    dim: trainFeats[0]!.x.length,
    means: fit.means,
    precisionF64: f64ToBase64(fit.precision),
    threshold,
    fit: {
      features: FEATURE_TENSORS[id]!.description,
      distance: 'squared Mahalanobis distance to the mean of the training photographs, shrunk covariance',
      trainedOn: `DRIVE training photographs ${trainIds.join(', ')} (the U-Net's own training images), 8 variants each (flips, exposure x0.85/x1.15, gamma 0.8/1.25, contrast 0.85)`,
      shrinkage: shrink,
      threshold: `${KEEP_QUANTILE} quantile of ${looD.length} leave-one-photograph-out distances of the training photographs and ${valD.length} distances of the held-out photographs ${valIds.join(', ')} (same variants)`,
    },
  };
  writeStatistics(id, stats);
  await releaseImagingOod();
  const members = readNpzMembers(path.join(dataDir, 'imaging/pneumoniamnist/pneumoniamnist_trainval.npz'));
  const valX = npzU8(members, 'val_images');
  const cxr: NegativeImage[] = [];
  for (let i = 0; i < 40; i++)
    cxr.push({
      group: 'chest X-ray (PneumoniaMNIST val, 584 px, as RGB)',
      name: `val ${i}`,
      image: toRgb(upsampleGrey(valX.data.subarray(i * 784, (i + 1) * 784), 28, 584, 584)),
    });
  const negatives = [...syntheticNegatives(565, 584, SEED), ...cxr, ...dicomNegatives()];
  const rates = await rejectionRates(id, negatives, threshold, { ...stats, precision: fit.precision });
  const kept = (ds: readonly number[]) => round(ds.filter((d) => d <= threshold).length / ds.length);
  return {
    method: stats.fit,
    threshold: round(threshold, 3),
    falseRejection: {
      heldOutPhotographs: { n: valD.length, rate: round(1 - kept(valD)), note: `DRIVE ${valIds.join(', ')} x 8 variants (part of the threshold's data)` },
      leaveOnePhotographOut: { n: looD.length, rate: round(1 - kept(looD)) },
    },
    trueRejection: rates,
  };
}

// ----------------------------------------------------------------------------------------------- card

function pct(v: number): string {
  return `${(100 * v).toFixed(1)} %`;
}

type Rates = Awaited<ReturnType<typeof rejectionRates>>;

function ratesTable(r: Rates): string {
  const rows = r.groups.map((g) => `| ${g.group} | ${g.n} | ${pct(g.trueRejectionOod)} | ${pct(g.trueRejectionRulesAndOod)} |`);
  return [
    '| negatives | n | rejected by the learned check alone | rejected by rules + check |',
    '|---|---|---|---|',
    ...rows,
    `| **all** | ${r.total.n} | ${pct(r.total.trueRejectionOod)} | ${pct(r.total.trueRejectionRulesAndOod)} |`,
  ].join('\n');
}

function writeCardSection(id: string, body: string): void {
  const file = path.join(modelsDir, id, 'model-card.md');
  const begin = '<!-- ood:begin (written by electron/app/imaging/imagingOodFitScript.ts) -->';
  const end = '<!-- ood:end -->';
  let card = fs.readFileSync(file, 'utf8');
  // By its prefix: blocks written before the move to electron/app name the script's old path in their marker.
  const i = card.indexOf('<!-- ood:begin');
  const j = card.indexOf(end);
  if (i >= 0 && j > i) card = card.slice(0, i) + card.slice(j + end.length).replace(/^\n+/, '');
  fs.writeFileSync(file, `${card.trimEnd()}\n\n${begin}\n${body.trim()}\n${end}\n`);
}

function mergeMetrics(id: string, section: unknown): void {
  const file = path.join(modelsDir, id, 'metrics.json');
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  m['outOfDistribution'] = section;
  writeJson(file, m);
}

function pneumoniaCard(o: Awaited<ReturnType<typeof fitPneumonia>>): string {
  const s = imagingScopes[PNEUMONIA_MODEL_ID]!;
  const hp = o.heldOutPerformance;
  return `## Scope: what the model is shown, and when it abstains

Population: ${s.population}.

**Adults and older children are refused** (\`OUT_OF_SCOPE\`) when the patient's age is known (from the case, else the
DICOM PatientAge) and outside 1–5 years. Reason: every training and validation image is of a child aged 1–5; there is no
adult image to measure the model on, adult chest films differ in anatomy (heart and thorax proportions, bone density,
breast shadows), in view (PA standing rather than AP supine) and in the causes and look of pneumonia, and at 28×28
pixels the model reads a silhouette. A caveat on screen would still put an unmeasured number before a clinician; the
house rule is a number we can stand behind or none. When the age is unknown the model answers and the population is
shown beside the number.

Input rules (pure, \`models/runtime/imaging/inputQualification.ts\`), each an \`OUT_OF_SCOPE\` abstention with its reason:
DICOM Modality must be CR, DX (or DR); BodyPartExamined, where present, CHEST; ViewPosition, where present, PA or AP;
PhotometricInterpretation MONOCHROME1/2; photographs must be grey (mean saturation ≤ 0.05), at least 28 px a side,
aspect ≤ 1.6.

## Out-of-distribution check (learned)

${o.method.features}; ${o.method.distance}; fitted on the ${o.method.trainedOn} with shrinkage ${o.method.shrinkage}.
Threshold: ${o.method.threshold} (= ${o.threshold}). Above it: \`OUT_OF_DISTRIBUTION\`, the model is not run.
Feature extractor \`ood-features.onnx\` (cut out of \`model.onnx\`, same weights) and statistics \`ood.json\` are verified by
sha256 like the model. Script: \`electron/app/imaging/imagingOodFitScript.ts\`.

False rejection of held-out chest X-rays (PneumoniaMNIST val, never trained on):

| images | n | rejected |
|---|---|---|
| val, 28 px | ${o.falseRejection.validation.n} | ${pct(o.falseRejection.validation.rate)} (in-sample: threshold set here) |
| val, threshold from the other half | ${o.falseRejection.validationCrossFitted.n} | ${pct(o.falseRejection.validationCrossFitted.rate)} |
| val upsampled to 512×512 (bicubic) | ${o.falseRejection.validationUpsampled512.n} | ${pct(o.falseRejection.validationUpsampled512.rate)} |

True rejection of images that are not chest X-rays (synthetic images at 512×512, seed ${SEED}; DRIVE photographs; every
decodable DICOM of ../shared/data/dicom, with their tags):

${ratesTable(o.trueRejection)}

The same DICOM pixels without their tags (as if exported to PNG), learned check alone:

${ratesTable(o.trueRejection.dicomPixelsOnly)}

## Held-out performance through the runtime (val, ${hp.validation.n} images)

| input | AUC | accuracy @ 0.5 |
|---|---|---|
| 28×28 as stored | ${hp.validation.auc} | ${hp.validation.accuracy} |
| upsampled to 512×512, resized back by the runtime | ${hp.validationUpsampled512.auc} | ${hp.validationUpsampled512.accuracy} |
| 512×512, only those the OOD check keeps (n ${hp.validationUpsampled512Kept.n}) | ${hp.validationUpsampled512Kept.auc} | ${hp.validationUpsampled512Kept.accuracy} |

${hp.note}.`;
}

function retinaCard(o: Awaited<ReturnType<typeof fitRetina>>): string {
  const s = imagingScopes[RETINA_MODEL_ID]!;
  return `## Scope: what the model is shown, and when it abstains

Population: ${s.population}. No age rule (DRIVE subjects were adults aged 25–90; vessel anatomy of the fundus is the
same, but children are not represented).

Input rules (pure, \`models/runtime/imaging/inputQualification.ts\`), each an \`OUT_OF_SCOPE\` abstention with its reason:
DICOM Modality must be OP or XC; BodyPartExamined, where present, EYE; PhotometricInterpretation RGB or YBR; the image
must be in colour (mean saturation ≥ 0.05), with a short side of 400–900 px (the U-Net does not resize) and aspect ≤ 1.4.

## Out-of-distribution check (learned)

${o.method.features}; ${o.method.distance}; fitted on ${o.method.trainedOn}, shrinkage ${o.method.shrinkage}.
Threshold: ${o.method.threshold} (= ${o.threshold}). Only 20 DRIVE photographs are available here: the statistics rest
on 16 photographs, so the threshold is an estimate; a different fundus camera may be refused until the check is refitted
on its images. Above the threshold: \`OUT_OF_DISTRIBUTION\`, no vessel map is drawn.

False rejection: held-out DRIVE photographs ${pct(o.falseRejection.heldOutPhotographs.rate)} of ${o.falseRejection.heldOutPhotographs.n}
(${o.falseRejection.heldOutPhotographs.note}); leave-one-photograph-out ${pct(o.falseRejection.leaveOnePhotographOut.rate)} of ${o.falseRejection.leaveOnePhotographOut.n}.

True rejection (synthetic images at 565×584, seed ${SEED}; PneumoniaMNIST chest X-rays upsampled and stored as RGB;
every decodable DICOM of ../shared/data/dicom, with their tags):

${ratesTable(o.trueRejection)}`;
}

async function main(): Promise<void> {
  for (const id of [PNEUMONIA_MODEL_ID, RETINA_MODEL_ID]) writeFeatureExtractor(id);
  await releaseImagingOod();
  const p = await fitPneumonia();
  mergeMetrics(PNEUMONIA_MODEL_ID, p);
  writeCardSection(PNEUMONIA_MODEL_ID, pneumoniaCard(p));
  console.log(
    JSON.stringify({
      model: PNEUMONIA_MODEL_ID,
      threshold: p.threshold,
      falseRejection: p.falseRejection,
      trueRejection: p.trueRejection.total,
      heldOut: p.heldOutPerformance,
    }),
  );
  const r = await fitRetina();
  mergeMetrics(RETINA_MODEL_ID, r);
  writeCardSection(RETINA_MODEL_ID, retinaCard(r));
  console.log(JSON.stringify({ model: RETINA_MODEL_ID, threshold: r.threshold, falseRejection: r.falseRejection, trueRejection: r.trueRejection.total }));
  await releaseImagingOod();
  await releaseImagingModels();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
