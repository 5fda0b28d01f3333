/**
 * Bulk commands over JSON Lines (`predict`, `segment`, `ner`, `negation`): one output record per
 * input line, in order; a bad line becomes `{"id", "error": {code, message, field?}}` and the run
 * goes on. These formats are how the product is evaluated from outside: keep them stable.
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { InputFileTooLargeError, checkInputFileSize, inputFileLimits, readInputFile } from '../app/inputFileLimits';
import { join } from 'node:path';
import type { ErrorPayload } from '../contract/ipcContract';
import { FeatureError, loadModelRegistry } from '../../models/runtime/registry';
import type { ImageContext } from '../../models/runtime/imaging/imageAssessment';
import { parsePatientContext, predictInScope } from '../../models/runtime/scopedPrediction';
import { differentialLineWriter } from './differentialLine';
import { findingsLineScanner } from './findingsLineScanner';
import { LineError } from './lineError';

// Imaging (onnxruntime, decoders, pngjs), NLP and the services' error mapping load on first use
// (import() below): `lantern predict` over a forest needs none of them.
export { LineError } from './lineError';

type LineId = string | number | null;

async function lineErrorPayload(err: unknown): Promise<ErrorPayload> {
  if (err instanceof LineError) return { code: 'VALIDATION_FAILED', message: err.message, ...(err.field ? { field: err.field } : {}) };
  if (err instanceof FeatureError) {
    return { code: 'VALIDATION_FAILED', message: err.message, ...(err.feature ? { field: `features.${err.feature}` } : {}) };
  }
  const { toErrorPayload } = await import('../app/serviceErrors.js');
  // Line records keep the README's `{code, message, field?}`; the model and file pointers are for the app.
  const { code, message, field } = toErrorPayload(err);
  return field === undefined ? { code, message } : { code, message, field };
}

/**
 * The input's lines as readline (crlfDelay Infinity) gives them: split at \n, \r\n or a lone \r.
 * Read whole (a few MB for 20,000 lines): one read and split is cheaper than a line stream.
 */
function inputLines(inputPath: string): string[] {
  return readFileSync(inputPath, 'utf8').split(/\r?\n|\r(?!\n)/);
}

/** A whole output line, already serialised exactly as JSON.stringify({id, ...fields}) would write it. */
export class SerialisedLine {
  constructor(readonly text: string) {}
}

/** A handler's answer: the fields after "id", or the whole line. */
export type LineOutput = Record<string, unknown> | SerialisedLine;

/**
 * Reads `inputPath` line by line, calls `handle` on each parsed object, returns the output records.
 * A handler may answer a SerialisedLine (the batch differential serialises its own lines).
 */
export async function mapJsonLines(
  inputPath: string,
  handle: (line: Record<string, unknown>, id: LineId) => Promise<LineOutput> | LineOutput,
): Promise<{ records: string[]; failed: number }> {
  const records: string[] = [];
  const { failed } = await eachJsonLine(inputPath, handle, (record) => records.push(record));
  return { records, failed };
}

/**
 * mapJsonLines straight into `outputPath`, a few thousand lines at a time: a batch of 20,000
 * differentials is tens of MB of output, and holding it all until the end costs more in garbage
 * collection than the predictions. The input is read in full before the output is opened.
 */
export async function mapJsonLinesToFile(
  inputPath: string,
  outputPath: string,
  handle: (line: Record<string, unknown>, id: LineId) => Promise<LineOutput> | LineOutput,
  fast?: FastLine,
): Promise<{ written: number; failed: number }> {
  let fd: number | null = null;
  // Each line is encoded straight into one reused buffer (no join into a big string, then a second
  // copy to encode it): the same bytes, a tenth of the CPU for tens of MB.
  let buf = Buffer.allocUnsafe(OUTPUT_BUFFER_BYTES);
  let used = 0;
  let written = 0;
  const flush = () => {
    fd ??= openSync(outputPath, 'w');
    if (used > 0) writeSync(fd, buf, 0, used);
    used = 0;
  };
  try {
    const { failed } = await eachJsonLine(
      inputPath,
      handle,
      (record) => {
        written += 1;
        // UTF-8 takes at most 3 bytes per UTF-16 unit; the newline 1.
        const most = 3 * record.length + 1;
        if (used + most > buf.length) {
          flush();
          if (most > buf.length) buf = Buffer.allocUnsafe(most);
        }
        used += buf.write(record, used, 'utf8');
        buf[used++] = 0x0a;
      },
      fast,
    );
    flush();
    return { written, failed };
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

const OUTPUT_BUFFER_BYTES = 4 << 20;

/**
 * A shortcut for lines of one common shape: the whole output line for the raw input line, or null
 * to take the general way (JSON.parse, then the handler). It must answer exactly what the general
 * way would, and never throw.
 */
export type FastLine = (raw: string) => string | null;

async function eachJsonLine(
  inputPath: string,
  handle: (line: Record<string, unknown>, id: LineId) => Promise<LineOutput> | LineOutput,
  emit: (record: string) => void,
  fast?: FastLine,
): Promise<{ failed: number }> {
  try {
    checkInputFileSize(inputPath, inputFileLimits.jsonl, 'a JSONL input');
  } catch (err) {
    // A missing file is reported by the read below, as before.
    if (err instanceof InputFileTooLargeError) throw new LineError(err.message);
  }
  const lines = inputLines(inputPath);
  let failed = 0;
  let lineNo = 0;
  for (const raw of lines) {
    lineNo += 1;
    if (raw.trim() === '') continue;
    const shortcut = fast === undefined ? null : fast(raw);
    if (shortcut !== null) {
      emit(shortcut);
      continue;
    }
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
      // Synchronous handlers (the forests) are not awaited: a microtask per line is measurable in bulk.
      const answer = handle(json as Record<string, unknown>, id);
      const out = answer instanceof Promise ? await answer : answer;
      emit(out instanceof SerialisedLine ? out.text : JSON.stringify({ id, ...out }));
    } catch (err) {
      failed += 1;
      emit(JSON.stringify({ id, error: await lineErrorPayload(err) }));
    }
  }
  return { failed };
}

/** Lines per write: one string of a few MB at a time, not one of the whole output (tens of MB for 20,000 differentials). */
const RECORDS_PER_WRITE = 2048;

function writeRecords(outputPath: string, records: string[]): void {
  const fd = openSync(outputPath, 'w');
  try {
    for (let i = 0; i < records.length; i += RECORDS_PER_WRITE) {
      writeSync(fd, `${records.slice(i, i + RECORDS_PER_WRITE).join('\n')}\n`);
    }
  } finally {
    closeSync(fd);
  }
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
  const [{ decodeImageFile, sniffImageKind }, { decodeDicom }] = await Promise.all([
    import('../app/imaging/imageDecode.js'),
    import('../app/imaging/dicomDecode.js'),
  ]);
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

export async function predictCommand(modelId: string, inputPath: string, outputPath: string): Promise<string> {
  let handle: (line: Record<string, unknown>, id: LineId) => Promise<LineOutput> | LineOutput;
  let fast: FastLine | undefined;
  if (modelId === 'pneumonia-xray') {
    const [{ assessImage }, { classifyPneumonia }] = await Promise.all([
      import('../../models/runtime/imaging/imageAssessment.js'),
      import('../../models/runtime/imaging/imagingModels.js'),
    ]);
    handle = async (line) => {
      const { image, context } = await readImage(line);
      const assessment = await assessImage(modelId, image, context);
      if (assessment.abstained !== null) return { abstained: assessment.abstained };
      return { probabilities: (await classifyPneumonia(image)).probabilities };
    };
  } else {
    // Only the requested forest is read and verified (sha256), not the whole manifest's.
    const registry = loadModelRegistry(undefined, { only: [modelId] });
    if (!registry.list().some((m) => m.id === modelId)) {
      const { imageModelIds } = await import('../contract/ipcContract.js');
      if ((imageModelIds as readonly string[]).includes(modelId)) throw new LineError(`model ${modelId} is a segmentation model: use "lantern segment"`);
    }
    const model = registry.get(modelId);
    const { scope } = registry.describe(modelId);
    const calibrated = registry.calibratedDifferential(modelId);
    const writeLine = calibrated === null ? null : differentialLineWriter(calibrated.model.labels);
    // The common line shape skips JSON.parse (findingsLineScanner.ts); every other line comes to handle() below.
    const scan = calibrated !== null && model.inputs.every((s) => s.type === 'binary') ? findingsLineScanner(calibrated.model.features) : null;
    if (calibrated !== null && writeLine !== null && scan !== null) {
      fast = (raw) => {
        const f = scan(raw);
        if (f === null) return null;
        const a = calibrated.assessIndices(f.present, f.absent);
        if (a.kind === 'abstained') return JSON.stringify({ id: f.id, abstained: { code: a.abstained.code, message: a.abstained.message } });
        return writeLine(f.id, a.p, a.warning);
      };
    }
    handle = (line, id) => {
      const features = line['features'];
      if (typeof features !== 'object' || features === null || Array.isArray(features)) throw new LineError('"features" must be an object', 'features');
      const context = parsePatientContext(line['patient']);
      if ('problem' in context) throw new LineError(context.problem, context.field);
      if (calibrated !== null && writeLine !== null) {
        // The symptom differential: calibrated, abstains on thin or empty presentations, warns when not covered.
        const a = calibrated.assessFlat(features as Record<string, unknown>);
        if (a.kind === 'abstained') return { abstained: { code: a.abstained.code, message: a.abstained.message } };
        // id is a string or number here (eachJsonLine checked it); p is read before the next line reuses it.
        return new SerialisedLine(writeLine(id as string | number, a.p, a.warning));
      }
      const outcome = predictInScope(model, scope, features as Record<string, unknown>, { patient: context.patient });
      if (outcome.kind === 'abstained') return { abstained: { code: outcome.abstained.code, message: outcome.abstained.message } };
      const { probabilities, imputed } = outcome.result;
      return imputed.length ? { probabilities, imputed } : { probabilities };
    };
  }
  const { written, failed } = await mapJsonLinesToFile(inputPath, outputPath, handle, fast);
  return `${written - failed} predicted, ${failed} with errors → ${outputPath}`;
}

/** Ids become file names: letters, digits and `._-` only, so an id cannot escape the output folder. */
const safeFileId = /^[A-Za-z0-9._-]{1,200}$/;

export async function segmentCommand(modelId: string, inputPath: string, outputDir: string): Promise<string> {
  if (modelId !== 'retina-vessels') throw new LineError(`model ${modelId} does not segment; segmentation models: retina-vessels`);
  mkdirSync(outputDir, { recursive: true });
  const [{ PNG }, { assessImage }, { segmentVessels }] = await Promise.all([
    import('pngjs'),
    import('../../models/runtime/imaging/imageAssessment.js'),
    import('../../models/runtime/imaging/imagingModels.js'),
  ]);
  let abstained = 0;
  const { records, failed } = await mapJsonLines(inputPath, async (line, id) => {
    if (!safeFileId.test(String(id)) || String(id).startsWith('.'))
      throw new LineError('"id" must be letters, digits, ".", "_" or "-" to name the output file', 'id');
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
  const { recogniseEntities } = await import('../../models/runtime/nlp/clinicalText.js');
  const { records, failed } = await mapJsonLines(inputPath, async (line) => {
    // Every disease (model + clinical vocabulary) and symptom (lexicon + vocabulary) mention, English or Chinese.
    const entities = await recogniseEntities(requireString(line, 'text'));
    return { entities: entities.map(({ start, end, label, text, assertion }) => ({ start, end, label, text, assertion })) };
  });
  writeRecords(outputPath, records);
  return `${records.length - failed} notes, ${failed} with errors → ${outputPath}`;
}

export async function negationCommand(inputPath: string, outputPath: string): Promise<string> {
  const { conceptNegationStatus } = await import('../../models/runtime/nlp/clinicalText.js');
  const { records, failed } = await mapJsonLines(inputPath, (line) => ({
    // "not-found" when the concept does not occur (nothing negates it, but nothing affirms it either)
    status: conceptNegationStatus(requireString(line, 'text'), requireString(line, 'concept')),
  }));
  writeRecords(outputPath, records);
  return `${records.length - failed} lines, ${failed} with errors → ${outputPath}`;
}
