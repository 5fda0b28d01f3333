import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';

import type { Sex } from '../../models/runtime/vocab/clinicalTypes';

export interface PatientRecord {
  id: string;
  name: string;
  birthDate: string;
  sex: Sex;
  createdAt: string;
  /** MRN or national ID, as written. */
  identifier?: string;
  phone?: string;
  /** Village or address. */
  address?: string;
  noKnownAllergies: boolean;
  allergies: PatientListEntryRecord[];
  medications: PatientListEntryRecord[];
}

/** An allergy or medication: coded (code and system) or free text (both null). */
export interface PatientListEntryRecord {
  code: string | null;
  system: string | null;
  display: string;
  note?: string;
}

type PatientLists = Pick<PatientRecord, 'noKnownAllergies' | 'allergies' | 'medications'>;
export type NewPatientRecord = Omit<PatientRecord, keyof PatientLists> & Partial<PatientLists>;

export type PatientListName = 'allergy' | 'medication';

interface ListEntryRow {
  list: PatientListName;
  code: string | null;
  code_system: string | null;
  display: string;
  note: string | null;
}

interface PatientRow {
  id: string;
  name: string;
  birth_date: string;
  sex: Sex;
  created_at: string;
  identifier: string | null;
  phone: string | null;
  address: string | null;
  no_known_allergies: number;
}

const entryFromRow = (r: ListEntryRow): PatientListEntryRecord => ({
  code: r.code,
  system: r.code_system,
  display: r.display,
  ...(r.note ? { note: r.note } : {}),
});

const fromRow = (r: PatientRow, entries: ListEntryRow[]): PatientRecord => ({
  id: r.id,
  name: r.name,
  birthDate: r.birth_date,
  sex: r.sex,
  createdAt: r.created_at,
  ...(r.identifier ? { identifier: r.identifier } : {}),
  ...(r.phone ? { phone: r.phone } : {}),
  ...(r.address ? { address: r.address } : {}),
  noKnownAllergies: r.no_known_allergies === 1,
  allergies: entries.filter((e) => e.list === 'allergy').map(entryFromRow),
  medications: entries.filter((e) => e.list === 'medication').map(entryFromRow),
});

/** Identifiers compare without spaces, dashes, slashes or dots and without case: "MRN 12-034" = "mrn12034". */
export function identifierSearchKey(identifier: string): string {
  return identifier
    .normalize('NFKC')
    .toLocaleLowerCase('und')
    .replace(/[\s\-_/.]+/g, '');
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Case- and width-insensitive key, so "ZHANG wei" finds "Zhang Wei" and full-width input matches. */
export function nameSearchKey(name: string): string {
  return name.normalize('NFKC').toLocaleLowerCase('und').replace(/\s+/g, ' ').trim();
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class PatientRepository {
  constructor(private readonly db: Database) {}

  /** A new patient: the lists are optional (none recorded yet). */
  insert(p: NewPatientRecord, createdBy: string | null): void {
    this.db
      .prepare(
        `INSERT INTO patients (id, name, name_search, birth_date, sex, created_at, created_by, identifier, identifier_search, phone, address)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        p.id,
        p.name,
        nameSearchKey(p.name),
        p.birthDate,
        p.sex,
        p.createdAt,
        createdBy,
        p.identifier ?? null,
        p.identifier ? identifierSearchKey(p.identifier) : null,
        p.phone ?? null,
        p.address ?? null,
      );
    this.replaceLists(
      p.id,
      { noKnownAllergies: p.noKnownAllergies ?? false, allergies: p.allergies ?? [], medications: p.medications ?? [] },
      p.createdAt,
      createdBy,
    );
  }

  /** Replaces both lists and the no-known-allergies mark (the caller holds the transaction). */
  replaceLists(patientId: string, lists: PatientLists, at: string, by: string | null): void {
    this.db.prepare('UPDATE patients SET no_known_allergies = ? WHERE id = ?').run(lists.noKnownAllergies ? 1 : 0, patientId);
    this.db.prepare('DELETE FROM patient_list_entries WHERE patient_id = ?').run(patientId);
    const insert = this.db.prepare(
      `INSERT INTO patient_list_entries (id, patient_id, list, position, code, code_system, display, note, recorded_at, recorded_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const write = (list: PatientListName, entries: PatientListEntryRecord[]) =>
      entries.forEach((e, i) => insert.run(randomUUID(), patientId, list, i, e.code, e.system, e.display, e.note ?? null, at, by));
    write('allergy', lists.allergies);
    write('medication', lists.medications);
  }

  private withLists(rows: PatientRow[]): PatientRecord[] {
    const select = this.db.prepare('SELECT list, code, code_system, display, note FROM patient_list_entries WHERE patient_id = ? ORDER BY list, position');
    return rows.map((r) => fromRow(r, select.all(r.id) as ListEntryRow[]));
  }

  get(id: string): PatientRecord | undefined {
    const row = this.db.prepare('SELECT * FROM patients WHERE id = ?').get(id) as PatientRow | undefined;
    return row && this.withLists([row])[0];
  }

  /**
   * One search box for the three ways a clinic finds a chart: a birth date (YYYY-MM-DD) matches
   * exactly; otherwise a substring of the name or an exact identifier (normalised) matches, the
   * identifier first. An empty query lists the most recent patients.
   */
  search(query: string, limit = 50): PatientRecord[] {
    const key = nameSearchKey(query);
    if (ISO_DATE.test(key)) {
      const byDate = this.db.prepare('SELECT * FROM patients WHERE birth_date = ? ORDER BY name_search LIMIT ?').all(key, limit) as PatientRow[];
      return this.withLists(byDate);
    }
    const id = identifierSearchKey(query);
    const rows = (
      key === ''
        ? this.db.prepare('SELECT * FROM patients ORDER BY created_at DESC LIMIT ?').all(limit)
        : this.db
            .prepare(
              `SELECT * FROM patients WHERE name_search LIKE ? ESCAPE '\\' OR (identifier_search IS NOT NULL AND identifier_search = ?)
               ORDER BY (identifier_search IS NOT NULL AND identifier_search = ?) DESC, (name_search LIKE ? ESCAPE '\\') DESC, name_search LIMIT ?`,
            )
            .all(`%${likeEscape(key)}%`, id, id, `${likeEscape(key)}%`, limit)
    ) as PatientRow[];
    return this.withLists(rows);
  }
}
