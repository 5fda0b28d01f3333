import type { Migration } from './migration';

/**
 * Placeholder for version 5, which another change (on a parallel branch) takes. Migration 006
 * (patient details) needs a version 5 before it on this branch. When the real 005 is merged it
 * replaces this file in the registry; a database made by this branch alone has nothing from 005.
 */
export const reservedFive: Migration = {
  version: 5,
  name: 'reserved (taken by a parallel change)',
  up() {
    // Intentionally empty: see above.
  },
};
