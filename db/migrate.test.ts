import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createMasterKey } from './keyring';
import { openEncryptedDatabase } from './openDatabase';
import { migrate, schemaVersion } from './migrate';
import { migrations, latestSchemaVersion } from './migrations/migrationRegistry';
import type { Migration } from './migrations/migration';
import { makeTempDir } from './testing/tmpStore';
import { CaseStore } from './caseStore';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = makeTempDir()));
afterEach(() => cleanup());

const tables = (db: ReturnType<typeof openEncryptedDatabase>) =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);

describe('migration registry', () => {
  it('is numbered 1..n in order', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(latestSchemaVersion).toBe(migrations.length);
  });
});

describe('001 initial schema', () => {
  it('creates every table the product needs and sets user_version', () => {
    const db = openEncryptedDatabase(join(dir, 'a.db'), createMasterKey(), { migrations: migrations.slice(0, 1) });
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual([
      'audit_events',
      'encounters',
      'findings',
      'images',
      'labs',
      'notes',
      'patients',
      'suggestion_actions',
      'suggestions',
      'users',
      'vitals',
    ]);
    db.close();
  });

  it('makes audit events append-only', () => {
    const db = openEncryptedDatabase(join(dir, 'a.db'), createMasterKey(), { migrations: migrations.slice(0, 1) });
    db.prepare(`INSERT INTO audit_events (at, action, prev_hash, hash) VALUES ('t', 'x', 'p', 'h')`).run();
    expect(() => db.prepare(`UPDATE audit_events SET action = 'y'`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM audit_events`).run()).toThrow(/append-only/);
    db.close();
  });

  it('enforces foreign keys between cases and patients', () => {
    const db = openEncryptedDatabase(join(dir, 'a.db'), createMasterKey());
    expect(() => db.prepare(`INSERT INTO encounters (id, patient_id, created_at) VALUES ('e', 'no-such-patient', 't')`).run()).toThrow(/FOREIGN KEY/);
    db.close();
  });
});

describe('002 risk model inputs', () => {
  it('adds model_inputs to a version-1 database holding a case, keeping the case', () => {
    const key = createMasterKey();
    const path = join(dir, 'a.db');
    const v1 = openEncryptedDatabase(path, key, { migrations: migrations.slice(0, 1) });
    v1.exec(`INSERT INTO patients (id, name, name_search, birth_date, sex, created_at) VALUES ('p', 'A', 'a', '2000-01-01', 'female', 't');
             INSERT INTO encounters (id, patient_id, created_at) VALUES ('e', 'p', 't');`);
    v1.close();
    const db = openEncryptedDatabase(path, key, { migrations: migrations.slice(0, 2) });
    expect(schemaVersion(db)).toBe(2);
    expect(tables(db)).toContain('model_inputs');
    expect(db.prepare('SELECT count(*) FROM encounters').pluck().get()).toBe(1);
    db.prepare(`INSERT INTO model_inputs (encounter_id, model_id, name, value_number) VALUES ('e', 'heart-disease', 'age', 61)`).run();
    db.prepare(`INSERT INTO model_inputs (encounter_id, model_id, name, value_text) VALUES ('e', 'chronic-kidney-disease', 'htn', 'yes')`).run();
    expect(() => db.prepare(`INSERT INTO model_inputs (encounter_id, model_id, name, value_number, value_text) VALUES ('e', 'x', 'y', 1, 'z')`).run()).toThrow(
      /CHECK/,
    );
    db.close();
  });
});

describe('003 logins and coded final diagnoses', () => {
  it('gives existing users a login from their name and keeps a version-2 case', () => {
    const key = createMasterKey();
    const path = join(dir, 'a.db');
    const v2 = openEncryptedDatabase(path, key, { migrations: migrations.slice(0, 2) });
    v2.exec(`INSERT INTO users (id, display_name, role, created_at) VALUES ('u', ' Ada Lovelace ', 'admin', 't');
             INSERT INTO patients (id, name, name_search, birth_date, sex, created_at) VALUES ('p', 'A', 'a', '2000-01-01', 'female', 't');
             INSERT INTO encounters (id, patient_id, created_at) VALUES ('e', 'p', 't');`);
    v2.close();
    const db = openEncryptedDatabase(path, key, { migrations: migrations.slice(0, 3) });
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare(`SELECT login FROM users WHERE id = 'u'`).pluck().get()).toBe('ada.lovelace');
    expect(() => db.prepare(`INSERT INTO users (id, display_name, role, created_at, login) VALUES ('v', 'X', 'clinician', 't', 'ada.lovelace')`).run()).toThrow(
      /UNIQUE/,
    );
    db.prepare(`UPDATE encounters SET final_diagnosis = 'Dengue', final_diagnosis_icd10 = 'A90', final_diagnosis_by = 'u' WHERE id = 'e'`).run();
    expect(() => db.prepare(`UPDATE encounters SET final_diagnosis_by = 'nobody' WHERE id = 'e'`).run()).toThrow(/FOREIGN KEY/);
    db.close();
  });
});

describe('004 deflated suggestion outputs', () => {
  it('keeps version-3 rows readable as before and stores new outputs deflated with their top label', () => {
    const key = createMasterKey();
    const path = join(dir, 'a.db');
    const v3 = openEncryptedDatabase(path, key, { migrations: migrations.slice(0, 3) });
    const old = { items: [{ label: 'Dengue', probability: 0.7 }] };
    v3.exec(`INSERT INTO patients (id, name, name_search, birth_date, sex, created_at) VALUES ('p', 'A', 'a', '2000-01-01', 'female', 't');
             INSERT INTO encounters (id, patient_id, created_at) VALUES ('e', 'p', 't');`);
    v3.prepare(
      `INSERT INTO suggestions (id, encounter_id, model_id, model_version, artefact_sha256, input_snapshot, output, created_at) VALUES ('s1', 'e', 'm', '1', 'x', '{}', ?, 't1')`,
    ).run(JSON.stringify(old));
    v3.close();
    const db = openEncryptedDatabase(path, key, { migrations: migrations.slice(0, 4) });
    expect(schemaVersion(db)).toBe(4);
    const store = new CaseStore(db);
    expect(store.suggestions.get('s1')!.output).toEqual(old);
    expect(store.cases.listForPatient('p')[0]!.topDiagnosis).toBe('Dengue');
    const fresh = {
      items: [{ label: 'Malaria', probability: 0.6, contributions: Array.from({ length: 50 }, (_, i) => ({ feature: `f${i}`, weight: i / 100 })) }],
    };
    store.suggestions.insert({
      id: 's2',
      encounterId: 'e',
      modelId: 'm',
      modelVersion: '1',
      artefactSha256: 'x',
      inputSnapshot: {},
      output: fresh,
      createdAt: 't2',
      createdBy: null,
    });
    // An image-model output (no ranked items) must not hide the differential in the case list.
    store.suggestions.insert({
      id: 's3',
      encounterId: 'e',
      modelId: 'img',
      modelVersion: '1',
      artefactSha256: 'y',
      inputSnapshot: {},
      output: { probabilities: { a: 1 } },
      createdAt: 't3',
      createdBy: null,
    });
    const raw = db.prepare(`SELECT output, length(output_deflated) AS z, top_label FROM suggestions WHERE id = 's2'`).get() as {
      output: string;
      z: number;
      top_label: string;
    };
    expect(raw).toMatchObject({ output: '', top_label: 'Malaria' });
    expect(raw.z).toBeLessThan(JSON.stringify(fresh).length / 2);
    expect(store.suggestions.get('s2')!.output).toEqual(fresh);
    expect(store.cases.listForPatient('p')[0]!.topDiagnosis).toBe('Malaria');
    db.close();
  });
});

describe('migrate', () => {
  it('refuses a database written by a newer app and leaves it unchanged', () => {
    const key = createMasterKey();
    const path = join(dir, 'a.db');
    const db = openEncryptedDatabase(path, key);
    db.pragma(`user_version = ${latestSchemaVersion + 1}`);
    db.close();
    expect(() => openEncryptedDatabase(path, key)).toThrow(expect.objectContaining({ name: 'DbError', code: 'DATABASE_TOO_NEW' }));
    const again = openEncryptedDatabase(path, key, { migrations: [...migrations, { version: latestSchemaVersion + 1, name: 'future', up() {} }] });
    expect(schemaVersion(again)).toBe(latestSchemaVersion + 1);
    again.close();
  });

  it('rolls a failing migration back completely', () => {
    const key = createMasterKey();
    const path = join(dir, 'a.db');
    openEncryptedDatabase(path, key).close();
    const failing: Migration = {
      version: latestSchemaVersion + 1,
      name: 'adds a table then fails',
      up(db) {
        db.exec('CREATE TABLE half_done (x INTEGER)');
        throw new Error('boom');
      },
    };
    expect(() => openEncryptedDatabase(path, key, { migrations: [...migrations, failing] })).toThrow(
      expect.objectContaining({ name: 'DbError', code: 'MIGRATION_FAILED' }),
    );
    const db = openEncryptedDatabase(path, key);
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    expect(tables(db)).not.toContain('half_done');
    db.close();
  });

  it('is a no-op on an up-to-date database', () => {
    const db = openEncryptedDatabase(join(dir, 'a.db'), createMasterKey());
    expect(migrate(db)).toBe(latestSchemaVersion);
    db.close();
  });
});
