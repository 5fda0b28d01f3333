import { describe, expect, it } from 'vitest';
import { LanternError, toErrorPayload } from './serviceErrors';
import { ImagingModelIntegrityError, UnknownImagingModelError } from '../../models/runtime/imaging/imagingModels';
import { ModelIntegrityError } from '../../models/runtime/nlp/nlpModels';
import { FeatureError, ModelIntegrityError as ForestIntegrityError } from '../../models/runtime/registry';
import { checkPlausible, loadClinicalCatalogue } from '../../models/runtime/vocab/clinicalCatalogue';
import { backupTruncated } from '../../db/backupErrors';
import { recordNotFound, wrongPassphrase } from '../../db/dbErrors';
import { NotDicomError } from './imaging/imagingErrors';

describe('toErrorPayload', () => {
  it('maps an integrity failure of every model kind to MODEL_INTEGRITY with the model and file it names (forest, imaging, NLP)', () => {
    for (const Err of [ImagingModelIntegrityError, ModelIntegrityError, ForestIntegrityError]) {
      const payload = toErrorPayload(new Err('pneumonia-xray', '/models/artefacts/pneumonia-xray/model.onnx', 'aa', 'bb'));
      expect(payload).toMatchObject({ code: 'MODEL_INTEGRITY', modelId: 'pneumonia-xray', file: 'model.onnx' });
    }
    expect(toErrorPayload(new UnknownImagingModelError('x', []))).toEqual({
      code: 'MODEL_INTEGRITY',
      message: 'unknown imaging model "x" (known: none)',
      modelId: 'x',
    });
  });

  it('keeps the thrower’s code, message and field, and adds no pointer the error does not have', () => {
    expect(toErrorPayload(new LanternError('VALIDATION_FAILED', 'The login "a" is taken.', { field: 'login' }))).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'The login "a" is taken.',
      field: 'login',
    });
    expect(toErrorPayload(wrongPassphrase())).toEqual({ code: 'WRONG_PASSPHRASE', message: 'Wrong passphrase. The database was not opened.' });
    expect(toErrorPayload(recordNotFound('case', 'c1'))).toEqual({ code: 'NOT_FOUND', message: 'No case with id c1.' });
  });

  it('names the field of a model-input error and of an implausible value', () => {
    expect(toErrorPayload(new FeatureError('itching', 'no input "itching"'))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'findings.itching' });
    expect(toErrorPayload(new FeatureError('', 'findings must be an object'))).not.toHaveProperty('field');
    const heartRate = loadClinicalCatalogue().vitals.find((v) => v.code === 'heartRate')!;
    const thrown = (() => {
      try {
        checkPlausible(heartRate, 720, 'vitals.heartRate');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(toErrorPayload(thrown)).toMatchObject({ code: 'VALUE_OUT_OF_RANGE', field: 'vitals.heartRate' });
  });

  it('names the file of a backup or image failure by its base name only', () => {
    expect(toErrorPayload(backupTruncated('/backups/b1/lantern.db', 100, 10))).toMatchObject({ code: 'BACKUP_TRUNCATED', file: 'lantern.db' });
    expect(toErrorPayload(new NotDicomError('scan.dcm'))).toMatchObject({ code: 'IMAGE_UNREADABLE', file: 'scan.dcm' });
  });

  it('answers INTERNAL, without the thrown text, for an error no one named', () => {
    expect(toErrorPayload(new Error('secret /path/detail'))).toEqual({
      code: 'INTERNAL',
      message: 'An unexpected error occurred. Nothing was partially saved.',
    });
  });
});
