/**
 * Imaging models off the main thread, with a time budget per image (see workerJobRunner.ts). One
 * runner per process, made on first use: the worker keeps the models loaded between images.
 */
import { WorkerJobRunner } from '../workerJobRunner';
import type { ImageModelJob, ImageModelOutcome } from './imageModelCompute';
import * as imagingErrors from './imagingErrors';
import { ImagingModelIntegrityError, UnknownImagingModelError } from '../../../models/runtime/imaging/imagingModels';

export const defaultImageBudgetMs = 120_000;

type ErrorClass = abstract new (...args: never[]) => Error;
const isErrorClass = (v: unknown): v is ErrorClass => typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof Error;
const rebuildable: ErrorClass[] = [...(Object.values(imagingErrors) as unknown[]).filter(isErrorClass), ImagingModelIntegrityError, UnknownImagingModelError];

export type ImageModelRunner = WorkerJobRunner<ImageModelJob, ImageModelOutcome>;

export function createImageModelRunner(budgetMs = defaultImageBudgetMs): ImageModelRunner {
  return new WorkerJobRunner<ImageModelJob, ImageModelOutcome>(
    'imaging/imageModelWorker',
    budgetMs,
    (ms) => `Running the imaging model took longer than ${Math.round(ms / 1000)} s and was stopped.`,
    rebuildable,
  );
}

let shared: ImageModelRunner | null = null;

export function sharedImageModelRunner(): ImageModelRunner {
  return (shared ??= createImageModelRunner());
}
