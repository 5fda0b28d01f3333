import type { Migration } from './migration';
import { initialSchema } from './001_initial';

/** Ordered: a migration's version is its position. Append only; never edit a shipped migration. */
export const migrations: readonly Migration[] = [initialSchema];

export const latestSchemaVersion = migrations.length;
