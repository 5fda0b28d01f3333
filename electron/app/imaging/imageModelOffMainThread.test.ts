/**
 * Issue 14: imaging models run in a worker thread with a time budget (as note analysis does), so
 * other requests are answered while an image is analysed, and a run over its budget is TIMED_OUT
 * without stopping the app.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImageModelResult, ImageSummary } from '../../contract/ipcContract';
import { appPerTest, dispatchTestClient } from '../testing/dispatchTestClient';
import { birthDateForAge, chestXrayPng } from '../testing/imagingTestImages';
import * as imagingModels from '../../../models/runtime/imaging/imagingModels';
import { runImageModel } from './imagingService';
import { createImageModelRunner } from './imageModelRunner';

const t = appPerTest(() => ({ scheduleBackups: false }));

afterEach(() => {
  vi.restoreAllMocks();
});

const { ok } = dispatchTestClient(() => t.app);

/** A child's case with a chest X-ray attached, scaled up so each run is real work. */
async function childXray(scale: number): Promise<ImageSummary> {
  await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
  const child = await ok('createPatient', { name: 'Lin Mei', birthDate: birthDateForAge(3), sex: 'female' });
  const saved = await ok('saveCase', { patientId: child.id, case: { findings: { cough: 'present' }, vitals: [], labs: [], note: '' } });
  return ok('attachImage', { caseId: saved.id, fileName: 'cxr.png', dataBase64: chestXrayPng(0, scale).toString('base64') });
}

describe('imaging models off the main thread', () => {
  it('runs the model in the worker and answers other requests while images are analysed', async () => {
    const image = await childXray(16);
    // Anything the main thread ran of the model would show here.
    const onMain = vi.spyOn(imagingModels, 'classifyPneumonia');
    let pending = 4;
    const runs = Array.from({ length: 4 }, () => ok('runImageModel', { imageId: image.id, modelId: 'pneumonia-xray' }).finally(() => (pending -= 1)));
    const latencies: number[] = [];
    while (pending > 0 && latencies.length < 40) {
      const started = performance.now();
      await ok('sessionStatus');
      await ok('searchPatients', { query: 'lin' });
      latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
    const results = await Promise.all(runs);
    expect(onMain).not.toHaveBeenCalled();
    for (const r of results) expect(r).toMatchObject({ overlay: { width: 28 * 16, height: 28 * 16, meaning: 'saliency' } });
    // Answered while the runs were still in flight, promptly.
    expect(latencies.length).toBeGreaterThan(0);
    const sorted = [...latencies].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]!).toBeLessThan(100);
  }, 120_000);

  it('answers TIMED_OUT for a run over its budget, and the next run starts a fresh worker', async () => {
    const image = await childXray(4);
    const actor = t.app.session.require();
    const tight = createImageModelRunner(1);
    try {
      await expect(runImageModel(actor, image.id, 'pneumonia-xray', new Date(), tight)).rejects.toMatchObject({ name: 'LanternError', code: 'TIMED_OUT' });
    } finally {
      tight.close();
    }
    const fresh = createImageModelRunner();
    try {
      const result = (await runImageModel(actor, image.id, 'pneumonia-xray', new Date(), fresh)) as ImageModelResult;
      expect(result.probabilities?.['pneumonia']).toEqual(expect.any(Number));
    } finally {
      fresh.close();
    }
  }, 120_000);
});
