/**
 * The tabular training pipeline against ../shared/data: loaders, and that the committed artefacts
 * and metrics reproduce from the script's own functions.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { resolveDataDir } from '../runtime/common/paths';
import { mulberry32 } from '../runtime/common/rng';
import { loadModelRegistry } from '../runtime/registry';
import { encodeDataset, loadCkd, loadHeart, loadPima } from './tabularData';
import { CHRONIC_KIDNEY_DISEASE, DIABETES_ONSET, HEART_DISEASE, TABULAR_MODELS } from './tabularModels';
import { AUGMENT_SEED, conditionsFor, crossValidate, FOLDS, loadRaw, rowRaw, SPLIT_SEED, trainTabular, type Candidate } from './trainTabular';
import { stratifiedFolds } from './tabularTraining';

const dataDir = resolveDataDir(__dirname);
const modelsDir = path.resolve(__dirname, '..', 'artefacts');
const hasData = TABULAR_MODELS.every((d) => fs.existsSync(path.join(dataDir, d.dataFile)));

type Metrics = {
  artefactSha256: string;
  data: { sha256: string; rows: number; labels: Record<string, number> };
  selection: { chosen: { handling: Candidate['handling']; masking: Candidate['masking']; maxFeatures: number; candidate: string } };
  validation: { conditions: { name: string; auc: number; accuracy: number; brier: number }[] };
};
const metricsOf = (id: string): Metrics => JSON.parse(fs.readFileSync(path.join(modelsDir, id, 'metrics.json'), 'utf8')) as Metrics;

describe.skipIf(!hasData)('tabular data loaders (needs ../shared/data)', () => {
  it('heart: 303 Cleveland rows, num > 0 = disease, "?" = unknown', () => {
    const ds = loadHeart(path.join(dataDir, HEART_DISEASE.dataFile));
    expect(ds.records).toHaveLength(303);
    expect(ds.y.filter((v) => v === 0)).toHaveLength(139);
    expect(ds.records.filter((r) => r['ca'] === null)).toHaveLength(4);
  });

  it('ckd: malformed rows repaired, stray whitespace trimmed, impossible values become unknown', () => {
    const ds = loadCkd(path.join(dataDir, CHRONIC_KIDNEY_DISEASE.dataFile));
    expect(ds.records).toHaveLength(320);
    expect(ds.repairs.length).toBeGreaterThan(0);
    expect(ds.attributes.map((a) => a.name).slice(0, -1)).toEqual(CHRONIC_KIDNEY_DISEASE.inputs.map((s) => s.name));
    for (const r of ds.records) for (const v of Object.values(r)) if (typeof v === 'string') expect(v).toBe(v.trim());
    const enc = encodeDataset(CHRONIC_KIDNEY_DISEASE.inputs, ds, 'chronic-kidney-disease');
    expect(enc.rejected.map((r) => r.feature).sort()).toEqual(expect.arrayContaining(['pot', 'sod']));
    expect(enc.rejected.every((r) => r.problem === 'out-of-range')).toBe(true);
  });

  it('pima: 614 rows; zeros are kept raw (the input declarations make them unknown)', () => {
    const ds = loadPima(path.join(dataDir, DIABETES_ONSET.dataFile));
    expect(ds.records).toHaveLength(614);
    const enc = encodeDataset(DIABETES_ONSET.inputs, ds, 'diabetes-onset');
    expect(enc.rejected).toEqual([]);
    const insulin = DIABETES_ONSET.inputs.findIndex((s) => s.name === 'serum_insulin');
    expect(enc.X.filter((r) => r[insulin] === null).length).toBeGreaterThan(200);
  });
});

describe.skipIf(!hasData)('committed risk models reproduce from the training script (needs ../shared/data)', () => {
  const reg = loadModelRegistry(modelsDir);

  it.each(TABULAR_MODELS.map((d) => [d.id, d] as const))(
    '%s: data sha, counts, and the shipped forest byte for byte',
    (id, def) => {
      const m = metricsOf(id);
      const file = path.join(dataDir, def.dataFile);
      expect(createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(m.data.sha256);
      const enc = encodeDataset(def.inputs, loadRaw(def, file), id);
      expect(enc.X).toHaveLength(m.data.rows);
      const cand: Candidate = { name: m.selection.chosen.candidate, handling: m.selection.chosen.handling, masking: m.selection.chosen.masking };
      const t = trainTabular(def, enc.X, enc.y, cand, m.selection.chosen.maxFeatures, AUGMENT_SEED);
      const sha = createHash('sha256').update(t.artefactBytes).digest('hex');
      expect(sha).toBe(m.artefactSha256);
      expect(sha).toBe(reg.get(id).sha256);
      // the raw form of every training row goes through predictValues
      for (const r of enc.X.slice(0, 50)) expect(() => reg.get(id).predictValues(rowRaw(def, r))).not.toThrow();
    },
    120_000,
  );

  it('heart-disease: the out-of-fold validation metrics reproduce', () => {
    const def = HEART_DISEASE;
    const m = metricsOf(def.id);
    const enc = encodeDataset(def.inputs, loadRaw(def, path.join(dataDir, def.dataFile)), def.id);
    const folds = stratifiedFolds(enc.y, FOLDS, mulberry32(SPLIT_SEED));
    const cand: Candidate = { name: m.selection.chosen.candidate, handling: m.selection.chosen.handling, masking: m.selection.chosen.masking };
    const r = crossValidate(def, enc, folds, cand, m.selection.chosen.maxFeatures, conditionsFor(def));
    r.perCondition.forEach((pc, i) => {
      const c = m.validation.conditions[i]!;
      expect(pc.auc).toBeCloseTo(c.auc, 4);
      expect(pc.accuracy).toBeCloseTo(c.accuracy, 4);
      expect(pc.brier).toBeCloseTo(c.brier, 4);
    });
  }, 180_000);
});
