/**
 * Model registry: reads models/manifest.json, checks each artefact's SHA-256 against the manifest
 * (once, at load, on the very bytes that are then parsed), and hands out ready models.
 * Node built-ins only; no electron or db imports.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { validateForestArtefact } from './forest/forestFormat';
import { createForestModel, type ForestModel } from './forest/forestRuntime';
import { resolveModelsDir } from './common/paths';

export { FeatureError } from './forest/forestRuntime';
export type { ForestModel, ForestPrediction, LabelExplanation } from './forest/forestRuntime';

/** An artefact is missing, unreadable, or its bytes do not match the manifest's SHA-256. */
export class ModelIntegrityError extends Error {
  readonly modelId: string;
  readonly file: string;
  readonly expected: string;
  readonly actual: string;
  constructor(modelId: string, file: string, expected: string, actual: string, detail?: string) {
    super(
      `model "${modelId}": ${file} failed its integrity check (expected ${expected}, got ${actual})` +
        (detail !== undefined ? `: ${detail}` : ''),
    );
    this.name = 'ModelIntegrityError';
    this.modelId = modelId;
    this.file = file;
    this.expected = expected;
    this.actual = actual;
  }
}

export class UnknownModelError extends Error {
  readonly modelId: string;
  constructor(modelId: string, known: readonly string[]) {
    super(`unknown model "${modelId}" (known: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownModelError';
    this.modelId = modelId;
  }
}

export interface ModelSummary {
  id: string;
  version: string;
  sha256: string;
}

export interface ModelRegistry {
  get(id: string): ForestModel;
  list(): ModelSummary[];
}

export interface ManifestEntry {
  id: string;
  version: string;
  kind: 'random-forest';
  /** Path of the artefact relative to the models folder. */
  artefact: string;
  sha256: string;
  card: string;
  inputs: string[];
  labels: string[];
}

export interface Manifest {
  models: ManifestEntry[];
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function parseManifest(file: string, text: string): Manifest {
  const bad = (why: string): never => {
    throw new ModelIntegrityError('manifest', file, 'a valid manifest', 'an invalid one', why);
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return bad(`not JSON (${(e as Error).message})`);
  }
  const models = (json as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) return bad('no "models" array');
  const seen = new Set<string>();
  for (const m of models as unknown[]) {
    const e = m as Partial<Record<keyof ManifestEntry, unknown>> | null;
    if (
      e === null ||
      typeof e !== 'object' ||
      typeof e.id !== 'string' ||
      typeof e.version !== 'string' ||
      e.kind !== 'random-forest' ||
      typeof e.artefact !== 'string' ||
      typeof e.card !== 'string' ||
      typeof e.sha256 !== 'string' ||
      !/^[0-9a-f]{64}$/.test(e.sha256) ||
      !isStringArray(e.inputs) ||
      !isStringArray(e.labels)
    ) {
      return bad(`malformed entry ${JSON.stringify(m)?.slice(0, 120)}`);
    }
    if (seen.has(e.id)) bad(`duplicate model id ${e.id}`);
    seen.add(e.id);
  }
  return json as Manifest;
}

/** Resolves `rel` inside `dir`, refusing absolute paths and paths that climb out of it. */
function insideDir(dir: string, rel: string, modelId: string): string {
  const full = path.resolve(dir, rel);
  const relBack = path.relative(dir, full);
  if (path.isAbsolute(rel) || relBack.startsWith('..') || path.isAbsolute(relBack)) {
    throw new ModelIntegrityError(modelId, rel, 'a path inside the models folder', rel);
  }
  return full;
}

function loadEntry(dir: string, entry: ManifestEntry): ForestModel {
  const file = insideDir(dir, entry.artefact, entry.id);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new ModelIntegrityError(entry.id, file, entry.sha256, 'missing file', (e as Error).message);
  }
  const actual = sha256Hex(bytes);
  if (actual !== entry.sha256) throw new ModelIntegrityError(entry.id, file, entry.sha256, actual);

  let model: ForestModel;
  try {
    const artefact = validateForestArtefact(JSON.parse(bytes.toString('utf8')));
    if (artefact.id !== entry.id || artefact.version !== entry.version) {
      throw new Error(`artefact is ${artefact.id}@${artefact.version}, manifest says ${entry.id}@${entry.version}`);
    }
    if (JSON.stringify(artefact.features) !== JSON.stringify(entry.inputs)) throw new Error('inputs differ from the manifest');
    if (JSON.stringify(artefact.labels) !== JSON.stringify(entry.labels)) throw new Error('labels differ from the manifest');
    model = createForestModel(artefact, actual);
  } catch (e) {
    // The hash matched, so the manifest itself is inconsistent with its artefact.
    throw new ModelIntegrityError(entry.id, file, 'an artefact consistent with the manifest', 'an inconsistent one', (e as Error).message);
  }
  return model;
}

/**
 * Loads every model named in `<modelsDir>/manifest.json`, verifying each artefact's SHA-256.
 * Default folder: the project's models/ (works from the TypeScript sources and from build/).
 * Throws ModelIntegrityError (naming the file) on a missing or altered artefact.
 */
export function loadModelRegistry(modelsDir?: string): ModelRegistry {
  const dir = path.resolve(modelsDir ?? resolveModelsDir(__dirname));
  const manifestFile = path.join(dir, 'manifest.json');
  let text: string;
  try {
    text = fs.readFileSync(manifestFile, 'utf8');
  } catch (e) {
    throw new ModelIntegrityError('manifest', manifestFile, 'manifest.json', 'missing file', (e as Error).message);
  }
  const manifest = parseManifest(manifestFile, text);
  const models = new Map<string, ForestModel>();
  for (const entry of manifest.models) models.set(entry.id, loadEntry(dir, entry));
  const summaries = manifest.models.map((m) => ({ id: m.id, version: m.version, sha256: m.sha256 }));

  return {
    get(id: string): ForestModel {
      const m = models.get(id);
      if (m === undefined) throw new UnknownModelError(id, [...models.keys()]);
      return m;
    },
    list(): ModelSummary[] {
      return summaries.map((s) => ({ ...s }));
    },
  };
}
