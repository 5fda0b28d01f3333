/**
 * Reads for disease surveillance: encounters with a clinician's final diagnosis (never the model's
 * suggestions), joined to the patient's birth date and sex. Bound parameters only; rows come back
 * as arrays through a cursor, so 100,000 cases never exist as 100,000 objects.
 *
 * Reading every confirmed case from the encrypted file costs far more than counting them (page
 * decryption and the patient join), so callers keep what they built and ask what changed since:
 * temporary triggers (on this connection only; they need no migration) log every confirmed
 * diagnosis added, changed or withdrawn here, and `PRAGMA data_version` tells when another
 * connection committed anything (then only a full read is safe).
 */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';

import type { Sex } from '../../models/runtime/vocab/clinicalTypes';

/** One encounter with a clinician-confirmed final diagnosis, joined to its patient. */
export interface ConfirmedDiagnosisRow {
  caseId: string;
  patientId: string;
  /** ISO instant (`encounters.created_at`). */
  createdAt: string;
  /** The clinician's final diagnosis as recorded. */
  diagnosis: string;
  /** ICD-10 code as recorded (`J11.1`), or null where none was given. */
  icd10: string | null;
  birthDate: string;
  sex: Sex;
}

/** created_at, diagnosis, ICD-10 code, birth date, sex. */
export type ConfirmedDiagnosisVisitor = (createdAt: string, diagnosis: string, icd10: string | null, birthDate: string, sex: string) => void;

type CountRow = [string, string, string | null, string, string];
type CaseRow = [string, string, string, string, string | null, string, Sex];

/** One logged change: `add` or `remove` a case as counted, or `reset` (read everything again). */
export interface ConfirmedDiagnosisChange {
  seq: number;
  change: 'add' | 'remove' | 'reset';
  createdAt: string | null;
  diagnosis: string | null;
  icd10: string | null;
  birthDate: string | null;
  sex: string | null;
}

export interface SurveillanceChangeMark {
  /** The last change logged on this connection. */
  seq: number;
  /** Changes when another connection commits. */
  dataVersion: number;
}

// A rolled-back transaction rolls its log rows back too, so the log holds only what committed.
// A patient's birth date or sex moves every case of theirs between strata: that is a reset.
const changeLog = `
  CREATE TEMP TABLE IF NOT EXISTS surveillance_change_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    change TEXT NOT NULL,
    created_at TEXT, diagnosis TEXT, icd10 TEXT, patient_id TEXT
  );
  CREATE TEMP TRIGGER IF NOT EXISTS surveillance_log_insert AFTER INSERT ON main.encounters WHEN NEW.final_diagnosis IS NOT NULL
    BEGIN INSERT INTO surveillance_change_log (change, created_at, diagnosis, icd10, patient_id)
      VALUES ('add', NEW.created_at, NEW.final_diagnosis, NEW.final_diagnosis_icd10, NEW.patient_id); END;
  CREATE TEMP TRIGGER IF NOT EXISTS surveillance_log_update_old
    AFTER UPDATE OF final_diagnosis, final_diagnosis_icd10, created_at, patient_id ON main.encounters WHEN OLD.final_diagnosis IS NOT NULL
    BEGIN INSERT INTO surveillance_change_log (change, created_at, diagnosis, icd10, patient_id)
      VALUES ('remove', OLD.created_at, OLD.final_diagnosis, OLD.final_diagnosis_icd10, OLD.patient_id); END;
  CREATE TEMP TRIGGER IF NOT EXISTS surveillance_log_update_new
    AFTER UPDATE OF final_diagnosis, final_diagnosis_icd10, created_at, patient_id ON main.encounters WHEN NEW.final_diagnosis IS NOT NULL
    BEGIN INSERT INTO surveillance_change_log (change, created_at, diagnosis, icd10, patient_id)
      VALUES ('add', NEW.created_at, NEW.final_diagnosis, NEW.final_diagnosis_icd10, NEW.patient_id); END;
  CREATE TEMP TRIGGER IF NOT EXISTS surveillance_log_delete AFTER DELETE ON main.encounters WHEN OLD.final_diagnosis IS NOT NULL
    BEGIN INSERT INTO surveillance_change_log (change, created_at, diagnosis, icd10, patient_id)
      VALUES ('remove', OLD.created_at, OLD.final_diagnosis, OLD.final_diagnosis_icd10, OLD.patient_id); END;
  CREATE TEMP TRIGGER IF NOT EXISTS surveillance_log_patient AFTER UPDATE OF birth_date, sex ON main.patients
    BEGIN INSERT INTO surveillance_change_log (change) VALUES ('reset'); END;
`;

export class SurveillanceRepository {
  private countStmt: Statement<[string, string], CountRow> | null = null;
  private casesStmt: Statement<[string, string, string], CaseRow> | null = null;
  /** null until first asked; false where the connection cannot hold temp triggers (read-only). */
  private tracking: boolean | null = null;

  constructor(private readonly db: Database) {}

  /**
   * Visits every confirmed case with `fromInclusive <= created_at < toExclusive` (ISO strings; they
   * sort like the instants they are), in no particular order.
   */
  forEachConfirmedDiagnosis(fromInclusive: string, toExclusive: string, visit: ConfirmedDiagnosisVisitor): number {
    this.countStmt ??= this.db
      .prepare<[string, string], CountRow>(
        `SELECT e.created_at, e.final_diagnosis, e.final_diagnosis_icd10, p.birth_date, p.sex
         FROM encounters e JOIN patients p ON p.id = e.patient_id
         WHERE e.final_diagnosis IS NOT NULL AND e.created_at >= ? AND e.created_at < ?`,
      )
      .raw(true);
    let n = 0;
    for (const [createdAt, diagnosis, icd10, birthDate, sex] of this.countStmt.iterate(fromInclusive, toExclusive)) {
      visit(createdAt, diagnosis, icd10, birthDate, sex);
      n += 1;
    }
    return n;
  }

  /**
   * The confirmed cases of one recorded diagnosis in a short window, with their ids (the cases
   * behind an alert), oldest first. Served by the (final_diagnosis, created_at) index.
   */
  confirmedDiagnoses(diagnosis: string, fromInclusive: string, toExclusive: string): ConfirmedDiagnosisRow[] {
    this.casesStmt ??= this.db
      .prepare<[string, string, string], CaseRow>(
        `SELECT e.id, e.patient_id, e.created_at, e.final_diagnosis, e.final_diagnosis_icd10, p.birth_date, p.sex
         FROM encounters e JOIN patients p ON p.id = e.patient_id
         WHERE e.final_diagnosis = ? AND e.created_at >= ? AND e.created_at < ?
         ORDER BY e.created_at, e.id`,
      )
      .raw(true);
    return this.casesStmt
      .all(diagnosis, fromInclusive, toExclusive)
      .map(([caseId, patientId, createdAt, diagnosis, icd10, birthDate, sex]) => ({ caseId, patientId, createdAt, diagnosis, icd10, birthDate, sex }));
  }

  /**
   * Where the data stands now, starting the change log on first use; null where changes cannot be
   * tracked on this connection (read-only), so nothing should be kept.
   */
  changeMark(): SurveillanceChangeMark | null {
    if (this.tracking === null) {
      try {
        this.db.exec(changeLog);
        this.tracking = true;
      } catch {
        this.tracking = false;
      }
    }
    if (!this.tracking) return null;
    // AUTOINCREMENT's counter, not max(seq): it keeps counting after applied rows are forgotten.
    const seq = this.db.prepare(`SELECT seq FROM temp.sqlite_sequence WHERE name = 'surveillance_change_log'`).pluck().get() as number | undefined;
    return { seq: seq ?? 0, dataVersion: this.db.pragma('data_version', { simple: true }) as number };
  }

  /** Changes logged after `seq`, oldest first, with the patient's birth date and sex as they are now. */
  changesSince(seq: number): ConfirmedDiagnosisChange[] {
    return this.db
      .prepare(
        `SELECT l.seq, l.change, l.created_at, l.diagnosis, l.icd10, p.birth_date, p.sex
         FROM temp.surveillance_change_log l LEFT JOIN main.patients p ON p.id = l.patient_id
         WHERE l.seq > ? ORDER BY l.seq`,
      )
      .raw(true)
      .all(seq)
      .map((r) => {
        const [s, change, createdAt, diagnosis, icd10, birthDate, sex] = r as [
          number,
          ConfirmedDiagnosisChange['change'],
          string | null,
          string | null,
          string | null,
          string | null,
          string | null,
        ];
        return { seq: s, change, createdAt, diagnosis, icd10, birthDate, sex };
      });
  }

  /** Drops log rows up to `seq` once they have been applied (the log would otherwise only grow). */
  forgetChangesThrough(seq: number): void {
    this.db.prepare('DELETE FROM temp.surveillance_change_log WHERE seq <= ?').run(seq);
  }
}
