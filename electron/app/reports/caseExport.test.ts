/**
 * Case export through the dispatcher, as the app and the CLI call it: real cases (Chinese patient
 * name, findings, vitals, labs, risk inputs, a note, images with model runs, decisions, a final
 * diagnosis), exported as FHIR (validated against the official FHIR R4 JSON schema) and as PDF
 * (text read back with pdf.js), each export audited with the chain head from before its own event.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { CaseDetail, CaseExport, ImageModelResult, ImageSummary, Patient, Result } from '../../contract/ipcContract';
import { validateFhir } from './fhirSchemaValidation';
import type { FhirBundle, FhirResource } from './fhirBundleTypes';
import { lanternSystems } from './caseFhirBundle';
import { exportCaseFile } from './caseExportService';
import { collectCaseExport } from './caseExportSnapshot';
import { renderReportImages } from './reportImages';
import { decodeSuggestionOutput, encodeSuggestionOutput } from '../../../db/repositories/suggestionRepository';
import { appPerTest, dispatchTestClient, ran } from '../testing/dispatchTestClient';
import { pdfText } from '../testing/pdfText';
import type { FhirJson } from '../testing/fhirJson';
import { birthDateForAge, chestXrayPng } from '../testing/imagingTestImages';

const t = appPerTest();

async function call<T>(method: string, payload: unknown): Promise<Result<T>> {
  return (await t.app.call(method, payload)) as Result<T>;
}
const { ok } = dispatchTestClient(() => t.app);

const patientName = '张伟 (Nguyễn Văn An)';
/** A child: the pneumonia model answers only for ages 1-5 (its training population). */
const birthDate = birthDateForAge(3);

async function makeCase(): Promise<{ patient: Patient; saved: CaseDetail; image: ImageSummary }> {
  const patient = await ok('createPatient', { name: patientName, birthDate, sex: 'male' });
  const saved = await ok('saveCase', {
    patientId: patient.id,
    case: {
      findings: { cough: 'present', high_fever: 'present', breathlessness: 'present', itching: 'absent', chills: 'unknown' },
      modelInputs: { 'heart-disease': { trestbps: 150, chol: 260, thalach: 120 } },
      vitals: [
        { code: 'temperature', value: 39.2 },
        { code: 'heartRate', value: 112 },
        { code: 'systolicBp', value: 150 },
      ],
      labs: [
        { loinc: '26464-8', value: 14.2 },
        { loinc: '1988-5', value: 9.5 },
      ],
      note: '患者自述咳嗽一周，伴发热。 Productive cough for a week.',
    },
  });
  const image = await ok('attachImage', { caseId: saved.id, fileName: '胸片.png', dataBase64: chestXrayPng().toString('base64') });
  return { patient, saved, image };
}

async function addDecisions(saved: CaseDetail, imageRun: ImageModelResult): Promise<CaseDetail> {
  const top = saved.differential!.items[0]!;
  const second = saved.differential!.items[1]!;
  await ok('recordDecision', {
    caseId: saved.id,
    suggestionId: saved.suggestionId!,
    label: top.label,
    action: 'accept',
    reason: '符合临床表现 — fits the picture',
  });
  await ok('recordDecision', { caseId: saved.id, suggestionId: saved.suggestionId!, label: second.label, action: 'reject', reason: 'no travel history' });
  await ok('recordDecision', { caseId: saved.id, suggestionId: imageRun.suggestionId, label: 'pneumonia', action: 'defer', reason: 'await radiologist' });
  return ok('recordFinalDiagnosis', { caseId: saved.id, label: top.displayName, icd10: top.icd10?.code ?? 'J18.9' });
}

const decodeExport = (e: CaseExport) => Buffer.from(e.dataBase64, 'base64');

function lastAuditEvent() {
  const { store } = t.app.session.require();
  return store.audit.list({ limit: 1 })[0]!;
}

beforeEach(async () => {
  await ok('setup', { displayName: 'Dr 李 Osei', passphrase: 'correct horse' });
});

describe('FHIR export', () => {
  beforeAll(() => {
    // Compile the full official schema once, outside the tests' own time limits.
    validateFhir({ resourceType: 'Patient' }, 'full');
  }, 120_000);

  it('exports a bundle that passes the official FHIR R4 schema and carries the whole case', async () => {
    const { patient, saved, image } = await makeCase();
    const imageRun = ran(await ok('runImageModel', { imageId: image.id, modelId: 'pneumonia-xray' }));
    const detail = await addDecisions(saved, imageRun);

    const exported = await ok('exportCase', { caseId: saved.id, format: 'fhir' });
    expect(exported).toMatchObject({
      mediaType: 'application/fhir+json',
      fileName: expect.stringMatching(/^lantern-case-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.fhir\.json$/),
    });
    const bytes = decodeExport(exported);
    expect(exported.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const bundle = JSON.parse(bytes.toString('utf8')) as FhirBundle;

    const verdict = validateFhir(bundle, 'full');
    expect(verdict).toEqual({ valid: true });

    // Every reference points at an entry of the bundle.
    const fullUrls = new Set(bundle.entry.map((e) => e.fullUrl));
    const refs = JSON.stringify(bundle).match(/"reference":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(fullUrls).toContain(r.slice('"reference":"'.length, -1));

    const of = (type: string) => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type) as (FhirResource & FhirJson)[];
    expect(of('Patient')).toEqual([expect.objectContaining({ id: patient.id, name: [{ text: patientName }], gender: 'male', birthDate })]);
    expect(of('Encounter')[0]).toMatchObject({ id: saved.id, status: 'finished', period: { start: saved.createdAt } });

    const observations = of('Observation');
    const cough = observations.find((o) => o.code.coding[0].system === lanternSystems.symptom && o.code.coding[0].code === 'cough')!;
    expect(cough.valueCodeableConcept.coding).toContainEqual({ system: 'http://snomed.info/sct', code: '52101004', display: 'Present' });
    const itching = observations.find((o) => o.code.coding[0].code === 'itching')!;
    expect(itching.valueCodeableConcept.coding).toContainEqual({ system: lanternSystems.findingState, code: 'absent' });
    const chills = observations.find((o) => o.code.coding[0].code === 'chills')!;
    expect(chills.dataAbsentReason.coding[0].code).toBe('unknown');
    const temperature = observations.find((o) => o.code.coding[0].system === 'http://loinc.org' && o.code.coding[0].code === '8310-5')!;
    expect(temperature).toMatchObject({
      category: [{ coding: [{ code: 'vital-signs' }] }],
      valueQuantity: { value: 39.2, unit: '°C', system: 'http://unitsofmeasure.org', code: 'Cel' },
    });
    const crp = observations.find((o) => o.code.coding[0].code === '1988-5')!;
    expect(crp).toMatchObject({ category: [{ coding: [{ code: 'laboratory' }] }], valueQuantity: { value: 9.5, unit: 'mg/dL' } });

    const note = of('DocumentReference')[0]!;
    expect(Buffer.from(note.content[0].attachment.data, 'base64').toString('utf8')).toBe(saved.note);

    const [condition] = of('Condition');
    expect(condition).toMatchObject({
      verificationStatus: { coding: [{ code: 'confirmed' }] },
      code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: detail.finalDiagnosis!.icd10 }], text: detail.finalDiagnosis!.label },
    });

    const assessments = of('RiskAssessment');
    const differential = assessments.find((r) => r.method.coding[0].code === 'symptom-differential')!;
    expect(differential.prediction.map((p: { probabilityDecimal: number }) => p.probabilityDecimal)).toEqual(
      saved.differential!.items.map((i) => i.probability),
    );
    expect(differential.prediction[0].rationale).toContain('Cough (present)');
    expect(differential.identifier[0].value).toBe(`urn:uuid:${saved.suggestionId}`);
    expect(differential.note.map((n: { text: string }) => n.text)).toEqual([expect.stringContaining('accept'), expect.stringContaining('reject "')]);
    const heart = saved.differential!.riskAssessments.find((r) => r.modelId === 'heart-disease')!;
    if (heart.status === 'ran')
      expect(assessments.find((r) => r.method.coding[0].code === 'heart-disease')!.prediction[0].probabilityDecimal).toBe(heart.probability);
    const xray = assessments.find((r) => r.method.coding[0].code === 'pneumonia-xray')!;
    expect(xray.basis).toEqual([{ reference: `urn:uuid:${image.id}` }]);
    expect(xray.note[0].text).toContain('defer "pneumonia": await radiologist');

    const devices = of('Device');
    expect(devices.map((d) => d.deviceName[0].name)).toEqual(expect.arrayContaining(['symptom-differential', 'pneumonia-xray']));
    const xrayDevice = devices.find((d) => d.deviceName[0].name === 'pneumonia-xray')!;
    expect(xrayDevice).toMatchObject({ identifier: [{ value: imageRun.modelSha256 }], version: [{ value: imageRun.modelVersion }] });
    // the free-text classifier's reading of the note is a suggestion of the case too, named with its version
    const noteDevice = devices.find((d) => d.deviceName[0].name === 'symptom-text')!;
    expect(noteDevice).toMatchObject({ identifier: [{ value: saved.complaintSuggestion!.modelSha256 }], type: { text: 'Lantern free-text note classifier' } });

    const [provenance] = of('Provenance');
    expect(provenance!.target).toHaveLength(bundle.entry.length - 1);
    expect(provenance!.agent).toContainEqual(expect.objectContaining({ who: { reference: `urn:uuid:${xrayDevice.id}` } }));
    const headEntity = provenance!.entity.find(
      (e: { what: { identifier?: { system: string } } }) => e.what.identifier?.system === lanternSystems.auditChainHead,
    );
    expect(headEntity.what.identifier.value).toBe(`${exported.chainHead!.seq}:${exported.chainHead!.hash}`);

    // The export's own event follows the head the file quotes, and records the file's sha256.
    const event = lastAuditEvent();
    expect(event).toMatchObject({ seq: exported.auditSeq, action: 'case.export', encounter_id: saved.id, prev_hash: exported.chainHead!.hash });
    expect(event.seq).toBe(exported.chainHead!.seq + 1);
    expect(JSON.parse(event.detail)).toMatchObject({ format: 'fhir', sha256: exported.sha256, chainHead: exported.chainHead });
    expect(t.app.session.require().store.audit.verifyChain()).toMatchObject({ intact: true, head: event.hash });
  });

  it('a broken bundle fails the schema, and the problem names the entry', async () => {
    const { saved } = await makeCase();
    const bundle = JSON.parse(decodeExport(await ok('exportCase', { caseId: saved.id, format: 'fhir' })).toString('utf8')) as FhirBundle;
    expect(validateFhir(bundle, 'full').valid).toBe(true);
    const broken = (mutate: (b: FhirBundle & FhirJson) => void, scope: 'full' | 'exported' = 'full') => {
      const copy = structuredClone(bundle) as FhirBundle & FhirJson;
      mutate(copy);
      return validateFhir(copy, scope);
    };
    const patientIndex = bundle.entry.findIndex((e) => e.resource.resourceType === 'Patient');
    const gender = broken((b) => (b.entry[patientIndex]!.resource['gender'] = 'femail'));
    expect(gender.valid).toBe(false);
    if (!gender.valid) expect(gender.problems.join('\n')).toContain(`/entry/${patientIndex}/resource(Patient)/gender`);
    const extra = broken((b) => (b.entry.find((e) => e.resource.resourceType === 'Observation')!.resource['severity'] = 'high'));
    expect(extra.valid).toBe(false);
    if (!extra.valid) expect(extra.problems.join('\n')).toMatch(/Observation.*must NOT have additional properties \(severity\)/);
    const probability = broken(
      (b) => ((b.entry.find((e) => e.resource.resourceType === 'RiskAssessment')!.resource['prediction'] as FhirJson[])[0]!.probabilityDecimal = '0.4'),
    );
    expect(probability.valid).toBe(false);
    // The narrowed schema the app checks each export with gives the same verdicts.
    expect(validateFhir(bundle).valid).toBe(true);
    expect(broken((b) => (b.entry[patientIndex]!.resource['gender'] = 'femail'), 'exported').valid).toBe(false);
    expect(broken((b: FhirJson) => (b['type'] = 'pile')).valid).toBe(false);
    expect(broken((b) => b.entry.push({ fullUrl: 'urn:uuid:x', resource: { resourceType: 'Medicine', id: 'x' } })).valid).toBe(false);
  });

  it('exports by any role, refuses an unknown case or format', async () => {
    const { saved } = await makeCase();
    await ok('addUser', { displayName: 'Auditor Ana', login: 'ana', role: 'auditor', passphrase: 'auditor passphrase' });
    await ok('unlock', { login: 'ana', passphrase: 'auditor passphrase' });
    const exported = await ok('exportCase', { caseId: saved.id, format: 'fhir' });
    const bundle = JSON.parse(decodeExport(exported).toString('utf8')) as FhirBundle;
    expect(
      bundle.entry
        .map((e) => e.resource)
        .filter((r) => r.resourceType === 'Practitioner')
        .map((p) => (p['name'] as { text: string }[])[0]!.text),
    ).toContain('Auditor Ana');
    expect(lastAuditEvent()).toMatchObject({ action: 'case.export', user_id: t.app.session.require().user.id });

    expect(await call('exportCase', { caseId: '00000000-0000-4000-8000-000000000000', format: 'fhir' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await call('exportCase', { caseId: saved.id, format: 'docx' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'format' } });
  });
});

describe('PDF report', () => {
  it('prints the case, decisions, models, overlays and chain head, with the Chinese name as text', async () => {
    const { saved, image } = await makeCase();
    const xray = ran(await ok('runImageModel', { imageId: image.id, modelId: 'pneumonia-xray' }));
    // The vessel model declines a chest X-ray: nothing stored, so nothing of it in the report.
    expect(await ok('runImageModel', { imageId: image.id, modelId: 'retina-vessels' })).toMatchObject({ abstained: { code: 'OUT_OF_SCOPE' } });
    const detail = await addDecisions(saved, xray);

    const exported = await ok('exportCase', { caseId: saved.id, format: 'pdf' });
    expect(exported).toMatchObject({ mediaType: 'application/pdf', fileName: expect.stringMatching(/\.pdf$/) });
    const bytes = decodeExport(exported);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(exported.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));

    const { pages, text } = await pdfText(bytes);
    expect(pages).toBeGreaterThanOrEqual(2);
    // Line breaks inside table cells drop spaces in extraction: compare without whitespace.
    const squash = (x: string) => x.replace(/\s+/g, '');
    const flat = squash(text);
    for (const expected of [
      patientName,
      birthDate,
      saved.id,
      'Breathlessness, Cough, High fever',
      'Body temperature',
      '39.2 °C',
      'C-reactive protein',
      '患者自述咳嗽一周，伴发热。',
      saved.differential!.items[0]!.displayName,
      '符合临床表现 — fits the picture',
      'await radiologist',
      detail.finalDiagnosis!.label,
      saved.differential!.modelSha256,
      xray.modelSha256,
      'symptom-differential/model-card.md',
      exported.chainHead!.hash,
      `seq ${exported.chainHead!.seq}`,
      'its sha256 matches the stored run',
      'page 1 of',
    ]) {
      expect(flat).toContain(squash(expected));
    }
    expect(flat).not.toContain('□');
    expect(flat).not.toContain('retina-vessels');

    // The stored image and one overlay per model run are embedded as images.
    const imageObjects = bytes.toString('latin1').match(/\/Subtype \/Image/g) ?? [];
    expect(imageObjects.length).toBeGreaterThanOrEqual(2);

    const event = lastAuditEvent();
    expect(event).toMatchObject({ action: 'case.export', seq: exported.chainHead!.seq + 1, prev_hash: exported.chainHead!.hash });
    expect(JSON.parse(event.detail)).toMatchObject({
      format: 'pdf',
      sha256: exported.sha256,
      overlays: [{ suggestionId: xray.suggestionId, status: 'verified' }],
    });
  });

  it('draws an overlay only when the re-run reproduces the stored sha256', async () => {
    const { saved, image } = await makeCase();
    await ok('runImageModel', { imageId: image.id, modelId: 'pneumonia-xray' });
    const { store, user } = t.app.session.require();
    const run = store.db.prepare(`SELECT id, output, output_deflated FROM suggestions WHERE model_id = 'pneumonia-xray'`).get() as {
      id: string;
      output: string;
      output_deflated: Buffer | null;
    };
    const { outputDeflated } = encodeSuggestionOutput({ ...(decodeSuggestionOutput(run) as object), overlaySha256: '0'.repeat(64) });
    store.db.prepare('UPDATE suggestions SET output_deflated = ? WHERE id = ?').run(outputDeflated, run.id);
    const snapshot = collectCaseExport(store, t.app.models(), saved.id, user, new Date());
    const [rendered] = await renderReportImages(store, snapshot.images);
    expect(rendered!.png).not.toBeNull();
    expect(rendered!.overlays).toEqual([
      expect.objectContaining({ status: 'not-reproduced', png: null, message: expect.stringContaining('not the stored 000000000000') }),
    ]);
  });

  it('prints a case without images, decisions or note, and marks characters the font lacks', async () => {
    const patient = await ok('createPatient', { name: 'Ṭhakur \u{1F600}', birthDate: '2000-02-29', sex: 'unknown' });
    const saved = await ok('saveCase', { patientId: patient.id, case: { findings: { itching: 'present' }, vitals: [], labs: [], note: '' } });
    const { text } = await pdfText(decodeExport(await ok('exportCase', { caseId: saved.id, format: 'pdf' })));
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('No images attached.');
    expect(flat).toContain('No final diagnosis recorded.');
    expect(flat).toContain('□hakur □');
    expect(flat).toContain('2 character(s) the report font cannot draw');
  });
});

describe('export and the audit chain', () => {
  it('draws the file again when an event is audited while it is drawn, so its event follows the quoted head', async () => {
    const { saved } = await makeCase();
    const actor = t.app.session.require();
    const pending = exportCaseFile(actor, t.app.models(), saved.id, 'pdf');
    // Runs while the export awaits its drawing: the head it first read is no longer the last event.
    await ok('getCase', { caseId: saved.id });
    const file = await pending;
    const events = actor.store.audit.list({ encounterId: saved.id, limit: 2 });
    expect(events.map((e) => e.action)).toEqual(['case.export', 'case.read']);
    expect(file.chainHead).toEqual({ seq: events[1]!.seq, hash: events[1]!.hash });
    expect(events[0]!.prev_hash).toBe(file.chainHead!.hash);
  });
});
