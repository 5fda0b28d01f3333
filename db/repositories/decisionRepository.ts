/**
 * What the clinician did with each suggestion (accept / reject / defer, with a reason) and the final
 * diagnosis they recorded. Decisions are appended, never edited: a changed mind is a new row, so the
 * auditor sees the sequence.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';

export type DecisionAction = 'accept' | 'reject' | 'defer';

export interface DecisionRecord {
  id: number;
  suggestionId: string;
  label: string;
  action: DecisionAction;
  reason: string | null;
  userId: string | null;
  createdAt: string;
}

interface DecisionRow {
  id: number;
  suggestion_id: string;
  label: string;
  action: DecisionAction;
  reason: string | null;
  user_id: string | null;
  created_at: string;
}

const fromRow = (r: DecisionRow): DecisionRecord => ({
  id: r.id,
  suggestionId: r.suggestion_id,
  label: r.label,
  action: r.action,
  reason: r.reason,
  userId: r.user_id,
  createdAt: r.created_at,
});

export interface FinalDiagnosisRecord {
  label: string;
  icd10: string | null;
  recordedBy: string | null;
  recordedAt: string;
}

export class DecisionRepository {
  constructor(private readonly db: Database) {}

  insert(d: Omit<DecisionRecord, 'id'>): DecisionRecord {
    const info = this.db
      .prepare('INSERT INTO suggestion_actions (suggestion_id, label, action, reason, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(d.suggestionId, d.label, d.action, d.reason, d.userId, d.createdAt);
    return { ...d, id: Number(info.lastInsertRowid) };
  }

  /** Every decision on the case's suggestions, oldest first. */
  listForEncounter(encounterId: string): DecisionRecord[] {
    const rows = this.db
      .prepare(
        `SELECT a.* FROM suggestion_actions a JOIN suggestions s ON s.id = a.suggestion_id
         WHERE s.encounter_id = ? ORDER BY a.created_at, a.id`,
      )
      .all(encounterId) as DecisionRow[];
    return rows.map(fromRow);
  }

  setFinalDiagnosis(encounterId: string, f: FinalDiagnosisRecord): void {
    this.db
      .prepare('UPDATE encounters SET final_diagnosis = ?, final_diagnosis_icd10 = ?, final_diagnosis_by = ?, final_diagnosis_at = ? WHERE id = ?')
      .run(f.label, f.icd10, f.recordedBy, f.recordedAt, encounterId);
  }

  finalDiagnosis(encounterId: string): FinalDiagnosisRecord | null {
    const row = this.db
      .prepare('SELECT final_diagnosis, final_diagnosis_icd10, final_diagnosis_by, final_diagnosis_at FROM encounters WHERE id = ?')
      .get(encounterId) as
      | { final_diagnosis: string | null; final_diagnosis_icd10: string | null; final_diagnosis_by: string | null; final_diagnosis_at: string | null }
      | undefined;
    if (!row || row.final_diagnosis === null) return null;
    return { label: row.final_diagnosis, icd10: row.final_diagnosis_icd10, recordedBy: row.final_diagnosis_by, recordedAt: row.final_diagnosis_at ?? '' };
  }
}
