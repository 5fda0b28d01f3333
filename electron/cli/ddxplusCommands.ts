/**
 * `lantern predict --model ddxplus-differential` and `lantern ask-next --model ddxplus-differential`
 * over JSON Lines. Input line: {"id", "patient": {"ageYears", "sex"}, "features": {"E_91": 1,
 * "E_56": 7, "E_55": ["V_29"], ...}} (a missing key is unknown). Output: {"id", "probabilities"}
 * (ask-next adds "askNext": [{"feature", "gain"}], best first), {"id", "abstained": {code, message}}
 * outside the model's scope, or {"id", "error": {code, message, field}} for a bad value.
 */
import { writeFileSync } from 'node:fs';
import { DDXPLUS_MODEL_ID, loadDdxplusModel } from '../../models/runtime/ddxplus/ddxplusFiles';
import { DdxInputError } from '../../models/runtime/ddxplus/ddxplusEncoding';
import { LineError, mapJsonLines } from './jsonlCommands';

/** How many questions ask-next lists per line. */
export const ASK_NEXT_COUNT = 5;

export function isDdxplusModel(modelId: string): boolean {
  return modelId === DDXPLUS_MODEL_ID;
}

function asLineError(err: unknown): unknown {
  return err instanceof DdxInputError ? new LineError(err.message, err.field) : err;
}

export async function ddxplusCommand(mode: 'predict' | 'ask-next', modelId: string, inputPath: string, outputPath: string): Promise<string> {
  if (!isDdxplusModel(modelId)) throw new LineError(`"lantern ${mode}" with interview questions is for ${DDXPLUS_MODEL_ID}; got ${modelId}`);
  const model = loadDdxplusModel();
  const { records, failed } = await mapJsonLines(inputPath, (line) => {
    try {
      const { patient, features } = model.parse(line['patient'], line['features'] ?? {});
      const result = model.predictChecked(patient, features);
      if ('abstained' in result || mode === 'predict') return result;
      return { ...result, askNext: model.askNext(patient, features, ASK_NEXT_COUNT) };
    } catch (err) {
      throw asLineError(err);
    }
  });
  writeFileSync(outputPath, records.length ? `${records.join('\n')}\n` : '');
  return `${records.length - failed} ${mode === 'predict' ? 'predicted' : 'answered'}, ${failed} with errors → ${outputPath}`;
}
