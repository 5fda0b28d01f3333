import type { Migration } from './migration';

/**
 * How a clinic finds and identifies a patient besides the name: an identifier (MRN or national
 * ID, searchable by a normalised key), a phone number and a village or address. All optional:
 * patients recorded before have none, and many rural patients have no ID.
 */
export const patientDetails: Migration = {
  version: 6,
  name: 'patient identifier, phone and address',
  up(db) {
    db.exec(`
      ALTER TABLE patients ADD COLUMN identifier TEXT;
      ALTER TABLE patients ADD COLUMN identifier_search TEXT;
      ALTER TABLE patients ADD COLUMN phone TEXT;
      ALTER TABLE patients ADD COLUMN address TEXT;
      CREATE INDEX patients_by_identifier ON patients(identifier_search);
      CREATE INDEX patients_by_birth_date ON patients(birth_date);
    `);
  },
};
