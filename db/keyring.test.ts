import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { createMasterKey, readKeyring, unwrapMasterKey, wrapMasterKey, writeKeyring } from './keyring';
import type { Keyring } from './keyring';
import { KeyringCorruptError, WrongPassphraseError } from './dbErrors';
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
    await expect(unwrapMasterKey(loaded, 'bob pass', 'alice')).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  it('rejects a slot moved to another user id', async () => {
    const slot = await wrapMasterKey(createMasterKey(), 'alice', 'pass', testKdf);
    const keyring: Keyring = { format: 'lantern-keyring', version: 1, slots: [{ ...slot, userId: 'mallory' }] };
    await expect(unwrapMasterKey(keyring, 'pass')).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  it('names a damaged keyring file', () => {
    const path = join(dir, 'k.json');
    writeFileSync(path, '{"format": "lantern-keyring", "version": 1, "slots": [{}]}');
    expect(() => readKeyring(path)).toThrow(KeyringCorruptError);
    writeFileSync(path, 'not json');
    expect(() => readKeyring(path)).toThrow(KeyringCorruptError);
  });
});
