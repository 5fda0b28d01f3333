/**
 * The auditor's view across cases: stored suggestions with who made the case, which model version
 * answered, the clinician's decisions and final diagnosis. Read-only queries.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { DecisionAction } from './decisionRepository';
import { decodeSuggestionOutput } from './suggestionRepository';

export interface AuditSearchFilter {
  /** Inclusive ISO timestamps bounds on when the suggestion was made. */
  fromIso?: string;
  toIsoExclusive?: string;
  clinicianId?: string;
  modelId?: string;
  modelVersion?: string;
  suggestionId?: string;
}

export interface AuditSuggestionRow {
  suggestionId: string;
  caseId: string;
  patientId: string;
  createdAt: string;
  clinicianId: string | null;
  clinicianName: string | null;
  modelId: string;
  modelVersion: string;
  modelSha256: string;
  output: unknown;
  finalDiagnosis: string | null;
  finalDiagnosisIcd10: string | null;
  /** The latest decision per label. */
  decisions: { label: string; action: DecisionAction }[];
}

interface Row {
  id: string;
  encounter_id: string;
  patient_id: string;
  created_at: string;
  clinician_id: string | null;
  clinician_name: string | null;
  model_id: string;
  model_version: string;
  artefact_sha256: string;
  output: string;
  output_deflated: Buffer | null;
  final_diagnosis: string | null;
  final_diagnosis_icd10: string | null;
}

export class AuditSearchRepository {
  constructor(private readonly db: Database) {}

  /** Newest first, at most `limit` rows; text filters (diagnosis, decision) are applied by the caller. */
  suggestions(filter: AuditSearchFilter, limit: number): AuditSuggestionRow[] {
    const rows = this.db
      .prepare(
        `SELECT s.id, s.encounter_id, e.patient_id, s.created_at, e.clinician_id, u.display_name AS clinician_name,
                s.model_id, s.model_version, s.artefact_sha256, s.output, s.output_deflated, e.final_diagnosis, e.final_diagnosis_icd10
         FROM suggestions s
         JOIN encounters e ON e.id = s.encounter_id
         LEFT JOIN users u ON u.id = e.clinician_id
         WHERE (@from IS NULL OR s.created_at >= @from)
           AND (@to IS NULL OR s.created_at < @to)
           AND (@clinician IS NULL OR e.clinician_id = @clinician)
           AND (@model IS NULL OR s.model_id = @model)
           AND (@version IS NULL OR s.model_version = @version)
           AND (@id IS NULL OR s.id = @id)
         ORDER BY s.created_at DESC, s.rowid DESC
         LIMIT @limit`,
      )
      .all({
        from: filter.fromIso ?? null,
        to: filter.toIsoExclusive ?? null,
        clinician: filter.clinicianId ?? null,
        model: filter.modelId ?? null,
        version: filter.modelVersion ?? null,
        id: filter.suggestionId ?? null,
        limit,
      }) as Row[];
    const decisionsOf = this.db.prepare(
      `SELECT label, action FROM suggestion_actions a
       WHERE suggestion_id = ? AND id = (SELECT max(id) FROM suggestion_actions b WHERE b.suggestion_id = a.suggestion_id AND b.label = a.label)
       ORDER BY label`,
    );
    return rows.map((r) => ({
      suggestionId: r.id,
      caseId: r.encounter_id,
      patientId: r.patient_id,
      createdAt: r.created_at,
      clinicianId: r.clinician_id,
      clinicianName: r.clinician_name,
      modelId: r.model_id,
      modelVersion: r.model_version,
      modelSha256: r.artefact_sha256,
      output: decodeSuggestionOutput(r),
      finalDiagnosis: r.final_diagnosis,
      finalDiagnosisIcd10: r.final_diagnosis_icd10,
      decisions: decisionsOf.all(r.id) as { label: string; action: DecisionAction }[],
    }));
  }
}
