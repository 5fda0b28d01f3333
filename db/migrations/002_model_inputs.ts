import type { Migration } from './migration';

/**
 * Risk models (heart disease, kidney disease, diabetes) take inputs that are neither symptoms nor
 * catalogue vitals/labs (chest-pain type, urine albumin grade, pregnancies…). They are stored as
 * entered, per model, so an auditor sees exactly what each model was given.
 */
export const modelInputs: Migration = {
  version: 2,
  name: 'risk model inputs',
  up(db) {
    db.exec(`
      CREATE TABLE model_inputs (
        encounter_id TEXT NOT NULL REFERENCES encounters(id),
        model_id TEXT NOT NULL,
        name TEXT NOT NULL,
        value_number REAL,
        value_text TEXT,
        CHECK ((value_number IS NULL) <> (value_text IS NULL)),
        PRIMARY KEY (encounter_id, model_id, name)
      ) STRICT;
    `);
  },
};
