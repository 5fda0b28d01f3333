/**
 * Measurements kept with the image, through the dispatcher: the app computes them from the stored
 * pixels and PixelSpacing (a DICOM written here with known values), lists them again on a fresh
 * call, audits add and remove, and prints them in the PDF report.
 */
import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../contract/ipcContract';
import { signedInAppPerTest } from '../testing/dispatchTestClient';
import { pdfText } from '../testing/pdfText';
import { imageElements, le16, writeDicom } from './dicomWriter';

const t = signedInAppPerTest();
const { ok, fails } = t;

/** 8 columns × 4 rows, value = x + 10·y; rows 0.5 mm apart, columns 0.25 mm. */
function spacedDicom(): Uint8Array {
  const values: number[] = [];
  for (let y = 0; y < 4; y++) for (let x = 0; x < 8; x++) values.push(x + 10 * y);
  return writeDicom(imageElements({ rows: 4, columns: 8, pixelData: le16(values), extra: [{ tag: 0x00280030, vr: 'DS', value: '0.5\\0.25' }] }));
}

async function attached(): Promise<ImageSummary> {
  const patient = await ok('createPatient', { name: 'Omar Haddad', birthDate: '1958-11-30', sex: 'male' });
  const saved = await ok('saveCase', { patientId: patient.id, case: { findings: { cough: 'present' }, vitals: [], labs: [], note: '', modelInputs: {} } });
  return ok('attachImage', { caseId: saved.id, fileName: 'spaced.dcm', dataBase64: Buffer.from(spacedDicom()).toString('base64') });
}

describe('image measurements', () => {
  it('computes length in mm and ROI mean/SD from the stored pixels, keeps them, and audits add and remove', async () => {
    const image = await attached();
    const length = await ok('addImageMeasurement', { imageId: image.id, frame: 0, kind: 'length', a: { x: 0, y: 0 }, b: { x: 4, y: 0 } });
    expect(length.length).toEqual({ value: 1, unit: 'mm' });
    expect(length.spacingSource).toBe('PixelSpacing');
    const roi = await ok('addImageMeasurement', { imageId: image.id, frame: 0, kind: 'roi', a: { x: 0, y: 0 }, b: { x: 2, y: 2 } });
    // Pixels 0, 1, 10, 11: mean 5.5, sample SD sqrt(101/3); 2 × 2 px of 0.5 × 0.25 mm.
    expect(roi.roi).toEqual({ count: 4, mean: 5.5, sd: expect.closeTo(Math.sqrt(101 / 3), 6), area: { value: 0.5, unit: 'mm²' } });

    const listed = await ok('listImageMeasurements', { imageId: image.id });
    expect(listed.map((m) => m.id)).toEqual([length.id, roi.id]);
    expect(listed[0]).toMatchObject({ kind: 'length', a: { x: 0, y: 0 }, b: { x: 4, y: 0 }, createdByName: 'Dr Osei' });

    const { store } = t.app.session.require();
    const added = store.audit.list({ limit: 3 }).filter((e) => e.action === 'image.measure');
    expect(added).toHaveLength(2);
    expect(added[0]!.encounter_id).toBe(image.caseId);

    await ok('removeImageMeasurement', { measurementId: length.id });
    expect((await ok('listImageMeasurements', { imageId: image.id })).map((m) => m.id)).toEqual([roi.id]);
    expect(store.audit.list({ limit: 1 })[0]).toMatchObject({ action: 'image.measure.remove', encounter_id: image.caseId });
    expect(await fails('removeImageMeasurement', { measurementId: length.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await fails('addImageMeasurement', { imageId: image.id, frame: 0, kind: 'roi', a: { x: 20, y: 20 }, b: { x: 30, y: 30 } })).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('prints the measurements under their image in the PDF report', async () => {
    const image = await attached();
    await ok('addImageMeasurement', { imageId: image.id, frame: 0, kind: 'length', a: { x: 0, y: 0 }, b: { x: 4, y: 0 } });
    await ok('addImageMeasurement', { imageId: image.id, frame: 0, kind: 'roi', a: { x: 0, y: 0 }, b: { x: 2, y: 2 } });
    const pdf = await ok('exportCase', { caseId: image.caseId, format: 'pdf' });
    const text = (await pdfText(Buffer.from(pdf.dataBase64, 'base64'))).text.replace(/\s+/g, '');
    expect(text).toContain('Measurements(spacingfromPixelSpacing)');
    expect(text).toContain('Length1.0mm');
    expect(text).toContain('Regionmean5.5,SD5.8(4pixels,0.5mm²)');
  });
});
