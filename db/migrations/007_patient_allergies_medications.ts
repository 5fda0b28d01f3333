import type { Migration } from './migration';

/**
 * Allergies and current medications on the patient, as ordered lists of coded entries (ATC code and
 * its English name) or uncoded free text (code NULL). `no_known_allergies` records that the
 * clinician asked and there were none: an empty list alone means nobody asked, and absent is
 * evidence while unknown is not.
 */
export const patientAllergiesMedications: Migration = {
  version: 7,
  name: 'patient allergies and current medications',
  up(db) {
    db.exec(`
      ALTER TABLE patients ADD COLUMN no_known_allergies INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE patient_list_entries (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients(id),
        list TEXT NOT NULL CHECK (list IN ('allergy', 'medication')),
        position INTEGER NOT NULL,
        code TEXT,
        code_system TEXT,
        display TEXT NOT NULL,
        note TEXT,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT REFERENCES users(id),
        CHECK ((code IS NULL) = (code_system IS NULL))
      );
      CREATE INDEX patient_list_entries_by_patient ON patient_list_entries(patient_id, list, position);
    `);
  },
};
