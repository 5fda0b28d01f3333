/**
 * Everything a case export shows, read once from the store: the case as the app shows it, its
 * patient and clinician, the image-model runs, the models involved and the audit chain head. Both
 * the FHIR bundle and the PDF report are drawn from this one snapshot, so they cannot disagree.
 */
import { imageRemoval } from '../../../db/repositories/imageRepository';
import { randomUUID } from 'node:crypto';
import type { AuditChainStatus, CaseDetail, ImageMeasurement, ImageSummary, Patient, UserSummary, VitalCode } from '../../contract/ipcContract';
import { imageModelIds } from '../../contract/ipcContract';
import { recordNotFound } from '../../../db/dbErrors';
import type { CaseStore } from '../../../db/caseStore';
import { readCase, isDifferentialOutput } from '../cases/caseService';
import type { ClinicalModels } from '../diagnosis/diagnosisService';
import type { ImageModelId } from '../imaging/imagingService';
import { verifyAuditChain } from '../accountability/auditService';
import { listImageMeasurements } from '../imaging/imageMeasurementService';

/** English names of the vital signs, as the LOINC long names read (report and FHIR display). */
export const vitalNames: Record<VitalCode, string> = {
  temperature: 'Body temperature',
  heartRate: 'Heart rate',
  respiratoryRate: 'Respiratory rate',
  systolicBp: 'Systolic blood pressure',
  diastolicBp: 'Diastolic blood pressure',
  spo2: 'Oxygen saturation',
  weight: 'Body weight',
};

export interface ExportedImageRun {
  suggestionId: string;
  modelId: ImageModelId;
  modelVersion: string;
  modelSha256: string;
  createdAt: string;
  probabilities: Record<string, number> | null;
  /** The stored run keeps the overlay's sha256 only; the report re-runs the model to redraw it. */
  overlaySha256: string;
  overlayMeaning: 'saliency' | 'vessel-probability';
}

export interface ExportedImage {
  summary: ImageSummary;
  mediaType: string;
  runs: ExportedImageRun[];
  /** Length and ROI measurements kept with the image, oldest first. */
  measurements: ImageMeasurement[];
}

export interface ModelReference {
  id: string;
  version: string;
  sha256: string;
  /** Model card, relative to the models folder. */
  card: string;
  use: 'differential' | 'risk' | 'imaging' | 'note';
}

export interface ExportedMeasurement {
  code: string;
  loinc: string;
  name: string;
  value: number;
  unit: string;
  flag: string;
}

export interface CaseExportSnapshot {
  exportId: string;
  exportedAt: string;
  exportedBy: UserSummary;
  patient: Patient;
  detail: CaseDetail;
  clinician: { id: string; displayName: string } | null;
  differentialCreatedAt: string | null;
  vitals: ExportedMeasurement[];
  labs: ExportedMeasurement[];
  /** ICD-10-CM title of the final diagnosis code, where the conditions file knows it. */
  finalDiagnosisTitle: string | null;
  /** Which model made each suggestion a decision refers to. */
  suggestionModels: Record<string, { modelId: string; modelVersion: string; modelSha256: string }>;
  images: ExportedImage[];
  models: ModelReference[];
  /** Verified before the export's own audit event is appended: that event follows this head. */
  chain: AuditChainStatus;
}

function isImageModelId(id: string): id is ImageModelId {
  return (imageModelIds as readonly string[]).includes(id);
}

function cardOf(models: ClinicalModels, id: string, sha256: string): string {
  try {
    const d = models.registry.describe(id);
    if (d.sha256 === sha256) return d.card;
  } catch {
    // Not a forest model (imaging) or no longer installed: the naming rule still gives the card.
  }
  return `${id}/model-card.md`;
}

export function collectCaseExport(store: CaseStore, models: ClinicalModels, caseId: string, exportedBy: UserSummary, now: Date): CaseExportSnapshot {
  const record = store.cases.get(caseId);
  if (!record) throw recordNotFound('case', caseId);
  const detail = readCase(store, caseId);
  const patient = store.patients.get(record.patientId);
  if (!patient) throw recordNotFound('patient', record.patientId);
  const clinicianRecord = record.clinicianId === null ? undefined : store.users.get(record.clinicianId);

  const suggestions = store.suggestions.listForEncounter(caseId);
  const suggestionModels: CaseExportSnapshot['suggestionModels'] = {};
  for (const s of suggestions) suggestionModels[s.id] = { modelId: s.modelId, modelVersion: s.modelVersion, modelSha256: s.artefactSha256 };
  const differentialSuggestion = suggestions.find((s) => s.id === detail.suggestionId && isDifferentialOutput(s.output));

  const runsByImage = new Map<string, ExportedImageRun[]>();
  for (const s of suggestions) {
    if (!isImageModelId(s.modelId)) continue;
    const input = s.inputSnapshot as { imageId: string };
    const output = s.output as { probabilities: Record<string, number> | null; overlaySha256: string; overlayMeaning: ExportedImageRun['overlayMeaning'] };
    const runs = runsByImage.get(input.imageId) ?? [];
    runs.push({
      suggestionId: s.id,
      modelId: s.modelId,
      modelVersion: s.modelVersion,
      modelSha256: s.artefactSha256,
      createdAt: s.createdAt,
      probabilities: output.probabilities,
      overlaySha256: output.overlaySha256,
      overlayMeaning: output.overlayMeaning,
    });
    runsByImage.set(input.imageId, runs);
  }
  const images = store.images
    .listForEncounter(caseId)
    .filter((r) => imageRemoval(r) === undefined)
    .map((r) => ({
      summary: detail.images.find((i) => i.id === r.id)!,
      mediaType: r.mediaType,
      runs: runsByImage.get(r.id) ?? [],
      measurements: listImageMeasurements({ store, user: exportedBy }, r.id),
    }));

  const modelRefs = new Map<string, ModelReference>();
  const addModel = (id: string, version: string, sha256: string, use: ModelReference['use']) =>
    modelRefs.set(`${id}@${sha256}`, { id, version, sha256, card: cardOf(models, id, sha256), use });
  const differential = detail.differential;
  if (differential) {
    addModel(differential.modelId, differential.modelVersion, differential.modelSha256, 'differential');
    for (const r of differential.riskAssessments) if (r.status === 'ran') addModel(r.modelId, r.modelVersion, r.modelSha256, 'risk');
  }
  for (const image of images) for (const run of image.runs) addModel(run.modelId, run.modelVersion, run.modelSha256, 'imaging');
  const complaint = detail.complaintSuggestion;
  if (complaint) addModel(complaint.modelId, complaint.modelVersion, complaint.modelSha256, 'note');

  const vitalDefs = new Map(models.catalogue.vitals.map((v) => [v.code, v]));
  const labDefs = new Map(models.catalogue.labs.map((l) => [l.loinc, l]));
  const conditions = differential ? (models.registry.conditions(differential.modelId) ?? []) : [];
  const finalIcd = detail.finalDiagnosis?.icd10 ?? null;

  return {
    exportId: randomUUID(),
    exportedAt: now.toISOString(),
    exportedBy,
    patient,
    detail,
    clinician: clinicianRecord ? { id: clinicianRecord.id, displayName: clinicianRecord.displayName } : null,
    differentialCreatedAt: differentialSuggestion?.createdAt ?? null,
    vitals: detail.vitals.map((v) => ({
      code: v.code,
      loinc: vitalDefs.get(v.code)?.loinc ?? record.vitals.find((r) => r.code === v.code)?.loinc ?? '',
      name: vitalNames[v.code] ?? v.code,
      value: v.value,
      unit: v.unit,
      flag: v.flag,
    })),
    labs: detail.labs.map((l) => ({
      code: l.loinc,
      loinc: l.loinc,
      name: labDefs.get(l.loinc)?.name ?? `LOINC ${l.loinc}`,
      value: l.value,
      unit: l.unit,
      flag: l.flag,
    })),
    finalDiagnosisTitle: finalIcd === null ? null : (conditions.find((c) => c.icd10?.code === finalIcd)?.icd10?.title ?? null),
    suggestionModels,
    images,
    models: [...modelRefs.values()],
    chain: verifyAuditChain(store, now),
  };
}
