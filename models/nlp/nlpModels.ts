/**
 * Loader for the NLP artefacts listed in models/nlp/nlpManifest.json (written by the scripts in
 * models/training/nlp/). Every file of an entry — the artefact and each `files[]` companion (vocabulary, CRF
 * scores...) — is read once, its SHA-256 checked against the manifest, and only those verified bytes are parsed.
 * A mismatch throws ModelIntegrityError (model id, file, expected, actual), the same error the model registry uses.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { resolveModelsDir } from '../common/paths';
import { ModelIntegrityError, sha256Hex } from '../registry';

export { ModelIntegrityError } from '../registry';

export interface NlpFileRef {
  /** relative to the models folder */
  path: string;
  sha256: string;
}

export interface NlpManifestEntry {
  id: string;
  version: string;
  kind: string;
  /** relative to the models folder */
  artefact: string;
  sha256: string;
  card: string;
  files: NlpFileRef[];
  labels: string[];
}

export interface VerifiedArtefact {
  entry: NlpManifestEntry;
  /** verified bytes of entry.artefact */
  artefact: Buffer;
  /** verified bytes of each entry.files[].path, keyed by that path */
  files: Map<string, Buffer>;
}

const SHA = /^[0-9a-f]{64}$/;

export function defaultModelsDir(): string {
  return resolveModelsDir(__dirname);
}

function manifestFile(modelsDir: string): string {
  return path.join(modelsDir, 'nlp', 'nlpManifest.json');
}

export function readNlpManifest(modelsDir: string = defaultModelsDir()): NlpManifestEntry[] {
  const file = manifestFile(modelsDir);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ModelIntegrityError('nlp-manifest', file, 'a readable nlpManifest.json', 'unreadable', (e as Error).message);
  }
  const models = (json as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) throw new ModelIntegrityError('nlp-manifest', file, 'a "models" array', 'none');
  for (const m of models as Partial<NlpManifestEntry>[]) {
    const ok =
      m !== null &&
      typeof m === 'object' &&
      typeof m.id === 'string' &&
      typeof m.version === 'string' &&
      typeof m.kind === 'string' &&
      typeof m.artefact === 'string' &&
      typeof m.sha256 === 'string' &&
      SHA.test(m.sha256) &&
      typeof m.card === 'string' &&
      Array.isArray(m.files) &&
      m.files.every((f) => typeof f?.path === 'string' && typeof f.sha256 === 'string' && SHA.test(f.sha256)) &&
      Array.isArray(m.labels) &&
      m.labels.every((l) => typeof l === 'string');
    if (!ok) throw new ModelIntegrityError('nlp-manifest', file, 'well-formed entries', 'a malformed one', JSON.stringify(m)?.slice(0, 160));
  }
  return models as NlpManifestEntry[];
}

function inside(modelsDir: string, rel: string, id: string): string {
  const full = path.resolve(modelsDir, rel);
  const back = path.relative(modelsDir, full);
  if (path.isAbsolute(rel) || back.startsWith('..') || path.isAbsolute(back)) {
    throw new ModelIntegrityError(id, rel, 'a path inside the models folder', rel);
  }
  return full;
}

function readVerified(modelsDir: string, id: string, rel: string, expected: string): Buffer {
  const file = inside(modelsDir, rel, id);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new ModelIntegrityError(id, file, expected, 'missing file', (e as Error).message);
  }
  const actual = sha256Hex(bytes);
  if (actual !== expected) throw new ModelIntegrityError(id, file, expected, actual);
  return bytes;
}

/** Reads and verifies every file of model `id`. Throws ModelIntegrityError on any mismatch or missing file. */
export function loadVerifiedArtefact(id: string, modelsDir: string = defaultModelsDir()): VerifiedArtefact {
  const dir = path.resolve(modelsDir);
  const entry = readNlpManifest(dir).find((m) => m.id === id);
  if (entry === undefined) throw new ModelIntegrityError(id, manifestFile(dir), `an entry for "${id}"`, 'none');
  const artefact = readVerified(dir, id, entry.artefact, entry.sha256);
  const files = new Map<string, Buffer>();
  for (const f of entry.files) files.set(f.path, readVerified(dir, id, f.path, f.sha256));
  return { entry, artefact, files };
}

/** A verified companion file by its base name (e.g. "vocab.json"). */
export function companion(v: VerifiedArtefact, baseName: string): Buffer {
  for (const [p, b] of v.files) if (path.posix.basename(p) === baseName) return b;
  throw new ModelIntegrityError(v.entry.id, baseName, `a "${baseName}" entry in files[]`, 'none');
}

export function parseJsonArtefact(id: string, file: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new ModelIntegrityError(id, file, 'valid JSON', 'invalid JSON', (e as Error).message);
  }
}
