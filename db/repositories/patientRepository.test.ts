import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createMasterKey } from '../keyring';
import { openEncryptedDatabase } from '../openDatabase';
import { PatientRepository, nameSearchKey } from './patientRepository';
import { makeTempDir } from '../testing/tmpStore';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = makeTempDir()));
afterEach(() => cleanup());

describe('patient search', () => {
  it('matches substrings case- and width-insensitively, prefix matches first, wildcards literal', () => {
    const db = openEncryptedDatabase(join(dir, 'a.db'), createMasterKey());
    const repo = new PatientRepository(db);
    const add = (id: string, name: string) => repo.insert({ id, name, birthDate: '1980-01-01', sex: 'unknown', createdAt: '2026-01-01T00:00:00.000Z' }, null);
    add('1', 'Wei Zhang');
    add('2', 'Zhang Wei');
    add('3', '张伟');
    add('4', 'Ann 100% Smith');
    expect(repo.search('zhang').map((p) => p.id)).toEqual(['2', '1']);
    expect(repo.search('ＺＨＡＮＧ').map((p) => p.id)).toEqual(['2', '1']);
    expect(repo.search('张').map((p) => p.id)).toEqual(['3']);
    expect(repo.search('%').map((p) => p.id)).toEqual(['4']);
    expect(repo.search('').length).toBe(4);
    expect(nameSearchKey('  A   B ')).toBe('a b');
    db.close();
  });
});
