import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainingDataByModel } from './trainingDataLicences';
import { loadModelRegistry } from '../runtime/registry';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'artefacts', 'manifest.json'), 'utf8')) as {
  models: { id: string; trainingData?: unknown }[];
};

describe('training data and licences in the manifest', () => {
  it('every model declares its training data as the table says (run `npm run build:licences` after training)', () => {
    for (const m of manifest.models) expect(m.trainingData, m.id).toEqual(trainingDataByModel[m.id]);
  });

  it('the registry hands every model, whatever its kind, to the catalogue with its licence', () => {
    const models = loadModelRegistry().manifestModels();
    expect(models.map((m) => m.id).sort()).toEqual(manifest.models.map((m) => m.id).sort());
    expect(models.find((m) => m.id === 'diabetes-onset')?.trainingData?.clinicalUse).toBe(false);
    expect(models.find((m) => m.id === 'pneumonia-xray')?.kind).toBe('onnx');
  });
});
