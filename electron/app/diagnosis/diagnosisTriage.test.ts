/**
 * The rules feed every diagnosis run: the case's vitals (catalogue codes and units), observations and
 * labs, plus lab values entered on a risk model's form, become NEWS2, qSOFA and red flags in the
 * differential; a can't-miss alarm a measured value rules out is not raised.
 */
import { describe, expect, it } from 'vitest';
import { loadModelRegistry } from '../../../models/runtime/registry';
import { loadClinicalCatalogue } from '../../../models/runtime/vocab/clinicalCatalogue';
import type { CaseInput, Differential } from '../../contract/ipcContract';
import { assessCase, runDifferential, triageVitalsOfCase, type ClinicalModels } from './diagnosisService';
import { signedInAppPerTest } from '../testing/dispatchTestClient';
import { septicVitals } from '../testing/septicVitals';

const models: ClinicalModels = { registry: loadModelRegistry(), catalogue: loadClinicalCatalogue() };
const run = (input: Partial<CaseInput>): Differential =>
  runDifferential(models, assessCase(models, { findings: {}, modelInputs: {}, vitals: [], labs: [], note: '', ...input }));

describe('triage in the differential', () => {
  it('a septic patient: NEWS2 14 high, qSOFA 3, SEPSIS_SUSPECTED first', () => {
    const d = run({
      findings: { chills: 'present', cough: 'present' },
      vitals: septicVitals,
      observations: { consciousness: 'new-confusion', onSupplementalOxygen: false },
    });
    expect(d.triage).toMatchObject({ news2: { score: 14, risk: 'high' }, qsofa: { score: 3 }, missing: [] });
    expect(d.triage!.flags[0]).toMatchObject({ code: 'SEPSIS_SUSPECTED', severity: 'critical' });
  });

  it('without the observations NEWS2 and qSOFA stay empty and say what is missing', () => {
    const d = run({ findings: { cough: 'present' }, vitals: septicVitals });
    expect(d.triage).toMatchObject({ news2: null, qsofa: null, missing: ['onSupplementalOxygen', 'consciousness'] });
  });

  it('vitals go to the rules in catalogue units (°C), weight is not a NEWS2 parameter', () => {
    const assessed = assessCase(models, {
      findings: {},
      modelInputs: {},
      vitals: [
        { code: 'temperature', value: 38.4 },
        { code: 'weight', value: 70 },
        { code: 'diastolicBp', value: 80 },
      ],
      labs: [],
      note: '',
      observations: { consciousness: 'alert' },
    });
    expect(triageVitalsOfCase(assessed)).toEqual({ temperature: 38.4, diastolicBp: 80, consciousness: 'alert' });
  });

  it('critical labs from the case labs and from a risk model form (kidney model potassium, whole-blood glucose read as glucose)', () => {
    expect(run({ findings: { cough: 'present' }, labs: [{ loinc: '2823-3', value: 6.8 }] }).triage!.flags.map((f) => f.code)).toEqual(['CRITICAL_LAB']);
    const viaForm = run({ findings: { cough: 'present' }, modelInputs: { 'chronic-kidney-disease': { pot: 6.8, bgr: 45 } } });
    // In the model's input order (bgr before pot).
    expect(viaForm.triage!.flags.map((f) => f.reason)).toEqual([
      expect.stringMatching(/^Glucose 45 mg\/dL is below 54 mg\/dL/),
      expect.stringMatching(/^Potassium 6\.8 mmol\/L is above 6\.5/),
    ]);
  });

  it('an empty case raises no flag and no score', () => {
    expect(run({ findings: { cough: 'present' } }).triage).toEqual({
      news2: null,
      qsofa: null,
      flags: [],
      missing: ['respiratoryRate', 'spo2', 'onSupplementalOxygen', 'systolicBp', 'heartRate', 'consciousness', 'temperature'],
    });
  });
});

describe("can't-miss never contradicts a measured value", () => {
  // Findings that put hypoglycaemia in the top ten with an alarm.
  const hypoFindings: CaseInput['findings'] = {
    sweating: 'present',
    anxiety: 'present',
    palpitations: 'present',
    blurred_and_distorted_vision: 'present',
    irritability: 'present',
  };
  const hypo = (d: Differential) => d.items.find((i) => i.label === 'Hypoglycemia');

  it('no measured glucose: the alarm stands', () => {
    const item = hypo(run({ findings: hypoFindings }));
    expect(item).toBeDefined();
    expect(item).toMatchObject({ cantMiss: true });
    expect(item!.cantMissContradictedBy).toBeUndefined();
  });

  it('glucose measured 182 mg/dL (lab, kidney-model random glucose or 2-hour OGTT): no hypoglycaemia alarm, and why', () => {
    for (const input of [
      { labs: [{ loinc: '2345-7', value: 182 }] },
      { modelInputs: { 'chronic-kidney-disease': { bgr: 182 } } },
      { modelInputs: { 'diabetes-onset': { plasma_glucose: 182 } } },
    ] as Partial<CaseInput>[]) {
      const item = hypo(run({ findings: hypoFindings, ...input }));
      expect(item).toMatchObject({ cantMiss: false, cantMissContradictedBy: expect.stringContaining('182 mg/dL') });
    }
  });

  it('a measured glucose below 70 keeps it (and 50 is itself a critical value)', () => {
    const d = run({ findings: hypoFindings, labs: [{ loinc: '2345-7', value: 50 }] });
    expect(hypo(d)).toMatchObject({ cantMiss: true });
    expect(d.triage!.flags[0]).toMatchObject({ code: 'CRITICAL_LAB' });
  });
});

describe('through the app (saveCase)', () => {
  const t = signedInAppPerTest();
  const { ok } = t;

  it('accepts observations, stores the triage with the differential, and reads it back', async () => {
    const patient = await ok('createPatient', { name: 'Ana Lima', birthDate: '1950-01-01', sex: 'female' });
    const saved = await ok('saveCase', {
      patientId: patient.id,
      case: {
        findings: { chills: 'present' },
        vitals: septicVitals,
        labs: [],
        note: '',
        observations: { consciousness: 'new-confusion', onSupplementalOxygen: false },
      },
    });
    expect(saved.differential?.triage).toMatchObject({ news2: { score: 14, risk: 'high' }, qsofa: { score: 3 } });
    const read = await ok('getCase', { caseId: saved.id });
    expect(read.differential?.triage?.flags[0]?.code).toBe('SEPSIS_SUSPECTED');
  });
});
