import type { Migration } from './migration';

/**
 * The whole product's schema from the start (patients, users, cases and what they hold, model
 * suggestions with their inputs, clinician actions, an append-only audit chain), so later features
 * add columns rather than reshape tables that already hold patients.
 */
export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('clinician', 'auditor', 'admin')),
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE patients (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_search TEXT NOT NULL,
        birth_date TEXT NOT NULL,
        sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
        created_at TEXT NOT NULL,
        created_by TEXT REFERENCES users(id)
      ) STRICT;
      CREATE INDEX patients_by_name ON patients(name_search);

      CREATE TABLE encounters (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients(id),
        clinician_id TEXT REFERENCES users(id),
        created_at TEXT NOT NULL,
        final_diagnosis TEXT,
        final_diagnosis_at TEXT
      ) STRICT;
      CREATE INDEX encounters_by_patient ON encounters(patient_id, created_at);

      CREATE TABLE findings (
        encounter_id TEXT NOT NULL REFERENCES encounters(id),
        code TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('present', 'absent', 'unknown')),
        source TEXT NOT NULL DEFAULT 'form',
        PRIMARY KEY (encounter_id, code)
      ) STRICT;

      CREATE TABLE vitals (
        encounter_id TEXT NOT NULL REFERENCES encounters(id),
        code TEXT NOT NULL,
        loinc TEXT NOT NULL,
        value REAL NOT NULL,
        unit TEXT NOT NULL,
        flag TEXT NOT NULL,
        PRIMARY KEY (encounter_id, code)
      ) STRICT;

      CREATE TABLE labs (
        id INTEGER PRIMARY KEY,
        encounter_id TEXT NOT NULL REFERENCES encounters(id),
        loinc TEXT NOT NULL,
        value REAL NOT NULL,
        unit TEXT NOT NULL,
        flag TEXT NOT NULL
      ) STRICT;
      CREATE INDEX labs_by_encounter ON labs(encounter_id);

      CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        encounter_id TEXT NOT NULL REFERENCES encounters(id),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX notes_by_encounter ON notes(encounter_id);

      CREATE TABLE images (
        id TEXT PRIMARY KEY,
        encounter_id TEXT NOT NULL REFERENCES encounters(id),
        sha256 TEXT NOT NULL,
        media_type TEXT NOT NULL,
        file_name TEXT NOT NULL,
        metadata TEXT NOT NULL DEFAULT '{}',
        content BLOB,
        encrypted_file TEXT,
        created_at TEXT NOT NULL,
        CHECK (content IS NOT NULL OR encrypted_file IS NOT NULL)
      ) STRICT;
      CREATE INDEX images_by_encounter ON images(encounter_id);

      CREATE TABLE suggestions (
        id TEXT PRIMARY KEY,
        encounter_id TEXT NOT NULL REFERENCES encounters(id),
        model_id TEXT NOT NULL,
        model_version TEXT NOT NULL,
        artefact_sha256 TEXT NOT NULL,
        input_snapshot TEXT NOT NULL,
        output TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT REFERENCES users(id)
      ) STRICT;
      CREATE INDEX suggestions_by_encounter ON suggestions(encounter_id);
      CREATE INDEX suggestions_by_model ON suggestions(model_id, model_version);

      CREATE TABLE suggestion_actions (
        id INTEGER PRIMARY KEY,
        suggestion_id TEXT NOT NULL REFERENCES suggestions(id),
        label TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'defer')),
        reason TEXT,
        user_id TEXT REFERENCES users(id),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX suggestion_actions_by_suggestion ON suggestion_actions(suggestion_id);

      CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id TEXT,
        action TEXT NOT NULL,
        encounter_id TEXT,
        model_id TEXT,
        model_version TEXT,
        model_sha256 TEXT,
        detail TEXT NOT NULL DEFAULT '{}',
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
      ) STRICT;
      CREATE INDEX audit_events_by_encounter ON audit_events(encounter_id);

      -- The audit trail is append-only inside SQLite too, not just by convention in our code.
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    `);
  },
};
