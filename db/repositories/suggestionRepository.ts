import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Database } from 'better-sqlite3-multiple-ciphers';

export interface SuggestionRecord {
  id: string;
  encounterId: string;
  modelId: string;
  modelVersion: string;
  artefactSha256: string;
  /** Exactly what the model was given, so an auditor can re-run it. */
  inputSnapshot: unknown;
  output: unknown;
  createdAt: string;
  createdBy: string | null;
}

interface SuggestionRow {
  id: string;
  encounter_id: string;
  model_id: string;
  model_version: string;
  artefact_sha256: string;
  input_snapshot: string;
  output: string;
  output_deflated: Buffer | null;
  created_at: string;
  created_by: string | null;
}

/**
 * How an output is stored (migration 004): deflated JSON, plus the leading label of a ranked
 * differential for case lists. Decoding gives back exactly the JSON that was written.
 */
export function encodeSuggestionOutput(output: unknown): { outputDeflated: Buffer; topLabel: string | null } {
  const items = (output as { items?: { label?: unknown }[] } | null)?.items;
  const top = Array.isArray(items) && typeof items[0]?.label === 'string' ? items[0].label : null;
  return { outputDeflated: deflateRawSync(Buffer.from(JSON.stringify(output), 'utf8')), topLabel: top };
}

export function decodeSuggestionOutput(row: { output: string; output_deflated: Buffer | null }): unknown {
  return JSON.parse(row.output_deflated === null ? row.output : inflateRawSync(row.output_deflated).toString('utf8'));
}

const fromRow = (r: SuggestionRow): SuggestionRecord => ({
  id: r.id,
  encounterId: r.encounter_id,
  modelId: r.model_id,
  modelVersion: r.model_version,
  artefactSha256: r.artefact_sha256,
  inputSnapshot: JSON.parse(r.input_snapshot),
  output: decodeSuggestionOutput(r),
  createdAt: r.created_at,
  createdBy: r.created_by,
});

export class SuggestionRepository {
  constructor(private readonly db: Database) {}

  insert(s: SuggestionRecord): void {
    const encoded = encodeSuggestionOutput(s.output);
    this.db
      .prepare(
        `INSERT INTO suggestions (id, encounter_id, model_id, model_version, artefact_sha256, input_snapshot, output, output_deflated, top_label, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)`,
      )
      .run(
        s.id,
        s.encounterId,
        s.modelId,
        s.modelVersion,
        s.artefactSha256,
        JSON.stringify(s.inputSnapshot),
        encoded.outputDeflated,
        encoded.topLabel,
        s.createdAt,
        s.createdBy,
      );
  }

  get(id: string): SuggestionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM suggestions WHERE id = ?').get(id) as SuggestionRow | undefined;
    return row && fromRow(row);
  }

  listForEncounter(encounterId: string): SuggestionRecord[] {
    const rows = this.db.prepare('SELECT * FROM suggestions WHERE encounter_id = ? ORDER BY created_at, rowid').all(encounterId) as SuggestionRow[];
    return rows.map(fromRow);
  }
}
