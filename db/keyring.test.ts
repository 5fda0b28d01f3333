import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import {
  createMasterKey,
  createRecoveryKey,
  normaliseRecoveryKey,
  putSlot,
  readKeyring,
  removeSlot,
  unwrapMasterKey,
  unwrapWithRecoveryKey,
  wrapMasterKey,
  wrapRecoverySlot,
  writeKeyring,
} from './keyring';
import type { Keyring } from './keyring';
import { makeTempDir, testKdf } from './testing/tmpStore';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = makeTempDir()));
afterEach(() => cleanup());

describe('keyring', () => {
  it('wraps one master key for several users, each with their own passphrase', async () => {
    const key = createMasterKey();
    const keyring: Keyring = {
      format: 'lantern-keyring',
      version: 1,
      slots: [await wrapMasterKey(key, 'alice', 'alice pass', testKdf), await wrapMasterKey(key, 'bob', 'bob pass', testKdf)],
    };
    const path = join(dir, 'k.json');
    writeKeyring(path, keyring);
    const loaded = readKeyring(path);
    expect((await unwrapMasterKey(loaded, 'bob pass')).masterKey.equals(key)).toBe(true);
    expect((await unwrapMasterKey(loaded, 'alice pass', 'alice')).userId).toBe('alice');
    await expect(unwrapMasterKey(loaded, 'bob pass', 'alice')).rejects.toMatchObject({ name: 'DbError', code: 'WRONG_PASSPHRASE' });
  });

  it('rejects a slot moved to another user id', async () => {
    const slot = await wrapMasterKey(createMasterKey(), 'alice', 'pass', testKdf);
    const keyring: Keyring = { format: 'lantern-keyring', version: 1, slots: [{ ...slot, userId: 'mallory' }] };
    await expect(unwrapMasterKey(keyring, 'pass')).rejects.toMatchObject({ name: 'DbError', code: 'WRONG_PASSPHRASE' });
  });

  it('names a damaged keyring file', () => {
    const path = join(dir, 'k.json');
    writeFileSync(path, '{"format": "lantern-keyring", "version": 1, "slots": [{}]}');
    expect(() => readKeyring(path)).toThrow(expect.objectContaining({ name: 'DbError', code: 'DATABASE_CORRUPT' }));
    writeFileSync(path, 'not json');
    expect(() => readKeyring(path)).toThrow(expect.objectContaining({ name: 'DbError', code: 'DATABASE_CORRUPT' }));
  });

  it('opens with the recovery key however it is typed, and never lets a passphrase try the recovery slot', async () => {
    const key = createMasterKey();
    const recoveryKey = createRecoveryKey();
    expect(recoveryKey).toMatch(/^([A-Z2-9]{5}-){7}[A-Z2-9]{5}$/);
    expect(normaliseRecoveryKey(recoveryKey.toLowerCase().replace(/-/g, ' '))).toBe(recoveryKey);
    const keyring: Keyring = {
      format: 'lantern-keyring',
      version: 1,
      slots: [await wrapMasterKey(key, 'alice', 'alice pass', testKdf), await wrapRecoverySlot(key, recoveryKey, testKdf)],
    };
    expect((await unwrapWithRecoveryKey(keyring, recoveryKey.replace(/-/g, ''))).equals(key)).toBe(true);
    await expect(unwrapWithRecoveryKey(keyring, createRecoveryKey())).rejects.toMatchObject({ name: 'DbError', code: 'WRONG_PASSPHRASE' });
    await expect(unwrapMasterKey(keyring, recoveryKey)).rejects.toMatchObject({ name: 'DbError', code: 'WRONG_PASSPHRASE' });
  });

  it('replaces and removes one slot without touching the others', async () => {
    const key = createMasterKey();
    const path = join(dir, 'k.json');
    writeKeyring(path, { format: 'lantern-keyring', version: 1, slots: [await wrapMasterKey(key, 'alice', 'old pass', testKdf)] });
    putSlot(path, { ...(await wrapMasterKey(key, 'bob', 'bob pass', testKdf)), login: 'bob', kind: 'user' });
    putSlot(path, await wrapMasterKey(key, 'alice', 'new pass', testKdf));
    await expect(unwrapMasterKey(readKeyring(path), 'old pass')).rejects.toMatchObject({ name: 'DbError', code: 'WRONG_PASSPHRASE' });
    expect((await unwrapMasterKey(readKeyring(path), 'new pass')).userId).toBe('alice');
    removeSlot(path, 'bob');
    expect(readKeyring(path).slots.map((s) => s.userId)).toEqual(['alice']);
  });
});
