/**
 * The content hash of one case as stored: the encounter row and every row that belongs to it
 * (findings, vitals, labs, notes, model inputs, images' metadata, suggestions and the decisions on
 * them). Each audit event about a case quotes it as the case stood when the event was written, so
 * `audit verify` can tell an edited note, finding or decision, or a deleted case, from what the
 * app wrote, even when the chain itself was left alone.
 */
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';

/** What a case that no longer exists hashes to: distinct from every real case. */
export const absentCaseHash = createHash('sha256').update('lantern-case/v1/absent').digest('hex');

// Image bytes are covered by their own sha256 column; hashing blobs here would make every event slow.
const parts: readonly (readonly [string, string])[] = [
  ['encounter', 'SELECT * FROM encounters WHERE id = ?'],
  ['findings', 'SELECT * FROM findings WHERE encounter_id = ? ORDER BY code'],
  ['vitals', 'SELECT * FROM vitals WHERE encounter_id = ? ORDER BY code'],
  ['labs', 'SELECT * FROM labs WHERE encounter_id = ? ORDER BY id'],
  ['notes', 'SELECT * FROM notes WHERE encounter_id = ? ORDER BY id'],
  ['modelInputs', 'SELECT * FROM model_inputs WHERE encounter_id = ? ORDER BY model_id, name'],
  ['images', 'SELECT id, encounter_id, sha256, media_type, file_name, metadata, encrypted_file, created_at FROM images WHERE encounter_id = ? ORDER BY id'],
  ['suggestions', 'SELECT * FROM suggestions WHERE encounter_id = ? ORDER BY id'],
  ['decisions', 'SELECT a.* FROM suggestion_actions a JOIN suggestions s ON s.id = a.suggestion_id WHERE s.encounter_id = ? ORDER BY a.id'],
];

function canonical(value: unknown): unknown {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { hex: Buffer.from(value).toString('hex') };
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(canonical);
  // Column order is the table's, but sort anyway: a migration adding a column must not reorder others.
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
  );
}

export class CaseContentHasher {
  private readonly stmts;

  constructor(db: Database) {
    this.stmts = parts.map(([name, sql]) => [name, db.prepare(sql)] as const);
  }

  hash(encounterId: string): string {
    const content: Record<string, unknown> = {};
    for (const [name, stmt] of this.stmts) {
      if (name === 'encounter') {
        const encounter = stmt.get(encounterId);
        if (encounter === undefined) return absentCaseHash;
        content[name] = canonical(encounter);
      } else {
        content[name] = canonical(stmt.all(encounterId));
      }
    }
    return createHash('sha256')
      .update(JSON.stringify(['lantern-case/v1', content]), 'utf8')
      .digest('hex');
  }
}
