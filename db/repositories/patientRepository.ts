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
}

const fromRow = (r: PatientRow): PatientRecord => ({
  id: r.id,
  name: r.name,
  birthDate: r.birth_date,
  sex: r.sex,
  createdAt: r.created_at,
  ...(r.identifier ? { identifier: r.identifier } : {}),
  ...(r.phone ? { phone: r.phone } : {}),
  ...(r.address ? { address: r.address } : {}),
});

/** Identifiers compare without spaces, dashes, slashes or dots and without case: "MRN 12-034" = "mrn12034". */
export function identifierSearchKey(identifier: string): string {
  return identifier.normalize('NFKC').toLocaleLowerCase('und').replace(/[\s\-_/.]+/g, '');
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

  insert(p: PatientRecord, createdBy: string | null): void {
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
  }

  get(id: string): PatientRecord | undefined {
    const row = this.db.prepare('SELECT * FROM patients WHERE id = ?').get(id) as PatientRow | undefined;
    return row && fromRow(row);
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
      return byDate.map(fromRow);
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
    return rows.map(fromRow);
  }
}
