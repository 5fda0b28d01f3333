/**
 * Bulk commands over JSON Lines (`predict`, `segment`, `ner`, `negation`): one output record per
 * input line, in order; a bad line becomes `{"id", "error": {code, message, field?}}` and the run
 * goes on. These formats are how the product is evaluated from outside: keep them stable.
 */
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { InputFileTooLargeError, checkInputFileSize, inputFileLimits, readInputFile } from '../services/inputFileLimits';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PNG } from 'pngjs';
import type { ErrorPayload } from '../contract/ipcContract';
import { imageModelIds } from '../contract/ipcContract';
import { toErrorPayload } from '../services/serviceErrors';
import { FeatureError, loadModelRegistry } from '../../models/registry';
import { classifyPneumonia, segmentVessels } from '../../models/imaging/imagingModels';
import { decodeImageFile, sniffImageKind } from '../services/imaging/imageDecode';
import { decodeDicom } from '../services/imaging/dicomDecode';
import { assessImage, type ImageContext } from '../../models/imaging/imageAssessment';
import { conceptNegationStatus, recogniseEntities } from '../../models/nlp/clinicalText';
import { parsePatientContext, predictInScope } from '../../models/scopedPrediction';

/** A problem with one input line, reported in that line's error record. */
export class LineError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

type LineId = string | number | null;

function lineErrorPayload(err: unknown): ErrorPayload {
  if (err instanceof LineError) return { code: 'VALIDATION_FAILED', message: err.message, ...(err.field ? { field: err.field } : {}) };
  if (err instanceof FeatureError) {
    return { code: 'VALIDATION_FAILED', message: err.message, ...(err.feature ? { field: `features.${err.feature}` } : {}) };
  }
  return toErrorPayload(err);
}

/** Reads `inputPath` line by line, calls `handle` on each parsed object, returns the output records. */
export async function mapJsonLines(
  inputPath: string,
  handle: (line: Record<string, unknown>, id: LineId) => Promise<Record<string, unknown>> | Record<string, unknown>,
): Promise<{ records: string[]; failed: number }> {
  const records: string[] = [];
  let failed = 0;
  let lineNo = 0;
  try {
    checkInputFileSize(inputPath, inputFileLimits.jsonl, 'a JSONL input');
  } catch (err) {
    // A missing file is reported by the stream below, as before.
    if (err instanceof InputFileTooLargeError) throw new LineError(err.message);
  }
  for await (const raw of createInterface({ input: createReadStream(inputPath), crlfDelay: Infinity })) {
    lineNo += 1;
    if (raw.trim() === '') continue;
    let id: LineId = null;
    try {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        throw new LineError(`line ${lineNo} is not valid JSON`);
      }
      if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new LineError(`line ${lineNo} is not a JSON object`);
      const rawId = (json as { id?: unknown }).id;
      if (typeof rawId === 'string' || typeof rawId === 'number') id = rawId;
      else throw new LineError(`line ${lineNo}: "id" must be a string or number`, 'id');
      records.push(JSON.stringify({ id, ...(await handle(json as Record<string, unknown>, id)) }));
    } catch (err) {
      failed += 1;
      records.push(JSON.stringify({ id, error: lineErrorPayload(err) }));
    }
  }
  return { records, failed };
}

function writeRecords(outputPath: string, records: string[]): void {
  writeFileSync(outputPath, records.length ? `${records.join('\n')}\n` : '');
}

function requireString(line: Record<string, unknown>, key: string): string {
  const v = line[key];
  if (typeof v !== 'string') throw new LineError(`"${key}" must be a string`, key);
  return v;
}

/** The line's image, decoded, with what the imaging models' input rules need: DICOM tags and the patient. */
async function readImage(line: Record<string, unknown>) {
  const path = requireString(line, 'image');
  let bytes: Buffer;
  try {
    bytes = readInputFile(path, inputFileLimits.image, 'an image');
  } catch (err) {
    if (err instanceof InputFileTooLargeError) throw new LineError(err.message, 'image');
    throw new LineError(`cannot read image ${path}: ${(err as Error).message}`, 'image');
  }
  const image = await decodeImageFile(bytes, path);
  const context: ImageContext = {};
  if (sniffImageKind(bytes, path) === 'dicom') context.dicom = decodeDicom(bytes, path).header;
  const patient = line['patient'];
  if (patient !== undefined) {
    if (typeof patient !== 'object' || patient === null || Array.isArray(patient)) throw new LineError('"patient" must be an object', 'patient');
    const { ageYears, sex } = patient as Record<string, unknown>;
    if (ageYears !== undefined && (typeof ageYears !== 'number' || !Number.isFinite(ageYears) || ageYears < 0 || ageYears > 130)) {
      throw new LineError('"patient.ageYears" must be a number of years from 0 to 130', 'patient.ageYears');
    }
    if (sex !== undefined && sex !== 'female' && sex !== 'male') throw new LineError('"patient.sex" must be "female" or "male"', 'patient.sex');
    context.patient = { ...(ageYears !== undefined ? { ageYears } : {}), ...(sex !== undefined ? { sex } : {}) };
  }
  return { image, context };
}

const isImageModel = (id: string): id is (typeof imageModelIds)[number] => (imageModelIds as readonly string[]).includes(id);

export async function predictCommand(modelId: string, inputPath: string, outputPath: string): Promise<string> {
  let handle: (line: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>;
  if (modelId === 'pneumonia-xray') {
    handle = async (line) => {
      const { image, context } = await readImage(line);
      const assessment = await assessImage(modelId, image, context);
      if (assessment.abstained !== null) return { abstained: assessment.abstained };
      return { probabilities: (await classifyPneumonia(image)).probabilities };
    };
  } else if (isImageModel(modelId)) {
    throw new LineError(`model ${modelId} is a segmentation model: use "lantern segment"`);
  } else {
    const registry = loadModelRegistry();
    const model = registry.get(modelId);
    const { scope } = registry.describe(modelId);
    const calibrated = registry.calibratedDifferential(modelId);
    handle = (line) => {
      const features = line['features'];
      if (typeof features !== 'object' || features === null || Array.isArray(features)) throw new LineError('"features" must be an object', 'features');
      const context = parsePatientContext(line['patient']);
      if ('problem' in context) throw new LineError(context.problem, context.field);
      if (calibrated !== null) {
        // The symptom differential: calibrated, abstains on thin or empty presentations, warns when not covered.
        const a = calibrated.assess(features as Record<string, unknown>);
        if (a.kind === 'abstained') return { abstained: { code: a.abstained.code, message: a.abstained.message } };
        return a.warning ? { probabilities: a.probabilities, warning: a.warning } : { probabilities: a.probabilities };
      }
      const outcome = predictInScope(model, scope, features as Record<string, unknown>, { patient: context.patient });
      if (outcome.kind === 'abstained') return { abstained: { code: outcome.abstained.code, message: outcome.abstained.message } };
      const { probabilities, imputed } = outcome.result;
      return imputed.length ? { probabilities, imputed } : { probabilities };
    };
  }
  const { records, failed } = await mapJsonLines(inputPath, handle);
  writeRecords(outputPath, records);
  return `${records.length - failed} predicted, ${failed} with errors → ${outputPath}`;
}

/** Ids become file names: letters, digits and `._-` only, so an id cannot escape the output folder. */
const safeFileId = /^[A-Za-z0-9._-]{1,200}$/;

export async function segmentCommand(modelId: string, inputPath: string, outputDir: string): Promise<string> {
  if (modelId !== 'retina-vessels') throw new LineError(`model ${modelId} does not segment; segmentation models: retina-vessels`);
  mkdirSync(outputDir, { recursive: true });
  let abstained = 0;
  const { records, failed } = await mapJsonLines(inputPath, async (line, id) => {
    if (!safeFileId.test(String(id)) || String(id).startsWith('.')) throw new LineError('"id" must be letters, digits, ".", "_" or "-" to name the output file', 'id');
    const { image, context } = await readImage(line);
    // An image the model is not for gets no map at all, only its abstention in the log.
    const assessment = await assessImage(modelId, image, context);
    if (assessment.abstained !== null) {
      abstained++;
      return { abstained: assessment.abstained };
    }
    const result = await segmentVessels(image);
    const png = new PNG({ width: result.width, height: result.height, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
    const grey = Buffer.alloc(result.width * result.height);
    for (let i = 0; i < grey.length; i++) grey[i] = Math.round(Math.min(1, Math.max(0, result.probability[i]!)) * 255);
    png.data = grey;
    const file = join(outputDir, `${String(id)}.png`);
    writeFileSync(file, PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
    return { output: file, width: result.width, height: result.height };
  });
  writeRecords(join(outputDir, 'segment-log.jsonl'), records);
  return `${records.length - failed - abstained} segmented, ${abstained} not analysable, ${failed} with errors → ${outputDir}${failed || abstained ? ' (see segment-log.jsonl)' : ''}`;
}

export async function nerCommand(inputPath: string, outputPath: string): Promise<string> {
  const { records, failed } = await mapJsonLines(inputPath, async (line) => {
    // Every disease (model + clinical vocabulary) and symptom (lexicon + vocabulary) mention, English or Chinese.
    const entities = await recogniseEntities(requireString(line, 'text'));
    return { entities: entities.map(({ start, end, label, text, assertion }) => ({ start, end, label, text, assertion })) };
  });
  writeRecords(outputPath, records);
  return `${records.length - failed} notes, ${failed} with errors → ${outputPath}`;
}

export async function negationCommand(inputPath: string, outputPath: string): Promise<string> {
  const { records, failed } = await mapJsonLines(inputPath, (line) => ({
    // "not-found" when the concept does not occur (nothing negates it, but nothing affirms it either)
    status: conceptNegationStatus(requireString(line, 'text'), requireString(line, 'concept')),
  }));
  writeRecords(outputPath, records);
  return `${records.length - failed} lines, ${failed} with errors → ${outputPath}`;
}
