/**
 * The reports carry what the case screen shows first: NEWS2, qSOFA and red flags from the rules,
 * the eGFR with its KDIGO stage, and the calibration line beside each risk number. The FHIR bundle
 * still passes the official R4 schema (NEWS2/qSOFA as Observations with local codes, red flags as
 * Flags, eGFR as LOINC 98979-8); the PDF text is read back with pdf.js.
 */
import { describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../contract/ipcContract';
import { signedInAppPerTest } from '../testing/dispatchTestClient';
import { pdfText as readPdf } from '../testing/pdfText';
import type { FhirJson } from '../testing/fhirJson';
import { validateFhir } from './fhirSchemaValidation';
import type { FhirBundle } from './fhirBundleTypes';
import { triageSystems } from './caseTriageFhir';
import { normalCkdProfileWithoutCreatinine } from '../../../models/training/fixtures/ckdProfiles';
import { septicVitals } from '../testing/septicVitals';

const t = signedInAppPerTest();
const { ok } = t;

/** A normal kidney profile but creatinine 4 mg/dL (eGFR 16 for a man of 60). */
const ckdInputs = {
  ...normalCkdProfileWithoutCreatinine,
  sc: 4,
};

async function septicCase(): Promise<CaseDetail> {
  const patient = await ok('createPatient', { name: 'Rui Costa', birthDate: '1966-01-15', sex: 'male' });
  return ok('saveCase', {
    patientId: patient.id,
    case: {
      findings: { chills: 'present', cough: 'present' },
      modelInputs: { 'chronic-kidney-disease': ckdInputs },
      vitals: septicVitals,
      labs: [],
      note: '',
      observations: { consciousness: 'new-confusion', onSupplementalOxygen: false },
    },
  });
}

const pdfText = async (bytes: Buffer): Promise<string> => (await readPdf(bytes)).text;

describe('triage, eGFR and calibration in the reports', () => {
  it('FHIR: NEWS2 and qSOFA Observations, the sepsis Flag, eGFR 98979-8 with its stage, calibration on the CKD RiskAssessment; the bundle passes the R4 schema', async () => {
    const saved = await septicCase();
    expect(saved.differential?.kidneyFunction).toMatchObject({ egfr: 16, gStage: 'G4' });
    const ckd = saved.differential!.riskAssessments.find((r) => r.modelId === 'chronic-kidney-disease')!;
    expect(ckd.status).toBe('ran');

    const exported = await ok('exportCase', { caseId: saved.id, format: 'fhir' });
    const bundle = JSON.parse(Buffer.from(exported.dataBase64, 'base64').toString('utf8')) as FhirBundle;
    expect(validateFhir(bundle, 'full')).toEqual({ valid: true });
    const resources = bundle.entry.map((e) => e.resource) as (FhirJson & { resourceType: string })[];

    const score = (code: string) =>
      resources.find((r) => r.resourceType === 'Observation' && r.code.coding[0].system === triageSystems.score && r.code.coding[0].code === code)!;
    expect(score('news2')).toMatchObject({ valueInteger: 14, status: 'final', interpretation: [{ text: 'NEWS2 clinical risk: high' }] });
    expect(score('qsofa')).toMatchObject({ valueInteger: 3 });
    const flags = resources.filter((r) => r.resourceType === 'Flag');
    expect(flags[0]).toMatchObject({ status: 'active', code: { coding: [{ system: triageSystems.redFlag, code: 'SEPSIS_SUSPECTED' }] } });
    expect(flags[0]!.code.text).toMatch(/^critical: /);

    const egfr = resources.find((r) => r.resourceType === 'Observation' && r.code.coding[0].code === '98979-8')!;
    expect(egfr).toMatchObject({ valueQuantity: { value: 16, code: 'mL/min/{1.73_m2}' }, interpretation: [{ coding: [{ code: 'G4' }] }] });
    expect(egfr.method.text).toContain('CKD-EPI 2021');

    const risk = resources.find((r) => r.resourceType === 'RiskAssessment' && r.method.coding[0].code === 'chronic-kidney-disease')!;
    expect(risk.status).toBe('preliminary');
    expect(risk.note[0].text).toMatch(/^Calibration: out-of-fold on 320 patients: ECE 0\.\d{3}, Brier 0\.\d{3}/);
    // The rules come before the models in the bundle, as on screen.
    expect(resources.indexOf(score('news2'))).toBeLessThan(resources.indexOf(risk));
  });

  it('PDF: scores and flags before the differential, the eGFR and the calibration line in the risk section', async () => {
    const saved = await septicCase();
    const exported = await ok('exportCase', { caseId: saved.id, format: 'pdf' });
    const flat = (await pdfText(Buffer.from(exported.dataBase64, 'base64'))).replace(/\s+/g, '');
    const at = (x: string) => flat.indexOf(x.replace(/\s+/g, ''));
    for (const x of [
      'Early warning scores and red flags',
      '14, clinical risk high',
      'SEPSIS_SUSPECTED',
      'eGFR 16 mL/min/1.73 m², KDIGO G4',
      'Calibration: out-of-fold on 320 patients',
    ]) {
      expect(at(x), x).toBeGreaterThanOrEqual(0);
    }
    expect(at('SEPSIS_SUSPECTED')).toBeLessThan(at('Differential diagnosis'));
    expect(at('Differential diagnosis')).toBeLessThan(at('eGFR 16'));
  });
});
