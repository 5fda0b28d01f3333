import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createEncryptedDatabase, unlockEncryptedDatabase } from './openDatabase';
import { keyringPathFor } from './keyring';
import { makeTempDir, testKdf } from './testing/tmpStore';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = makeTempDir()));
afterEach(() => cleanup());

describe('encrypted database', () => {
  it('stores nothing in plaintext and has no SQLite header', async () => {
    const path = join(dir, 'lantern.db');
    const { db } = await createEncryptedDatabase(path, 'u1', 'correct horse', { kdf: testKdf });
    db.exec(`CREATE TABLE probe (v TEXT); INSERT INTO probe VALUES ('PLAINTEXT-MARKER-42')`);
    db.close();
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');
    expect(bytes.includes('PLAINTEXT-MARKER-42')).toBe(false);
    expect(bytes.includes('CREATE TABLE')).toBe(false);
  });

  it('reopens with the right passphrase and applies the connection pragmas', async () => {
    const path = join(dir, 'lantern.db');
    (await createEncryptedDatabase(path, 'u1', 'correct horse', { kdf: testKdf })).db.close();
    const { db, userId } = await unlockEncryptedDatabase(path, 'correct horse');
    expect(userId).toBe('u1');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses a wrong passphrase with its own error', async () => {
    const path = join(dir, 'lantern.db');
    (await createEncryptedDatabase(path, 'u1', 'correct horse', { kdf: testKdf })).db.close();
    await expect(unlockEncryptedDatabase(path, 'wrong horse')).rejects.toMatchObject({ name: 'DbError', code: 'WRONG_PASSPHRASE' });
  });

  it('names a missing keyring', async () => {
    const path = join(dir, 'lantern.db');
    (await createEncryptedDatabase(path, 'u1', 'correct horse', { kdf: testKdf })).db.close();
    unlinkSync(keyringPathFor(path));
    await expect(unlockEncryptedDatabase(path, 'correct horse')).rejects.toMatchObject({ name: 'DbError', code: 'KEYRING_MISSING' });
  });

  it('reports a damaged file as corrupt, not as a wrong passphrase, and leaves it in place', async () => {
    const path = join(dir, 'lantern.db');
    (await createEncryptedDatabase(path, 'u1', 'correct horse', { kdf: testKdf })).db.close();
    const bytes = readFileSync(path);
    for (let i = 0; i < 64; i++) bytes[i] = bytes[i]! ^ 0xff; // the first page's salt and header
    writeFileSync(path, bytes);
    await expect(unlockEncryptedDatabase(path, 'correct horse')).rejects.toMatchObject({ name: 'DbError', code: 'DATABASE_CORRUPT' });
    expect(readFileSync(path)).toEqual(bytes);
  });

  it('never overwrites an existing database', async () => {
    const path = join(dir, 'lantern.db');
    (await createEncryptedDatabase(path, 'u1', 'correct horse', { kdf: testKdf })).db.close();
    const before = readFileSync(path);
    await expect(createEncryptedDatabase(path, 'u2', 'other pass', { kdf: testKdf })).rejects.toMatchObject({ name: 'DbError', code: 'ALREADY_INITIALISED' });
    expect(readFileSync(path)).toEqual(before);
    expect(existsSync(keyringPathFor(path))).toBe(true);
  });
});
