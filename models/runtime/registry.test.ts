import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { FeatureError, loadModelRegistry, ModelIntegrityError, UnknownModelError } from './registry';

const modelsDir = path.resolve(__dirname, '..', 'artefacts');
type Entry = {
  id: string;
  version: string;
  artefact: string;
  sha256: string;
  inputs: unknown[];
  labels: string[];
  files?: { role: string; path: string; sha256: string }[];
};
const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, 'manifest.json'), 'utf8')) as { models: Entry[] };
const entry = manifest.models.find((m) => m.id === 'symptom-differential')!;
const symptomIndex = manifest.models.indexOf(entry);

const tmpDirs: string[] = [];
/** A copy of every file the manifest names (artefacts and extra files), in a temporary models folder. */
function copyModels(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-models-'));
  tmpDirs.push(dir);
  fs.copyFileSync(path.join(modelsDir, 'manifest.json'), path.join(dir, 'manifest.json'));
  for (const m of manifest.models) {
    for (const rel of [m.artefact, ...(m.files ?? []).map((f) => f.path)]) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.copyFileSync(path.join(modelsDir, rel), path.join(dir, rel));
    }
  }
  return dir;
}
afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('model registry', () => {
  it('loads the manifest from the default folder and verifies sha256', () => {
    const reg = loadModelRegistry();
    const bytes = fs.readFileSync(path.join(modelsDir, entry.artefact));
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(entry.sha256).toBe(sha);
    expect(reg.list()).toContainEqual({ id: 'symptom-differential', version: entry.version, sha256: sha });
    const m = reg.get('symptom-differential');
    expect(m.sha256).toBe(sha);
    expect(m.features).toEqual(entry.inputs);
    expect(m.labels).toEqual(entry.labels);
  });

  it('refuses a tampered artefact with ModelIntegrityError naming the file', () => {
    const dir = copyModels();
    const file = path.join(dir, entry.artefact);
    const bytes = fs.readFileSync(file);
    const i = bytes.indexOf('"threshold":[0.5');
    expect(i).toBeGreaterThan(0);
    bytes[i + 15] = '7'.charCodeAt(0); // 0.5 → 0.7: still valid JSON, different model
    fs.writeFileSync(file, bytes);
    let err: unknown;
    try {
      loadModelRegistry(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ModelIntegrityError);
    const mi = err as ModelIntegrityError;
    expect(mi.modelId).toBe('symptom-differential');
    expect(mi.expected).toBe(entry.sha256);
    expect(mi.actual).not.toBe(entry.sha256);
    expect(mi.message).toContain('model.json');
  });

  it('refuses a missing artefact, a missing manifest and a path outside the folder', () => {
    const dir = copyModels();
    fs.rmSync(path.join(dir, entry.artefact));
    expect(() => loadModelRegistry(dir)).toThrow(ModelIntegrityError);
    expect(() => loadModelRegistry(path.join(dir, 'nowhere'))).toThrow(ModelIntegrityError);

    const dir2 = copyModels();
    const m2 = JSON.parse(fs.readFileSync(path.join(dir2, 'manifest.json'), 'utf8')) as typeof manifest;
    m2.models[symptomIndex]!.artefact = '../outside.json';
    fs.writeFileSync(path.join(dir2, 'manifest.json'), JSON.stringify(m2));
    expect(() => loadModelRegistry(dir2)).toThrow(ModelIntegrityError);
  });

  it('refuses a manifest whose inputs disagree with the artefact', () => {
    const dir = copyModels();
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as typeof manifest;
    m.models[symptomIndex]!.inputs = m.models[symptomIndex]!.inputs.slice(1);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
    expect(() => loadModelRegistry(dir)).toThrow(/inputs differ/);
  });

  it('refuses a tampered or missing extra file (conditions.json) naming it', () => {
    const dir = copyModels();
    const cond = entry.files!.find((f) => f.role === 'conditions')!;
    const file = path.join(dir, cond.path);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"severity": 5', '"severity": 4'));
    expect(() => loadModelRegistry(dir)).toThrow(ModelIntegrityError);
    expect(() => loadModelRegistry(dir)).toThrow(/conditions\.json/);
    fs.rmSync(file);
    expect(() => loadModelRegistry(dir)).toThrow(/conditions\.json/);
  });

  it('refuses a manifest input declaration whose nominal values disagree with the artefact encoding', () => {
    const dir = copyModels();
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      models: (Omit<Entry, 'inputs'> & { inputs: { name: string; values?: unknown[] }[] })[];
    };
    const ckd = m.models.find((x) => x.id === 'chronic-kidney-disease')!;
    ckd.inputs.find((i) => i.name === 'rbc')!.values = ['abnormal', 'normal']; // swapped: would silently invert the encoding
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
    expect(() => loadModelRegistry(dir)).toThrow(/rbc/);
  });

  it('describes every model from the manifest; symptom inputs get labels generated from their names', () => {
    const reg = loadModelRegistry(modelsDir);
    // The registry serves the forests of the one manifest; imaging and NLP entries have their own loaders.
    expect(reg.describeAll().map((d) => d.id)).toEqual(manifest.models.filter((m) => (m as { kind?: string }).kind === 'random-forest').map((m) => m.id));
    const sd = reg.describe('symptom-differential');
    expect(sd.task).toBe('differential');
    expect(sd.inputs.map((i) => i.name)).toEqual(entry.inputs);
    expect(sd.inputs.every((i) => i.type === 'binary' && i.label.length > 0)).toBe(true);
    expect(sd.inputs.find((i) => i.name === 'spotting_ urination')!.label).toBe('Spotting urination');
    expect(sd.inputs.find((i) => i.name === 'toxic_look_(typhos)')!.label).toBe('Toxic look (typhos)');
    const heart = reg.describe('heart-disease');
    expect(heart).toMatchObject({ task: 'risk', positiveLabel: 'disease', minInputs: 1, labels: ['disease', 'no_disease'] });
    expect(heart.inputs.find((i) => i.name === 'trestbps')).toMatchObject({ type: 'numeric', unit: 'mmHg', loinc: '8480-6', range: { min: 40, max: 300 } });
    // describe() hands out copies
    heart.inputs[0]!.label = 'changed';
    expect(reg.describe('heart-disease').inputs[0]!.label).toBe('Age');
  });

  it('unknown model id → UnknownModelError', () => {
    expect(() => loadModelRegistry(modelsDir).get('no-such-model')).toThrow(UnknownModelError);
  });

  it('predict gives probabilities over all labels summing to 1', () => {
    const m = loadModelRegistry(modelsDir).get('symptom-differential');
    const cases: Record<string, number>[] = [{}, { itching: 1, skin_rash: 1 }, { cough: 1, high_fever: 1, chest_pain: 0 }];
    for (const values of cases) {
      const p = m.predict(values).probabilities;
      expect(Object.keys(p).sort()).toEqual([...m.labels].sort());
      expect(Object.values(p).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(Object.values(p).every((v) => v >= 0 && v <= 1)).toBe(true);
    }
  });

  it('unknown feature → FeatureError naming it', () => {
    const m = loadModelRegistry(modelsDir).get('symptom-differential');
    expect(() => m.predict({ not_a_symptom: 1 })).toThrow(FeatureError);
    expect(() => m.explain({ itching: 0.5 }, 3)).toThrow(FeatureError);
    try {
      m.predict({ not_a_symptom: 1 });
    } catch (e) {
      expect((e as FeatureError).feature).toBe('not_a_symptom');
    }
  });
});
