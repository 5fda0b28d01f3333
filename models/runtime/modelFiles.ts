/**
 * The one manifest (models/artefacts/manifest.json) and the one verified read every model kind goes through:
 * forests (registry.ts), ONNX imaging (imaging/imagingModels.ts) and NLP artefacts (nlp/nlpModels.ts).
 * A file is read once, its SHA-256 checked, and only those verified bytes are parsed; any missing,
 * altered or malformed file is a ModelIntegrityError, whatever the kind (the app maps it to
 * MODEL_INTEGRITY and shows the recovery screen). Node built-ins only.
 */
import { ModelError } from './modelErrors';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { scopeProblem, type ModelScope } from './scope';

export const MANIFEST_FILE = 'manifest.json';

/** An artefact (or the manifest) is missing, unreadable, malformed, or its bytes do not match the manifest's SHA-256. */
export class ModelIntegrityError extends ModelError {
  readonly code = 'MODEL_INTEGRITY' as const;
  override readonly modelId: string;
  override readonly file: string;
  readonly expected: string;
  readonly actual: string;
  constructor(modelId: string, file: string, expected: string, actual: string, detail?: string) {
    super(`model "${modelId}": ${file} failed its integrity check (expected ${expected}, got ${actual})` + (detail !== undefined ? `: ${detail}` : ''));
    this.name = 'ModelIntegrityError';
    this.modelId = modelId;
    this.file = file;
    this.expected = expected;
    this.actual = actual;
  }
}

export class UnknownModelError extends ModelError {
  readonly code = 'MODEL_INTEGRITY' as const;
  override readonly modelId: string;
  constructor(modelId: string, known: readonly string[]) {
    super(`unknown model "${modelId}" (known: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownModelError';
    this.modelId = modelId;
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** An extra file of a model (vocabulary, conditions, OOD statistics...), verified like the artefact. */
export interface ManifestFileRef {
  role?: string;
  /** Relative to the models folder. */
  path: string;
  sha256: string;
}

/**
 * What every entry has, whatever its kind. Kind-specific fields (a forest's inputs, an image
 * model's preprocessing) are checked by that kind's loader.
 */
export interface BaseManifestEntry {
  id: string;
  version: string;
  /** 'random-forest' | 'onnx' (imaging) | an NLP artefact kind ('token-classification-onnx-crf', 'context-rules', ...). */
  kind: string;
  /** Relative to the models folder. */
  artefact: string;
  sha256: string;
  card: string;
  labels: string[];
  files?: ManifestFileRef[];
  scope?: ModelScope;
  /** Training data and its licence, as the card states it. */
  trainingData?: { name: string; licence: string; clinicalUse: boolean };
  [field: string]: unknown;
}

const SHA_RE = /^[0-9a-f]{64}$/;
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function commonProblem(e: Record<string, unknown>): string | null {
  for (const key of ['id', 'version', 'kind', 'artefact', 'card'] as const) if (typeof e[key] !== 'string' || e[key] === '') return key;
  if (typeof e['sha256'] !== 'string' || !SHA_RE.test(e['sha256'])) return 'sha256';
  if (!isStringArray(e['labels'])) return 'labels';
  const files = e['files'];
  if (files !== undefined) {
    if (!Array.isArray(files)) return 'files';
    for (const f of files as unknown[]) {
      const o = f as Record<string, unknown> | null;
      if (o === null || typeof o !== 'object' || typeof o['path'] !== 'string' || typeof o['sha256'] !== 'string' || !SHA_RE.test(o['sha256']))
        return 'files entry';
      if (o['role'] !== undefined && typeof o['role'] !== 'string') return 'files entry role';
    }
  }
  if (e['scope'] !== undefined) {
    // Forest inputs are checked against the scope by the registry, which knows them.
    const p = scopeProblem(e['scope'], null);
    if (p !== null) return `scope: ${p}`;
  }
  const td = e['trainingData'] as Record<string, unknown> | undefined;
  if (
    td !== undefined &&
    (typeof td !== 'object' || td === null || typeof td['name'] !== 'string' || typeof td['licence'] !== 'string' || typeof td['clinicalUse'] !== 'boolean')
  ) {
    return 'trainingData';
  }
  return null;
}

/** Parses and checks the manifest's common fields; throws ModelIntegrityError('manifest', ...) on any problem. */
export function parseManifestText(file: string, text: string): BaseManifestEntry[] {
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
    if (m === null || typeof m !== 'object' || Array.isArray(m)) return bad(`malformed entry ${JSON.stringify(m)?.slice(0, 120)}`);
    const problem = commonProblem(m as Record<string, unknown>);
    if (problem !== null) return bad(`entry ${JSON.stringify((m as { id?: unknown }).id ?? null)}: ${problem}`);
    const id = (m as BaseManifestEntry).id;
    if (seen.has(id)) bad(`duplicate model id ${id}`);
    seen.add(id);
  }
  return models as BaseManifestEntry[];
}

/** Reads `<modelsDir>/manifest.json`. */
export function readManifest(modelsDir: string): { file: string; entries: BaseManifestEntry[] } {
  const file = path.join(modelsDir, MANIFEST_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ModelIntegrityError('manifest', file, MANIFEST_FILE, 'missing file', (e as Error).message);
  }
  return { file, entries: parseManifestText(file, text) };
}

/** Resolves `rel` inside `dir`, refusing absolute paths and paths that climb out of it. */
export function insideDir(dir: string, rel: string, modelId: string): string {
  const full = path.resolve(dir, rel);
  const relBack = path.relative(dir, full);
  if (path.isAbsolute(rel) || relBack.startsWith('..') || path.isAbsolute(relBack)) {
    throw new ModelIntegrityError(modelId, rel, 'a path inside the models folder', rel);
  }
  return full;
}

export interface VerifiedFile {
  file: string;
  bytes: Buffer;
  sha256: string;
}

function verify(modelId: string, file: string, bytes: Buffer, expected: string): VerifiedFile {
  const actual = sha256Hex(bytes);
  if (actual !== expected) throw new ModelIntegrityError(modelId, file, expected, actual);
  return { file, bytes, sha256: actual };
}

/** Reads a file named by the manifest and checks its SHA-256; returns the verified bytes. */
export function readVerified(dir: string, modelId: string, rel: string, expected: string): VerifiedFile {
  const file = insideDir(dir, rel, modelId);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new ModelIntegrityError(modelId, file, expected, 'missing file', (e as Error).message);
  }
  return verify(modelId, file, bytes, expected);
}

/** readVerified without blocking the event loop (large ONNX files). */
export async function readVerifiedAsync(dir: string, modelId: string, rel: string, expected: string): Promise<VerifiedFile> {
  const file = insideDir(dir, rel, modelId);
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(file);
  } catch (e) {
    throw new ModelIntegrityError(modelId, file, expected, 'missing file', (e as Error).message);
  }
  return verify(modelId, file, bytes, expected);
}
