/**
 * The committed ddxplus-differential model against the held-out DDXPlus patients (the validation
 * split the training script holds back), re-measured here rather than read from metrics.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { resolveDataDir } from '../runtime/common/paths';
import { mulberry32 } from '../runtime/common/rng';
import { loadDdxplusModel } from '../runtime/ddxplus/ddxplusFiles';
import { DDXPLUS_SPLIT_SEED, ddxplusDir, loadPatients, splitByPathology } from './ddxplusData';
import { capPerPathology, macroTopK, scoreFull, simulateInterview } from './ddxplusEval';

const dir = ddxplusDir(resolveDataDir(__dirname));
const hasData = fs.existsSync(path.join(dir, 'patients.csv'));

describe.skipIf(!hasData)('ddxplus-differential on held-out patients (needs ../shared/data)', () => {
  const model = loadDdxplusModel();
  const patients = hasData ? loadPatients(dir) : [];
  const { train, validation } = splitByPathology(patients, mulberry32(DDXPLUS_SPLIT_SEED));
  const labelIndex = new Map(model.labels.map((l, i) => [l, i]));
  const metrics = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'artefacts', 'ddxplus-differential', 'metrics.json'), 'utf8')) as {
    data: { train: number; validation: number };
    everyEvidenceKnown: { macroTop1: number };
  };

  it('uses the split the training script reported, with no patient on both sides', () => {
    expect(train.length).toBe(metrics.data.train);
    expect(validation.length).toBe(metrics.data.validation);
    const trainRows = new Set(train.map((r) => r.row));
    expect(validation.some((r) => trainRows.has(r.row))).toBe(false);
  });

  // Goal 0.98 (the share of complete training rows was chosen on this split: see the card's limits).
  it('every evidence known: macro top-1 >= 0.98, macro top-5 >= 0.99', () => {
    const scored = validation.map((r) => ({ p: scoreFull(model, r), label: labelIndex.get(r.pathology) as number }));
    const m = macroTopK(scored, model.labels.length);
    expect(m.top1).toBeCloseTo(metrics.everyEvidenceKnown.macroTop1, 3);
    expect(m.top1).toBeGreaterThanOrEqual(0.98);
    expect(m.top5).toBeGreaterThanOrEqual(0.99);
  });

  it('interview of 10 ask-next questions from age, sex and the initial complaint (8 patients per pathology)', () => {
    const cases = capPerPathology(validation, 8);
    const scored = cases.map((r) => ({ p: simulateInterview(model, r, 10).steps[10] as Float64Array, label: labelIndex.get(r.pathology) as number }));
    const m = macroTopK(scored, model.labels.length);
    expect(m.top1).toBeGreaterThanOrEqual(INTERVIEW_TOP1_FLOOR);
    expect(m.top5).toBeGreaterThanOrEqual(INTERVIEW_TOP5_FLOOR);
  }, 120_000);
});

/** What the committed model reaches on this subsample (metrics.json has the full figures); floors, not targets. */
const INTERVIEW_TOP1_FLOOR = 0.85;
const INTERVIEW_TOP5_FLOOR = 0.97;
