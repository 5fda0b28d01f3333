import type { Migration } from './migration';

/**
 * Accountability: users sign in by a login name (several accounts share one workstation), and the
 * clinician's final diagnosis carries its ICD-10 code and who recorded it, so agreement with the
 * model and disease counts can be computed from what clinicians confirmed.
 */
export const accountability: Migration = {
  version: 3,
  name: 'logins and coded final diagnoses',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN login TEXT;
      -- Accounts made before logins existed get one from their display name.
      UPDATE users SET login = lower(replace(trim(display_name), ' ', '.')) WHERE login IS NULL;
      CREATE UNIQUE INDEX users_by_login ON users(login);

      ALTER TABLE encounters ADD COLUMN final_diagnosis_icd10 TEXT;
      ALTER TABLE encounters ADD COLUMN final_diagnosis_by TEXT REFERENCES users(id);
      -- Surveillance counts confirmed diagnoses by date; this keeps a 100,000-case scan cheap.
      CREATE INDEX encounters_by_final_diagnosis ON encounters(final_diagnosis, created_at) WHERE final_diagnosis IS NOT NULL;
      CREATE INDEX suggestions_by_created ON suggestions(created_at);
    `);
  },
};
