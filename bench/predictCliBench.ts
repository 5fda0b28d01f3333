/**
 * Batch speed of the CLI against scikit-learn: 20,000 symptom cases through
 * `lantern predict --model symptom-differential` (a whole process: start, model load with its sha256
 * check, read, predict, write) against a Python process doing the same with a scikit-learn forest
 * loaded from disk (bench/sklearn_predict_cli_bench.py), fitted on the rows the shipped forest was
 * trained on. Goal: Lantern takes at most half the time of the Python script.
 *
 * Python: $LANTERN_BENCH_PYTHON, else /usr/bin/python3, else python3 on the PATH: the first that
 * imports sklearn.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

import { findProjectRoot, resolveDataDir } from '../models/runtime/common/paths';
import { mulberry32 } from '../models/runtime/common/rng';
import { loadModelRegistry } from '../models/runtime/registry';
import { loadSymptomCsv } from '../models/training/symptomData';
import { symptomTrainingSet } from './forestBench';

const CASES = 20_000;
const GOAL_RATIO = 0.5;
const RUNS = 3;

function pythonWithSklearn(): string | null {
  for (const py of [process.env['LANTERN_BENCH_PYTHON'], '/usr/bin/python3', 'python3']) {
    if (!py) continue;
    const r = spawnSync(py, ['-c', 'import sklearn'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

interface Timing {
  wallMs: number;
  /** user + system CPU of the process (from /usr/bin/time), null where that is not available. */
  cpuMs: number | null;
}

/** Wall time, and CPU time through /usr/bin/time where it exists (the machine may be shared). */
function timedRun(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Timing {
  const haveTime = fs.existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = haveTime
    ? spawnSync('/usr/bin/time', ['-f', 'LANTERN_BENCH_TIME %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${String(r.status)}): ${(r.stderr ?? '').slice(-500)}`);
  const m = /LANTERN_BENCH_TIME ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  return { wallMs, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : null };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export function runPredictCliBench(): object {
  const root = findProjectRoot(__dirname);
  const dataDir = resolveDataDir(__dirname);
  if (!fs.existsSync(path.join(dataDir, 'symptoms', 'training.csv'))) return { skipped: 'needs ../shared/data' };
  const py = pythonWithSklearn();
  if (py === null) return { skipped: 'needs a python3 with scikit-learn (set LANTERN_BENCH_PYTHON)' };
  const model = loadModelRegistry().get('symptom-differential');
  const features = model.features;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-predict-bench-'));
  try {
    // Cases like the app's: 2–7 present findings and two marked absent, seeded.
    const rng = mulberry32(2024);
    const lines: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const f: Record<string, number> = {};
      const n = 2 + Math.floor(rng() * 6);
      for (let j = 0; j < n; j++) f[features[Math.floor(rng() * features.length)]!] = 1;
      for (let j = 0; j < 2; j++) f[features[Math.floor(rng() * features.length)]!] ??= 0;
      lines.push(JSON.stringify({ id: `c${i}`, features: f }));
    }
    const input = path.join(dir, 'in.jsonl');
    fs.writeFileSync(input, `${lines.join('\n')}\n`);

    const t = symptomTrainingSet(root, dataDir);
    const ds = loadSymptomCsv(path.join(dataDir, 'symptoms', 'training.csv'));
    const rows = path.join(dir, 'rows.json');
    const pkl = path.join(dir, 'forest.pkl');
    fs.writeFileSync(
      rows,
      JSON.stringify({
        nEstimators: t.nEstimators,
        maxFeatures: t.maxFeatures,
        minSamplesSplit: t.minNumSamples + 1,
        X: t.X,
        y: t.y,
        labels: ds.labels,
        features: ds.features,
      }),
    );
    const script = path.join(root, 'bench', 'sklearn_predict_cli_bench.py');
    timedRun(py, [script, 'fit', rows, pkl]);

    const lantern = path.join(root, 'bin', 'lantern.js');
    // One thread each: numpy's BLAS would otherwise add threads to the Python side's CPU time.
    const pyEnv = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const lanternRuns: Timing[] = [];
    const pythonRuns: Timing[] = [];
    for (let r = 0; r < RUNS; r++) {
      lanternRuns.push(
        timedRun(process.execPath, [lantern, 'predict', '--model', 'symptom-differential', '--input', input, '--output', path.join(dir, 'lantern-out.jsonl')]),
      );
      pythonRuns.push(timedRun(py, [script, 'predict', pkl, input, path.join(dir, 'sklearn-out.jsonl')], pyEnv));
    }
    const out = fs.readFileSync(path.join(dir, 'lantern-out.jsonl'), 'utf8').trim().split('\n');
    const abstained = out.filter((l) => l.includes('"abstained"')).length;
    const warned = out.filter((l) => l.includes('"warning"')).length;
    const summary = (runs: Timing[]) => ({
      medianWallSeconds: Math.round(median(runs.map((t) => t.wallMs))) / 1000,
      medianCpuSeconds: runs.every((t) => t.cpuMs !== null) ? Math.round(median(runs.map((t) => t.cpuMs as number))) / 1000 : null,
    });
    const l = summary(lanternRuns);
    const p = summary(pythonRuns);
    // CPU time where known: on a shared machine the wall-clock ratio mostly measures the neighbours.
    const ratio =
      l.medianCpuSeconds !== null && p.medianCpuSeconds !== null ? l.medianCpuSeconds / p.medianCpuSeconds : l.medianWallSeconds / p.medianWallSeconds;
    return {
      what: `${CASES} cases, whole process each, median of ${RUNS} alternating runs`,
      lantern: { command: 'lantern predict --model symptom-differential', ...l, abstained, notCovered: warned },
      sklearn: { command: `${py} bench/sklearn_predict_cli_bench.py predict`, ...p },
      ratio: Math.round(ratio * 1000) / 1000,
      ratioOf: l.medianCpuSeconds !== null && p.medianCpuSeconds !== null ? 'CPU time (user + system)' : 'wall time',
      wallRatio: Math.round((l.medianWallSeconds / p.medianWallSeconds) * 1000) / 1000,
      goalRatio: GOAL_RATIO,
      withinGoal: ratio <= GOAL_RATIO,
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) process.stdout.write(`${JSON.stringify(runPredictCliBench(), null, 2)}\n`);
