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

describe('patient details (migration 006): identifier, phone, address', () => {
  it('stores them and finds a patient by identifier (normalised, exact) or birth date', () => {
    const db = openEncryptedDatabase(join(dir, 'b.db'), createMasterKey());
    const repo = new PatientRepository(db);
    const base = { sex: 'female' as const, createdAt: '2026-01-01T00:00:00.000Z' };
    repo.insert(
      { id: 'a', name: 'Amina Bello', birthDate: '1966-05-10', identifier: 'MRN 12-034', phone: '+234 803 555 0101', address: 'Kaduna, Ward 4', ...base },
      null,
    );
    repo.insert({ id: 'b', name: 'Mrn Twelve', birthDate: '1990-01-01', ...base }, null);
    repo.insert({ id: 'c', name: 'Grace Okafor', birthDate: '1966-05-10', identifier: 'NIN-55501', ...base }, null);
    expect(repo.get('a')).toMatchObject({ identifier: 'MRN 12-034', phone: '+234 803 555 0101', address: 'Kaduna, Ward 4' });
    expect(repo.get('b')).not.toHaveProperty('identifier');
    expect(repo.search('mrn12034').map((p) => p.id)).toEqual(['a']);
    expect(repo.search('MRN 12 034').map((p) => p.id)).toEqual(['a']);
    expect(repo.search('nin55501').map((p) => p.id)).toEqual(['c']);
    // A partial identifier is not a match (a wrong chart is worse than none); names still match.
    expect(repo.search('12-03').map((p) => p.id)).toEqual([]);
    expect(repo.search('mrn').map((p) => p.id)).toEqual(['b']);
    expect(repo.search('1966-05-10').map((p) => p.id)).toEqual(['a', 'c']);
    db.close();
  });
});
