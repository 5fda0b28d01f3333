/**
 * Trains the `symptom-differential` model: disease ⇐ 132 binary symptoms (random forest).
 *
 *   npm run train:symptom-differential
 *
 * Reads ../shared/data/symptoms/training.csv (or $LANTERN_DATA_DIR/symptoms/training.csv), and
 * writes models/artefacts/symptom-differential/{model.json,metrics.json,model-card.md} and updates the
 * symptom-differential entry of models/runtime/manifest.json. Deterministic: same data, same bytes.
 *
 * Protocol: de-duplicate rows → split unique symptom patterns 80/20 per disease (seeded) → train
 * on training patterns plus copies with present symptoms randomly removed → choose maxFeatures on
 * the validation patterns only → report validation metrics of that held-out run → retrain the
 * shipped model on train+validation patterns with the chosen settings.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { findProjectRoot, resolveDataDir } from '../runtime/common/paths';
import { mulberry32 } from '../runtime/common/rng';
import type { ForestArtefact } from '../runtime/forest/forestFormat';
import { validateForestArtefact } from '../runtime/forest/forestFormat';
import { createForestModel, type ForestModel } from '../runtime/forest/forestRuntime';
import { writeSymptomExtras } from './buildSymptomExtras';
import { writeDifferentialCalibration } from './calibrateSymptomDifferential';
import { baggedForestOptions, exportForest, libraryVotes, trainForest, type RfOptions } from './exportForest';
import { calibrationTable, computeMetrics, type CalibrationBin, type MetricSet, type Scored } from './metrics';
import { augment, conflictingPatterns, dropPresent, loadSymptomCsv, presentIndices, splitByPattern, type AugmentOptions, type Pattern } from './symptomData';

const MODEL_ID = 'symptom-differential';
const MODEL_VERSION = '1.0.0';
const SPLIT_SEED = 20240611;
const AUGMENT_SEED = 7;
const EVAL_SEED = 99;
const FOREST_SEED = 42;
const VAL_FRACTION = 0.2;
const N_ESTIMATORS = 100;
const MAX_FEATURES_GRID = [0.35, 0.5, 0.75, 1.0];
const AUGMENT: AugmentOptions = { copies: 20, minDrop: 0.1, maxDrop: 0.7, keepAtLeast: 1 };
const TREE_OPTIONS = { minNumSamples: 3, gainThreshold: 0.01 };
/** Partial presentations evaluated: fraction of present symptoms removed, random draws per pattern. */
const CONDITIONS = [
  { name: 'all symptoms', drop: 0, draws: 1 },
  { name: '1/3 of present symptoms removed', drop: 1 / 3, draws: 20 },
  { name: '1/2 of present symptoms removed', drop: 1 / 2, draws: 20 },
] as const;
const CAL_EDGES = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

const round = (v: number, d = 4): number => Math.round(v * 10 ** d) / 10 ** d;

function rfOptions(maxFeatures: number): RfOptions {
  return baggedForestOptions(maxFeatures, { nEstimators: N_ESTIMATORS, seed: FOREST_SEED, treeOptions: TREE_OPTIONS });
}

interface EvalCase {
  x: Uint8Array;
  label: number;
}

function buildEvalSets(validation: readonly Pattern[]): EvalCase[][] {
  const rng = mulberry32(EVAL_SEED);
  return CONDITIONS.map((cond) => {
    const cases: EvalCase[] = [];
    for (const p of validation) {
      const nPresent = presentIndices(p.x).length;
      const k = Math.min(Math.round(cond.drop * nPresent), nPresent - 1);
      for (let d = 0; d < cond.draws; d++) cases.push({ x: k > 0 ? dropPresent(p.x, k, rng) : p.x, label: p.label });
    }
    return cases;
  });
}

function toValues(features: readonly string[], x: Uint8Array): Record<string, number> {
  const v: Record<string, number> = {};
  x.forEach((b, i) => {
    if (b === 1) v[features[i] as string] = 1; // absent/unknown symptoms are simply left out
  });
  return v;
}

function score(model: ForestModel, cases: readonly EvalCase[]): Scored[] {
  return cases.map((c) => {
    const probs = model.predict(toValues(model.features, c.x)).probabilities;
    return { p: model.labels.map((l) => probs[l] as number), label: c.label };
  });
}

/** Vote counts of our exported runtime must equal ml-random-forest's per-estimator predictions. */
function checkAgainstLibrary(trained: ReturnType<typeof trainForest>, model: ForestModel, cases: readonly EvalCase[]): void {
  const X = cases.map((c) => Array.from(c.x));
  const votes = libraryVotes(trained.rf, X);
  cases.forEach((c, r) => {
    const counts = new Array<number>(model.labels.length).fill(0);
    for (const v of votes[r] as number[]) counts[v]! += 1;
    const probs = model.predict(toValues(model.features, c.x)).probabilities;
    model.labels.forEach((l, i) => {
      if (Math.abs((probs[l] as number) - (counts[i] as number) / votes[r]!.length) > 1e-12) {
        throw new Error(`exported forest disagrees with ml-random-forest on case ${r}, label ${l}`);
      }
    });
  });
}

function patternsToXY(ps: readonly Pattern[]): { X: number[][]; y: number[] } {
  return { X: ps.map((p) => Array.from(p.x)), y: ps.map((p) => p.label) };
}

interface RunResult {
  maxFeatures: number;
  seconds: number;
  perCondition: MetricSet[];
  selectionLogLoss: number;
  model: ForestModel;
  artefact: ForestArtefact;
  scored: Scored[][];
}

function main(): void {
  const t0 = Date.now();
  const root = findProjectRoot(__dirname);
  const dataDir = resolveDataDir(__dirname);
  const csvFile = path.join(dataDir, 'symptoms', 'training.csv');
  if (!fs.existsSync(csvFile)) {
    console.error(`training data not found: ${csvFile} (set LANTERN_DATA_DIR or place ../shared/data beside the project)`);
    process.exit(2);
  }
  const csvBytes = fs.readFileSync(csvFile);
  const ds = loadSymptomCsv(csvFile);
  const nLabels = ds.labels.length;
  const conflicts = conflictingPatterns(ds.patterns);
  console.log(
    `${ds.rowCount} rows → ${ds.patterns.length} unique (pattern, disease) pairs, ${ds.symptomColumns} columns → ${ds.features.length} symptoms (merged: ${ds.mergedColumns.join(', ') || 'none'}), ${nLabels} diseases, ${conflicts} patterns with >1 disease`,
  );

  const split = splitByPattern(ds.patterns, nLabels, VAL_FRACTION, mulberry32(SPLIT_SEED));
  console.log(
    `split: ${split.train.length} training patterns, ${split.validation.length} validation patterns; train-only diseases: ${split.trainOnlyLabels.length}`,
  );
  const augTrain = augment(split.train, AUGMENT, mulberry32(AUGMENT_SEED));
  const evalSets = buildEvalSets(split.validation);
  const meta = { id: MODEL_ID, version: MODEL_VERSION, features: ds.features, labels: ds.labels, missingValue: 0 };

  // ---- selection on validation patterns only --------------------------------------------------
  const runs: RunResult[] = [];
  for (const mf of MAX_FEATURES_GRID) {
    const t = Date.now();
    const { X, y } = patternsToXY(augTrain);
    const trained = trainForest(X, y, nLabels, rfOptions(mf));
    const artefact = exportForest(trained, meta);
    const model = createForestModel(validateForestArtefact(JSON.parse(JSON.stringify(artefact))), 'held-out-run');
    checkAgainstLibrary(trained, model, evalSets.flat());
    const scored = evalSets.map((cases) => score(model, cases));
    const perCondition = scored.map((s) => computeMetrics(s, nLabels));
    const selectionLogLoss = perCondition.reduce((a, m) => a + m.logLoss, 0) / perCondition.length;
    const seconds = (Date.now() - t) / 1000;
    runs.push({ maxFeatures: mf, seconds, perCondition, selectionLogLoss, model, artefact, scored });
    console.log(
      `maxFeatures=${mf}: ${seconds.toFixed(1)} s; ` +
        perCondition
          .map(
            (m, i) =>
              `[${CONDITIONS[i]!.name}] top1 ${m.top1.toFixed(3)} top3 ${m.top3.toFixed(3)} logloss ${m.logLoss.toFixed(3)} brier ${m.brier.toFixed(3)}`,
          )
          .join(' '),
    );
  }
  // Lowest mean validation log loss over the three presentations; ties → smaller maxFeatures.
  const best = runs.reduce((a, b) => (b.selectionLogLoss < a.selectionLogLoss - 1e-12 ? b : a));
  console.log(`chosen maxFeatures=${best.maxFeatures}`);

  const pooled = best.scored.flat();
  const calibration = calibrationTable(pooled, CAL_EDGES);
  const calibrationByCondition = best.scored.map((s) => calibrationTable(s, CAL_EDGES));

  // ---- final model: train + validation patterns, same settings ------------------------------------
  const tFinal = Date.now();
  const allPatterns = [...split.train, ...split.validation];
  const augAll = augment(allPatterns, AUGMENT, mulberry32(AUGMENT_SEED));
  const { X, y } = patternsToXY(augAll);
  const finalTrained = trainForest(X, y, nLabels, rfOptions(best.maxFeatures));
  const finalArtefact = exportForest(finalTrained, meta);
  const finalBytes = Buffer.from(JSON.stringify(finalArtefact), 'utf8');
  const finalModel = createForestModel(validateForestArtefact(JSON.parse(finalBytes.toString('utf8'))), 'final');
  const allCases = allPatterns.map((p) => ({ x: p.x, label: p.label }));
  checkAgainstLibrary(finalTrained, finalModel, allCases);
  const resubstitution = computeMetrics(score(finalModel, allCases), nLabels);
  const finalSeconds = (Date.now() - tFinal) / 1000;
  const sha256 = createHash('sha256').update(finalBytes).digest('hex');
  const nodes = finalArtefact.trees.reduce((a, t) => a + t.feature.length, 0);
  const leaves = finalTrained.stats.reduce((a, t) => a + t.leaves, 0);
  const pureLeaves = finalTrained.stats.reduce((a, t) => a + t.pureLeaves, 0);
  console.log(
    `final model: ${finalArtefact.trees.length} trees, ${nodes} nodes, ${(finalBytes.length / 1e6).toFixed(2)} MB, sha256 ${sha256}, ${finalSeconds.toFixed(1)} s`,
  );

  // ---- write artefacts ----------------------------------------------------------------------
  const modelsDir = path.join(root, 'models', 'artefacts');
  const outDir = path.join(modelsDir, MODEL_ID);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'model.json'), finalBytes);

  const validationDiseases = new Set(split.validation.map((p) => p.label)).size;
  const metrics = {
    modelId: MODEL_ID,
    version: MODEL_VERSION,
    artefactSha256: sha256,
    data: {
      file: 'symptoms/training.csv',
      sha256: createHash('sha256').update(csvBytes).digest('hex'),
      rows: ds.rowCount,
      symptomColumns: ds.symptomColumns,
      mergedDuplicateColumns: ds.mergedColumns,
      uniquePatterns: ds.patterns.length,
      patternsWithMoreThanOneDisease: conflicts,
      features: ds.features.length,
      labels: nLabels,
    },
    split: {
      unit: 'unique symptom pattern, stratified by disease',
      seed: SPLIT_SEED,
      validationFraction: VAL_FRACTION,
      trainingPatterns: split.train.length,
      validationPatterns: split.validation.length,
      validationDiseases,
      trainOnlyDiseases: split.trainOnlyLabels.map((l) => ds.labels[l]),
    },
    training: {
      library: 'ml-random-forest@2.1.0 with patched ml-cart@2.1.1 (patches/ml-cart+2.1.1.patch)',
      nEstimators: N_ESTIMATORS,
      replacement: false,
      useSampleBagging: true,
      noOOB: true,
      seed: FOREST_SEED,
      treeOptions: TREE_OPTIONS,
      augmentation: { ...AUGMENT, seed: AUGMENT_SEED },
      augmentedTrainingRows: augTrain.length,
      finalTrainingRows: augAll.length,
      encoding: 'present = 1; absent and unknown both = 0',
    },
    selection: {
      parameter: 'maxFeatures (share of features given to each tree)',
      criterion: 'lowest mean validation log loss over the three presentations',
      grid: runs.map((r) => ({
        maxFeatures: r.maxFeatures,
        meanLogLoss: round(r.selectionLogLoss),
        top1: r.perCondition.map((m) => round(m.top1)),
        top3: r.perCondition.map((m) => round(m.top3)),
        seconds: round(r.seconds, 1),
      })),
      chosen: { maxFeatures: best.maxFeatures },
    },
    validation: {
      note: 'held-out run: forest trained on the training patterns only, scored on validation patterns it never saw',
      probability: 'fraction of tree votes (all trees counted)',
      logLossEpsilon: 1e-3,
      ranking: 'labels by probability, ties by label order; a label with 0 votes never counts as a hit',
      conditions: CONDITIONS.map((c, i) => {
        const m = best.perCondition[i] as MetricSet;
        return {
          name: c.name,
          removedFraction: round(c.drop),
          drawsPerPattern: c.draws,
          cases: m.cases,
          top1: round(m.top1),
          top3: round(m.top3),
          top10: round(m.top10),
          macroRecall: round(m.macroRecall),
          brier: round(m.brier),
          logLoss: round(m.logLoss),
          casesWithTiedTop: m.topTies,
          ece: round((calibrationByCondition[i] as { ece: number }).ece),
        };
      }),
      calibrationPooled: {
        ece: round(calibration.ece),
        bins: calibration.bins.map((b) => ({ ...b, meanConfidence: round(b.meanConfidence), accuracy: round(b.accuracy) })),
      },
    },
    finalModel: {
      trainedOn: 'training + validation patterns (augmented), chosen settings',
      trees: finalArtefact.trees.length,
      nodes,
      leaves,
      pureLeafShare: round(pureLeaves / leaves),
      bytes: finalBytes.length,
      resubstitutionTop1AllPatterns: round(resubstitution.top1),
    },
    timing: {
      selectionSeconds: round(
        runs.reduce((a, r) => a + r.seconds, 0),
        1,
      ),
      finalSeconds: round(finalSeconds, 1),
    },
  };
  fs.writeFileSync(path.join(outDir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  fs.writeFileSync(path.join(outDir, 'model-card.md'), modelCard(metrics, best, calibration.bins, ds.labels, split.trainOnlyLabels));

  // Manifest: replace this model's entry, keep any others.
  const manifestFile = path.join(modelsDir, 'manifest.json');
  let manifest: { models: { id: string }[] } = { models: [] };
  if (fs.existsSync(manifestFile)) manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as typeof manifest;
  const entry = {
    id: MODEL_ID,
    version: MODEL_VERSION,
    kind: 'random-forest',
    artefact: `${MODEL_ID}/model.json`,
    sha256,
    card: `${MODEL_ID}/model-card.md`,
    inputs: ds.features,
    labels: ds.labels,
  };
  const others = manifest.models.filter((m) => m.id !== MODEL_ID);
  manifest.models = [...others, entry].sort((a, b) => (a.id < b.id ? -1 : 1));
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  // conditions.json and label-symptom-frequencies.json, and their entries in the manifest.
  writeSymptomExtras(root, dataDir);
  // Calibration, minimum evidence and coverage on validation presentations (reads the metrics just written).
  writeDifferentialCalibration();
  console.log(
    `wrote ${path.relative(root, outDir)}/{model.json,metrics.json,model-card.md} and models/artefacts/manifest.json in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
}

type Metrics = {
  data: {
    rows: number;
    symptomColumns: number;
    mergedDuplicateColumns: string[];
    uniquePatterns: number;
    sha256: string;
    features: number;
    labels: number;
    patternsWithMoreThanOneDisease: number;
  };
  split: { trainingPatterns: number; validationPatterns: number; validationDiseases: number };
  training: { augmentedTrainingRows: number; finalTrainingRows: number };
  selection: { grid: { maxFeatures: number; meanLogLoss: number; top1: number[]; top3: number[] }[] };
  validation: {
    conditions: {
      name: string;
      cases: number;
      top1: number;
      top3: number;
      top10: number;
      macroRecall: number;
      brier: number;
      logLoss: number;
      casesWithTiedTop: number;
      ece: number;
    }[];
    calibrationPooled: { ece: number };
  };
  finalModel: { trees: number; nodes: number; leaves: number; pureLeafShare: number; bytes: number; resubstitutionTop1AllPatterns: number };
  artefactSha256: string;
};

function modelCard(m: Metrics, best: RunResult, bins: CalibrationBin[], labels: string[], trainOnly: number[]): string {
  const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
  const cond = m.validation.conditions
    .map(
      (c) =>
        `| ${c.name} | ${c.cases} | ${pct(c.top1)} | ${pct(c.top3)} | ${pct(c.top10)} | ${pct(c.macroRecall)} | ${c.brier.toFixed(3)} | ${c.logLoss.toFixed(3)} | ${c.ece.toFixed(3)} |`,
    )
    .join('\n');
  const grid = m.selection.grid
    .map((g) => `| ${g.maxFeatures} | ${g.meanLogLoss.toFixed(3)} | ${g.top1.map(pct).join(' / ')} | ${g.top3.map(pct).join(' / ')} |`)
    .join('\n');
  const cal = bins
    .map(
      (b) => `| ${b.from.toFixed(1)}–${b.to.toFixed(1)} | ${b.cases} | ${b.cases ? b.meanConfidence.toFixed(3) : '–'} | ${b.cases ? pct(b.accuracy) : '–'} |`,
    )
    .join('\n');
  return `# Model card: \`${MODEL_ID}\` ${MODEL_VERSION}

Generated by \`models/training/trainSymptomDifferential.ts\` (\`npm run train:symptom-differential\`); do not edit by hand.
Artefact \`model.json\` sha256 \`${m.artefactSha256}\`.

## What it does

Ranks ${m.data.labels} diseases given which of ${m.data.features} symptoms are present. Random forest (ml-random-forest 2.1.0,
${N_ESTIMATORS} trees, each on a bootstrap sample of rows and ${best.maxFeatures >= 1 ? 'all symptoms (validation preferred no per-tree feature subsampling)' : `a random ${Math.round(best.maxFeatures * 100)}% of the symptoms`}).
The probability of a disease is the **fraction of trees voting for it**. Each disease in the top-K comes with
Saabas tree-path contributions (which symptoms moved it up or down).

**Decision support only.** This is a toy-scale dataset of textbook symptom lists, not patients. Output is a
list of possibilities to consider, never a diagnosis.

## Licence and intended use

Data: Kaggle "Disease Symptom Prediction" (P. Patil), mirrored at github.com/itachi9604/healthcare-chatbot.
Licence: **none stated**. The weights are therefore for **evaluation builds only**; a deployment must settle
the data licence first.

## Data

- \`symptoms/training.csv\` (sha256 \`${m.data.sha256}\`): ${m.data.rows} rows, but only
  **${m.data.uniquePatterns} unique (symptom pattern, disease) pairs** — the rest are exact duplicates, removed.
  ${m.data.patternsWithMoreThanOneDisease} patterns occur with more than one disease.
- Feature names are the CSV headers trimmed (\`spotting_ urination\` keeps its inner space); labels trimmed
  (\`Diabetes \` → \`Diabetes\`). The file has ${m.data.symptomColumns} symptom columns; ${m.data.mergedDuplicateColumns.length === 0 ? 'all names are distinct' : `${m.data.mergedDuplicateColumns.map((c) => `\`${c}\``).join(', ')} appears in more than one column; merged into one input, present when any of its columns is 1`}, giving **${m.data.features} inputs**.
- **Encoding: present = 1; absent and unknown both = 0.** The dataset only marks present symptoms, so
  the model cannot tell "asked and absent" from "not asked". A caller leaving a symptom out, or marking it absent,
  gives the same answer. Contributions may therefore name symptoms the user never mentioned ("absence of X").
  This holds for the forest alone: the calibrated probabilities the app and the CLI show (last section) count an
  absent finding as evidence and leave unknown ones out.
- **Severity is not in this model.** \`symptom_severity.csv\` (per-symptom weights) is not used; nor are
  vital signs, labs, age or sex.

## Split

By **unique symptom pattern**, stratified by disease, seed ${SPLIT_SEED}: per disease ${Math.round(VAL_FRACTION * 100)}% of its patterns
(at least one, always leaving one for training) are validation. ${m.split.trainingPatterns} training patterns,
${m.split.validationPatterns} validation patterns covering ${m.split.validationDiseases} diseases.
${trainOnly.length === 0 ? 'Every disease has at least two patterns, so none had to be kept in training only.' : `Diseases with a single pattern, kept in training only and therefore **not validated**: ${trainOnly.map((l) => labels[l]).join(', ')}.`}
Held-out patterns for acceptance testing are kept outside the project's data folder; none were seen here.

## Training

- Augmentation (partial presentations): each training pattern plus ${AUGMENT.copies} copies with a random
  ${AUGMENT.minDrop * 100}–${AUGMENT.maxDrop * 100}% of its present symptoms removed (at least ${AUGMENT.keepAtLeast} kept):
  ${m.training.augmentedTrainingRows} rows for the held-out run, ${m.training.finalTrainingRows} for the final model.
- Selection: \`maxFeatures\` chosen on the validation patterns only, by lowest mean log loss over the three
  presentations below. Other settings fixed (${N_ESTIMATORS} trees, feature sampling without replacement,
  bootstrap rows, minNumSamples ${TREE_OPTIONS.minNumSamples}, gainThreshold ${TREE_OPTIONS.gainThreshold}, noOOB).

| maxFeatures | mean log loss | top-1 (all / −1/3 / −1/2) | top-3 (all / −1/3 / −1/2) |
|---|---|---|---|
${grid}

- **Shipped model retrained on training + validation patterns** with the chosen settings
  (maxFeatures ${best.maxFeatures}). The metrics below are from the held-out run (trained on training patterns only).
  Shipped forest: ${m.finalModel.trees} trees, ${m.finalModel.nodes} nodes, ${(m.finalModel.bytes / 1e6).toFixed(2)} MB;
  top-1 on its own ${m.data.uniquePatterns} training patterns: ${pct(m.finalModel.resubstitutionTop1AllPatterns)}.

## Validation metrics (held-out patterns, never trained on)

Removing symptoms: for each validation pattern, 20 random draws removing round(fraction × present) present
symptoms (at least one left). Ranking: labels by probability, ties broken by label order, and a label
with zero votes never counts as a hit. Brier: multi-class (sum over labels, 0 best, 2 worst). Log loss:
probabilities floored at 0.001 (a vote fraction can be exactly 0). ECE: expected calibration error of the top-1
probability.

| presentation | cases | top-1 | top-3 | top-10 | macro recall | Brier | log loss | ECE |
|---|---|---|---|---|---|---|---|---|
${cond}

With only ${m.split.validationPatterns} validation patterns (each a near-copy of training patterns of the same
disease, as this dataset is built), these figures are optimistic and coarse: one pattern is ~${(100 / m.split.validationPatterns).toFixed(1)}% top-1.

### Calibration (top-1 probability, pooled over the three presentations)

Vote fractions are **not calibrated probabilities**; read them as relative support.

| top-1 probability | cases | mean probability | accuracy |
|---|---|---|---|
${cal}

Pooled ECE ${m.validation.calibrationPooled.ece.toFixed(3)}.

## Explanations

Saabas contributions: for each tree, the path from root to leaf is walked and the change in the disease's
node value at each split is credited to that split's symptom; the sums are averaged over trees. Node values
are the share of the tree's training rows at that node **whose leaf votes for the disease** (not the share whose
label is the disease). So for every disease, baseline + sum of contributions = the vote-based probability
exactly. Where leaves are pure these node values are the ordinary class distributions; at impure leaves
(identical symptom sets from different diseases after symptoms were removed, or nodes too small to split) they
differ. In the shipped forest ${pct(m.finalModel.pureLeafShare)} of ${m.finalModel.leaves} leaves are pure.

## Engineering notes

- **ml-cart patch** (\`patches/ml-cart+2.1.1.patch\`, applied by \`patch-package\` on install, CommonJS \`cart.js\`
  and ESM \`src/\` alike): the CART trainer proposed a threshold for every adjacent pair of differently-labelled
  samples (many duplicates), counted classes with \`indexOf\` for every candidate, and re-built matrices at every
  node. The patch proposes each threshold once (same order), counts classes in one pass with the same floating-point
  operations, and recurses on row-index lists over one column-major copy. Trees are bit-identical to the unpatched
  library (checked on this data: 690 rows × 132 symptoms × 10 trees, identical JSON, 46 s → 0.2 s).
- **Vote counting:** ml-random-forest's \`predictProbability\` drops the first tree's vote; it is not used. The
  runtime counts every tree's own leaf vote (each tree reads the inputs through its own feature subset, mapped
  back to global feature indices in \`model.json\`). Training checks that the
  exported forest gives exactly ml-random-forest's per-tree predictions (\`predictionValues\`) on every evaluation case.
- ml-random-forest's out-of-bag pass can crash: trained with \`noOOB: true\`.

## Known limits

- Synthetic textbook patterns: every disease has 4–8 near-identical symptom lists. Real presentations are noisier; expect
  lower accuracy than above, especially with few symptoms.
- Closed world: only these ${m.data.labels} diseases. A presentation none of them shows is flagged "not covered" with capped
  probabilities (last section), but still ranked among them; there is no "none of the above" label.
- The forest reads unknown as absent (see Encoding); the calibrated layer does not. No severity, duration, vitals, labs, age, sex or prevalence.
- Vote fractions are not calibrated risks (see the calibration table: mid-range values are over-confident); what is shown are
  the calibrated probabilities of the last section.
- Validation set is small (${m.split.validationPatterns} patterns); metrics have wide uncertainty.
`;
}

main();
