import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { mulberry32 } from '../common/rng';
import { FOREST_BINARY_ROLE, loadModelRegistry, ModelIntegrityError } from '../registry';
import { binaryPathOf, forestBinaryOf } from '../../training/exportForestBinary';
import { decodeForestBinary, encodeForestBinary } from './forestBinary';
import { validateForestArtefact, type ForestArtefact } from './forestFormat';
import { createForestModel, createForestModelFromTables, type ForestModel } from './forestRuntime';
import { forestTablesOf, type ForestTables } from './forestTables';

const modelsDir = path.resolve(__dirname, '..', '..', 'artefacts');
type Entry = { id: string; kind: string; artefact: string; sha256: string; files?: { role: string; path: string; sha256: string }[] };
const manifestText = fs.readFileSync(path.join(modelsDir, 'manifest.json'), 'utf8');
const manifest = JSON.parse(manifestText) as { models: Entry[] };
const forests = manifest.models.filter((m) => m.kind === 'random-forest');

const artefactOf = (e: Entry): ForestArtefact => validateForestArtefact(JSON.parse(fs.readFileSync(path.join(modelsDir, e.artefact), 'utf8')));
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const COLUMNS = ['treeStart', 'feature', 'threshold', 'left', 'right', 'vote', 'samples', 'distStart', 'distClass', 'distCount'] as const;

/** Seeded inputs over the model's features: a few known, each at a value its encoding allows. */
function randomInputs(model: ForestModel, n: number): Record<string, number>[] {
  const rng = mulberry32(13);
  const out: Record<string, number>[] = [];
  for (let i = 0; i < n; i++) {
    const v: Record<string, number> = {};
    for (const s of model.inputs) {
      if (rng() < 0.6) continue;
      if (s.type === 'binary') v[s.name] = rng() < 0.5 ? 0 : 1;
      else if (s.type === 'nominal')
        v[s.name] = typeof s.values?.[0] === 'string' ? Math.floor(rng() * s.values.length) : (s.values?.[Math.floor(rng() * s.values.length)] as number);
      else if (s.range) v[s.name] = s.range.min + rng() * (s.range.max - s.range.min);
    }
    out.push(v);
  }
  return out;
}

const tmpDirs: string[] = [];
afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
/** The models folder copied (every file the manifest names), with the manifest edited by `edit`. */
function copyModels(edit: (m: { models: Entry[] }) => void = () => undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-forest-bin-'));
  tmpDirs.push(dir);
  for (const m of manifest.models) {
    for (const rel of [m.artefact, ...(m.files ?? []).map((f) => f.path)]) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.copyFileSync(path.join(modelsDir, rel), path.join(dir, rel));
    }
  }
  const m = JSON.parse(manifestText) as { models: Entry[] };
  edit(m);
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
  return dir;
}

describe('forest binary export', () => {
  it('round-trips every forest of the manifest: the same tables, and a model that predicts and explains the same numbers', () => {
    const registry = loadModelRegistry(modelsDir);
    for (const e of forests) {
      const a = artefactOf(e);
      const options = { inputs: registry.describe(e.id).inputs };
      const tables = forestTablesOf(a);
      const { sourceSha256, tables: back } = decodeForestBinary(encodeForestBinary(tables, e.sha256));
      expect(sourceSha256).toBe(e.sha256);
      expect(back.header).toEqual(tables.header);
      for (const c of COLUMNS) {
        expect(back[c].length, `${e.id} ${c}`).toBe(tables[c].length);
        let differ = 0;
        for (let i = 0; i < tables[c].length; i++) if (!Object.is(back[c][i], tables[c][i])) differ++;
        expect(differ, `${e.id} ${c}`).toBe(0);
      }
      const fromJson = createForestModel(a, e.sha256, options);
      const fromBinary = createForestModelFromTables(back, e.sha256, options);
      for (const x of randomInputs(fromJson, 40)) {
        expect(fromBinary.predict(x)).toEqual(fromJson.predict(x));
        expect(fromBinary.explain(x, 3)).toEqual(fromJson.explain(x, 3));
      }
    }
  });

  it('the committed symptom-differential model.bin is the export of the committed model.json (regenerate: npm run export:forest-binary)', () => {
    const e = forests.find((m) => m.id === 'symptom-differential')!;
    const ref = e.files?.find((f) => f.role === FOREST_BINARY_ROLE);
    expect(ref?.path).toBe(binaryPathOf(e.artefact));
    const committed = fs.readFileSync(path.join(modelsDir, ref!.path));
    expect(sha(committed)).toBe(ref!.sha256);
    expect(forestBinaryOf(fs.readFileSync(path.join(modelsDir, e.artefact)), e.sha256).equals(committed)).toBe(true);
  });

  it('refuses a file that is not a forest binary, a truncated one and one whose trees break the format', () => {
    const e = forests.find((m) => m.id === 'symptom-differential')!;
    const good = encodeForestBinary(forestTablesOf(artefactOf(e)), e.sha256);
    expect(() => decodeForestBinary(Buffer.from('{"format":"lantern-forest/1"}'))).toThrow(/magic/);
    expect(() => decodeForestBinary(good.subarray(0, good.length - 64))).toThrow(/past the end/);
    // A root's left child pointing at the root itself: a walk would never end.
    const tables: ForestTables = { ...forestTablesOf(artefactOf(e)) };
    const left = Int32Array.from(tables.left);
    left[0] = 0;
    expect(() => decodeForestBinary(encodeForestBinary({ ...tables, left }, e.sha256))).toThrow(/tree 0 node 0/);
  });

  it('the registry loads the binary where the manifest lists it, with the JSON model’s identity and answers', () => {
    const fromBinary = loadModelRegistry(copyModels(), { only: ['symptom-differential'] }).get('symptom-differential');
    const noBinary = copyModels((m) => {
      const e = m.models.find((x) => x.id === 'symptom-differential')!;
      e.files = e.files?.filter((f) => f.role !== FOREST_BINARY_ROLE);
    });
    // Not listed, the binary is not read at all.
    fs.rmSync(path.join(noBinary, 'symptom-differential', 'model.bin'));
    const fromJson = loadModelRegistry(noBinary, { only: ['symptom-differential'] }).get('symptom-differential');
    expect(fromBinary.sha256).toBe(fromJson.sha256);
    for (const x of randomInputs(fromJson, 50)) {
      expect(fromBinary.predict(x)).toEqual(fromJson.predict(x));
      expect(fromBinary.explain(x, 5)).toEqual(fromJson.explain(x, 5));
    }
  });

  it('refuses a tampered model.bin, and a model.bin exported from another model.json, naming the file', () => {
    const e = forests.find((m) => m.id === 'symptom-differential')!;
    const rel = binaryPathOf(e.artefact);
    const tampered = copyModels();
    const bytes = fs.readFileSync(path.join(tampered, rel));
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    fs.writeFileSync(path.join(tampered, rel), bytes);
    expect(() => loadModelRegistry(tampered)).toThrow(ModelIntegrityError);
    expect(() => loadModelRegistry(tampered)).toThrow(/model\.bin/);

    // A well-formed export whose source is not the manifest's model.json (a stale export after a retrain).
    const stale = encodeForestBinary(forestTablesOf(artefactOf(e)), 'ab'.repeat(32));
    const dir = copyModels((m) => {
      const f = m.models.find((x) => x.id === e.id)!.files!.find((x) => x.role === FOREST_BINARY_ROLE)!;
      f.sha256 = sha(stale);
    });
    fs.writeFileSync(path.join(dir, rel), stale);
    expect(() => loadModelRegistry(dir)).toThrow(/export:forest-binary/);
  });
});
