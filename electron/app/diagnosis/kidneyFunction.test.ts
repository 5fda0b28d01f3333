/**
 * The run's eGFR (CKD-EPI 2021) with its KDIGO stages: from the case's creatinine lab or the CKD
 * form's `sc`, the patient's age and sex. Expected eGFRs are the equation worked by hand
 * (142 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.2 × 0.9938^age × 1.012 if female), rounded.
 */
import { describe, expect, it } from 'vitest';
import { loadModelRegistry } from '../../../models/runtime/registry';
import { loadClinicalCatalogue } from '../../../models/runtime/vocab/clinicalCatalogue';
import type { CaseInput, Differential } from '../../contract/ipcContract';
import { assessCase, runDifferential, type ClinicalModels, type PatientFacts } from './diagnosisService';
import { kidneyFunctionOfCase } from './kidneyFunction';
import { normalCkdProfileWithoutCreatinine } from '../../../models/training/fixtures/ckdProfiles';

const models: ClinicalModels = { registry: loadModelRegistry(), catalogue: loadClinicalCatalogue() };
const at = new Date('2026-06-01T12:00:00Z');
const run = (input: Partial<CaseInput>, patient: PatientFacts | null): Differential =>
  runDifferential(models, assessCase(models, { findings: { cough: 'present' }, modelInputs: {}, vitals: [], labs: [], note: '', ...input }, patient, at));
const man60: PatientFacts = { birthDate: '1966-01-15', sex: 'male' };

describe('kidneyFunctionOfCase', () => {
  it('a man of 60 with creatinine 1.0 mg/dL: eGFR 86 (86.16 by hand), G2', () => {
    const k = kidneyFunctionOfCase({ labs: [{ loinc: '2160-0', value: 1, unit: 'mg/dL' }], modelInputs: {}, patient: { ageYears: 60, sex: 'male' } });
    expect(k).toMatchObject({ egfr: 86, gStage: 'G2', creatinineMgDl: 1, creatinineFrom: 'labs.2160-0', ageYears: 60, sex: 'male' });
    expect(k!.formula).toMatch(/CKD-EPI 2021/);
    expect(k!.aStage).toBeUndefined();
  });

  it('the CKD form’s sc and dipstick albumin: a woman of 50, creatinine 3 mg/dL is eGFR 18 (18.36), G4; albumin grade 3 (2+) ≈ A3, approximate', () => {
    const k = kidneyFunctionOfCase({ labs: [], modelInputs: { 'chronic-kidney-disease': { sc: 3, al: 3 } }, patient: { ageYears: 50, sex: 'female' } });
    expect(k).toMatchObject({ egfr: 18, gStage: 'G4', creatinineFrom: 'modelInputs.chronic-kidney-disease.sc', aStage: { stage: 'A3', approximate: true } });
  });

  it('the lab wins over the form; the form’s age serves when the record has none, sex never guessed', () => {
    const inputs = { 'chronic-kidney-disease': { sc: 8, age: 45 } };
    expect(kidneyFunctionOfCase({ labs: [{ loinc: '2160-0', value: 0.8, unit: 'mg/dL' }], modelInputs: inputs, patient: { sex: 'female' } })).toMatchObject({
      egfr: 93,
      gStage: 'G1',
      ageYears: 45,
    });
    expect(kidneyFunctionOfCase({ labs: [], modelInputs: inputs, patient: { ageYears: 45 } })).toBeNull();
  });

  it('nothing without creatinine, and nothing for a child (the equation is for adults)', () => {
    expect(kidneyFunctionOfCase({ labs: [], modelInputs: {}, patient: { ageYears: 60, sex: 'male' } })).toBeNull();
    expect(kidneyFunctionOfCase({ labs: [{ loinc: '2160-0', value: 0.5, unit: 'mg/dL' }], modelInputs: {}, patient: { ageYears: 8, sex: 'male' } })).toBeNull();
  });
});

describe('kidneyFunction in the differential', () => {
  it('a creatinine sweep 2, 4, 8 mg/dL on a man of 60: eGFR 38, 16, 7 (G3b, G4, G5), falling', () => {
    const got = [2, 4, 8].map((sc) => run({ modelInputs: { 'chronic-kidney-disease': { sc } } }, man60).kidneyFunction);
    expect(got.map((k) => [k?.egfr, k?.gStage])).toEqual([
      [38, 'G3b'],
      [16, 'G4'],
      [7, 'G5'],
    ]);
  });

  it('the catalogue creatinine lab feeds it too; absent without the patient’s sex', () => {
    expect(run({ labs: [{ loinc: '2160-0', value: 1 }] }, man60).kidneyFunction).toMatchObject({ egfr: 86, creatinineFrom: 'labs.2160-0' });
    expect(run({ labs: [{ loinc: '2160-0', value: 1 }] }, { birthDate: '1966-01-15', sex: 'unknown' }).kidneyFunction).toBeUndefined();
  });
});

describe('beside the CKD model', () => {
  const normal = {
    age: 48,
    ...normalCkdProfileWithoutCreatinine,
  };
  it('a creatinine sweep with a normal profile: eGFR falls, P(ckd) does not, reads as CKD from 3 mg/dL; each number carries its calibration line', () => {
    const runs = [0.9, 2, 4, 8].map((sc) => run({ modelInputs: { 'chronic-kidney-disease': { ...normal, sc } } }, man60));
    const egfrs = runs.map((d) => d.kidneyFunction!.egfr);
    const ckd = runs.map((d) => d.riskAssessments.find((r) => r.modelId === 'chronic-kidney-disease')!);
    for (const r of ckd) {
      expect(r.status).toBe('ran');
      if (r.status !== 'ran') continue;
      expect(r.calibration?.summary).toMatch(/^out-of-fold on 320 patients: ECE 0\.\d{3}, Brier 0\.\d{3} with all inputs/);
    }
    const p = ckd.map((r) => (r.status === 'ran' ? r.probability : NaN));
    expect(egfrs).toEqual([...egfrs].sort((a, b) => b - a));
    for (let i = 1; i < p.length; i++) expect(p[i]!).toBeGreaterThanOrEqual(p[i - 1]!);
    expect(p[0]!).toBeLessThan(0.5);
    expect(p[2]!).toBeGreaterThanOrEqual(0.5);
    expect(p[3]!).toBeGreaterThanOrEqual(0.5);
    // The CKD form's age (48) is not the patient's: the record's age (60) wins for the equation.
    expect(runs[0]!.kidneyFunction!.ageYears).toBe(60);
  });
});
