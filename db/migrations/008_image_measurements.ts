import type { Migration } from './migration';

/**
 * Measurements drawn on an image (length, rectangle ROI mean/SD) kept with it: the two points in
 * image pixel coordinates and the values the app computed from the stored pixels and the
 * header's spacing, so the viewer re-draws them and the report prints the same numbers. A removed
 * measurement keeps its row (who removed it, when) for the audit trail.
 */
export const imageMeasurements: Migration = {
  version: 8,
  name: 'image measurements',
  up(db) {
    db.exec(`
      CREATE TABLE image_measurements (
        id TEXT PRIMARY KEY,
        image_id TEXT NOT NULL REFERENCES images(id),
        frame INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('length', 'roi')),
        points TEXT NOT NULL,
        result TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT REFERENCES users(id),
        removed_at TEXT,
        removed_by TEXT REFERENCES users(id)
      );
      CREATE INDEX image_measurements_by_image ON image_measurements(image_id, created_at);
    `);
  },
};
