/**
 * Length and ROI measurements kept with the image: the app decodes the frame itself and computes
 * the values from the stored pixels and the header's spacing, so what is stored, re-drawn and
 * printed is the app's figure, not whatever a client sent. Adding and removing are audited on the case.
 */
import { randomUUID } from 'node:crypto';
import type { ImageMeasurement } from '../../contract/ipcContract';
import type { ImageMeasurementRecord } from '../../../db/repositories/imageMeasurementRepository';
import type { CaseStore } from '../../../db/caseStore';
import { getImageFrame } from './imagingService';
import { headerSpacing } from '../../contract/pixelSpacing';
import { measuredLength, regionStats } from './measurementMath';
import { recordNotFound } from '../../../db/dbErrors';
import { LanternError } from '../serviceErrors';
import type { Actor } from '../actor';

type AddRequest = Pick<ImageMeasurement, 'imageId' | 'frame' | 'kind' | 'a' | 'b'>;

function toView(store: CaseStore, r: ImageMeasurementRecord): ImageMeasurement {
  const result = r.result as Pick<ImageMeasurement, 'length' | 'roi' | 'spacingSource'>;
  return {
    id: r.id,
    imageId: r.imageId,
    frame: r.frame,
    kind: r.kind,
    a: r.a,
    b: r.b,
    length: result.length,
    roi: result.roi,
    spacingSource: result.spacingSource,
    createdAt: r.createdAt,
    createdByName: r.createdBy === null ? null : (store.users.get(r.createdBy)?.displayName ?? null),
  };
}

export function listImageMeasurements({ store }: Actor, imageId: string): ImageMeasurement[] {
  if (!store.images.get(imageId)) throw recordNotFound('image', imageId);
  return store.measurements.listForImage(imageId).map((r) => toView(store, r));
}

export async function addImageMeasurement(actor: Actor, request: AddRequest, now = new Date()): Promise<ImageMeasurement> {
  const { store, user } = actor;
  const image = store.images.get(request.imageId);
  if (!image) throw recordNotFound('image', request.imageId);
  const frame = await getImageFrame(actor, request.imageId, request.frame);
  const pixels = new Float32Array(new Uint8Array(Buffer.from(frame.pixelsBase64, 'base64')).buffer);
  const spacing = headerSpacing(frame.header);
  const roi = request.kind === 'roi' ? regionStats(pixels, frame.width, frame.height, frame.channels, request.a, request.b, spacing) : null;
  if (request.kind === 'roi' && roi === null)
    throw new LanternError('VALIDATION_FAILED', 'The region holds no whole pixel of the image; draw it over the image.', { field: 'b' });
  const record: ImageMeasurementRecord = {
    id: randomUUID(),
    imageId: request.imageId,
    frame: request.frame,
    kind: request.kind,
    a: request.a,
    b: request.b,
    result: { length: request.kind === 'length' ? measuredLength(request.a, request.b, spacing) : null, roi, spacingSource: spacing?.source ?? null },
    createdAt: now.toISOString(),
    createdBy: user.id,
  };
  store.transaction(() => {
    store.measurements.insert(record);
    store.audit.append({
      at: record.createdAt,
      userId: user.id,
      action: 'image.measure',
      encounterId: image.encounterId,
      detail: { imageId: image.id, measurementId: record.id, kind: record.kind, frame: record.frame },
    });
  });
  return toView(store, record);
}

export function removeImageMeasurement({ store, user }: Actor, measurementId: string, now = new Date()): { measurementId: string; removedAt: string } {
  const m = store.measurements.get(measurementId);
  if (!m) throw recordNotFound('measurement', measurementId);
  const image = store.images.get(m.imageId)!;
  const removedAt = now.toISOString();
  store.transaction(() => {
    store.measurements.markRemoved(measurementId, removedAt, user.id);
    store.audit.append({
      at: removedAt,
      userId: user.id,
      action: 'image.measure.remove',
      encounterId: image.encounterId,
      detail: { imageId: image.id, measurementId },
    });
  });
  return { measurementId, removedAt };
}
