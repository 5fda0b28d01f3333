import { describe, expect, it } from 'vitest';
import { toErrorPayload } from './serviceErrors';
import { ImagingModelIntegrityError } from '../../models/imaging/imagingModels';
import { ModelIntegrityError } from '../../models/nlp/nlpModels';
import { ModelIntegrityError as ForestIntegrityError } from '../../models/registry';

describe('toErrorPayload', () => {
  it('maps an integrity failure of every model kind to MODEL_INTEGRITY (forest, imaging, NLP)', () => {
    for (const Err of [ImagingModelIntegrityError, ModelIntegrityError, ForestIntegrityError]) {
      const payload = toErrorPayload(new Err('pneumonia-xray', '/models/pneumonia-xray/model.onnx', 'aa', 'bb'));
      expect(payload.code).toBe('MODEL_INTEGRITY');
    }
  });
});
