/**
 * The patient's allergies and current medications as FHIR R4 resources: one AllergyIntolerance per
 * allergy (or one "no known allergy" when that was recorded), one MedicationStatement per
 * medication. Coded entries carry their ATC coding; uncoded ones carry only `text`, so a receiver
 * can tell a coded substance from what was typed.
 */
import type { Patient, PatientListEntry } from '../../contract/ipcContract';
import type { FhirResource } from './fhirBundleTypes';

const systems = {
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  snomed: 'http://snomed.info/sct',
} as const;

export interface PatientListsFhirContext {
  subject: object;
  /** Name-based ids, as the rest of the bundle. */
  idOf: (name: string) => string;
}

function codeOf(e: PatientListEntry): object {
  return e.code !== null && e.system !== null ? { coding: [{ system: e.system, code: e.code, display: e.display }], text: e.display } : { text: e.display };
}

function allergy(p: Patient, e: PatientListEntry, i: number, x: PatientListsFhirContext): FhirResource {
  return {
    resourceType: 'AllergyIntolerance',
    id: x.idOf(`${p.id}:allergy:${i}:${e.code ?? e.display}`),
    clinicalStatus: { coding: [{ system: systems.allergyClinical, code: 'active', display: 'Active' }] },
    // Reported by the patient or clinician, not confirmed by a test.
    verificationStatus: { coding: [{ system: systems.allergyVerification, code: 'unconfirmed', display: 'Unconfirmed' }] },
    category: ['medication'],
    code: codeOf(e),
    patient: x.subject,
    ...(e.note ? { reaction: [{ manifestation: [{ text: e.note }] }] } : {}),
  };
}

function medication(p: Patient, e: PatientListEntry, i: number, x: PatientListsFhirContext): FhirResource {
  return {
    resourceType: 'MedicationStatement',
    id: x.idOf(`${p.id}:medication:${i}:${e.code ?? e.display}`),
    status: 'active',
    medicationCodeableConcept: codeOf(e),
    subject: x.subject,
    ...(e.note ? { dosage: [{ text: e.note }] } : {}),
  };
}

export function patientListsFhirResources(p: Patient, x: PatientListsFhirContext): FhirResource[] {
  const out: FhirResource[] = p.allergies.map((e, i) => allergy(p, e, i, x));
  if (p.noKnownAllergies && p.allergies.length === 0) {
    out.push({
      resourceType: 'AllergyIntolerance',
      id: x.idOf(`${p.id}:allergy:none-known`),
      clinicalStatus: { coding: [{ system: systems.allergyClinical, code: 'active', display: 'Active' }] },
      verificationStatus: { coding: [{ system: systems.allergyVerification, code: 'confirmed', display: 'Confirmed' }] },
      code: { coding: [{ system: systems.snomed, code: '716186003', display: 'No known allergy' }], text: 'No known allergy' },
      patient: x.subject,
    });
  }
  out.push(...p.medications.map((e, i) => medication(p, e, i, x)));
  return out;
}
