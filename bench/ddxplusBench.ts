/**
 * ddxplus-differential latency: predict and ask-next per case, on interview states built from the
 * held-out DDXPlus patients (age, sex, the initial complaint and 0–10 answered questions), or, without
 * ../shared/data, on states built from the evidence list alone. Budget: ask-next <= 50 ms per question.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { mulberry32 } from '../models/runtime/common/rng';
import { resolveDataDir } from '../models/runtime/common/paths';
import { loadDdxplusModel } from '../models/runtime/ddxplus/ddxplusFiles';
import type { DdxFeatures, DdxPatient } from '../models/runtime/ddxplus/ddxplusEncoding';
import { DDXPLUS_SPLIT_SEED, ddxplusDir, loadPatients, splitByPathology } from '../models/training/ddxplusData';
import { capPerPathology } from '../models/training/ddxplusEval';
import { stats } from './forestBench';

const ASK_NEXT_BUDGET_MS = 50;

export function runDdxplusBench(): object {
  const model = loadDdxplusModel();
  const dir = ddxplusDir(resolveDataDir(__dirname));
  if (!fs.existsSync(path.join(dir, 'patients.csv'))) return { skipped: 'needs ../shared/data/knowledge/ddxplus' };
  const patients = loadPatients(dir);
  const { validation } = splitByPathology(patients, mulberry32(DDXPLUS_SPLIT_SEED));
  const rng = mulberry32(7);
  // Interview states: the questions ask-next chose, answered from the record, cut at a random length.
  const states: { patient: DdxPatient; features: DdxFeatures }[] = [];
  for (const r of capPerPathology(validation, 4)) {
    const patient: DdxPatient = { ageYears: r.age, sex: r.sex };
    const complete = model.encoder.completeRecord(r.evidences);
    let known = model.encoder.normalise({ [r.initialEvidence]: complete[r.initialEvidence] });
    const stop = Math.floor(rng() * 11);
    for (let q = 0; q < stop; q++) {
      const next = model.askNext(patient, known, 1)[0];
      if (next === undefined) break;
      known = model.encoder.normalise({ ...known, [next.feature]: complete[next.feature] });
    }
    states.push({ patient, features: known });
  }
  for (const s of states.slice(0, 20)) model.askNext(s.patient, s.features); // warm-up
  const predict: number[] = [];
  const ask: number[] = [];
  for (const s of states) {
    let t0 = performance.now();
    model.predictChecked(s.patient, s.features);
    predict.push(performance.now() - t0);
    t0 = performance.now();
    model.askNext(s.patient, s.features, 5);
    ask.push(performance.now() - t0);
  }
  const a = stats(ask);
  return {
    states: states.length,
    predictPerCase: stats(predict),
    askNextPerQuestion: { ...a, budgetMs: ASK_NEXT_BUDGET_MS, withinBudget: a.p95Ms <= ASK_NEXT_BUDGET_MS },
  };
}

if (require.main === module) process.stdout.write(`${JSON.stringify(runDdxplusBench(), null, 2)}\n`);
