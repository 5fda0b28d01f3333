/**
 * loadModelRegistry(dir, {only}): a one-model command reads and verifies that model alone; the
 * manifest is still checked whole, the loaded model still by its sha256.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { loadModelRegistry, ModelIntegrityError, ModelNotLoadedError, UnknownModelError } from './registry';

const modelsDir = path.resolve(__dirname, '..', 'artefacts');
const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, 'manifest.json'), 'utf8')) as {
  models: { id: string; kind: string; artefact: string; files?: { path: string }[] }[];
};
const forests = manifest.models.filter((m) => m.kind === 'random-forest');

const tmpDirs: string[] = [];
afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** The manifest and every forest's files, copied (imaging and NLP files are not needed here). */
function copyForests(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-registry-only-'));
  tmpDirs.push(dir);
  fs.copyFileSync(path.join(modelsDir, 'manifest.json'), path.join(dir, 'manifest.json'));
  for (const m of forests) {
    for (const rel of [m.artefact, ...(m.files ?? []).map((f) => f.path)]) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.copyFileSync(path.join(modelsDir, rel), path.join(dir, rel));
    }
  }
  return dir;
}

describe('model registry, only the requested models', () => {
  it('loads just the named model, the same as a full registry gives it', () => {
    const only = loadModelRegistry(modelsDir, { only: ['symptom-differential'] });
    const full = loadModelRegistry(modelsDir);
    expect(only.list().map((m) => m.id)).toEqual(['symptom-differential']);
    expect(only.describeAll().map((d) => d.id)).toEqual(['symptom-differential']);
    expect(only.get('symptom-differential').sha256).toBe(full.get('symptom-differential').sha256);
    expect(only.describe('symptom-differential')).toEqual(full.describe('symptom-differential'));
    const x = { itching: 1, skin_rash: 1, nodal_skin_eruptions: 1 };
    expect(only.calibratedDifferential('symptom-differential')!.assess(x)).toEqual(full.calibratedDifferential('symptom-differential')!.assess(x));
  });

  it('refuses a forest of the manifest it did not load, and names every forest for an unknown id', () => {
    const only = loadModelRegistry(modelsDir, { only: ['symptom-differential'] });
    expect(() => only.get('heart-disease')).toThrow(ModelNotLoadedError);
    let err: unknown;
    try {
      only.get('no-such-model');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownModelError);
    for (const m of forests) expect((err as Error).message).toContain(m.id);
  });

  it('still verifies the loaded model (tampered → ModelIntegrityError) and leaves the others unread', () => {
    const dir = copyForests();
    const heart = forests.find((m) => m.id === 'heart-disease')!;
    // Another model broken: not read, so a one-model registry of the symptom model opens.
    fs.rmSync(path.join(dir, heart.artefact));
    expect(() => loadModelRegistry(dir)).toThrow(ModelIntegrityError);
    expect(loadModelRegistry(dir, { only: ['symptom-differential'] }).list()).toHaveLength(1);
    // The requested model's own file altered: refused, naming it.
    const sd = forests.find((m) => m.id === 'symptom-differential')!;
    const file = path.join(dir, sd.artefact);
    const bytes = fs.readFileSync(file);
    const i = bytes.indexOf('"threshold":[0.5');
    bytes[i + 15] = '7'.charCodeAt(0);
    fs.writeFileSync(file, bytes);
    expect(() => loadModelRegistry(dir, { only: ['symptom-differential'] })).toThrow(ModelIntegrityError);
    expect(() => loadModelRegistry(dir, { only: ['symptom-differential'] })).toThrow(/model\.json/);
    // The manifest is checked whole whatever is requested.
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{"models": 1}');
    expect(() => loadModelRegistry(dir, { only: ['heart-disease'] })).toThrow(ModelIntegrityError);
  });
});
