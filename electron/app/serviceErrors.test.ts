import { describe, expect, it } from 'vitest';
import { toErrorPayload } from './serviceErrors';
import { ImagingModelIntegrityError } from '../../models/runtime/imaging/imagingModels';
import { ModelIntegrityError } from '../../models/runtime/nlp/nlpModels';
import { ModelIntegrityError as ForestIntegrityError } from '../../models/runtime/registry';

describe('toErrorPayload', () => {
  it('maps an integrity failure of every model kind to MODEL_INTEGRITY (forest, imaging, NLP)', () => {
    for (const Err of [ImagingModelIntegrityError, ModelIntegrityError, ForestIntegrityError]) {
      const payload = toErrorPayload(new Err('pneumonia-xray', '/models/artefacts/pneumonia-xray/model.onnx', 'aa', 'bb'));
      expect(payload.code).toBe('MODEL_INTEGRITY');
    }
  });
});
