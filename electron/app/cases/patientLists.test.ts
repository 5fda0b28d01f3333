/**
 * Allergies and current medications on the patient, through the dispatcher as the app calls it:
 * coded (ATC, named from the committed list) and uncoded entries, "no known allergies", the audit
 * event, and the lists in the case's FHIR export (schema-valid AllergyIntolerance and
 * MedicationStatement) and PDF report.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract/ipcContract';
import { signedInAppPerTest } from '../testing/dispatchTestClient';
import { pdfText } from '../testing/pdfText';
import { validateFhir } from '../reports/fhirSchemaValidation';
import type { FhirBundle } from '../reports/fhirBundleTypes';
import { substanceCodes } from './substanceCodes';
import type { FhirJson } from '../testing/fhirJson';

const t = signedInAppPerTest();
const { ok, fails } = t;

const lists = {
  noKnownAllergies: false,
  allergies: [
    { code: 'J01C', note: 'hives' },
    { code: null, text: 'Peanuts', note: 'anaphylaxis' },
  ],
  medications: [
    { code: 'A10BA02', note: '500 mg twice daily' },
    { code: null, text: 'Herbal tea (local remedy)' },
  ],
};

async function patientWithLists(): Promise<Patient> {
  const patient = await ok('createPatient', { name: 'Amina Bello', birthDate: '1966-05-10', sex: 'female' });
  expect(patient).toMatchObject({ noKnownAllergies: false, allergies: [], medications: [] });
  return ok('updatePatientLists', { patientId: patient.id, ...lists });
}

describe('patient allergies and medications', () => {
  it('stores coded entries by their list name, keeps free text uncoded, and audits the change by codes', async () => {
    const updated = await patientWithLists();
    const expected = {
      noKnownAllergies: false,
      allergies: [
        { code: 'J01C', system: 'http://www.whocc.no/atc', display: 'Penicillins', note: 'hives' },
        { code: null, system: null, display: 'Peanuts', note: 'anaphylaxis' },
      ],
      medications: [
        { code: 'A10BA02', system: 'http://www.whocc.no/atc', display: 'Metformin', note: '500 mg twice daily' },
        { code: null, system: null, display: 'Herbal tea (local remedy)' },
      ],
    };
    expect(updated).toMatchObject(expected);
    expect(await ok('getPatient', { patientId: updated.id })).toMatchObject(expected);
    expect((await ok('searchPatients', { query: 'amina' }))[0]).toMatchObject(expected);

    const event = t.app.session.require().store.audit.list({ limit: 1 })[0]!;
    expect(event).toMatchObject({ action: 'patient.lists.update' });
    expect(JSON.parse(event.detail as string)).toEqual({
      patientId: updated.id,
      noKnownAllergies: false,
      allergies: ['J01C', 'uncoded'],
      medications: ['A10BA02', 'uncoded'],
    });
    // Free text stays out of the trail.
    expect(JSON.stringify(event)).not.toContain('Peanuts');

    const cleared = await ok('updatePatientLists', { patientId: updated.id, noKnownAllergies: true, allergies: [], medications: [] });
    expect(cleared).toMatchObject({ noKnownAllergies: true, allergies: [], medications: [] });
  });

  it('refuses a code outside the list, an uncoded entry without text, and allergies beside "none known"', async () => {
    const patient = await ok('createPatient', { name: 'Grace Okafor', birthDate: '1970-01-01', sex: 'female' });
    const base = { patientId: patient.id, noKnownAllergies: false, allergies: [], medications: [] };
    expect(await fails('updatePatientLists', { ...base, medications: [{ code: 'Z99ZZ99' }] })).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'medications',
    });
    expect(await fails('updatePatientLists', { ...base, allergies: [{ code: null }] })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await fails('updatePatientLists', { ...base, noKnownAllergies: true, allergies: [{ code: 'J01C' }] })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await ok('getPatient', { patientId: patient.id })).toMatchObject({ allergies: [], medications: [] });
  });

  it('the catalogue lists every coded substance with its English and Chinese name, codes unique', async () => {
    const catalogue = await ok('getCatalogue');
    expect(catalogue.substances.length).toBe(substanceCodes.length);
    expect(new Set(catalogue.substances.map((s) => s.code)).size).toBe(substanceCodes.length);
    for (const s of catalogue.substances) {
      expect(s.code).toMatch(/^[A-Z]\d{2}[A-Z0-9]{0,4}$/);
      expect(s.nameZh).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('the lists in the case export', () => {
  beforeAll(() => {
    validateFhir({ resourceType: 'Patient' }, 'full');
  }, 120_000);

  it('FHIR carries AllergyIntolerance and MedicationStatement (schema-valid); the PDF prints both lists', async () => {
    const patient = await patientWithLists();
    const saved = await ok('saveCase', { patientId: patient.id, case: { findings: { cough: 'present' }, vitals: [], labs: [], note: '', modelInputs: {} } });

    const fhir = await ok('exportCase', { caseId: saved.id, format: 'fhir' });
    const bundle = JSON.parse(Buffer.from(fhir.dataBase64, 'base64').toString('utf8')) as FhirBundle;
    expect(validateFhir(bundle, 'full')).toEqual({ valid: true });
    const of = (type: string) => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type) as FhirJson[];
    const allergies = of('AllergyIntolerance');
    expect(allergies.map((a) => a.code)).toEqual([
      { coding: [{ system: 'http://www.whocc.no/atc', code: 'J01C', display: 'Penicillins' }], text: 'Penicillins' },
      { text: 'Peanuts' },
    ]);
    expect(allergies[0]!.reaction).toEqual([{ manifestation: [{ text: 'hives' }] }]);
    expect(allergies[0]!.patient).toEqual({ reference: `urn:uuid:${patient.id}` });
    const meds = of('MedicationStatement');
    expect(meds.map((m) => m.medicationCodeableConcept.text)).toEqual(['Metformin', 'Herbal tea (local remedy)']);
    expect(meds[0]!.dosage).toEqual([{ text: '500 mg twice daily' }]);

    const pdf = await ok('exportCase', { caseId: saved.id, format: 'pdf' });
    const text = (await pdfText(Buffer.from(pdf.dataBase64, 'base64'))).byPage[0]!.replace(/\s+/g, '');
    for (const expected of [
      'Allergiesandcurrentmedications',
      'Penicillins(ATCJ01C):hives',
      'Peanuts(uncoded):anaphylaxis',
      'Metformin(ATCA10BA02):500mgtwicedaily',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('"no known allergies" exports as the SNOMED CT no-known-allergy statement', async () => {
    const patient = await ok('createPatient', { name: 'Kofi Mensah', birthDate: '1970-02-03', sex: 'male' });
    await ok('updatePatientLists', { patientId: patient.id, noKnownAllergies: true, allergies: [], medications: [] });
    const saved = await ok('saveCase', { patientId: patient.id, case: { findings: { cough: 'present' }, vitals: [], labs: [], note: '', modelInputs: {} } });
    const fhir = await ok('exportCase', { caseId: saved.id, format: 'fhir' });
    const bundle = JSON.parse(Buffer.from(fhir.dataBase64, 'base64').toString('utf8')) as FhirBundle;
    const allergies = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'AllergyIntolerance') as FhirJson[];
    expect(allergies).toHaveLength(1);
    expect(allergies[0]!.code.coding[0]).toEqual({ system: 'http://snomed.info/sct', code: '716186003', display: 'No known allergy' });
  });
});

describe('the PDF report in Chinese', () => {
  it('prints its labels and the coded lists in Chinese with the embedded CJK font when asked for zh-CN', async () => {
    const patient = await patientWithLists();
    const saved = await ok('saveCase', { patientId: patient.id, case: { findings: { cough: 'present' }, vitals: [], labs: [], note: '', modelInputs: {} } });
    const pdf = await ok('exportCase', { caseId: saved.id, format: 'pdf', language: 'zh-CN' });
    const bytes = Buffer.from(pdf.dataBase64, 'base64');
    // The font is embedded (a subset of Noto Sans CJK SC), not left to the reader's machine.
    expect(bytes.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
    expect(bytes.toString('latin1')).toContain('/Lang (zh-CN)');
    const text = (await pdfText(bytes)).byPage[0]!.replace(/\s+/g, '');
    for (const expected of [
      'Lantern病例报告',
      '患者与就诊',
      '过敏史与当前用药',
      '青霉素类(ATCJ01C):hives',
      'Peanuts(未编码):anaphylaxis',
      '二甲双胍(ATCA10BA02)',
      '症状与体征',
      '女',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('Patientandencounter');
  });
});
