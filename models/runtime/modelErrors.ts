/**
 * The one base of every error a model (or its inputs) raises. Its code is one of the contract's,
 * checked in electron/app/serviceErrors.ts (models/ imports nothing of ours), so the IPC layer
 * reads `code`, `field`, `modelId` and `file` off the error instead of mapping classes to codes.
 */
export type ModelErrorCode = 'MODEL_INTEGRITY' | 'VALIDATION_FAILED' | 'VALUE_OUT_OF_RANGE';

export abstract class ModelError extends Error {
  abstract readonly code: ModelErrorCode;
  /** The request field the error is about, where there is one. */
  declare field?: string;
  /** The model the error is about, where there is one. */
  declare modelId?: string;
  /** The file the error is about (an artefact, the manifest), where there is one. */
  declare file?: string;
}
