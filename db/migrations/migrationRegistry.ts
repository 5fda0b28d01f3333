import type { Migration } from './migration';
import { initialSchema } from './001_initial';
import { modelInputs } from './002_model_inputs';

/** Ordered: a migration's version is its position. Append only; never edit a shipped migration. */
export const migrations: readonly Migration[] = [initialSchema, modelInputs];

export const latestSchemaVersion = migrations.length;
