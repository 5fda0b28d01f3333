import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { acquireDatabaseLock } from '../../db/databaseLock';
import { makeTempDir } from '../../db/testing/tmpStore';
import { databaseInUseOf, databaseInUsePage } from './databaseInUsePage';

describe('the window for a database another Lantern holds', () => {
  it('recognises the lock refusal a second start meets and says another Lantern is running', () => {
    const { dir, cleanup } = makeTempDir();
    const dbPath = join(dir, 'lantern <db>.db');
    const first = acquireDatabaseLock(dbPath, 'Lantern app');
    try {
      let thrown: unknown;
      try {
        acquireDatabaseLock(dbPath, 'Lantern app');
      } catch (err) {
        thrown = err;
      }
      const inUse = databaseInUseOf(thrown);
      expect(inUse).not.toBeNull();
      const page = databaseInUsePage(inUse!);
      expect(page).toContain('Another Lantern is already using this database');
      expect(page).toContain('DATABASE_IN_USE');
      // The path is quoted escaped, never as markup.
      expect(page).toContain('lantern &#60;db&#62;.db');
      expect(page).not.toContain('<db>');
      expect(databaseInUseOf(new Error('onnxruntime failed'))).toBeNull();
    } finally {
      first.release();
      cleanup();
    }
  });
});
