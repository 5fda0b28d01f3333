/**
 * What crosses the worker boundary: a model error raised in the worker reaches the app as the same
 * class (so its code is MODEL_INTEGRITY, naming the model and file), where the runner lists it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ModelIntegrityError } from '../../models/runtime/modelFiles';
import { toErrorPayload } from './serviceErrors';
import { WorkerJobRunner } from './workerJobRunner';

const runners: WorkerJobRunner<string, string>[] = [];
afterEach(() => runners.splice(0).forEach((r) => r.close()));

function runner(errors: readonly (typeof ModelIntegrityError)[]): WorkerJobRunner<string, string> {
  const r = new WorkerJobRunner<string, string>('testing/modelIntegrityWorker', 60_000, () => 'too slow', errors);
  runners.push(r);
  return r;
}

describe('WorkerJobRunner', () => {
  it('answers a job from the worker', async () => {
    await expect(runner([]).run('note')).resolves.toBe('done: note');
  });

  it('rebuilds a listed model error as itself: MODEL_INTEGRITY with its model and file, not INTERNAL', async () => {
    const err = await runner([ModelIntegrityError])
      .run('tampered')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelIntegrityError);
    expect(toErrorPayload(err)).toMatchObject({ code: 'MODEL_INTEGRITY', modelId: 'disease-ner', file: 'model.onnx' });
  });

  it('an unlisted error class arrives as a plain error', async () => {
    const err = await runner([])
      .run('tampered')
      .catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(ModelIntegrityError);
    expect(toErrorPayload(err).code).toBe('INTERNAL');
  });
});
