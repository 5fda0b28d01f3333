/**
 * Cases (encounters) and what they hold: findings, vitals, labs, the note. A case is written in one
 * call that the caller wraps in a transaction with its suggestion and audit event.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';

export type StoredFindingState = 'present' | 'absent' | 'unknown';

export interface StoredMeasurement {
  code: string;
  loinc: string;
  value: number;
  unit: string;
  flag: string;
}

export interface CaseRecord {
  id: string;
  patientId: string;
  clinicianId: string | null;
  createdAt: string;
  findings: Record<string, StoredFindingState>;
  vitals: StoredMeasurement[];
  labs: Omit<StoredMeasurement, 'code'>[];
  note: string;
  /** Risk-model inputs as entered, by model id. */
  modelInputs: Record<string, Record<string, number | string>>;
}

export interface CaseSummaryRecord {
  id: string;
  patientId: string;
  createdAt: string;
  presentFindings: string[];
  topDiagnosis: string | null;
  /** What the clinician recorded, when they have. */
  finalDiagnosis: { label: string; icd10: string | null } | null;
}

export class CaseRepository {
  constructor(private readonly db: Database) {}

  insert(c: CaseRecord): void {
    this.db.prepare('INSERT INTO encounters (id, patient_id, clinician_id, created_at) VALUES (?, ?, ?, ?)').run(c.id, c.patientId, c.clinicianId, c.createdAt);
    const finding = this.db.prepare('INSERT INTO findings (encounter_id, code, state) VALUES (?, ?, ?)');
    for (const [code, state] of Object.entries(c.findings)) finding.run(c.id, code, state);
    const vital = this.db.prepare('INSERT INTO vitals (encounter_id, code, loinc, value, unit, flag) VALUES (?, ?, ?, ?, ?, ?)');
    for (const v of c.vitals) vital.run(c.id, v.code, v.loinc, v.value, v.unit, v.flag);
    const lab = this.db.prepare('INSERT INTO labs (encounter_id, loinc, value, unit, flag) VALUES (?, ?, ?, ?, ?)');
    for (const l of c.labs) lab.run(c.id, l.loinc, l.value, l.unit, l.flag);
    const input = this.db.prepare('INSERT INTO model_inputs (encounter_id, model_id, name, value_number, value_text) VALUES (?, ?, ?, ?, ?)');
    for (const [modelId, values] of Object.entries(c.modelInputs)) {
      for (const [name, value] of Object.entries(values)) {
        input.run(c.id, modelId, name, typeof value === 'number' ? value : null, typeof value === 'string' ? value : null);
      }
    }
    if (c.note !== '') {
      this.db.prepare('INSERT INTO notes (encounter_id, body, created_at) VALUES (?, ?, ?)').run(c.id, c.note, c.createdAt);
    }
  }

  get(id: string): CaseRecord | undefined {
    const enc = this.db.prepare('SELECT id, patient_id, clinician_id, created_at FROM encounters WHERE id = ?').get(id) as
      { id: string; patient_id: string; clinician_id: string | null; created_at: string } | undefined;
    if (!enc) return undefined;
    const findings: Record<string, StoredFindingState> = {};
    for (const f of this.db.prepare('SELECT code, state FROM findings WHERE encounter_id = ? ORDER BY code').all(id) as {
      code: string;
      state: StoredFindingState;
    }[]) {
      findings[f.code] = f.state;
    }
    const vitals = this.db.prepare('SELECT code, loinc, value, unit, flag FROM vitals WHERE encounter_id = ? ORDER BY rowid').all(id) as StoredMeasurement[];
    const labs = this.db.prepare('SELECT loinc, value, unit, flag FROM labs WHERE encounter_id = ? ORDER BY id').all(id) as Omit<StoredMeasurement, 'code'>[];
    const note = this.db.prepare('SELECT body FROM notes WHERE encounter_id = ? ORDER BY id DESC LIMIT 1').get(id) as { body: string } | undefined;
    const modelInputs: Record<string, Record<string, number | string>> = {};
    for (const r of this.db
      .prepare('SELECT model_id, name, value_number, value_text FROM model_inputs WHERE encounter_id = ? ORDER BY model_id, name')
      .all(id) as { model_id: string; name: string; value_number: number | null; value_text: string | null }[]) {
      (modelInputs[r.model_id] ??= {})[r.name] = r.value_number ?? r.value_text ?? '';
    }
    return {
      id: enc.id,
      patientId: enc.patient_id,
      clinicianId: enc.clinician_id,
      createdAt: enc.created_at,
      findings,
      vitals,
      labs,
      note: note?.body ?? '',
      modelInputs,
    };
  }

  /** Every case, oldest first (bulk export and `lantern case list`). */
  listAllIds(): string[] {
    return this.db.prepare('SELECT id FROM encounters ORDER BY created_at, rowid').pluck().all() as string[];
  }

  /** Newest first. The top diagnosis is the first item of the case's latest suggestion. */
  listForPatient(patientId: string): CaseSummaryRecord[] {
    const rows = this.db
      .prepare(
        `SELECT e.id, e.patient_id, e.created_at, e.final_diagnosis, e.final_diagnosis_icd10,
           (SELECT group_concat(code, char(31)) FROM (SELECT code FROM findings f WHERE f.encounter_id = e.id AND f.state = 'present' ORDER BY code)) AS present,
           (SELECT COALESCE(s.top_label, json_extract(s.output, '$.items[0].label')) FROM suggestions s WHERE s.encounter_id = e.id
              -- Deflated rows (migration 004) carry top_label; older rows are plain JSON. CASE keeps json_type off the empty text.
              AND CASE WHEN s.top_label IS NOT NULL THEN 1 WHEN s.output_deflated IS NULL THEN json_type(s.output, '$.items') = 'array' ELSE 0 END
              ORDER BY s.created_at DESC, s.rowid DESC LIMIT 1) AS top
         FROM encounters e WHERE e.patient_id = ? ORDER BY e.created_at DESC, e.rowid DESC`,
      )
      .all(patientId) as {
      id: string;
      patient_id: string;
      created_at: string;
      present: string | null;
      top: string | null;
      final_diagnosis: string | null;
      final_diagnosis_icd10: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      patientId: r.patient_id,
      createdAt: r.created_at,
      presentFindings: r.present ? r.present.split('\u001f') : [],
      topDiagnosis: r.top,
      finalDiagnosis: r.final_diagnosis === null ? null : { label: r.final_diagnosis, icd10: r.final_diagnosis_icd10 },
    }));
  }
}
