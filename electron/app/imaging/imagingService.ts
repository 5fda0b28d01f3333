/**
 * Images on a case: intake (decode first, so an unreadable file is refused before anything is
 * stored), frames for the viewer, and the imaging models with their overlays. Every model run is
 * stored as a suggestion carrying the image's sha256.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ImageFrame, ImageKind, ImageModelAbstention, ImageModelResult, ImageSummary } from '../../contract/ipcContract';
import { recordNotFound } from '../../../db/dbErrors';
import { imageRemoval, type ImageRecord } from '../../../db/repositories/imageRepository';
import { LanternError } from '../serviceErrors';
import type { CaseStore } from '../../../db/caseStore';
import { decodeDicom } from './dicomDecode';
import { dicomPatientMismatches, patientMismatchMessage, type PatientMismatch } from './dicomPatientCheck';
import { decodeImageFile, sniffImageKind } from './imageDecode';
import type { ImageContext } from '../../../models/runtime/imaging/imageAssessment';
import type { Actor } from '../actor';
import { ageInYears } from '../diagnosis/diagnosisService';
import { type ImageModelId } from './imageModelCompute';
import { sharedImageModelRunner, type ImageModelRunner } from './imageModelRunner';

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function toImageSummary(r: ImageRecord): ImageSummary {
  const m = r.metadata as { kind: ImageKind; width: number; height: number; frames: number };
  return {
    id: r.id,
    caseId: r.encounterId,
    fileName: r.fileName,
    kind: m.kind,
    sha256: r.sha256,
    width: m.width,
    height: m.height,
    frames: m.frames,
    createdAt: r.createdAt,
  };
}

const mediaTypes: Record<ImageKind, string> = { dicom: 'application/dicom', png: 'image/png', jpeg: 'image/jpeg', tiff: 'image/tiff' };

/** PatientIDs of the DICOM files already attached to any case of `patientId`. */
function knownDicomPatientIds(store: CaseStore, patientId: string): string[] {
  return (
    store.cases
      .listForPatient(patientId)
      .flatMap((c) => store.images.listForEncounter(c.id))
      // an image removed as attached by mistake says nothing about this patient
      .filter((r) => imageRemoval(r) === undefined)
      .map((r) => (r.metadata as { header?: Record<string, string> }).header?.['PatientID'] ?? '')
      .filter((id) => id !== '')
  );
}

/**
 * Stores an image on a case. A DICOM file whose patient fields disagree with the case's patient is
 * stopped (PATIENT_MISMATCH, audited as image.attach.stopped) unless `confirmPatientMismatch`;
 * a confirmed attach records the differences in its audit line.
 */
export async function attachImage(
  { store, user }: Actor,
  caseId: string,
  fileName: string,
  bytes: Uint8Array,
  now = new Date(),
  confirmPatientMismatch = false,
): Promise<ImageSummary> {
  const encounter = store.cases.get(caseId);
  if (!encounter) throw recordNotFound('case', caseId);
  const kind = sniffImageKind(bytes, fileName);
  let width: number;
  let height: number;
  let frames = 1;
  let header: Record<string, string> = {};
  let mismatches: PatientMismatch[] = [];
  if (kind === 'dicom') {
    const set = decodeDicom(bytes, fileName);
    set.frame(0); // decode now: a file whose pixels cannot be decoded is refused at intake
    ({ columns: width, rows: height, frames, header } = set);
    const patient = store.patients.get(encounter.patientId);
    mismatches = patient ? dicomPatientMismatches(header, patient, knownDicomPatientIds(store, encounter.patientId)) : [];
    if (mismatches.length > 0 && !confirmPatientMismatch) {
      const stopped = mismatches;
      store.transaction(() =>
        store.audit.append({
          at: now.toISOString(),
          userId: user.id,
          action: 'image.attach.stopped',
          encounterId: caseId,
          detail: { sha256: sha256(bytes), fileName, mismatches: stopped },
        }),
      );
      throw new LanternError('PATIENT_MISMATCH', patientMismatchMessage(fileName, mismatches), { file: fileName });
    }
  } else {
    ({ width, height } = await decodeImageFile(bytes, fileName));
  }
  const record: ImageRecord = {
    id: randomUUID(),
    encounterId: caseId,
    sha256: sha256(bytes),
    mediaType: mediaTypes[kind],
    fileName,
    metadata: { kind, width, height, frames, header },
    createdAt: now.toISOString(),
  };
  store.transaction(() => {
    store.images.insert(record, bytes);
    store.audit.append({
      at: record.createdAt,
      userId: user.id,
      action: 'image.attach',
      encounterId: caseId,
      detail: { imageId: record.id, sha256: record.sha256, fileName, ...(mismatches.length > 0 ? { patientMismatchConfirmed: mismatches } : {}) },
    });
  });
  return toImageSummary(record);
}

/**
 * Takes an image attached by mistake off its case: hidden from the case, its model runs and its
 * reports; the file stays in the database for the audit trail (audited image.remove with the reason).
 */
export function removeImage({ store, user }: Actor, imageId: string, reason: string, now = new Date()): { imageId: string; removedAt: string } {
  const record = store.images.get(imageId);
  if (!record || imageRemoval(record) !== undefined) throw recordNotFound('image', imageId);
  const at = now.toISOString();
  store.transaction(() => {
    store.images.markRemoved(imageId, { at, userId: user.id, reason });
    store.audit.append({
      at,
      userId: user.id,
      action: 'image.remove',
      encounterId: record.encounterId,
      detail: { imageId, sha256: record.sha256, fileName: record.fileName, reason },
    });
  });
  return { imageId, removedAt: at };
}

function loadImage(store: CaseStore, imageId: string): { record: ImageRecord; bytes: Buffer } {
  const record = store.images.get(imageId);
  const bytes = store.images.content(imageId);
  if (!record || !bytes) throw recordNotFound('image', imageId);
  return { record, bytes };
}

function valueRange(values: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return Number.isFinite(min) ? { min, max } : { min: 0, max: 1 };
}

export async function getImageFrame(actor: Actor, imageId: string, frame: number): Promise<ImageFrame> {
  const { record, bytes } = loadImage(actor.store, imageId);
  const kind = (record.metadata as { kind: ImageKind }).kind;
  if (kind !== 'dicom') {
    if (frame !== 0) throw recordNotFound('frame', `${imageId}#${frame}`);
    return photoFrame(imageId, record, bytes);
  }
  const set = decodeDicom(bytes, record.fileName);
  if (frame >= set.frames) throw recordNotFound('frame', `${imageId}#${frame}`);
  const stored = set.frame(frame);
  // Viewer values are modality values: stored × slope + intercept (Hounsfield units for CT).
  const pixels = new Float32Array(stored.stored.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = stored.stored[i]! * set.rescaleSlope + set.rescaleIntercept;
  const { min, max } = valueRange(pixels);
  return {
    imageId,
    frame,
    frames: set.frames,
    width: stored.width,
    height: stored.height,
    channels: stored.channels,
    pixelsBase64: Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength).toString('base64'),
    windowCenter: set.windowCenter ?? (min + max) / 2,
    windowWidth: set.windowWidth ?? Math.max(max - min, 1),
    invert: set.photometric === 'MONOCHROME1',
    header: set.header,
  };
}

/** Photographs are already display values in [0, 1]; the window covers that range. */
async function photoFrame(imageId: string, record: ImageRecord, bytes: Buffer): Promise<ImageFrame> {
  const image = await decodeImageFile(bytes, record.fileName);
  const pixels = Float32Array.from(image.data);
  return {
    imageId,
    frame: 0,
    frames: 1,
    width: image.width,
    height: image.height,
    channels: image.channels,
    pixelsBase64: Buffer.from(pixels.buffer).toString('base64'),
    windowCenter: 0.5,
    windowWidth: 1,
    invert: false,
    header: {},
  };
}

export type { ImageModelId } from './imageModelCompute';

/**
 * Runs an imaging model on a stored image without recording anything (the auditor's re-run and
 * reports use it too). The work runs in the image model worker, off the main thread.
 */
export async function computeImageModel(store: CaseStore, imageId: string, modelId: ImageModelId, runner: ImageModelRunner = sharedImageModelRunner()) {
  const { record, bytes } = loadImage(store, imageId);
  const outcome = await runner.run({ modelId, bytes: new Uint8Array(bytes), fileName: record.fileName, context: null });
  const computed = outcome.computed!;
  return { record, image: outcome.image, ...computed, overlaySha256: sha256(computed.overlay) };
}

/** What the input rules need beyond the pixels: the DICOM tags kept at intake and the case's patient (age, sex). */
function imageContext(store: CaseStore, record: ImageRecord, now: Date): ImageContext {
  const context: ImageContext = {};
  const meta = record.metadata as { kind: ImageKind; header?: Record<string, string> };
  if (meta.kind === 'dicom') context.dicom = meta.header ?? {};
  const patient = store.patients.get(store.cases.get(record.encounterId)?.patientId ?? '');
  if (patient) {
    context.patient = {
      ...(/^\d{4}-\d{2}-\d{2}$/.test(patient.birthDate) ? { ageYears: ageInYears(patient.birthDate, now) } : {}),
      ...(patient.sex === 'female' || patient.sex === 'male' ? { sex: patient.sex } : {}),
    };
  }
  return context;
}

/**
 * Runs an imaging model on a case's image and stores its output as a suggestion, unless the image is
 * outside the model's scope or distribution: then nothing is stored as a suggestion (so nothing
 * reaches reports), the abstention is audited, and the caller shows "not analysable: <reason>".
 */
export async function runImageModel(
  { store, user }: Actor,
  imageId: string,
  modelId: ImageModelId,
  now = new Date(),
  runner: ImageModelRunner = sharedImageModelRunner(),
): Promise<ImageModelResult | ImageModelAbstention> {
  const loaded = loadImage(store, imageId);
  // Decode, input rules, distribution check and the model in one trip to the worker.
  const outcome = await runner.run({
    modelId,
    bytes: new Uint8Array(loaded.bytes),
    fileName: loaded.record.fileName,
    context: imageContext(store, loaded.record, now),
  });
  const assessment = outcome.assessment!;
  if (assessment.abstained !== null) {
    const abstained = assessment.abstained;
    store.transaction(() =>
      store.audit.append({
        at: now.toISOString(),
        userId: user.id,
        action: 'model.abstain',
        encounterId: loaded.record.encounterId,
        modelId,
        detail: {
          imageId,
          imageSha256: loaded.record.sha256,
          code: abstained.code,
          message: abstained.message,
          ...(assessment.distance !== undefined ? { distance: assessment.distance, threshold: assessment.threshold } : {}),
        },
      }),
    );
    return { imageId, imageSha256: loaded.record.sha256, modelId, abstained };
  }
  const { record } = loaded;
  const { image } = outcome;
  const { model, probabilities, overlay, meaning } = outcome.computed!;
  const overlaySha256 = sha256(overlay);
  const at = now.toISOString();
  const suggestionId = randomUUID();
  store.transaction(() => {
    store.suggestions.insert({
      id: suggestionId,
      encounterId: record.encounterId,
      modelId,
      modelVersion: model.version,
      artefactSha256: model.sha256,
      inputSnapshot: { imageId, imageSha256: record.sha256, fileName: record.fileName },
      output: { probabilities, overlaySha256, overlayMeaning: meaning },
      createdAt: at,
      createdBy: user.id,
    });
    store.audit.append({
      at,
      userId: user.id,
      action: 'model.run',
      encounterId: record.encounterId,
      modelId,
      modelVersion: model.version,
      modelSha256: model.sha256,
      detail: { imageId, imageSha256: record.sha256, suggestionId },
    });
  });
  return {
    suggestionId,
    imageId,
    imageSha256: record.sha256,
    modelId,
    modelVersion: model.version,
    modelSha256: model.sha256,
    probabilities,
    overlay: { width: image.width, height: image.height, dataBase64: Buffer.from(overlay).toString('base64'), meaning },
  };
}
