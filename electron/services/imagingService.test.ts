/**
 * Images through the dispatcher: intake refuses unreadable files without touching the case, frames
 * come back for the viewer, and model runs are stored as suggestions carrying the image's sha256.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { createAppServices } from './appServices';
import type { AppServices } from './appServices';
import type { CaseDetail, ImageFrame, ImageModelResult, ImageSummary, Patient, Result } from '../contract/ipcContract';
import { makeTempDir, testKdf } from '../../db/testing/tmpStore';
import { dispatchTestClient } from './testing/dispatchTestClient';

const dicomDir = resolve(__dirname, '../../../shared/data/dicom');
let dir: string;
let cleanup: () => void;
let app: AppServices;
let caseId: string;

async function call<T>(method: string, payload: unknown): Promise<Result<T>> {
  return (await app.call(method, payload)) as Result<T>;
}
const { ok } = dispatchTestClient(() => app);

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
  ({ dir, cleanup } = makeTempDir());
  app = createAppServices({ dbPath: join(dir, 'lantern.db'), kdf: testKdf });
  await ok('setup', { displayName: 'Dr Osei', passphrase: 'correct horse' });
  const patient = await ok<Patient>('createPatient', { name: 'Ana Lima', birthDate: '1990-01-01', sex: 'female' });
  const saved = await ok<CaseDetail>('saveCase', { patientId: patient.id, case: { findings: { cough: 'present' }, vitals: [], labs: [], note: '' } });
  caseId = saved.id;
});
afterEach(() => {
  app.close();
  cleanup();
});

describe('image intake and models', () => {
  it('attaches a photograph, serves its frame, runs the vessel model and stores the suggestion', async () => {
    const bytes = fundusLikePng(96, 80);
    const image = await ok<ImageSummary>('attachImage', { caseId, fileName: 'fundus.png', dataBase64: bytes.toString('base64') });
    expect(image).toMatchObject({ kind: 'png', width: 96, height: 80, frames: 1, sha256: createHash('sha256').update(bytes).digest('hex') });
    const frame = await ok<ImageFrame>('getImageFrame', { imageId: image.id, frame: 0 });
    expect(frame).toMatchObject({ width: 96, height: 80, channels: 3 });
    expect(Buffer.from(frame.pixelsBase64, 'base64').length).toBe(96 * 80 * 3 * 4);
    const result = await ok<ImageModelResult>('runImageModel', { imageId: image.id, modelId: 'retina-vessels' });
    expect(result).toMatchObject({ modelId: 'retina-vessels', imageSha256: image.sha256, probabilities: null, overlay: { width: 96, height: 80, meaning: 'vessel-probability' } });
    expect(Buffer.from(result.overlay.dataBase64, 'base64').length).toBe(96 * 80);
    const detail = await ok<CaseDetail>('getCase', { caseId });
    expect(detail.images.map((i) => i.id)).toEqual([image.id]);
    const { store } = app.session.require();
    const stored = store.suggestions.listForEncounter(caseId).find((s) => s.modelId === 'retina-vessels');
    expect(stored?.inputSnapshot).toMatchObject({ imageSha256: image.sha256 });
  });

  it('classifies a chest image with pneumonia-xray and returns a saliency overlay of the image size', async () => {
    const image = await ok<ImageSummary>('attachImage', { caseId, fileName: 'cxr.png', dataBase64: fundusLikePng(64, 64).toString('base64') });
    const result = await ok<ImageModelResult>('runImageModel', { imageId: image.id, modelId: 'pneumonia-xray' });
    const p = result.probabilities!;
    expect(p['pneumonia']! + p['normal']!).toBeCloseTo(1, 6);
    expect(result.overlay).toMatchObject({ width: 64, height: 64, meaning: 'saliency' });
  });

  it('refuses a file that is not an image, naming it, and keeps the case intact', async () => {
    const r = await call('attachImage', { caseId, fileName: 'notes.txt', dataBase64: Buffer.from('hello, not an image').toString('base64') });
    expect(r).toMatchObject({ ok: false, error: { code: 'IMAGE_UNREADABLE', message: expect.stringContaining('notes.txt') } });
    expect((await ok<CaseDetail>('getCase', { caseId })).images).toEqual([]);
  });

  describe.skipIf(!existsSync(dicomDir))('DICOM (needs ../shared/data)', () => {
    it('attaches an MR DICOM with its header, and refuses a truncated one with a specific error', async () => {
      const mr = readFileSync(join(dicomDir, 'MR_small.dcm'));
      const image = await ok<ImageSummary>('attachImage', { caseId, fileName: 'MR_small.dcm', dataBase64: mr.toString('base64') });
      expect(image).toMatchObject({ kind: 'dicom', width: 64, height: 64, frames: 1 });
      const frame = await ok<ImageFrame>('getImageFrame', { imageId: image.id, frame: 0 });
      expect(frame.header['Modality']).toBe('MR');
      const bad = await call('attachImage', { caseId, fileName: 'MR_truncated.dcm', dataBase64: readFileSync(join(dicomDir, 'MR_truncated.dcm')).toString('base64') });
      expect(bad).toMatchObject({ ok: false, error: { code: 'IMAGE_UNREADABLE', message: expect.stringMatching(/truncated/i) } });
      expect((await ok<CaseDetail>('getCase', { caseId })).images.map((i) => i.fileName)).toEqual(['MR_small.dcm']);
    });
  });
});
