/**
 * Writes the binary export of a forest (models/runtime/forest/forestBinary.ts) beside its model.json
 * and records it, with its SHA-256, in the model's manifest entry (role "forest-binary"); the
 * registry then loads the binary instead of parsing the JSON (issue 13, batch speed).
 *
 *   npm run export:forest-binary                     the symptom differential
 *   npm run export:forest-binary -- <model id>...    other forests of the manifest
 *
 * Run it again after every retrain (the trainer rewrites the manifest entry without the binary, and
 * the registry refuses a binary exported from another model.json). Reads only the committed
 * model.json, checked against the manifest's sha256 first. Deterministic: same JSON, same bytes.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { findProjectRoot } from '../runtime/common/paths';
import { encodeForestBinary } from '../runtime/forest/forestBinary';
import { validateForestArtefact } from '../runtime/forest/forestFormat';
import { forestTablesOf } from '../runtime/forest/forestTables';
import { FOREST_BINARY_ROLE } from '../runtime/registry';

const DEFAULT_MODELS = ['symptom-differential'];

interface Entry {
  id: string;
  kind: string;
  artefact: string;
  sha256: string;
  files?: { role: string; path: string; sha256: string }[];
}

/** The binary export of the model.json with these bytes (checked against `sha256`). */
export function forestBinaryOf(jsonBytes: Buffer, sha256: string): Buffer {
  const actual = createHash('sha256').update(jsonBytes).digest('hex');
  if (actual !== sha256) throw new Error(`model.json has sha256 ${actual}, the manifest says ${sha256}`);
  return encodeForestBinary(forestTablesOf(validateForestArtefact(JSON.parse(jsonBytes.toString('utf8')))), sha256);
}

/** Path of the binary export beside a model.json: `<id>/model.json` → `<id>/model.bin`. */
export const binaryPathOf = (artefact: string): string => artefact.replace(/\.json$/, '') + '.bin';

/** Exports each named forest and updates its manifest entry; returns what was written. */
export function exportForestBinaries(modelsDir: string, ids: readonly string[]): { id: string; path: string; bytes: number; sha256: string }[] {
  const manifestFile = path.join(modelsDir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { models: Entry[] };
  const written = ids.map((id) => {
    const entry = manifest.models.find((m) => m.id === id);
    if (entry === undefined || entry.kind !== 'random-forest') throw new Error(`the manifest has no forest "${id}"`);
    const bin = forestBinaryOf(fs.readFileSync(path.join(modelsDir, entry.artefact)), entry.sha256);
    const rel = binaryPathOf(entry.artefact);
    fs.writeFileSync(path.join(modelsDir, rel), bin);
    const sha256 = createHash('sha256').update(bin).digest('hex');
    // The binary replaces any earlier export; the other files keep their places.
    const others = (entry.files ?? []).filter((f) => f.role !== FOREST_BINARY_ROLE);
    entry.files = [...others, { role: FOREST_BINARY_ROLE, path: rel, sha256 }];
    return { id, path: rel, bytes: bin.length, sha256 };
  });
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  return written;
}

function main(): void {
  const ids = process.argv.slice(2);
  const modelsDir = path.join(findProjectRoot(__dirname), 'models', 'artefacts');
  for (const w of exportForestBinaries(modelsDir, ids.length > 0 ? ids : DEFAULT_MODELS)) {
    console.log(`wrote models/artefacts/${w.path} (${(w.bytes / 1e6).toFixed(2)} MB, sha256 ${w.sha256}) and its manifest entry`);
  }
}

if (require.main === module) main();
