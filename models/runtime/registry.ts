/**
 * Model registry: reads models/artefacts/manifest.json, checks each artefact's SHA-256 against the manifest
 * (once, at load, on the very bytes that are then parsed), and hands out ready models.
 * Node built-ins only; no electron or db imports.
 */
import * as path from 'node:path';

import { decodeForestBinary } from './forest/forestBinary';
import { validateForestArtefact, type ForestHeader } from './forest/forestFormat';
import { createForestModel, createForestModelFromTables, type ForestModel } from './forest/forestRuntime';
import { binaryInputsFromNames, specProblem, type InputSpec } from './forest/inputSpec';
import { validateConditionsFile, type ConditionInfo, type ConditionsFile } from './forest/conditions';
import { validateLabelFeatureFrequencies, type LabelFeatureFrequencies } from './forest/askNext';
import { CalibratedDifferential, validateDifferentialCalibration, type DifferentialCalibration } from './forest/calibratedDifferential';
import { resolveModelsDir } from './common/paths';
import { scopeProblem, type ModelScope } from './scope';
import { ModelIntegrityError, UnknownModelError, readManifest, readVerified, type BaseManifestEntry } from './modelFiles';

export { ModelIntegrityError, UnknownModelError, sha256Hex } from './modelFiles';
export type { BaseManifestEntry, ManifestFileRef } from './modelFiles';

export { FeatureError } from './forest/forestRuntime';
export { InputValueError, InsufficientInputsError } from './forest/inputSpec';
export type { InputSpec, InputType, InputRange, NominalValue, InputValueProblem } from './forest/inputSpec';
export type { ForestModel, ForestPrediction, LabelExplanation, ValuesPrediction, ValuesExplanation, UnknownHandling } from './forest/forestRuntime';
export type { ConditionInfo, ConditionsFile } from './forest/conditions';
export type { LabelFeatureFrequencies } from './forest/askNext';
export type { ModelScope, Abstention, AbstentionCode, PatientContext, DiagnosticCriterion } from './scope';

export interface ModelSummary {
  id: string;
  version: string;
  sha256: string;
}

/** Everything the app needs to build a case form and show a model's output, from the manifest. */
export interface ModelDescription {
  id: string;
  version: string;
  sha256: string;
  kind: 'random-forest';
  /** 'differential': many labels ranked (symptom model); 'risk': a two-label risk model. */
  task: ModelTask;
  title: string | null;
  /** Model card path relative to the models folder. */
  card: string;
  /** Input declarations in feature order (binary specs with generated labels where the manifest lists names only). */
  inputs: InputSpec[];
  minInputs: number;
  labels: string[];
  /** Risk models: the label whose probability is "the risk". */
  positiveLabel: string | null;
  /** Extra files verified at load, by role. */
  files: ManifestFile[];
  /** Population, required inputs, diagnostic criteria (null: the manifest declares none). */
  scope: ModelScope | null;
  /** Risk models: out-of-fold calibration from metrics.json (null: the manifest declares none). */
  calibration: RiskCalibration | null;
}

/** One line of calibration for a risk model, written by models/training/riskCalibration.ts. */
export interface RiskCalibration {
  summary: string;
  ece: number;
  brier: number;
  cases: number;
}

export interface ModelRegistry {
  get(id: string): ForestModel;
  list(): ModelSummary[];
  /** Manifest view of one model (inputs with labels, units, ranges, LOINC; minInputs; labels). */
  describe(id: string): ModelDescription;
  /** All models, manifest order. */
  describeAll(): ModelDescription[];
  /** Conditions file (display name, ICD-10-CM, severity, can't-miss, summary) per label, where the model has one. */
  conditions(id: string): ConditionInfo[] | null;
  /** Per-label feature frequencies recorded at export (ask-next), where the model has them. */
  labelFeatureFrequencies(id: string): LabelFeatureFrequencies | null;
  /** The calibrated differential (abstention, coverage), where the model has a calibration file and frequencies. */
  calibratedDifferential(id: string): CalibratedDifferential | null;
  /** Every model of the manifest, whatever its kind: what its card says about data, licence and scope. */
  manifestModels(): ManifestModelSummary[];
}

export interface ManifestModelSummary {
  id: string;
  version: string;
  kind: string;
  scope: ModelScope | null;
  trainingData: { name: string; licence: string; clinicalUse: boolean } | null;
}

export type ModelTask = 'differential' | 'risk';

/** Known roles of extra files; any other role is still sha-verified, just not parsed. */
export type ManifestFileRole = 'conditions' | 'label-feature-frequencies' | 'metrics' | string;

export interface ManifestFile {
  role: ManifestFileRole;
  /** Relative to the models folder. */
  path: string;
  sha256: string;
}

export interface ManifestEntry {
  id: string;
  version: string;
  kind: 'random-forest';
  /** Path of the artefact relative to the models folder. */
  artefact: string;
  sha256: string;
  card: string;
  /** Feature names (binary inputs, labels generated from the names) or full input declarations. */
  inputs: string[] | InputSpec[];
  labels: string[];
  /** Default 1. */
  minInputs?: number;
  /** Default: 'differential' with more than two labels, else 'risk'. */
  task?: ModelTask;
  title?: string;
  /** Risk models: the label whose probability is "the risk" (default: the first label). */
  positiveLabel?: string;
  /** Extra files, each verified against its SHA-256 at load. */
  files?: ManifestFile[];
  /** Who the model is for and what it needs (models/runtime/scope.ts). */
  scope?: ModelScope;
  calibration?: RiskCalibration;
}

export interface Manifest {
  models: ManifestEntry[];
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

const SHA_RE = /^[0-9a-f]{64}$/;

function entryProblem(e: Partial<Record<keyof ManifestEntry, unknown>>): string | null {
  const inputs = e.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) return 'inputs';
  if (!isStringArray(inputs)) {
    for (const s of inputs as unknown[]) {
      const p = specProblem(s);
      if (p !== null) return `input ${p}`;
    }
  }
  const names = (inputs as unknown[]).map((s) => (typeof s === 'string' ? s : (s as InputSpec).name));
  if (new Set(names).size !== names.length) return 'duplicate input names';
  if (e.minInputs !== undefined && (!Number.isInteger(e.minInputs) || (e.minInputs as number) < 0 || (e.minInputs as number) > names.length))
    return 'minInputs';
  if (e.task !== undefined && e.task !== 'differential' && e.task !== 'risk') return 'task';
  if (e.title !== undefined && typeof e.title !== 'string') return 'title';
  if (e.positiveLabel !== undefined && (typeof e.positiveLabel !== 'string' || !(e.labels as string[]).includes(e.positiveLabel))) return 'positiveLabel';
  if (e.scope !== undefined) {
    const p = scopeProblem(e.scope, names);
    if (p !== null) return `scope: ${p}`;
  }
  if (e.calibration !== undefined) {
    const c = e.calibration as Record<string, unknown> | null;
    const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
    if (c === null || typeof c !== 'object' || typeof c['summary'] !== 'string' || !num(c['ece']) || !num(c['brier']) || !num(c['cases'])) return 'calibration';
  }
  if (e.files !== undefined) {
    if (!Array.isArray(e.files)) return 'files';
    for (const f of e.files as unknown[]) {
      const o = f as Record<string, unknown> | null;
      if (
        o === null ||
        typeof o !== 'object' ||
        typeof o['role'] !== 'string' ||
        typeof o['path'] !== 'string' ||
        typeof o['sha256'] !== 'string' ||
        !SHA_RE.test(o['sha256'])
      ) {
        return `files entry ${JSON.stringify(f)?.slice(0, 80)}`;
      }
    }
  }
  return null;
}

/** The forest entries of the one manifest, with their forest-specific fields checked. */
function forestEntries(file: string, entries: BaseManifestEntry[]): ManifestEntry[] {
  const forests: ManifestEntry[] = [];
  for (const e of entries) {
    if (e.kind !== 'random-forest') continue;
    const problem = entryProblem(e as Partial<Record<keyof ManifestEntry, unknown>>);
    if (problem !== null) throw new ModelIntegrityError('manifest', file, 'a valid manifest', 'an invalid one', `entry ${e.id}: ${problem}`);
    forests.push(e as unknown as ManifestEntry);
  }
  return forests;
}

interface LoadedEntry {
  model: ForestModel;
  description: ModelDescription;
  conditions: ConditionInfo[] | null;
  frequencies: LabelFeatureFrequencies | null;
  calibrated: CalibratedDifferential | null;
}

function inputSpecsOf(entry: ManifestEntry): InputSpec[] {
  return isStringArray(entry.inputs) ? binaryInputsFromNames(entry.inputs) : (entry.inputs as InputSpec[]).map((s) => ({ ...s }));
}

/** The manifest file role of a forest's binary export (forest/forestBinary.ts), loaded instead of its model.json. */
export const FOREST_BINARY_ROLE = 'forest-binary';

function checkAgainstEntry(header: ForestHeader, entry: ManifestEntry, inputs: InputSpec[]): void {
  if (header.id !== entry.id || header.version !== entry.version) {
    throw new Error(`artefact is ${header.id}@${header.version}, manifest says ${entry.id}@${entry.version}`);
  }
  if (JSON.stringify(header.features) !== JSON.stringify(inputs.map((s) => s.name))) throw new Error('inputs differ from the manifest');
  if (JSON.stringify(header.labels) !== JSON.stringify(entry.labels)) throw new Error('labels differ from the manifest');
}

/**
 * The forest of an entry. model.json is always read and its sha256 checked (it is the model's
 * identity, and every file the manifest names is verified); where the manifest lists a binary
 * export of it, the trees are taken from that instead of parsing the JSON (a tenth of the load
 * time). The export must name that very model.json (its sha256) as its source.
 */
function loadForest(dir: string, entry: ManifestEntry, inputs: InputSpec[], minInputs: number): ForestModel {
  const { file, bytes, sha256: actual } = readVerified(dir, entry.id, entry.artefact, entry.sha256);
  const binary = (entry.files ?? []).find((f) => f.role === FOREST_BINARY_ROLE);
  if (binary !== undefined) {
    const v = readVerified(dir, entry.id, binary.path, binary.sha256);
    try {
      const { sourceSha256, tables } = decodeForestBinary(v.bytes);
      if (sourceSha256 !== actual) {
        throw new Error(`exported from the model.json with sha256 ${sourceSha256}, not from ${file} (${actual}): re-export it (npm run export:forest-binary)`);
      }
      checkAgainstEntry(tables.header, entry, inputs);
      return createForestModelFromTables(tables, actual, { inputs, minInputs });
    } catch (e) {
      throw new ModelIntegrityError(entry.id, v.file, 'a binary forest consistent with the manifest', 'an inconsistent one', (e as Error).message);
    }
  }
  try {
    const artefact = validateForestArtefact(JSON.parse(bytes.toString('utf8')));
    checkAgainstEntry(artefact, entry, inputs);
    return createForestModel(artefact, actual, { inputs, minInputs });
  } catch (e) {
    // The hash matched, so the manifest itself is inconsistent with its artefact.
    throw new ModelIntegrityError(entry.id, file, 'an artefact consistent with the manifest', 'an inconsistent one', (e as Error).message);
  }
}

function loadEntry(dir: string, entry: ManifestEntry): LoadedEntry {
  const inputs = inputSpecsOf(entry);
  const minInputs = entry.minInputs ?? 1;
  const model = loadForest(dir, entry, inputs, minInputs);
  const actual = model.sha256;

  let conditions: ConditionInfo[] | null = null;
  let frequencies: LabelFeatureFrequencies | null = null;
  let calibration: DifferentialCalibration | null = null;
  for (const f of entry.files ?? []) {
    if (f.role === FOREST_BINARY_ROLE) continue;
    const v = readVerified(dir, entry.id, f.path, f.sha256);
    try {
      const json: unknown = JSON.parse(v.bytes.toString('utf8'));
      if (f.role === 'conditions') {
        const c: ConditionsFile = validateConditionsFile(json, entry.labels);
        conditions = c.conditions;
      } else if (f.role === 'label-feature-frequencies') {
        frequencies = validateLabelFeatureFrequencies(json, model.features, entry.labels);
      } else if (f.role === 'differential-calibration') {
        calibration = validateDifferentialCalibration(json, entry.id);
      }
    } catch (e) {
      throw new ModelIntegrityError(entry.id, v.file, `a valid ${f.role} file`, 'an invalid one', (e as Error).message);
    }
  }

  const task: ModelTask = entry.task ?? (entry.labels.length > 2 ? 'differential' : 'risk');
  const description: ModelDescription = {
    id: entry.id,
    version: entry.version,
    sha256: actual,
    kind: entry.kind,
    task,
    title: entry.title ?? null,
    card: entry.card,
    inputs,
    minInputs,
    labels: entry.labels.slice(),
    positiveLabel: task === 'risk' ? (entry.positiveLabel ?? (entry.labels[0] as string)) : null,
    files: (entry.files ?? []).map((f) => ({ ...f })),
    scope: entry.scope ? cloneScope(entry.scope) : null,
    calibration: entry.calibration ? { ...entry.calibration } : null,
  };
  if (calibration !== null && frequencies === null) {
    throw new ModelIntegrityError(entry.id, path.join(dir, entry.artefact), 'label-feature frequencies beside its calibration', 'none');
  }
  const calibrated = calibration !== null && frequencies !== null ? new CalibratedDifferential(model, frequencies, calibration) : null;
  return { model, description, conditions, frequencies, calibrated };
}

const cloneScope = (s: ModelScope): ModelScope => JSON.parse(JSON.stringify(s)) as ModelScope;

const cloneDescription = (d: ModelDescription): ModelDescription => ({
  ...d,
  inputs: d.inputs.map((s) => ({
    ...s,
    ...(s.values ? { values: s.values.slice() } : {}),
    ...(s.valueLabels ? { valueLabels: s.valueLabels.slice() } : {}),
    ...(s.range ? { range: { ...s.range } } : {}),
    ...(s.missingCodes ? { missingCodes: s.missingCodes.slice() } : {}),
  })),
  labels: d.labels.slice(),
  files: d.files.map((f) => ({ ...f })),
  scope: d.scope ? cloneScope(d.scope) : null,
  calibration: d.calibration ? { ...d.calibration } : null,
});

export interface LoadRegistryOptions {
  /**
   * Load (read, verify, parse) only these forests; the manifest itself is still read and checked
   * whole. A one-model command (`lantern predict`) then pays for its model alone. Ids the manifest
   * does not list are ignored here and refused by get() as unknown; list() and describeAll() cover
   * the loaded models only.
   */
  only?: readonly string[];
}

/** A forest the manifest lists but this registry was told not to load (`only`). */
export class ModelNotLoadedError extends Error {
  readonly modelId: string;
  constructor(modelId: string, loaded: readonly string[]) {
    super(`model "${modelId}" was not loaded (this registry holds only: ${loaded.join(', ') || 'none'})`);
    this.name = 'ModelNotLoadedError';
    this.modelId = modelId;
  }
}

/**
 * Loads every model named in `<modelsDir>/manifest.json` (or those in `options.only`), verifying
 * each artefact's SHA-256.
 * Default folder: the project's models/ (works from the TypeScript sources and from build/).
 * Throws ModelIntegrityError (naming the file) on a missing or altered artefact.
 */
export function loadModelRegistry(modelsDir?: string, options: LoadRegistryOptions = {}): ModelRegistry {
  const dir = path.resolve(modelsDir ?? resolveModelsDir(__dirname));
  const { file: manifestFile, entries: allEntries } = readManifest(dir);
  const allForests = forestEntries(manifestFile, allEntries);
  const only = options.only === undefined ? null : new Set(options.only);
  const manifest: Manifest = { models: only === null ? allForests : allForests.filter((e) => only.has(e.id)) };
  const everyModel: ManifestModelSummary[] = allEntries.map((e) => ({
    id: e.id,
    version: e.version,
    kind: e.kind,
    scope: e.scope ? cloneScope(e.scope) : null,
    trainingData: e.trainingData ? { ...e.trainingData } : null,
  }));
  const models = new Map<string, LoadedEntry>();
  for (const entry of manifest.models) models.set(entry.id, loadEntry(dir, entry));
  const summaries = manifest.models.map((m) => ({ id: m.id, version: m.version, sha256: m.sha256 }));
  const loaded = (id: string): LoadedEntry => {
    const m = models.get(id);
    if (m !== undefined) return m;
    // Unknown names every forest of the manifest, loaded or not, as a full registry would.
    if (!allForests.some((e) => e.id === id))
      throw new UnknownModelError(
        id,
        allForests.map((e) => e.id),
      );
    throw new ModelNotLoadedError(id, [...models.keys()]);
  };

  return {
    get(id: string): ForestModel {
      return loaded(id).model;
    },
    list(): ModelSummary[] {
      return summaries.map((s) => ({ ...s }));
    },
    describe(id: string): ModelDescription {
      return cloneDescription(loaded(id).description);
    },
    describeAll(): ModelDescription[] {
      return [...models.values()].map((m) => cloneDescription(m.description));
    },
    conditions(id: string): ConditionInfo[] | null {
      const c = loaded(id).conditions;
      return c === null ? null : c.map((x) => ({ ...x, icd10: x.icd10 === null ? null : { ...x.icd10 } }));
    },
    labelFeatureFrequencies(id: string): LabelFeatureFrequencies | null {
      return loaded(id).frequencies;
    },
    calibratedDifferential(id: string): CalibratedDifferential | null {
      return loaded(id).calibrated;
    },
    manifestModels(): ManifestModelSummary[] {
      return everyModel.map((m) => ({ ...m, scope: m.scope ? cloneScope(m.scope) : null, trainingData: m.trainingData ? { ...m.trainingData } : null }));
    },
  };
}
