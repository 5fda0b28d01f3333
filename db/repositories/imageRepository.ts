/**
 * Images attached to a case. The bytes live in the encrypted database itself (a BLOB), so they are
 * covered by the same key, backup and integrity checks as the rest of the case.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';

export interface ImageRecord {
  id: string;
  encounterId: string;
  sha256: string;
  mediaType: string;
  fileName: string;
  /** Width, height, frames, DICOM header fields: what the list view needs without decoding. */
  metadata: Record<string, unknown>;
  createdAt: string;
}

interface ImageRow {
  id: string;
  encounter_id: string;
  sha256: string;
  media_type: string;
  file_name: string;
  metadata: string;
  created_at: string;
}

const fromRow = (r: ImageRow): ImageRecord => ({
  id: r.id,
  encounterId: r.encounter_id,
  sha256: r.sha256,
  mediaType: r.media_type,
  fileName: r.file_name,
  metadata: JSON.parse(r.metadata) as Record<string, unknown>,
  createdAt: r.created_at,
});

const columns = 'id, encounter_id, sha256, media_type, file_name, metadata, created_at';

/** An image taken off its case (attached by mistake): who, when and why. The bytes stay for the audit trail. */
export interface ImageRemoval {
  at: string;
  userId: string;
  reason: string;
}

/** The removal recorded on an image, if any. */
export function imageRemoval(r: ImageRecord): ImageRemoval | undefined {
  return (r.metadata as { removed?: ImageRemoval }).removed;
}

export class ImageRepository {
  constructor(private readonly db: Database) {}

  insert(image: ImageRecord, content: Uint8Array): void {
    this.db
      .prepare(
        `INSERT INTO images (id, encounter_id, sha256, media_type, file_name, metadata, content, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(image.id, image.encounterId, image.sha256, image.mediaType, image.fileName, JSON.stringify(image.metadata), Buffer.from(content), image.createdAt);
  }

  get(id: string): ImageRecord | undefined {
    const row = this.db.prepare(`SELECT ${columns} FROM images WHERE id = ?`).get(id) as ImageRow | undefined;
    return row && fromRow(row);
  }

  content(id: string): Buffer | undefined {
    return this.db.prepare('SELECT content FROM images WHERE id = ?').pluck().get(id) as Buffer | undefined;
  }

  /** Records the removal in the metadata (no schema change); the row and its bytes stay. */
  markRemoved(id: string, removal: ImageRemoval): void {
    const r = this.get(id);
    if (!r) return;
    this.db.prepare('UPDATE images SET metadata = ? WHERE id = ?').run(JSON.stringify({ ...r.metadata, removed: removal }), id);
  }

  /** Every image of the case, removed ones included (callers that show the case filter with imageRemoval). */
  listForEncounter(encounterId: string): ImageRecord[] {
    return (this.db.prepare(`SELECT ${columns} FROM images WHERE encounter_id = ? ORDER BY created_at, rowid`).all(encounterId) as ImageRow[]).map(fromRow);
  }
}
