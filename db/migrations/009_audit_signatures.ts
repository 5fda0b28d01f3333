import type { Migration } from './migration';

/**
 * Each audit event is signed by its actor over its hash (see db/auditSigning.ts). `signed_by` is
 * the signer: the event's user id, or `install` for system events. Not part of the hash (the
 * signature is over it). Events written before this migration have neither: verification reports
 * them as unsigned legacy events, not as breaks.
 */
export const auditSignatures: Migration = {
  version: 9,
  name: 'audit event signatures',
  up(db) {
    db.exec(`
      ALTER TABLE audit_events ADD COLUMN signed_by TEXT;
      ALTER TABLE audit_events ADD COLUMN signature TEXT;
    `);
  },
};
