import { describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../contract/ipcContract';
import {
  buildCaseFhirBundle,
  caseRefs,
  decisionNotes,
  differentialResources,
  encounterResource,
  finalDiagnosisCondition,
  findingObservations,
  modelDevices,
  noteDocumentReference,
  patientResource,
  practitionerResources,
  provenanceResource,
} from './caseFhirBundle';
import type { CaseExportSnapshot } from './caseExportSnapshot';

const detail: CaseDetail = {
  id: 'case-1',
  patientId: 'pat-1',
  createdAt: '2026-03-01T09:00:00.000Z',
  findings: { fever: 'present', cough: 'absent', rash: 'unknown' },
  vitals: [],
  labs: [],
  note: '',
  modelInputs: {},
  differential: null,
  suggestionId: null,
  images: [],
  decisions: [],
  finalDiagnosis: null,
};

function snapshot(over: Partial<CaseExportSnapshot> = {}, caseOver: Partial<CaseDetail> = {}): CaseExportSnapshot {
  return {
    exportId: 'export-1',
    exportedAt: '2026-03-02T10:00:00.000Z',
    exportedBy: { id: 'admin-1', displayName: 'Admin', login: 'admin', role: 'admin' },
    patient: {
      id: 'pat-1',
      name: 'Ana Lima',
      birthDate: '1980-05-01',
      sex: 'female',
      createdAt: '2026-01-01T00:00:00.000Z',
      noKnownAllergies: false,
      allergies: [],
      medications: [],
    },
    detail: { ...detail, ...caseOver },
    clinician: { id: 'doc-1', displayName: 'Dr Osei' },
    differentialCreatedAt: null,
    vitals: [],
    labs: [],
    finalDiagnosisTitle: null,
    suggestionModels: {},
    images: [],
    models: [{ id: 'heart-disease', version: '2.0.0', sha256: 'ab'.repeat(32), card: 'cards/heart-disease.md', use: 'risk' }],
    chain: { intact: true, events: 4, head: { seq: 4, hash: 'cd'.repeat(32) }, firstBrokenSeq: null, reason: null, checkedAt: '2026-03-02T10:00:00.000Z' },
    ...over,
  };
}

/** Dr Osei accepts the Malaria suggestion. */
const malariaAccepted: CaseDetail['decisions'][number] = {
  suggestionId: 'sg-1',
  label: 'Malaria',
  action: 'accept',
  reason: null,
  userId: 'doc-1',
  userName: 'Dr Osei',
  createdAt: '2026-03-01T09:05:00.000Z',
};

describe('caseFhirBundle pieces', () => {
  it('names the patient and each person who acted once (clinician, decider, recorder, exporter)', () => {
    const s = snapshot(
      {},
      {
        decisions: [malariaAccepted],
        finalDiagnosis: { label: 'Malaria', icd10: 'B54', recordedBy: 'doc-2', recordedByName: 'Dr Ruiz', recordedAt: '2026-03-01T10:00:00.000Z' },
      },
    );
    expect(patientResource(s)).toMatchObject({ resourceType: 'Patient', id: 'pat-1', gender: 'female', birthDate: '1980-05-01' });
    expect(practitionerResources(s).map((p) => p.id)).toEqual(['doc-1', 'doc-2', 'admin-1']);
    expect(encounterResource(s, caseRefs(s))).toMatchObject({ id: 'case-1', participant: [{ individual: { reference: 'urn:uuid:doc-1' } }] });
  });

  it('writes present and absent findings as SNOMED values and an unknown one as data absent, with stable ids', () => {
    const s = snapshot();
    const { resources, findingIds } = findingObservations(s, caseRefs(s));
    expect(resources).toHaveLength(3);
    const byId = new Map(resources.map((r) => [r.id, r]));
    expect(byId.get(findingIds['fever']!)).toMatchObject({ valueCodeableConcept: { coding: [{ code: '52101004' }, { code: 'present' }] } });
    expect(byId.get(findingIds['cough']!)).toMatchObject({ valueCodeableConcept: { coding: [{ code: '2667000' }, { code: 'absent' }] } });
    expect(byId.get(findingIds['rash']!)).toHaveProperty('dataAbsentReason');
    expect(findingObservations(s, caseRefs(s)).findingIds).toEqual(findingIds);
  });

  it('leaves out what the case does not have: an empty note, a differential, a final diagnosis', () => {
    const s = snapshot();
    const refs = caseRefs(s);
    expect(noteDocumentReference(s, refs)).toBeNull();
    expect(differentialResources(s, refs, {}, modelDevices(s), decisionNotes(s))).toEqual([]);
    expect(finalDiagnosisCondition(s, refs)).toBeNull();
    const withNote = snapshot({}, { note: 'Fever for 3 days.' });
    const doc = noteDocumentReference(withNote, caseRefs(withNote)) as unknown as { content: { attachment: { data: string } }[] };
    expect(Buffer.from(doc.content[0]!.attachment.data, 'base64').toString('utf8')).toBe('Fever for 3 days.');
  });

  it('keeps only the decisions on the given suggestion (and labels) as notes', () => {
    const s = snapshot(
      {},
      {
        decisions: [
          malariaAccepted,
          { suggestionId: 'sg-1', label: 'heart-disease', action: 'defer', reason: null, userId: null, userName: null, createdAt: '2026-03-01T09:06:00.000Z' },
          {
            suggestionId: 'sg-2',
            label: 'Pneumonia',
            action: 'reject',
            reason: 'clear film',
            userId: 'doc-1',
            userName: 'Dr Osei',
            createdAt: '2026-03-01T09:07:00.000Z',
          },
        ],
      },
    );
    const notesFor = decisionNotes(s);
    expect(notesFor('sg-1')).toHaveLength(2);
    expect(notesFor('sg-1', (l) => l !== 'heart-disease')).toEqual([
      { authorReference: { reference: 'urn:uuid:doc-1' }, time: '2026-03-01T09:05:00.000Z', text: expect.stringContaining('Malaria') },
    ]);
    expect(notesFor('sg-1', (l) => l === 'heart-disease')[0]).toMatchObject({ authorString: 'unknown user' });
  });

  it('refers a model run to its Device by id and artefact hash only', () => {
    const devices = modelDevices(snapshot());
    expect(devices.devices).toHaveLength(1);
    expect(devices.deviceRef('heart-disease', 'ab'.repeat(32))).toEqual({ reference: `urn:uuid:${devices.devices[0]!.id}` });
    expect(devices.deviceRef('heart-disease', 'ef'.repeat(32))).toBeUndefined();
  });

  it('names every other entry, the devices and the chain head in the Provenance, last in the bundle', () => {
    const s = snapshot();
    const bundle = buildCaseFhirBundle(s);
    const resources = bundle.entry.map((e) => e.resource);
    const provenance = resources.at(-1)!;
    expect(provenance).toEqual(provenanceResource(s, resources.slice(0, -1), modelDevices(s)));
    expect((provenance['target'] as unknown[]).length).toBe(resources.length - 1);
    expect(JSON.stringify(provenance)).toContain(`4:${'cd'.repeat(32)}`);
    expect(resources.map((r) => r.resourceType)).toEqual([
      'Patient',
      'Practitioner',
      'Practitioner',
      'Encounter',
      'Observation',
      'Observation',
      'Observation',
      'Device',
      'Provenance',
    ]);
  });
});
