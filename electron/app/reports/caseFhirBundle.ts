/**
 * A case as a FHIR R4 `collection` Bundle: Patient, Practitioner (clinicians), Encounter,
 * AllergyIntolerances and MedicationStatements (the patient's lists, ATC-coded or text only),
 * Observations (findings with a local symptom code system and SNOMED CT present/absent; vitals and
 * labs with LOINC and UCUM), the note as a DocumentReference, the clinician's final diagnosis as a
 * Condition (ICD-10-CM), the models' output as RiskAssessments (differential, risk models, image
 * classifiers) made by Devices (model id, version, sha256), images as Media (hash, not bytes), and a
 * Provenance naming the clinician, the models and the audit chain head.
 *
 * Entries are addressed by `urn:uuid:` full URLs; ids of stored records are kept, others are
 * name-based UUIDs (RFC 4122 v5) of the case and the item, so re-exporting names things the same.
 */
import { patientListsFhirResources } from './patientListsFhir';
import { createHash } from 'node:crypto';
import { symptomLabel } from '../cases/catalogueService';
import type { CaseExportSnapshot, ExportedMeasurement, ModelReference } from './caseExportSnapshot';
import { contributionList, decisionText, riskContributionList } from './explanationText';
import { triageFhirResources } from './caseTriageFhir';
import type { FhirBundle, FhirResource } from './fhirBundleTypes';

/** Code systems of our own: URNs, because nothing is published where a URL could point. */
export const lanternSystems = {
  symptom: 'urn:lantern:fhir:CodeSystem:symptom',
  findingState: 'urn:lantern:fhir:CodeSystem:finding-state',
  differentialLabel: 'urn:lantern:fhir:CodeSystem:differential-label',
  model: 'urn:lantern:fhir:CodeSystem:model',
  sha256: 'urn:lantern:fhir:NamingSystem:sha256',
  auditChainHead: 'urn:lantern:fhir:NamingSystem:audit-chain-head',
} as const;

const systems = {
  uri: 'urn:ietf:rfc:3986',
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  ucum: 'http://unitsofmeasure.org',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  dataAbsentReason: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  provenanceParticipant: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
} as const;

/** RFC 4122 version 5 (SHA-1, name-based) UUID of `name` in Lantern's export namespace. */
export function nameBasedUuid(name: string): string {
  const h = createHash('sha1').update(`lantern-fhir-export\u0000${name}`, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const ref = (id: string) => ({ reference: `urn:uuid:${id}` });

/** The catalogue's units as UCUM codes (display keeps the catalogue's spelling). */
const ucumCodes: Record<string, string> = {
  '°C': 'Cel',
  '/min': '/min',
  mmHg: 'mm[Hg]',
  '%': '%',
  kg: 'kg',
  'g/dL': 'g/dL',
  fL: 'fL',
  '10*3/uL': '10*3/uL',
  'mmol/L': 'mmol/L',
  'mg/dL': 'mg/dL',
  'U/L': 'U/L',
  'mm/h': 'mm/h',
  'ng/mL': 'ng/mL',
  INR: '{INR}',
  'mU/L': 'm[IU]/L',
};

const interpretations: Record<string, { code: string; display: string }> = {
  normal: { code: 'N', display: 'Normal' },
  low: { code: 'L', display: 'Low' },
  high: { code: 'H', display: 'High' },
  'critical-low': { code: 'LL', display: 'Critical low' },
  'critical-high': { code: 'HH', display: 'Critical high' },
};

/** FHIR `code` values allow single inner spaces only. */
const asCode = (s: string) => s.trim().replace(/\s+/g, ' ');

function measurementObservation(
  s: CaseExportSnapshot,
  m: ExportedMeasurement,
  index: number,
  kind: 'vital' | 'lab',
  subject: object,
  encounter: object,
  performer: object[],
): FhirResource {
  const ucum = ucumCodes[m.unit];
  const interp = interpretations[m.flag];
  const category = kind === 'vital' ? { code: 'vital-signs', display: 'Vital Signs' } : { code: 'laboratory', display: 'Laboratory' };
  return {
    resourceType: 'Observation',
    // A lab may be entered twice (repeat measurement): the position keeps the ids apart.
    id: nameBasedUuid(`${s.detail.id}:${kind}:${index}:${m.loinc}`),
    status: 'final',
    category: [{ coding: [{ system: systems.observationCategory, ...category }] }],
    code: { coding: [{ system: systems.loinc, code: m.loinc, display: m.name }], text: m.name },
    subject,
    encounter,
    effectiveDateTime: s.detail.createdAt,
    ...(performer.length > 0 ? { performer } : {}),
    valueQuantity: { value: m.value, unit: m.unit, ...(ucum ? { system: systems.ucum, code: ucum } : {}) },
    ...(interp ? { interpretation: [{ coding: [{ system: systems.interpretation, ...interp }] }] } : {}),
  };
}

function deviceFor(m: ModelReference): FhirResource {
  const kind =
    m.use === 'imaging' ? 'image model' : m.use === 'risk' ? 'risk model' : m.use === 'note' ? 'free-text note classifier' : 'differential diagnosis model';
  return {
    resourceType: 'Device',
    id: nameBasedUuid(`model:${m.id}:${m.sha256}`),
    identifier: [{ system: lanternSystems.sha256, value: m.sha256 }],
    status: 'active',
    deviceName: [{ name: m.id, type: 'model-name' }],
    type: { coding: [{ system: lanternSystems.model, code: m.id }], text: `Lantern ${kind}` },
    version: [{ value: m.version }],
    note: [{ text: `Model ${m.id} ${m.version}, artefact sha256 ${m.sha256}; model card models/artefacts/${m.card}.` }],
  };
}

type Ref = { reference: string };

/** What every resource of the case points at: the patient, the encounter, the clinician (if known). */
export interface CaseRefs {
  subject: Ref;
  encounter: Ref;
  clinicianRef: Ref[];
}

export function caseRefs(s: CaseExportSnapshot): CaseRefs {
  return { subject: ref(s.patient.id), encounter: ref(s.detail.id), clinicianRef: s.clinician ? [ref(s.clinician.id)] : [] };
}

export function patientResource(s: CaseExportSnapshot): FhirResource {
  return {
    resourceType: 'Patient',
    id: s.patient.id,
    identifier: [{ system: systems.uri, value: `urn:uuid:${s.patient.id}` }],
    name: [{ text: s.patient.name }],
    gender: s.patient.sex,
    birthDate: s.patient.birthDate,
  };
}

/** Everyone who acted on the case appears once as a Practitioner. */
export function practitionerResources(s: CaseExportSnapshot): FhirResource[] {
  const c = s.detail;
  const people = new Map<string, string>();
  if (s.clinician) people.set(s.clinician.id, s.clinician.displayName);
  for (const d of c.decisions) if (d.userId !== null) people.set(d.userId, d.userName ?? d.userId);
  if (c.finalDiagnosis?.recordedBy) people.set(c.finalDiagnosis.recordedBy, c.finalDiagnosis.recordedByName ?? c.finalDiagnosis.recordedBy);
  people.set(s.exportedBy.id, s.exportedBy.displayName);
  return [...people].map(([id, name]) => ({
    resourceType: 'Practitioner',
    id,
    identifier: [{ system: systems.uri, value: `urn:uuid:${id}` }],
    name: [{ text: name }],
  }));
}

export function encounterResource(s: CaseExportSnapshot, { subject }: CaseRefs): FhirResource {
  const c = s.detail;
  return {
    resourceType: 'Encounter',
    id: c.id,
    identifier: [{ system: systems.uri, value: `urn:uuid:${c.id}` }],
    status: 'finished',
    class: { system: systems.actCode, code: 'AMB', display: 'ambulatory' },
    subject,
    ...(s.clinician ? { participant: [{ individual: ref(s.clinician.id) }] } : {}),
    period: { start: c.createdAt },
  };
}

/** One Observation per finding (unknown ones with a data-absent reason), and each finding's id for the differential's basis. */
export function findingObservations(
  s: CaseExportSnapshot,
  { subject, encounter, clinicianRef }: CaseRefs,
): { resources: FhirResource[]; findingIds: Record<string, string> } {
  const c = s.detail;
  const resources: FhirResource[] = [];
  const findingIds: Record<string, string> = {};
  for (const [feature, state] of Object.entries(c.findings)) {
    const id = nameBasedUuid(`${c.id}:finding:${feature}`);
    findingIds[feature] = id;
    const label = symptomLabel(feature);
    const value =
      state === 'unknown'
        ? { dataAbsentReason: { coding: [{ system: systems.dataAbsentReason, code: 'unknown', display: 'Unknown' }] } }
        : {
            valueCodeableConcept: {
              coding: [
                state === 'present'
                  ? { system: systems.snomed, code: '52101004', display: 'Present' }
                  : { system: systems.snomed, code: '2667000', display: 'Absent' },
                { system: lanternSystems.findingState, code: state },
              ],
              text: state,
            },
          };
    resources.push({
      resourceType: 'Observation',
      id,
      status: 'final',
      category: [{ coding: [{ system: systems.observationCategory, code: 'exam', display: 'Exam' }] }],
      code: { coding: [{ system: lanternSystems.symptom, code: asCode(feature), display: label }], text: label },
      subject,
      encounter,
      effectiveDateTime: c.createdAt,
      ...(clinicianRef.length > 0 ? { performer: clinicianRef } : {}),
      ...value,
    });
  }
  return { resources, findingIds };
}

/** The note as a DocumentReference (base64 text), or none for an empty note. */
export function noteDocumentReference(s: CaseExportSnapshot, { subject, encounter, clinicianRef }: CaseRefs): FhirResource | null {
  const c = s.detail;
  if (c.note.trim() === '') return null;
  return {
    resourceType: 'DocumentReference',
    id: nameBasedUuid(`${c.id}:note`),
    status: 'current',
    type: { coding: [{ system: systems.loinc, code: '11506-3', display: 'Progress note' }], text: 'Clinical note' },
    subject,
    date: c.createdAt,
    ...(clinicianRef.length > 0 ? { author: clinicianRef } : {}),
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: Buffer.from(c.note, 'utf8').toString('base64'), title: 'Clinical note' } }],
    context: { encounter: [encounter] },
  };
}

/** The models as Devices, one per id and artefact, and how a model run refers to its Device. */
export interface ModelDevices {
  devices: FhirResource[];
  deviceRef: (id: string, sha256: string) => Ref | undefined;
}

export function modelDevices(s: CaseExportSnapshot): ModelDevices {
  const devices = new Map(s.models.map((m) => [`${m.id}@${m.sha256}`, deviceFor(m)]));
  return {
    devices: [...devices.values()],
    deviceRef: (id, sha256) => {
      const d = devices.get(`${id}@${sha256}`);
      return d ? ref(d.id) : undefined;
    },
  };
}

type DecisionNotes = (suggestionId: string | null, onlyLabel?: (label: string) => boolean) => Record<string, unknown>[];

/** The clinician's decisions on a suggestion (optionally only some labels), as FHIR Annotations. */
export function decisionNotes(s: CaseExportSnapshot): DecisionNotes {
  return (suggestionId, onlyLabel) =>
    s.detail.decisions
      .filter((d) => d.suggestionId === suggestionId && (onlyLabel?.(d.label) ?? true))
      .map((d) => ({
        ...(d.userId !== null ? { authorReference: ref(d.userId) } : { authorString: 'unknown user' }),
        time: d.createdAt,
        text: `Clinician decision: ${decisionText(d)}`,
      }));
}

/**
 * The rules first, as on screen (scores, red flags, the eGFR), then the differential and each risk
 * model that ran as a preliminary RiskAssessment; none without a differential.
 */
export function differentialResources(
  s: CaseExportSnapshot,
  { subject, encounter }: CaseRefs,
  findingIds: Record<string, string>,
  { deviceRef }: ModelDevices,
  notesFor: DecisionNotes,
): FhirResource[] {
  const c = s.detail;
  const differential = c.differential;
  if (!differential) return [];
  const entries: FhirResource[] = [];
  // The rules first, as on screen: scores, red flags and the eGFR before any model's output.
  entries.push(
    ...triageFhirResources(differential, { caseId: c.id, subject, encounter, effective: s.differentialCreatedAt ?? c.createdAt, idOf: nameBasedUuid }),
  );
  const performer = deviceRef(differential.modelId, differential.modelSha256);
  // Decisions on a risk model's result go with that model's RiskAssessment below.
  const riskIds = new Set(differential.riskAssessments.filter((r) => r.status === 'ran').map((r) => r.modelId));
  const notes = notesFor(c.suggestionId, (label) => !riskIds.has(label));
  const basis = Object.entries(c.findings)
    .filter(([, st]) => st !== 'unknown')
    .map(([f]) => ref(findingIds[f]!));
  entries.push({
    resourceType: 'RiskAssessment',
    id: nameBasedUuid(`${c.id}:differential:${c.suggestionId ?? 'none'}`),
    ...(c.suggestionId ? { identifier: [{ system: systems.uri, value: `urn:uuid:${c.suggestionId}` }] } : {}),
    // A model's output is a suggestion for the clinician, never a final assessment.
    status: 'preliminary',
    method: {
      coding: [{ system: lanternSystems.model, code: differential.modelId, display: `${differential.modelId} ${differential.modelVersion}` }],
      text: 'Ranked differential diagnosis from findings',
    },
    subject,
    encounter,
    occurrenceDateTime: s.differentialCreatedAt ?? c.createdAt,
    ...(performer ? { performer } : {}),
    ...(basis.length > 0 ? { basis } : {}),
    // An abstaining differential has no predictions (FHIR arrays are never empty); its reason is a note.
    ...(differential.items.length > 0
      ? {
          prediction: differential.items.map((item) => ({
            outcome: {
              coding: [
                ...(item.icd10 ? [{ system: systems.icd10cm, code: item.icd10.code, display: item.icd10.title }] : []),
                { system: lanternSystems.differentialLabel, code: asCode(item.label), display: item.displayName },
              ],
              text: item.displayName,
            },
            probabilityDecimal: item.probability,
            rationale: `Findings behind it (change in probability): ${contributionList(item)}.`,
          })),
        }
      : {}),
    ...(notes.length > 0 || differential.abstained || differential.coverageWarning
      ? {
          note: [
            ...(differential.abstained ? [{ text: `Not assessed (${differential.abstained.code}): ${differential.abstained.message}` }] : []),
            ...(differential.coverageWarning ? [{ text: differential.coverageWarning.message }] : []),
            ...notes,
          ],
        }
      : {}),
  });
  for (const r of differential.riskAssessments) {
    if (r.status !== 'ran') continue;
    const riskPerformer = deviceRef(r.modelId, r.modelSha256);
    const riskNotes = notesFor(c.suggestionId, (label) => label === r.modelId);
    entries.push({
      resourceType: 'RiskAssessment',
      id: nameBasedUuid(`${c.id}:risk:${c.suggestionId ?? 'none'}:${r.modelId}`),
      status: 'preliminary',
      method: {
        coding: [{ system: lanternSystems.model, code: r.modelId, display: `${r.modelId} ${r.modelVersion}` }],
        text: r.scope ? `Risk model; trained on ${r.scope}` : 'Risk model',
      },
      subject,
      encounter,
      occurrenceDateTime: s.differentialCreatedAt ?? c.createdAt,
      ...(riskPerformer ? { performer: riskPerformer } : {}),
      prediction: [
        {
          outcome: { text: r.positiveLabel },
          probabilityDecimal: r.probability,
          rationale: `Inputs behind it (change in probability): ${riskContributionList(r)}`,
        },
      ],
      ...(r.calibration || riskNotes.length > 0 ? { note: [...(r.calibration ? [{ text: `Calibration: ${r.calibration.summary}` }] : []), ...riskNotes] } : {}),
    });
  }
  return entries;
}

/** Each image as Media (its hash, not its bytes), and each classifier run on it as a RiskAssessment. */
export function imageResources(s: CaseExportSnapshot, { subject, encounter }: CaseRefs, { deviceRef }: ModelDevices, notesFor: DecisionNotes): FhirResource[] {
  const c = s.detail;
  const entries: FhirResource[] = [];
  for (const image of s.images) {
    const img = image.summary;
    entries.push({
      resourceType: 'Media',
      id: img.id,
      identifier: [{ system: lanternSystems.sha256, value: img.sha256 }],
      status: 'completed',
      subject,
      encounter,
      createdDateTime: img.createdAt,
      width: img.width,
      height: img.height,
      frames: img.frames,
      content: { contentType: image.mediaType, title: img.fileName },
      note: [{ text: `Image bytes are not embedded; the sha256 identifies them. ${image.runs.length} model run(s) recorded.` }],
    });
    for (const run of image.runs) {
      // Segmentation gives a map, not a prediction: it is named in the Provenance, not here.
      if (run.probabilities === null) continue;
      const performer = deviceRef(run.modelId, run.modelSha256);
      const notes = notesFor(run.suggestionId);
      entries.push({
        resourceType: 'RiskAssessment',
        id: nameBasedUuid(`${c.id}:image:${run.suggestionId}`),
        identifier: [{ system: systems.uri, value: `urn:uuid:${run.suggestionId}` }],
        status: 'preliminary',
        method: { coding: [{ system: lanternSystems.model, code: run.modelId, display: `${run.modelId} ${run.modelVersion}` }], text: 'Image classifier' },
        subject,
        encounter,
        occurrenceDateTime: run.createdAt,
        ...(performer ? { performer } : {}),
        basis: [ref(img.id)],
        prediction: Object.entries(run.probabilities)
          .sort((a, b) => b[1] - a[1])
          .map(([label, p]) => ({ outcome: { text: label }, probabilityDecimal: p, rationale: `Saliency overlay sha256 ${run.overlaySha256}.` })),
        ...(notes.length > 0 ? { note: notes } : {}),
      });
    }
  }
  return entries;
}

/** The clinician's final diagnosis as a confirmed Condition, or none before one is recorded. */
export function finalDiagnosisCondition(s: CaseExportSnapshot, { subject, encounter }: CaseRefs): FhirResource | null {
  const c = s.detail;
  const final = c.finalDiagnosis;
  if (!final) return null;
  return {
    resourceType: 'Condition',
    id: nameBasedUuid(`${c.id}:final-diagnosis`),
    clinicalStatus: { coding: [{ system: systems.conditionClinical, code: 'active', display: 'Active' }] },
    verificationStatus: { coding: [{ system: systems.conditionVerification, code: 'confirmed', display: 'Confirmed' }] },
    category: [{ coding: [{ system: systems.conditionCategory, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }],
    code: {
      ...(final.icd10
        ? { coding: [{ system: systems.icd10cm, code: final.icd10, ...(s.finalDiagnosisTitle ? { display: s.finalDiagnosisTitle } : {}) }] }
        : {}),
      text: final.label,
    },
    subject,
    encounter,
    ...(final.recordedAt ? { recordedDate: final.recordedAt } : {}),
    ...(final.recordedBy ? { recorder: ref(final.recordedBy) } : {}),
  };
}

/** Who and what made the bundle: the author, the models, the exporting user, and the audit chain head it follows. */
export function provenanceResource(s: CaseExportSnapshot, targets: readonly FhirResource[], { devices }: ModelDevices): FhirResource {
  const participant = (code: string, display: string) => ({ coding: [{ system: systems.provenanceParticipant, code, display }] });
  const head = s.chain.head;
  return {
    resourceType: 'Provenance',
    id: nameBasedUuid(`provenance:${s.exportId}`),
    target: targets.map((e) => ref(e.id)),
    recorded: s.exportedAt,
    activity: { text: 'Lantern case export' },
    agent: [
      ...(s.clinician ? [{ type: participant('author', 'Author'), who: ref(s.clinician.id) }] : []),
      ...devices.map((d) => ({ type: participant('performer', 'Performer'), who: ref(d.id) })),
      { type: participant('assembler', 'Assembler'), who: ref(s.exportedBy.id) },
    ],
    entity: [
      ...devices.map((d) => ({ role: 'source', what: ref(d.id) })),
      {
        role: 'source',
        what: {
          identifier: { system: lanternSystems.auditChainHead, value: head ? `${head.seq}:${head.hash}` : '0:genesis' },
          display: head
            ? `Lantern audit chain head before this export's own event: seq ${head.seq}, sha256 ${head.hash}${s.chain.intact ? '' : ` (chain verification FAILED at seq ${s.chain.firstBrokenSeq}: ${s.chain.reason})`}`
            : 'Lantern audit chain is empty',
        },
      },
    ],
  };
}

export function buildCaseFhirBundle(s: CaseExportSnapshot): FhirBundle {
  const refs = caseRefs(s);
  const findings = findingObservations(s, refs);
  const note = noteDocumentReference(s, refs);
  const models = modelDevices(s);
  const notesFor = decisionNotes(s);
  const final = finalDiagnosisCondition(s, refs);
  const entries: FhirResource[] = [
    patientResource(s),
    ...patientListsFhirResources(s.patient, { subject: refs.subject, idOf: nameBasedUuid }),
    ...practitionerResources(s),
    encounterResource(s, refs),
    ...findings.resources,
    ...s.vitals.map((v, i) => measurementObservation(s, v, i, 'vital', refs.subject, refs.encounter, refs.clinicianRef)),
    ...s.labs.map((l, i) => measurementObservation(s, l, i, 'lab', refs.subject, refs.encounter, refs.clinicianRef)),
    ...(note ? [note] : []),
    ...models.devices,
    ...differentialResources(s, refs, findings.findingIds, models, notesFor),
    ...imageResources(s, refs, models, notesFor),
    ...(final ? [final] : []),
  ];
  entries.push(provenanceResource(s, entries, models));

  return {
    resourceType: 'Bundle',
    id: s.exportId,
    meta: { lastUpdated: s.exportedAt },
    identifier: { system: systems.uri, value: `urn:uuid:${s.exportId}` },
    type: 'collection',
    timestamp: s.exportedAt,
    entry: entries.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
  };
}
