/**
 * The key pairs inside keyring slots (node:crypto only). An X25519 key pair per slot lets a key
 * rotation seal the new master key to every remaining user without their passphrases: an ephemeral
 * X25519 key agreement, HKDF-SHA256, then AES-256-GCM. Private halves are stored wrapped by the
 * slot's passphrase-derived key, exactly like the master key.
 */
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** A public key (SPKI DER, base64) and its private half (PKCS#8 DER) under AES-256-GCM. */
export interface WrappedKeyPair {
  publicKey: string;
  iv: string;
  tag: string;
  wrappedPrivateKey: string;
}

/** A 32-byte key sealed to an X25519 public key. */
export interface SealedKey {
  ephemeralPublicKey: string;
  iv: string;
  tag: string;
  wrappedKey: string;
}

const b64 = (b: Buffer): string => b.toString('base64');
const unb64 = (s: string): Buffer => Buffer.from(s, 'base64');
const isB64Field = (o: Record<string, unknown>, k: string): boolean => typeof o[k] === 'string';

export function isWrappedKeyPair(v: unknown): v is WrappedKeyPair {
  return typeof v === 'object' && v !== null && ['publicKey', 'iv', 'tag', 'wrappedPrivateKey'].every((k) => isB64Field(v as Record<string, unknown>, k));
}

export function isSealedKey(v: unknown): v is SealedKey {
  return typeof v === 'object' && v !== null && ['ephemeralPublicKey', 'iv', 'tag', 'wrappedKey'].every((k) => isB64Field(v as Record<string, unknown>, k));
}

export function createAgreementKeyPair(): KeyObject {
  return generateKeyPairSync('x25519').privateKey;
}

export function publicKeyDer(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
}

function aad(purpose: string): Buffer {
  return Buffer.from(`lantern-keyring/v1/${purpose}`, 'utf8');
}

function gcmSeal(key: Buffer, plain: Buffer, purpose: string): { iv: string; tag: string; data: string } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(purpose));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv: b64(iv), tag: b64(cipher.getAuthTag()), data: b64(data) };
}

function gcmOpen(key: Buffer, box: { iv: string; tag: string; data: string }, purpose: string): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, unb64(box.iv));
    decipher.setAAD(aad(purpose));
    decipher.setAuthTag(unb64(box.tag));
    return Buffer.concat([decipher.update(unb64(box.data)), decipher.final()]);
  } catch {
    // Authentication failed: another key, or an edited slot.
    return null;
  }
}

/** `purpose` (e.g. `<userId>/agreement`) binds the wrapped key to its slot and use. */
export function wrapPrivateKey(kek: Buffer, privateKey: KeyObject, purpose: string): WrappedKeyPair {
  const box = gcmSeal(kek, privateKey.export({ type: 'pkcs8', format: 'der' }), purpose);
  return { publicKey: b64(publicKeyDer(privateKey)), iv: box.iv, tag: box.tag, wrappedPrivateKey: box.data };
}

export function unwrapPrivateKey(kek: Buffer, pair: WrappedKeyPair, purpose: string): KeyObject | null {
  const der = gcmOpen(kek, { iv: pair.iv, tag: pair.tag, data: pair.wrappedPrivateKey }, purpose);
  if (!der) return null;
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    return null;
  }
}

function sealingKey(shared: Buffer, ephemeralPublic: Buffer, recipientId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, ephemeralPublic, `lantern-keyring/v1/seal/${recipientId}`, 32));
}

/** Seals `key` so that only the holder of the private half of `publicKeyB64` opens it. */
export function sealKeyTo(publicKeyB64: string, key: Buffer, recipientId: string): SealedKey {
  const recipient = createPublicKey({ key: unb64(publicKeyB64), format: 'der', type: 'spki' });
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralPublic = ephemeral.publicKey.export({ type: 'spki', format: 'der' });
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  const box = gcmSeal(sealingKey(shared, ephemeralPublic, recipientId), key, `${recipientId}/sealed`);
  return { ephemeralPublicKey: b64(ephemeralPublic), iv: box.iv, tag: box.tag, wrappedKey: box.data };
}

export function openSealedKey(privateKey: KeyObject, sealed: SealedKey, recipientId: string): Buffer | null {
  try {
    const ephemeralPublic = unb64(sealed.ephemeralPublicKey);
    const shared = diffieHellman({ privateKey, publicKey: createPublicKey({ key: ephemeralPublic, format: 'der', type: 'spki' }) });
    return gcmOpen(sealingKey(shared, ephemeralPublic, recipientId), { iv: sealed.iv, tag: sealed.tag, data: sealed.wrappedKey }, `${recipientId}/sealed`);
  } catch {
    return null;
  }
}
