import type { Migration } from './migration';

/**
 * A stored differential is about 13 KB of JSON; as text it spills into overflow pages and made
 * suggestions three quarters of a 100,000-case database. New outputs are stored deflated
 * (`output_deflated`, with `output` left empty) and the top label is kept beside them so case
 * lists need not decompress. Rows written before stay as they are and are read as before.
 */
export const compactSuggestions: Migration = {
  version: 4,
  name: 'deflated suggestion outputs',
  up(db) {
    db.exec(`
      ALTER TABLE suggestions ADD COLUMN output_deflated BLOB;
      ALTER TABLE suggestions ADD COLUMN top_label TEXT;
    `);
  },
};
