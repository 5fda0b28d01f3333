/**
 * Loader for the NLP artefacts listed in the one models/artefacts/manifest.json (written by the scripts in
 * models/training/nlp/). Every file of an entry — the artefact and each `files[]` companion (vocabulary, CRF
 * scores...) — is read once, its SHA-256 checked against the manifest, and only those verified bytes are parsed.
 * A mismatch throws ModelIntegrityError (model id, file, expected, actual), the same error the model registry uses.
 */
import * as path from 'node:path';

import { resolveModelsDir } from '../common/paths';
import { MANIFEST_FILE, ModelIntegrityError, readManifest, readVerified, type BaseManifestEntry, type ManifestFileRef } from '../modelFiles';

export { ModelIntegrityError } from '../modelFiles';

export type NlpFileRef = Pick<ManifestFileRef, 'path' | 'sha256'>;

/** The manifest fields an NLP artefact uses: every NLP entry lists its companion files. */
export type NlpManifestEntry = Pick<BaseManifestEntry, 'id' | 'version' | 'kind' | 'artefact' | 'sha256' | 'card' | 'labels'> & { files: NlpFileRef[] };

export interface VerifiedArtefact {
  entry: NlpManifestEntry;
  /** verified bytes of entry.artefact */
  artefact: Buffer;
  /** verified bytes of each entry.files[].path, keyed by that path */
  files: Map<string, Buffer>;
}

export function defaultModelsDir(): string {
  return resolveModelsDir(__dirname);
}

function manifestFile(modelsDir: string): string {
  return path.join(modelsDir, MANIFEST_FILE);
}

/** NLP entries are every entry of the one manifest that is neither a forest nor an imaging model. */
const isNlpKind = (kind: string): boolean => kind !== 'random-forest' && kind !== 'onnx';

export function readNlpManifest(modelsDir: string = defaultModelsDir()): NlpManifestEntry[] {
  const { file, entries } = readManifest(modelsDir);
  const nlp = entries.filter((e) => isNlpKind(e.kind));
  for (const m of nlp) {
    if (!Array.isArray(m.files)) throw new ModelIntegrityError('manifest', file, 'well-formed entries', 'a malformed one', `entry ${m.id}: files`);
  }
  return nlp as unknown as NlpManifestEntry[];
}

/** Reads and verifies every file of model `id`. Throws ModelIntegrityError on any mismatch or missing file. */
export function loadVerifiedArtefact(id: string, modelsDir: string = defaultModelsDir()): VerifiedArtefact {
  const dir = path.resolve(modelsDir);
  const entry = readNlpManifest(dir).find((m) => m.id === id);
  if (entry === undefined) throw new ModelIntegrityError(id, manifestFile(dir), `an entry for "${id}"`, 'none');
  const artefact = readVerified(dir, id, entry.artefact, entry.sha256).bytes;
  const files = new Map<string, Buffer>();
  for (const f of entry.files) files.set(f.path, readVerified(dir, id, f.path, f.sha256).bytes);
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
