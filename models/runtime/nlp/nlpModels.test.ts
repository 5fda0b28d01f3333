import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { sha256Hex } from '../registry';
import { createClinicalText } from './clinicalText';
import { loadDiseaseNer } from './diseaseNer';
import { loadVerifiedArtefact, ModelIntegrityError, readNlpManifest } from './nlpModels';

const modelsDir = path.resolve(__dirname, '..', '..', 'artefacts');
const entries = readNlpManifest(modelsDir);

const tmpDirs: string[] = [];
/** A copy of models/artefacts/manifest.json and every file it names, in a fresh folder. */
function copyNlpModels(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-nlp-'));
  tmpDirs.push(dir);
  const rels = ['manifest.json', ...entries.flatMap((e) => [e.artefact, ...e.files.map((f) => f.path)])];
  for (const rel of rels) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.copyFileSync(path.join(modelsDir, rel), path.join(dir, rel));
  }
  return dir;
}
function tamper(file: string): void {
  const bytes = fs.readFileSync(file);
  const i = Math.floor(bytes.length / 2);
  bytes[i] = bytes[i] === 0x30 ? 0x31 : 0x30;
  fs.writeFileSync(file, bytes);
}
function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('NLP manifest and integrity checks', () => {
  it('lists the five NLP artefacts with sha256 that match the committed files', () => {
    expect(entries.map((e) => e.id).sort()).toEqual(['clinical-vocabulary', 'context-rules', 'disease-ner', 'symptom-lexicon', 'symptom-text']);
    for (const e of entries) {
      expect(sha256Hex(fs.readFileSync(path.join(modelsDir, e.artefact)))).toBe(e.sha256);
      for (const f of e.files) expect(sha256Hex(fs.readFileSync(path.join(modelsDir, f.path)))).toBe(f.sha256);
      expect(fs.existsSync(path.join(modelsDir, e.card)), e.card).toBe(true);
      expect(e.labels.length).toBeGreaterThan(0);
    }
    expect(
      entries
        .find((e) => e.id === 'disease-ner')!
        .files.map((f) => path.basename(f.path))
        .sort(),
    ).toEqual(['crf.json', 'gazetteer.json', 'vocab.json']);
  });

  it('refuses a tampered vocabulary with ModelIntegrityError (model id, file, expected, actual)', async () => {
    const dir = copyNlpModels();
    const ner = entries.find((e) => e.id === 'disease-ner')!;
    const vocab = ner.files.find((f) => f.path.endsWith('vocab.json'))!;
    tamper(path.join(dir, vocab.path));
    const err = caught(() => loadVerifiedArtefact('disease-ner', dir));
    expect(err).toBeInstanceOf(ModelIntegrityError);
    const mi = err as ModelIntegrityError;
    expect(mi.name).toBe('ModelIntegrityError');
    expect(mi.modelId).toBe('disease-ner');
    expect(mi.file).toBe(path.join(dir, vocab.path));
    expect(mi.expected).toBe(vocab.sha256);
    expect(mi.actual).toMatch(/^[0-9a-f]{64}$/);
    expect(mi.actual).not.toBe(vocab.sha256);
    await expect(loadDiseaseNer(dir)).rejects.toBeInstanceOf(ModelIntegrityError);
    await expect(createClinicalText(dir).recogniseEntities('Breast cancer.')).rejects.toBeInstanceOf(ModelIntegrityError);
  });

  it('refuses a tampered ONNX graph, rule file, lexicon and classifier', async () => {
    for (const id of ['disease-ner', 'context-rules', 'symptom-lexicon', 'symptom-text']) {
      const dir = copyNlpModels();
      const e = entries.find((x) => x.id === id)!;
      tamper(path.join(dir, e.artefact));
      const err = caught(() => loadVerifiedArtefact(id, dir)) as ModelIntegrityError;
      expect(err, id).toBeInstanceOf(ModelIntegrityError);
      expect(err.modelId).toBe(id);
      expect(err.expected).toBe(e.sha256);
    }
    const dir = copyNlpModels();
    tamper(path.join(dir, 'nlp', 'contextRules.json'));
    const ct = createClinicalText(dir);
    expect(() => ct.extractFindings('no fever')).toThrow(ModelIntegrityError);
    expect(() => ct.negationStatus('no fever', 'fever')).toThrow(ModelIntegrityError);
  });

  it('reports a missing file and refuses paths outside the models folder', () => {
    const dir = copyNlpModels();
    const e = entries.find((x) => x.id === 'symptom-text')!;
    fs.rmSync(path.join(dir, e.artefact));
    expect((caught(() => loadVerifiedArtefact('symptom-text', dir)) as ModelIntegrityError).actual).toBe('missing file');

    const manifestPath = path.join(dir, 'manifest.json');
    const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { models: { id: string; artefact: string }[] };
    m.models.find((x) => x.id === 'context-rules')!.artefact = '../../etc/passwd';
    fs.writeFileSync(manifestPath, JSON.stringify(m));
    expect(caught(() => loadVerifiedArtefact('context-rules', dir))).toBeInstanceOf(ModelIntegrityError);
  });
});
