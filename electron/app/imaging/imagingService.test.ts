/**
 * Images through the dispatcher: intake refuses unreadable files without touching the case, frames
 * come back for the viewer, and model runs are stored as suggestions carrying the image's sha256.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { toErrorPayload } from '../serviceErrors';
import { ImagingModelIntegrityError, UnknownImagingModelError } from '../../../models/runtime/imaging/imagingModels';
import type { Result } from '../../contract/ipcContract';
import { appPerTest, abstainedOf, dispatchTestClient, ran } from '../testing/dispatchTestClient';
import { birthDateForAge, chestXrayPng, driveImagePath } from '../testing/imagingTestImages';

const dataDir = resolve(__dirname, '../../../../shared/data');
const dicomDir = join(dataDir, 'dicom');
const t = appPerTest();
let caseId: string;

async function call<T>(method: string, payload: unknown): Promise<Result<T>> {
  return (await t.app.call(method, payload)) as Result<T>;
}
const { ok } = dispatchTestClient(() => t.app);

function fundusLikePng(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const vessel = Math.abs(x - y) < 2 || Math.abs(x + y - width) < 2;
      png.data[i] = 180;
      png.data[i + 1] = vessel ? 40 : 120;
      png.data[i + 2] = 60;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

beforeEach(async () => {
  await ok('setup', { displayName: 'Dr Osei', passphrase: 'correct horse' });
  const patient = await ok('createPatient', { name: 'Ana Lima', birthDate: '1990-01-01', sex: 'female' });
  const saved = await ok('saveCase', { patientId: patient.id, case: { findings: { cough: 'present' }, vitals: [], labs: [], note: '' } });
  caseId = saved.id;
});

describe('image intake and models', () => {
  it('attaches a photograph and serves its frame; the vessel model declines a small drawing, storing nothing but the audit line', async () => {
    const bytes = fundusLikePng(96, 80);
    const image = await ok('attachImage', { caseId, fileName: 'fundus.png', dataBase64: bytes.toString('base64') });
    expect(image).toMatchObject({ kind: 'png', width: 96, height: 80, frames: 1, sha256: createHash('sha256').update(bytes).digest('hex') });
    const frame = await ok('getImageFrame', { imageId: image.id, frame: 0 });
    expect(frame).toMatchObject({ width: 96, height: 80, channels: 3 });
    expect(Buffer.from(frame.pixelsBase64, 'base64').length).toBe(96 * 80 * 3 * 4);
    const result = await ok('runImageModel', { imageId: image.id, modelId: 'retina-vessels' });
    expect(result).toEqual({
      imageId: image.id,
      imageSha256: image.sha256,
      modelId: 'retina-vessels',
      abstained: { code: 'OUT_OF_SCOPE', message: expect.stringContaining('565×584') },
    });
    const { store } = t.app.session.require();
    expect(store.suggestions.listForEncounter(caseId).filter((s) => s.modelId === 'retina-vessels')).toEqual([]);
    expect(store.audit.list({ encounterId: caseId, limit: 1 })[0]).toMatchObject({ action: 'model.abstain', model_id: 'retina-vessels' });
  });

  it('classifies a child’s chest X-ray with pneumonia-xray, returns a saliency overlay of the image size and stores the suggestion', async () => {
    const child = await ok('createPatient', { name: 'Lin Mei', birthDate: birthDateForAge(3), sex: 'female' });
    const childCase = await ok('saveCase', { patientId: child.id, case: { findings: { cough: 'present' }, vitals: [], labs: [], note: '' } });
    const image = await ok('attachImage', { caseId: childCase.id, fileName: 'cxr.png', dataBase64: chestXrayPng().toString('base64') });
    const result = ran(await ok('runImageModel', { imageId: image.id, modelId: 'pneumonia-xray' }));
    const p = result.probabilities!;
    expect(p['pneumonia']! + p['normal']!).toBeCloseTo(1, 6);
    expect(result.overlay).toMatchObject({ width: 112, height: 112, meaning: 'saliency' });
    const { store } = t.app.session.require();
    expect(store.suggestions.listForEncounter(childCase.id).find((s) => s.modelId === 'pneumonia-xray')?.inputSnapshot).toMatchObject({
      imageSha256: image.sha256,
    });
  });

  it('declines the same chest X-ray for an adult (trained on children aged 1-5) and a colour photograph, as not analysable', async () => {
    const xray = await ok('attachImage', { caseId, fileName: 'cxr.png', dataBase64: chestXrayPng().toString('base64') });
    const adult = await ok('runImageModel', { imageId: xray.id, modelId: 'pneumonia-xray' });
    expect(abstainedOf(adult)).toEqual({ code: 'OUT_OF_SCOPE', message: expect.stringMatching(/patient is \d+ years old.*children aged 1 to 5/) });
    const photo = await ok('attachImage', { caseId, fileName: 'photo.png', dataBase64: fundusLikePng(64, 64).toString('base64') });
    const colour = await ok('runImageModel', { imageId: photo.id, modelId: 'pneumonia-xray' });
    expect(abstainedOf(colour)).toEqual({ code: 'OUT_OF_SCOPE', message: expect.stringContaining('colour picture') });
    expect(
      t.app.session
        .require()
        .store.suggestions.listForEncounter(caseId)
        .filter((s) => s.modelId === 'pneumonia-xray'),
    ).toEqual([]);
  });

  it('a tampered imaging model is MODEL_INTEGRITY, not INTERNAL', async () => {
    expect(toErrorPayload(new ImagingModelIntegrityError('pneumonia-xray', 'model.onnx', 'a'.repeat(64), 'b'.repeat(64))).code).toBe('MODEL_INTEGRITY');
    expect(toErrorPayload(new UnknownImagingModelError('x', [])).code).toBe('MODEL_INTEGRITY');
  });

  it.skipIf(!existsSync(driveImagePath(dataDir)))(
    'runs the vessel model on a held-out DRIVE photograph and stores the suggestion (needs ../shared/data)',
    async () => {
      const bytes = readFileSync(driveImagePath(dataDir));
      const image = await ok('attachImage', { caseId, fileName: '24_training.tif', dataBase64: bytes.toString('base64') });
      const result = await ok('runImageModel', { imageId: image.id, modelId: 'retina-vessels' });
      expect(result).toMatchObject({
        modelId: 'retina-vessels',
        imageSha256: image.sha256,
        probabilities: null,
        overlay: { width: 565, height: 584, meaning: 'vessel-probability' },
      });
      const stored = t.app.session
        .require()
        .store.suggestions.listForEncounter(caseId)
        .find((s) => s.modelId === 'retina-vessels');
      expect(stored?.inputSnapshot).toMatchObject({ imageSha256: image.sha256 });
    },
  );

  it('removes an image attached by mistake: hidden from the case, file and audit kept, reason required', async () => {
    const image = await ok('attachImage', { caseId, fileName: 'wrong.png', dataBase64: chestXrayPng().toString('base64') });
    expect(await call('removeImage', { imageId: image.id, reason: '  ' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'reason' } });
    const removed = await ok('removeImage', { imageId: image.id, reason: 'another patient’s film' });
    expect(removed.imageId).toBe(image.id);
    expect((await ok('getCase', { caseId })).images).toEqual([]);
    const { store } = t.app.session.require();
    expect(store.images.content(image.id)?.length).toBeGreaterThan(0);
    const event = store.audit.list({ encounterId: caseId, limit: 5 }).find((e) => e.action === 'image.remove')!;
    expect(JSON.parse(event.detail)).toEqual({
      caseSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      imageId: image.id,
      sha256: image.sha256,
      fileName: 'wrong.png',
      reason: 'another patient’s film',
    });
    // removing twice, or an unknown image, is NOT_FOUND
    expect(await call('removeImage', { imageId: image.id, reason: 'again' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses a file that is not an image, naming it, and keeps the case intact', async () => {
    const r = await call('attachImage', { caseId, fileName: 'notes.txt', dataBase64: Buffer.from('hello, not an image').toString('base64') });
    expect(r).toMatchObject({ ok: false, error: { code: 'IMAGE_UNREADABLE', message: expect.stringContaining('notes.txt') } });
    expect((await ok('getCase', { caseId })).images).toEqual([]);
  });

  describe.skipIf(!existsSync(dicomDir))('DICOM (needs ../shared/data)', () => {
    it('attaches an MR DICOM with its header, and refuses a truncated one with a specific error', async () => {
      const mr = readFileSync(join(dicomDir, 'MR_small.dcm'));
      // The file names "CompressedSamples^MR1", not Ana Lima: stopped and audited until confirmed.
      const stopped = await call('attachImage', { caseId, fileName: 'MR_small.dcm', dataBase64: mr.toString('base64') });
      expect(stopped).toMatchObject({
        ok: false,
        error: { code: 'PATIENT_MISMATCH', message: expect.stringContaining('PatientName in the file is "CompressedSamples^MR1"') },
      });
      const { store } = t.app.session.require();
      expect(store.audit.list({ encounterId: caseId, limit: 1 })[0]).toMatchObject({ action: 'image.attach.stopped' });
      expect((await ok('getCase', { caseId })).images).toEqual([]);
      const image = await ok('attachImage', { caseId, fileName: 'MR_small.dcm', dataBase64: mr.toString('base64'), confirmPatientMismatch: true });
      const attachedEvent = store.audit.list({ encounterId: caseId, limit: 5 }).find((e) => e.action === 'image.attach')!;
      expect(JSON.parse(attachedEvent.detail)).toMatchObject({ imageId: image.id, patientMismatchConfirmed: [{ field: 'PatientName' }] });
      expect(image).toMatchObject({ kind: 'dicom', width: 64, height: 64, frames: 1 });
      const frame = await ok('getImageFrame', { imageId: image.id, frame: 0 });
      expect(frame.header['Modality']).toBe('MR');
      const declined = await ok('runImageModel', { imageId: image.id, modelId: 'pneumonia-xray' });
      expect(abstainedOf(declined)).toEqual({ code: 'OUT_OF_SCOPE', message: expect.stringContaining('an MR image (DICOM Modality MR)') });
      const bad = await call('attachImage', {
        caseId,
        fileName: 'MR_truncated.dcm',
        dataBase64: readFileSync(join(dicomDir, 'MR_truncated.dcm')).toString('base64'),
      });
      expect(bad).toMatchObject({ ok: false, error: { code: 'IMAGE_UNREADABLE', message: expect.stringMatching(/truncated/i) } });
      expect((await ok('getCase', { caseId })).images.map((i) => i.fileName)).toEqual(['MR_small.dcm']);
    });
  });
});
