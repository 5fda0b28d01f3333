/**
 * Diagnosis aid (issue 13): scikit-learn forests on exactly the validation presentations the
 * calibration script scores, so the shipped differential's figures (metrics.json →
 * calibratedDifferential.presentations) can be set beside them. Not part of training; writes nothing
 * under the project.
 *
 *   npm run build:node && node build/models/training/compareSymptomBaselines.js
 *
 * Writes the training patterns, the augmented training rows (metrics.json's augmentation) and the
 * validation presentations to a temporary JSON file and runs models/training/symptom_baselines.py
 * (the `python3` on PATH; it needs scikit-learn, which Debian's /usr/bin/python3 here lacks) on it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { findProjectRoot, resolveDataDir } from '../runtime/common/paths';
import { mulberry32 } from '../runtime/common/rng';
import { validationPresentations } from './symptomPresentations';
import { augment, loadSymptomCsv, presentIndices, splitByPattern } from './symptomData';

function main(): void {
  const root = findProjectRoot(__dirname);
  const csv = path.join(resolveDataDir(__dirname), 'symptoms', 'training.csv');
  if (!fs.existsSync(csv)) {
    console.error(`training data not found: ${csv}`);
    process.exit(2);
  }
  const metrics = JSON.parse(fs.readFileSync(path.join(root, 'models', 'artefacts', 'symptom-differential', 'metrics.json'), 'utf8')) as {
    split: { seed: number; validationFraction: number };
    training: { augmentation: { copies: number; minDrop: number; maxDrop: number; keepAtLeast: number; seed: number } };
  };
  const ds = loadSymptomCsv(csv);
  const split = splitByPattern(ds.patterns, ds.labels.length, metrics.split.validationFraction, mulberry32(metrics.split.seed));
  const { seed, ...aug } = metrics.training.augmentation;
  const rows = (ps: readonly { x: Uint8Array; label: number }[]) => ps.map((p) => ({ present: presentIndices(p.x), label: p.label }));
  const dump = {
    features: ds.features.length,
    labels: ds.labels,
    train: rows(split.train),
    augmented: rows(augment(split.train, aug, mulberry32(seed))),
    sets: validationPresentations(split.validation).map((s) => ({ name: s.name, cases: s.cases.map((c) => ({ present: c.present, label: c.label })) })),
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'symptom-baselines-'));
  const file = path.join(dir, 'presentations.json');
  fs.writeFileSync(file, JSON.stringify(dump));
  const r = spawnSync('python3', [path.join(root, 'models', 'training', 'symptom_baselines.py'), file], { stdio: 'inherit' });
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(r.status ?? 1);
}

main();
