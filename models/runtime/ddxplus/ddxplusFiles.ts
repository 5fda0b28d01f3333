/**
 * Builds the `ddxplus-differential` runtime from the model registry: the forest (verified by the
 * registry) plus its evidences, answer-frequencies, scope and calibration files, each checked against the
 * manifest's SHA-256 before it is parsed. Node built-ins only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { resolveModelsDir } from '../common/paths';
import { loadModelRegistry, ModelIntegrityError, sha256Hex, type ModelRegistry } from '../registry';
import { validateDdxCalibration } from './ddxplusCalibration';
import { validateEvidencesFile } from './ddxplusEncoding';
import { DdxplusModel, type AnswerFrequenciesFile, type DdxScope } from './ddxplusModel';

export const DDXPLUS_MODEL_ID = 'ddxplus-differential';

export const SCOPE_FILE_FORMAT = 'lantern-ddxplus-scope/1';

function readJson(modelsDir: string, modelId: string, rel: string, sha: string): unknown {
  const file = path.resolve(modelsDir, rel);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new ModelIntegrityError(modelId, file, sha, 'missing file', (e as Error).message);
  }
  const actual = sha256Hex(bytes);
  if (actual !== sha) throw new ModelIntegrityError(modelId, file, sha, actual);
  return JSON.parse(bytes.toString('utf8'));
}

const cache = new Map<string, DdxplusModel>();

/** The DDXPlus model from `modelsDir` (default: the project's models/); cached per folder. */
export function loadDdxplusModel(modelsDir?: string, registry?: ModelRegistry): DdxplusModel {
  const dir = path.resolve(modelsDir ?? resolveModelsDir(__dirname));
  const hit = cache.get(dir);
  if (hit !== undefined) return hit;
  const reg = registry ?? loadModelRegistry(dir);
  const forest = reg.get(DDXPLUS_MODEL_ID);
  const files = reg.describe(DDXPLUS_MODEL_ID).files;
  const byRole = (role: string): unknown => {
    const f = files.find((x) => x.role === role);
    if (f === undefined) throw new ModelIntegrityError(DDXPLUS_MODEL_ID, role, `a "${role}" file in the manifest`, 'none');
    return readJson(dir, DDXPLUS_MODEL_ID, f.path, f.sha256);
  };
  const evidences = validateEvidencesFile(byRole('ddxplus-evidences'));
  const scopeJson = byRole('ddxplus-scope') as { format?: string; ageYears?: { min: number; max: number }; initialEvidences?: string[] };
  if (scopeJson.format !== SCOPE_FILE_FORMAT || scopeJson.ageYears === undefined || !Array.isArray(scopeJson.initialEvidences)) {
    throw new ModelIntegrityError(DDXPLUS_MODEL_ID, 'scope.json', 'a valid scope file', 'an invalid one');
  }
  const scope: DdxScope = { ageYears: scopeJson.ageYears, initialEvidences: scopeJson.initialEvidences };
  const freqJson = byRole('ddxplus-answer-frequencies');
  // Calibration is written after training (calibrateDdxplus.ts); a model without it gives raw vote fractions.
  const temperature = files.some((f) => f.role === 'ddxplus-calibration') ? validateDdxCalibration(byRole('ddxplus-calibration')).temperature : 1;
  // The constructor validates the frequencies against the forest's labels and the evidences.
  const model = new DdxplusModel(forest, evidences, freqJson as AnswerFrequenciesFile, scope, temperature);
  cache.set(dir, model);
  return model;
}
