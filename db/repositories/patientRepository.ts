import type { Database } from 'better-sqlite3-multiple-ciphers';

export type PatientSex = 'female' | 'male' | 'other' | 'unknown';

export interface PatientRecord {
  id: string;
  name: string;
  birthDate: string;
  sex: PatientSex;
  createdAt: string;
}

interface PatientRow {
  id: string;
  name: string;
  birth_date: string;
  sex: PatientSex;
  created_at: string;
}

const fromRow = (r: PatientRow): PatientRecord => ({
  id: r.id,
  name: r.name,
  birthDate: r.birth_date,
  sex: r.sex,
  createdAt: r.created_at,
});

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
        'INSERT INTO patients (id, name, name_search, birth_date, sex, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(p.id, p.name, nameSearchKey(p.name), p.birthDate, p.sex, p.createdAt, createdBy);
  }

  get(id: string): PatientRecord | undefined {
    const row = this.db.prepare('SELECT * FROM patients WHERE id = ?').get(id) as PatientRow | undefined;
    return row && fromRow(row);
  }

  /** Substring match on the normalised name; an empty query lists the most recent patients. */
  search(query: string, limit = 50): PatientRecord[] {
    const key = nameSearchKey(query);
    const rows = (
      key === ''
        ? this.db.prepare('SELECT * FROM patients ORDER BY created_at DESC LIMIT ?').all(limit)
        : this.db
            .prepare(
              `SELECT * FROM patients WHERE name_search LIKE ? ESCAPE '\\'
               ORDER BY (name_search LIKE ? ESCAPE '\\') DESC, name_search LIMIT ?`,
            )
            .all(`%${likeEscape(key)}%`, `${likeEscape(key)}%`, limit)
    ) as PatientRow[];
    return rows.map(fromRow);
  }
}
