/**
 * The per-user audit signing key in a keyring slot: wrapped by the passphrase like the master key,
 * bound to its user, made at the next unlock for a slot from before signing keys, absent from the
 * recovery slot.
 */
import { describe, expect, it } from 'vitest';
import { createMasterKey, unwrapMasterKey, unwrapWithRecoveryKey, wrapRecoverySlot, wrapUserSlot } from './keyring';
import type { Keyring } from './keyring';
import { testKdf } from './testing/tmpStore';
import { createSigningKey, signEventHash, signingPublicKey, verifyEventHash } from './auditSigning';

const ring = (...slots: Keyring['slots']): Keyring => ({ format: 'lantern-keyring', version: 1, slots });

describe('audit signing keys in keyring slots', () => {
  it("unwraps the user's signing key with their passphrase, and only theirs", async () => {
    const masterKey = createMasterKey();
    const key = createSigningKey();
    const slot = await wrapUserSlot(masterKey, 'u1', 'right passphrase', testKdf, 'ama', key);
    expect(slot.signing?.publicKey).toBe(signingPublicKey(key));
    // The wrapped private half is not the key in clear.
    expect(JSON.stringify(slot)).not.toContain(key.export({ type: 'pkcs8', format: 'der' }).toString('base64'));
    const opened = await unwrapMasterKey(ring(slot), 'right passphrase');
    expect(opened).toMatchObject({ signingKeyCreated: false, refreshed: null });
    const hash = 'a'.repeat(64);
    expect(verifyEventHash(slot.signing!.publicKey, hash, signEventHash(opened.signingKey!, hash))).toBe(true);
    expect(verifyEventHash(slot.signing!.publicKey, 'b'.repeat(64), signEventHash(opened.signingKey!, hash))).toBe(false);
    await expect(unwrapMasterKey(ring(slot), 'wrong passphrase')).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
  });

  it('makes a key for a slot from before signing keys, and one whose box was moved onto another user', async () => {
    const masterKey = createMasterKey();
    const { signing: _none, ...old } = await wrapUserSlot(masterKey, 'u1', 'old passphrase', testKdf, 'ama');
    const opened = await unwrapMasterKey(ring(old), 'old passphrase');
    expect(opened.signingKeyCreated).toBe(true);
    expect(opened.refreshed?.signing?.publicKey).toBe(signingPublicKey(opened.signingKey!));
    // Once refreshed, the same key comes back.
    const again = await unwrapMasterKey(ring(opened.refreshed!), 'old passphrase');
    expect(again.signingKeyCreated).toBe(false);
    expect(signingPublicKey(again.signingKey!)).toBe(signingPublicKey(opened.signingKey!));
    // A box copied from another user's slot does not open here (another key-encryption key, and its AAD names its user).
    const other = await wrapUserSlot(masterKey, 'u2', 'old passphrase', testKdf, 'chen');
    const moved = await unwrapMasterKey(ring({ ...opened.refreshed!, signing: other.signing! }), 'old passphrase');
    expect(moved.signingKeyCreated).toBe(true);
    expect(signingPublicKey(moved.signingKey!)).not.toBe(other.signing!.publicKey);
  });

  it('gives the recovery slot no signing key', async () => {
    const masterKey = createMasterKey();
    const recovery = await wrapRecoverySlot(masterKey, 'ABCDE-FGHJK', testKdf);
    expect(recovery.signing).toBeUndefined();
    expect(await unwrapWithRecoveryKey(ring(recovery), 'abcde fghjk')).toEqual(masterKey);
  });
});
