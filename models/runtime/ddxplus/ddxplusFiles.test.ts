import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { resolveModelsDir } from '../common/paths';
import { ModelIntegrityError } from '../registry';
import { loadDdxplusModel } from './ddxplusFiles';

const source = resolveModelsDir(__dirname);
const manifest = JSON.parse(fs.readFileSync(path.join(source, 'manifest.json'), 'utf8')) as { models: { artefact: string; files?: { path: string }[] }[] };
const dirs: string[] = [];

/** A copy of every file the manifest names, in a temporary models folder. */
function copyModels(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-ddx-'));
  dirs.push(dir);
  fs.copyFileSync(path.join(source, 'manifest.json'), path.join(dir, 'manifest.json'));
  for (const m of manifest.models) {
    for (const rel of [m.artefact, ...(m.files ?? []).map((f) => f.path)]) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.copyFileSync(path.join(source, rel), path.join(dir, rel));
    }
  }
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('ddxplus-differential side files', () => {
  it('loads the committed model with its evidences, answer frequencies and scope', () => {
    const model = loadDdxplusModel(copyModels());
    expect(model.labels).toHaveLength(49);
    expect(model.encoder.evidences).toHaveLength(223);
    expect(model.scope.ageYears).toEqual({ min: 0, max: 109 });
    // The fitted temperature (calibration.json) is applied: the committed one sharpens the fractions.
    expect(model.temperature).toBeGreaterThan(0);
    expect(model.temperature).toBeLessThan(1);
  });

  it.each(['evidences.json', 'answer-frequencies.json', 'scope.json', 'calibration.json'])('refuses a tampered %s naming it', (file) => {
    const dir = copyModels();
    const target = path.join(dir, 'ddxplus-differential', file);
    fs.writeFileSync(target, fs.readFileSync(target, 'utf8').replace('"', ' "'));
    expect(() => loadDdxplusModel(dir)).toThrow(ModelIntegrityError);
    expect(() => loadDdxplusModel(dir)).toThrow(file);
  });
});
