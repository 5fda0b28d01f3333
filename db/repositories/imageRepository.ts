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

  listForEncounter(encounterId: string): ImageRecord[] {
    return (this.db.prepare(`SELECT ${columns} FROM images WHERE encounter_id = ? ORDER BY created_at, rowid`).all(encounterId) as ImageRow[]).map(fromRow);
  }
}
