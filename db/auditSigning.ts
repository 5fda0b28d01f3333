/**
 * Per-user Ed25519 signing keys for the audit trail (node:crypto only). Each event's hash is signed
 * by its actor's key, whose private half only that user's passphrase unwraps (keyring slot), so a
 * master-key holder who rebuilds the chain with recomputed hashes cannot re-sign other people's
 * events. System events (no signed-in actor) are signed by the install key (installKey.ts).
 */
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** What `signed_by` holds for an event the install key signed (user ids are UUIDs). */
export const installSigner = 'install';

/** The audit event that records a user's signing public key (its detail: `{ userId, publicKey, reason }`). */
export const signingKeyAction = 'user.signing-key';

export function createSigningKey(): KeyObject {
  return generateKeyPairSync('ed25519').privateKey;
}

/** SPKI DER, base64: the form kept in keyring slots and in the trail. */
export function signingPublicKey(key: KeyObject): string {
  return createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
}

/** The wrapped private half's purpose (AES-GCM AAD): bound to its user and use. */
export function signingPurpose(userId: string): string {
  return `${userId}/signing`;
}

function signedBytes(hash: string): Buffer {
  return Buffer.from(`lantern/audit-event/v1/${hash}`, 'utf8');
}

export function signEventHash(key: KeyObject, hash: string): string {
  return sign(null, signedBytes(hash), key).toString('base64');
}

/** `publicKey`: SPKI DER base64 or a KeyObject. False for anything malformed. */
export function verifyEventHash(publicKey: string | KeyObject, hash: string, signature: string): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' }) : publicKey;
    return verify(null, signedBytes(hash), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

function countersignedBytes(userId: string, publicKey: string): string {
  return `signing-key/${userId}/${publicKey}`;
}

/**
 * A user replacing a key the trail already records (a recovery, a slot whose key box no longer
 * opens) signs that record with the new key only; the install key countersigns it, so a
 * master-key holder cannot record a key of their own for someone else outside the app.
 */
export function countersignSigningKey(installKey: KeyObject, userId: string, publicKey: string): string {
  return signEventHash(installKey, countersignedBytes(userId, publicKey));
}

export function verifySigningKeyCountersignature(installPublicKey: KeyObject, userId: string, publicKey: string, signature: string): boolean {
  return verifyEventHash(installPublicKey, countersignedBytes(userId, publicKey), signature);
}
