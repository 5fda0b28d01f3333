/**
 * Forest latency: per-case prediction (median, p95) and a batch of 10,000 cases for every model in
 * models/artefacts/manifest.json, the whole differential engine (Saabas explanations + can't-miss + ask-next),
 * and the same figures for scikit-learn's RandomForestClassifier trained with the same number of trees,
 * depth and feature share on the same training rows (bench/sklearn_forest_bench.py, spawned with
 * /usr/bin/python3). Called by bench/runBench.ts; also runnable alone:
 *
 *   npm run build:node && node build/bench/forestBench.js
 *
 * Budgets: ≤ 1 ms per case per model; ≤ 5 ms for the whole engine including explanations and ask-next.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

import { findProjectRoot, resolveDataDir } from '../models/runtime/common/paths';
import { mulberry32, type Rng } from '../models/runtime/common/rng';
import { runDifferential } from '../models/runtime/forest/differential';
import { forestInternals, type ForestModel } from '../models/runtime/forest/forestRuntime';
import type { InputSpec } from '../models/runtime/forest/inputSpec';
import { loadModelRegistry, type ModelRegistry } from '../models/runtime/registry';
import { augment, loadSymptomCsv, splitByPattern } from '../models/training/symptomData';
import { TABULAR_MODELS } from '../models/training/tabularModels';
import { shippedTrainingSet } from '../models/training/trainTabular';

const PER_CASE_BUDGET_MS = 1;
const ENGINE_BUDGET_MS = 5;
const BATCH = 10_000;
const SINGLE = 2_000;
const ENGINE_CASES = 1_000;

export interface Stats {
  n: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  const r = (x: number): number => Math.round(x * 10000) / 10000;
  return { n: s.length, medianMs: r(at(0.5)), p95Ms: r(at(0.95)), maxMs: r(s.at(-1) ?? NaN) };
}

/** A random raw case: each input known with probability `known`, values anywhere in the physiological range. */
function randomRaw(inputs: readonly InputSpec[], rng: Rng, known = 0.8): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const s of inputs) {
    if (rng() >= known) continue;
    if (s.type === 'binary') raw[s.name] = rng() < 0.5 ? 0 : 1;
    else if (s.type === 'nominal') raw[s.name] = (s.values ?? [])[Math.floor(rng() * (s.values ?? []).length)];
    else {
      const { min, max } = s.range as { min: number; max: number };
      let v = min + rng() * (max - min);
      if (s.missingCodes?.includes(v)) v = max;
      raw[s.name] = Math.round(v * 1000) / 1000;
    }
  }
  if (Object.keys(raw).length === 0) raw[inputs[0]!.name] = inputs[0]!.type === 'nominal' ? inputs[0]!.values![0] : inputs[0]!.range!.max;
  return raw;
}

function randomSymptoms(features: readonly string[], rng: Rng): Record<string, number> {
  const v: Record<string, number> = {};
  const n = 2 + Math.floor(rng() * 6);
  for (let i = 0; i < n; i++) v[features[Math.floor(rng() * features.length)]!] = 1;
  for (let i = 0; i < 2; i++) v[features[Math.floor(rng() * features.length)]!] ??= 0;
  return v;
}

interface ModelCases {
  model: ForestModel;
  raw: Record<string, unknown>[];
  /** The same cases as the rows the trees read (unknowns filled in), for scikit-learn. */
  encoded: number[][];
}

function casesFor(model: ForestModel, seed: number): ModelCases {
  const rng = mulberry32(seed);
  const fi = forestInternals(model);
  const isSymptoms = model.inputs.every((s) => s.type === 'binary') && model.labels.length > 2;
  const raw: Record<string, unknown>[] = [];
  const encoded: number[][] = [];
  for (let i = 0; i < BATCH; i++) {
    const r = isSymptoms ? randomSymptoms(model.features, rng) : randomRaw(model.inputs, rng);
    raw.push(r);
    encoded.push(Array.from(isSymptoms ? fi.encode(r as Record<string, number>) : encodeForTrees(model, r)));
  }
  return { model, raw, encoded };
}

/** Raw values → the row the trees read, through predictValues' own validation (via predict on encoded values). */
function encodeForTrees(model: ForestModel, raw: Record<string, unknown>): Float64Array {
  const values: Record<string, number> = {};
  for (const s of model.inputs) {
    const v = raw[s.name];
    if (v === undefined || v === null) continue;
    values[s.name] = typeof v === 'string' ? (s.values ?? []).indexOf(v) : (v as number);
  }
  return forestInternals(model).encode(values);
}

function timeSingles(fn: (i: number) => void, n: number): Stats {
  for (let i = 0; i < Math.min(200, n); i++) fn(i); // warm up
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn(i);
    t.push(performance.now() - t0);
  }
  return stats(t);
}

function timeBatch(fn: (i: number) => void, n: number): { cases: number; totalMs: number; perCaseMs: number } {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  const total = performance.now() - t0;
  return { cases: n, totalMs: Math.round(total * 100) / 100, perCaseMs: Math.round((total / n) * 10000) / 10000 };
}

interface SklearnJob {
  id: string;
  nEstimators: number;
  maxDepth: number | null;
  maxFeatures: number;
  minSamplesSplit: number;
  X: number[][];
  y: number[];
  Xtest: number[][];
}

export function symptomTrainingSet(
  root: string,
  dataDir: string,
): { X: number[][]; y: number[]; nEstimators: number; maxFeatures: number; minNumSamples: number } {
  const m = JSON.parse(fs.readFileSync(path.join(root, 'models', 'artefacts', 'symptom-differential', 'metrics.json'), 'utf8')) as {
    split: { seed: number; validationFraction: number };
    training: {
      nEstimators: number;
      treeOptions: { minNumSamples: number };
      augmentation: { copies: number; minDrop: number; maxDrop: number; keepAtLeast: number; seed: number };
    };
    selection: { chosen: { maxFeatures: number } };
  };
  const ds = loadSymptomCsv(path.join(dataDir, 'symptoms', 'training.csv'));
  const split = splitByPattern(ds.patterns, ds.labels.length, m.split.validationFraction, mulberry32(m.split.seed));
  const { seed, ...aug } = m.training.augmentation;
  const rows = augment([...split.train, ...split.validation], aug, mulberry32(seed));
  return {
    X: rows.map((p) => Array.from(p.x)),
    y: rows.map((p) => p.label),
    nEstimators: m.training.nEstimators,
    maxFeatures: m.selection.chosen.maxFeatures,
    minNumSamples: m.training.treeOptions.minNumSamples,
  };
}

function runSklearn(root: string, jobs: SklearnJob[]): object {
  const python = '/usr/bin/python3';
  const script = path.join(root, 'bench', 'sklearn_forest_bench.py');
  if (!fs.existsSync(python)) return { skipped: 'needs /usr/bin/python3 with python3-sklearn' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-forest-bench-'));
  const input = path.join(dir, 'jobs.json');
  try {
    fs.writeFileSync(input, JSON.stringify({ single: SINGLE, jobs }));
    const r = spawnSync(python, [script, input], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60 * 1000 });
    if (r.error) return { skipped: `could not run ${python}: ${r.error.message}` };
    const out = (r.stdout ?? '').trim();
    try {
      return JSON.parse(out.split('\n').at(-1) ?? '') as object;
    } catch {
      return { skipped: `sklearn bench failed (exit ${String(r.status)}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}` };
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function runForestBench(): Promise<object> {
  const root = findProjectRoot(__dirname);
  const dataDir = resolveDataDir(__dirname);
  const registry: ModelRegistry = loadModelRegistry();
  const perModel: Record<string, object> = {};
  const all: ModelCases[] = [];

  for (const [i, d] of registry.describeAll().entries()) {
    const c = casesFor(registry.get(d.id), 1000 + i);
    all.push(c);
    const m = c.model;
    const single = timeSingles((k) => m.predictValues(c.raw[k % BATCH]!), SINGLE);
    const batch = timeBatch((k) => m.predictValues(c.raw[k]!), BATCH);
    perModel[d.id] = {
      trees: forestInternals(m).nTrees,
      inputs: m.features.length,
      labels: m.labels.length,
      perCase: single,
      batch10k: batch,
      withinBudget: single.p95Ms <= PER_CASE_BUDGET_MS && batch.perCaseMs <= PER_CASE_BUDGET_MS,
    };
  }

  // The whole engine for one case: the symptom differential (top 10 with Saabas contributions,
  // conditions, can't-miss, 3 ask-next findings) plus each risk model with its explanation.
  const sym = all.find((c) => c.model.id === 'symptom-differential');
  const risk = all.filter((c) => c.model.id !== 'symptom-differential');
  let engine: object = { skipped: 'no symptom-differential model' };
  if (sym !== undefined) {
    const conditions = registry.conditions('symptom-differential');
    const frequencies = registry.labelFeatureFrequencies('symptom-differential');
    const symptomEngine = timeSingles(
      (k) => runDifferential(sym.model, sym.raw[k % BATCH] as Record<string, number>, { conditions, frequencies, topK: 10 }),
      ENGINE_CASES,
    );
    const wholeEngine = timeSingles((k) => {
      runDifferential(sym.model, sym.raw[k % BATCH] as Record<string, number>, { conditions, frequencies, topK: 10 });
      for (const r of risk) r.model.explainValues(r.raw[k % BATCH]!, r.model.labels.length);
    }, ENGINE_CASES);
    engine = {
      symptomDifferential: { what: 'explain top 10 (Saabas) + conditions + can’t-miss + ask-next (3 of the top 5)', ...symptomEngine },
      wholeEngine: { what: 'symptom engine + every risk model with explanations', ...wholeEngine },
      withinBudget: wholeEngine.p95Ms <= ENGINE_BUDGET_MS,
    };
  }

  // scikit-learn on the same training rows, same trees/depth/feature share, same test rows.
  let sklearn: object;
  const haveData = fs.existsSync(path.join(dataDir, 'symptoms', 'training.csv')) && TABULAR_MODELS.every((d) => fs.existsSync(path.join(dataDir, d.dataFile)));
  if (!haveData) {
    sklearn = { skipped: 'needs ../shared/data' };
  } else {
    const jobs: SklearnJob[] = [];
    for (const c of all) {
      const def = TABULAR_MODELS.find((d) => d.id === c.model.id);
      if (def !== undefined) {
        const t = shippedTrainingSet(def, root, dataDir);
        jobs.push({
          id: def.id,
          nEstimators: t.nEstimators,
          maxDepth: t.maxDepth,
          maxFeatures: t.maxFeatures,
          minSamplesSplit: t.minNumSamples + 1,
          X: t.X,
          y: t.y,
          Xtest: c.encoded,
        });
      } else if (c.model.id === 'symptom-differential') {
        const t = symptomTrainingSet(root, dataDir);
        jobs.push({
          id: c.model.id,
          nEstimators: t.nEstimators,
          maxDepth: null,
          maxFeatures: t.maxFeatures,
          minSamplesSplit: t.minNumSamples + 1,
          X: t.X,
          y: t.y,
          Xtest: c.encoded,
        });
      }
    }
    sklearn = runSklearn(root, jobs);
  }

  return {
    budgets: { perCaseMs: PER_CASE_BUDGET_MS, engineMs: ENGINE_BUDGET_MS },
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    lantern: { what: 'predictValues per case (validation + encoding + all tree votes), single thread', models: perModel, engine },
    sklearn,
    note: 'scikit-learn: RandomForestClassifier(n_estimators, max_depth, max_features share, min_samples_split = minNumSamples + 1, bootstrap) fitted on the rows the shipped forest was trained on; predict_proba on the same encoded cases, n_jobs=1. Its max_features applies per split, ml-random-forest’s per tree, so the trees differ in shape while matching in number, depth and data.',
  };
}

if (require.main === module) {
  runForestBench().then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
