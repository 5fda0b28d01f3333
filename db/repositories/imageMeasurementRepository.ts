/** Measurements drawn on stored images; rows are never deleted, a removal is recorded on the row. */
import type { Database } from 'better-sqlite3-multiple-ciphers';

export interface MeasurementPoint {
  x: number;
  y: number;
}

export interface ImageMeasurementRecord {
  id: string;
  imageId: string;
  frame: number;
  kind: 'length' | 'roi';
  a: MeasurementPoint;
  b: MeasurementPoint;
  /** What the app computed (length, or ROI statistics), as JSON. */
  result: Record<string, unknown>;
  createdAt: string;
  createdBy: string | null;
}

interface Row {
  id: string;
  image_id: string;
  frame: number;
  kind: 'length' | 'roi';
  points: string;
  result: string;
  created_at: string;
  created_by: string | null;
}

const fromRow = (r: Row): ImageMeasurementRecord => {
  const { a, b } = JSON.parse(r.points) as { a: MeasurementPoint; b: MeasurementPoint };
  return {
    id: r.id,
    imageId: r.image_id,
    frame: r.frame,
    kind: r.kind,
    a,
    b,
    result: JSON.parse(r.result) as Record<string, unknown>,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
};

export class ImageMeasurementRepository {
  constructor(private readonly db: Database) {}

  insert(m: ImageMeasurementRecord): void {
    this.db
      .prepare('INSERT INTO image_measurements (id, image_id, frame, kind, points, result, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(m.id, m.imageId, m.frame, m.kind, JSON.stringify({ a: m.a, b: m.b }), JSON.stringify(m.result), m.createdAt, m.createdBy);
  }

  /** The image's measurements not removed, oldest first. */
  listForImage(imageId: string): ImageMeasurementRecord[] {
    const rows = this.db.prepare('SELECT * FROM image_measurements WHERE image_id = ? AND removed_at IS NULL ORDER BY created_at, rowid').all(imageId) as Row[];
    return rows.map(fromRow);
  }

  get(id: string): ImageMeasurementRecord | undefined {
    const row = this.db.prepare('SELECT * FROM image_measurements WHERE id = ? AND removed_at IS NULL').get(id) as Row | undefined;
    return row && fromRow(row);
  }

  markRemoved(id: string, at: string, by: string): void {
    this.db.prepare('UPDATE image_measurements SET removed_at = ?, removed_by = ? WHERE id = ? AND removed_at IS NULL').run(at, by, id);
  }
}
