/**
 * The database key is a random 256-bit master key. It never derives from a passphrase: each user's
 * passphrase derives (scrypt) a key-encryption key that wraps the master key with AES-256-GCM in a
 * slot of the keyring file beside the database. Adding a user or changing a passphrase rewrites one
 * slot; the database itself is never re-encrypted for that.
 *
 * Each slot also holds an X25519 key pair whose private half the same key-encryption key wraps.
 * When an account is disabled the master key is rotated (keyRotation.ts): the new key is sealed to
 * each remaining slot's public key, so nobody's passphrase is needed, and the slot's owner opens it
 * with their private key at their next sign-in (which re-creates the passphrase-wrapped form).
 *
 * A user's slot also holds their Ed25519 signing key (auditSigning.ts), wrapped the same way: it
 * signs every audit event they cause, and a slot made before signing keys gets one at its next
 * sign-in (a `refreshed` slot).
 */
import { randomBytes, scrypt, createCipheriv, createDecipheriv } from 'node:crypto';
import { createAgreementKeyPair, openSealedKey, sealKeyTo, unwrapPrivateKey, wrapPrivateKey, isSealedKey, isWrappedKeyPair } from './slotKeyPairs';
import type { KeyObject } from 'node:crypto';
import type { SealedKey, WrappedKeyPair } from './slotKeyPairs';
import { readFileSync, existsSync } from 'node:fs';
import { replaceFileDurably } from './durableFiles';
import { keyringCorrupt, keyringMissing, wrongPassphrase } from './dbErrors';
import { createSigningKey, signingPurpose } from './auditSigning';

export interface ScryptParams {
  name: 'scrypt';
  /** CPU/memory cost; 2^17 with r=8 needs 128 MiB and about half a second here. */
  N: number;
  r: number;
  p: number;
}

export const defaultKdf: ScryptParams = { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 };

export interface KeySlot {
  userId: string;
  /** What the user types at the lock screen; absent on slots made before logins existed. */
  login?: string;
  /** `recovery`: the slot the one-time recovery key opens; never tried by a normal unlock. */
  kind?: 'user' | 'recovery';
  kdf: ScryptParams;
  salt: string;
  /** The master key wrapped by the passphrase; absent while the slot holds only a `sealed` key. */
  iv?: string;
  tag?: string;
  wrappedKey?: string;
  /** The slot's X25519 key pair (private half wrapped by the passphrase); absent in slots made before rotation existed. */
  agreement?: WrappedKeyPair;
  /** The master key after a rotation, sealed to `agreement.publicKey`; replaced by the passphrase form at sign-in. */
  sealed?: SealedKey;
  /** The user's Ed25519 audit signing key (private half wrapped by the passphrase); absent in recovery slots and slots made before signing. */
  signing?: WrappedKeyPair;
}

export interface Keyring {
  format: 'lantern-keyring';
  version: 1;
  /**
   * The database these slots open (its first audit event's hash), so a restore can tell another
   * database's backup even while this one cannot be opened. Absent in keyrings made before it.
   */
  databaseId?: string;
  /**
   * Set when an account's slot was removed and the master key has not been rotated since: the
   * removed passphrase still opens older copies of this keyring, so the next signed-in session
   * rotates the key (see keyRotation.ts). A rotated keyring is written without it.
   */
  rotationOwed?: boolean;
  slots: KeySlot[];
}

export const masterKeyBytes = 32;

export function keyringPathFor(dbPath: string): string {
  return `${dbPath}.keyring.json`;
}

/** The keyring a rotation will install, written before the database is rekeyed (see keyRotation.ts). */
export function pendingKeyringPathFor(dbPath: string): string {
  return `${keyringPathFor(dbPath)}.next`;
}

export function createMasterKey(): Buffer {
  return randomBytes(masterKeyBytes);
}

function deriveKek(passphrase: string, salt: Buffer, kdf: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Binds a slot to its user, so a slot copied onto another user id fails to open. */
function slotAad(userId: string): Buffer {
  return Buffer.from(`lantern-keyring/v1/${userId}`, 'utf8');
}

/** The master key under the key-encryption key, bound to the slot's user. */
function wrapWithKek(kek: Buffer, userId: string, masterKey: Buffer): Pick<KeySlot, 'iv' | 'tag' | 'wrappedKey'> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(slotAad(userId));
  const wrapped = Buffer.concat([cipher.update(masterKey), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), wrappedKey: wrapped.toString('base64') };
}

/** The slot's parts under one key-encryption key: the master key, the slot's X25519 private key and (user slots) the signing key. */
function slotFromKek(
  kek: Buffer,
  base: Pick<KeySlot, 'userId' | 'kdf' | 'salt'>,
  masterKey: Buffer,
  agreementKey: KeyObject,
  signingKey: KeyObject | null,
): KeySlot {
  const { userId, kdf, salt } = base;
  const slot: KeySlot = { userId, kdf, salt, ...wrapWithKek(kek, userId, masterKey), agreement: wrapPrivateKey(kek, agreementKey, `${userId}/agreement`) };
  return signingKey ? { ...slot, signing: wrapPrivateKey(kek, signingKey, signingPurpose(userId)) } : slot;
}

export async function wrapMasterKey(
  masterKey: Buffer,
  userId: string,
  passphrase: string,
  kdf: ScryptParams = defaultKdf,
  agreementKey: KeyObject = createAgreementKeyPair(),
  signingKey: KeyObject | null = null,
): Promise<KeySlot> {
  const salt = randomBytes(16);
  const kek = await deriveKek(passphrase, salt, kdf);
  return slotFromKek(kek, { userId, kdf, salt: salt.toString('base64') }, masterKey, agreementKey, signingKey);
}

/** What a passphrase opened: the master key, and what re-creating the slot without another scrypt needs. */
export interface OpenedSlot {
  masterKey: Buffer;
  userId: string;
  /** The slot rewritten in its passphrase form (with a key pair) when it was sealed or had none; null otherwise. */
  refreshed: KeySlot | null;
  /** The user's signing key (null for the recovery slot). */
  signingKey: KeyObject | null;
  /** The signing key was made by this call (the slot had none, or its box no longer opened): it must be recorded in the trail. */
  signingKeyCreated: boolean;
}

function unwrapWithKek(slot: KeySlot, kek: Buffer): Buffer | null {
  if (slot.iv === undefined || slot.tag === undefined || slot.wrappedKey === undefined) return null;
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(slot.iv, 'base64'));
  decipher.setAAD(slotAad(slot.userId));
  decipher.setAuthTag(Buffer.from(slot.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(slot.wrappedKey, 'base64')), decipher.final()]);
  } catch {
    // GCM authentication failure: this passphrase does not open this slot.
    return null;
  }
}

/** A sealed slot opens through its private key; a plain one directly. Null: not this passphrase. */
function openWithKek(slot: KeySlot, kek: Buffer): { masterKey: Buffer; agreementKey: KeyObject | null } | null {
  const agreementKey = slot.agreement ? unwrapPrivateKey(kek, slot.agreement, `${slot.userId}/agreement`) : null;
  if (slot.sealed) {
    if (!agreementKey) return null;
    const masterKey = openSealedKey(agreementKey, slot.sealed, slot.userId);
    return masterKey && { masterKey, agreementKey };
  }
  const masterKey = unwrapWithKek(slot, kek);
  return masterKey && { masterKey, agreementKey };
}

async function tryOpen(slot: KeySlot, passphrase: string): Promise<OpenedSlot | null> {
  const kek = await deriveKek(passphrase, Buffer.from(slot.salt, 'base64'), slot.kdf);
  const opened = openWithKek(slot, kek);
  if (!opened) return null;
  const isUser = slot.kind !== 'recovery';
  const held = isUser && slot.signing ? unwrapPrivateKey(kek, slot.signing, signingPurpose(slot.userId)) : null;
  const signingKey = isUser ? (held ?? createSigningKey()) : null;
  const current = opened.agreementKey !== null && slot.sealed === undefined && (!isUser || held !== null);
  // Same salt and key-encryption key: re-creating the passphrase form costs no second scrypt.
  const fresh = current ? null : slotFromKek(kek, slot, opened.masterKey, opened.agreementKey ?? createAgreementKeyPair(), signingKey);
  const { sealed: _sealed, ...rest } = slot;
  return {
    masterKey: opened.masterKey,
    userId: slot.userId,
    refreshed: fresh && { ...rest, ...fresh },
    signingKey,
    signingKeyCreated: isUser && held === null,
  };
}

/**
 * Finds the slot the passphrase opens. With `userId` only that user's slot is tried; without it
 * every slot is (one scrypt each), which is what a single-passphrase CLI call needs.
 */
export async function unwrapMasterKey(keyring: Keyring, passphrase: string, userId?: string): Promise<OpenedSlot> {
  const userSlots = keyring.slots.filter((s) => s.kind !== 'recovery');
  const slots = userId === undefined ? userSlots : userSlots.filter((s) => s.userId === userId);
  for (const slot of slots) {
    const opened = await tryOpen(slot, passphrase);
    if (opened) return opened;
  }
  throw wrongPassphrase();
}

/**
 * The slot after a rotation to `masterKey`: sealed to its public key, with the passphrase-wrapped
 * (old) key dropped. Null for a slot without a key pair, which only its owner's passphrase could rewrap.
 */
export function sealSlot(slot: KeySlot, masterKey: Buffer): KeySlot | null {
  if (!slot.agreement) return null;
  const { iv: _iv, tag: _tag, wrappedKey: _wrapped, ...rest } = slot;
  return { ...rest, sealed: sealKeyTo(slot.agreement.publicKey, masterKey, slot.userId) };
}

/**
 * A user's slot: the master key and their signing key wrapped by their passphrase, with the login
 * typed at the lock screen. `signingKey`: the one they already have (a passphrase change), else a new one.
 */
export async function wrapUserSlot(
  masterKey: Buffer,
  userId: string,
  passphrase: string,
  kdf: ScryptParams,
  login: string | undefined,
  signingKey: KeyObject = createSigningKey(),
): Promise<KeySlot> {
  const slot = await wrapMasterKey(masterKey, userId, passphrase, kdf, createAgreementKeyPair(), signingKey);
  // Slots made before logins existed stay without one (unlock then tries them for any login).
  return login === undefined ? slot : { ...slot, login, kind: 'user' };
}

/** The slot id the recovery key is bound to (its AAD), distinct from every user id (UUIDs). */
export const recoverySlotId = 'recovery';

/** 25 random bytes as 40 base32 characters in groups of five: easy to copy by hand, 200 bits. */
export function createRecoveryKey(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(25);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{5}/g)!.join('-');
}

/** What was typed, in the form the key was wrapped with: case, spaces and dashes do not matter. */
export function normaliseRecoveryKey(typed: string): string {
  const compact = typed.toUpperCase().replace(/[\s-]/g, '');
  return compact.match(/.{1,5}/g)?.join('-') ?? '';
}

export async function wrapRecoverySlot(masterKey: Buffer, recoveryKey: string, kdf: ScryptParams = defaultKdf): Promise<KeySlot> {
  return { ...(await wrapMasterKey(masterKey, recoverySlotId, normaliseRecoveryKey(recoveryKey), kdf)), kind: 'recovery' };
}

export async function unwrapWithRecoveryKey(keyring: Keyring, recoveryKey: string): Promise<Buffer> {
  return (await openRecoverySlot(keyring, recoveryKey)).masterKey;
}

/** As unwrapWithRecoveryKey, with the recovery slot's refreshed form (see OpenedSlot). */
export async function openRecoverySlot(keyring: Keyring, recoveryKey: string): Promise<OpenedSlot> {
  const slot = keyring.slots.find((s) => s.kind === 'recovery');
  const opened = slot && (await tryOpen(slot, normaliseRecoveryKey(recoveryKey)));
  if (!opened) throw wrongPassphrase('That recovery key does not open this database.');
  return opened;
}

/** Replaces the user's slot (new passphrase) or adds one; other slots are untouched. */
export function putSlot(keyringPath: string, slot: KeySlot): void {
  const keyring = readKeyring(keyringPath);
  writeKeyring(keyringPath, { ...keyring, slots: [...keyring.slots.filter((s) => s.userId !== slot.userId), slot] });
}

/** Records which database the keyring belongs to, once (see Keyring.databaseId). */
export function recordDatabaseId(keyringPath: string, databaseId: string | null): void {
  if (databaseId === null) return;
  const keyring = readKeyring(keyringPath);
  if (keyring.databaseId === databaseId) return;
  writeKeyring(keyringPath, { ...keyring, databaseId });
}

/**
 * A disabled account loses its slot, so its passphrase no longer decrypts the key from this file.
 * Copies of the older file still do: the keyring records that the master key must be rotated.
 */
export function removeSlot(keyringPath: string, userId: string): void {
  const keyring = readKeyring(keyringPath);
  const slots = keyring.slots.filter((s) => s.userId !== userId);
  if (slots.length === keyring.slots.length) return;
  writeKeyring(keyringPath, { ...keyring, slots, rotationOwed: true });
}

function isSlot(value: unknown): value is KeySlot {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  const kdf = s['kdf'] as Record<string, unknown> | undefined;
  return (
    typeof s['userId'] === 'string' &&
    (s['login'] === undefined || typeof s['login'] === 'string') &&
    (s['kind'] === undefined || s['kind'] === 'user' || s['kind'] === 'recovery') &&
    typeof s['salt'] === 'string' &&
    (['iv', 'tag', 'wrappedKey'].every((k) => typeof s[k] === 'string') || (isSealedKey(s['sealed']) && isWrappedKeyPair(s['agreement']))) &&
    (s['agreement'] === undefined || isWrappedKeyPair(s['agreement'])) &&
    (s['sealed'] === undefined || isSealedKey(s['sealed'])) &&
    (s['signing'] === undefined || isWrappedKeyPair(s['signing'])) &&
    typeof kdf === 'object' &&
    kdf !== null &&
    kdf['name'] === 'scrypt' &&
    ['N', 'r', 'p'].every((k) => Number.isInteger(kdf[k]))
  );
}

export function readKeyring(path: string): Keyring {
  if (!existsSync(path)) throw keyringMissing(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw keyringCorrupt(path, err instanceof Error ? err.message : 'unreadable');
  }
  const k = parsed as Partial<Keyring> | null;
  if (
    !k ||
    k.format !== 'lantern-keyring' ||
    k.version !== 1 ||
    !Array.isArray(k.slots) ||
    !k.slots.every(isSlot) ||
    (k.databaseId !== undefined && typeof k.databaseId !== 'string') ||
    (k.rotationOwed !== undefined && typeof k.rotationOwed !== 'boolean')
  ) {
    throw keyringCorrupt(path, 'not a Lantern keyring');
  }
  if (k.slots.length === 0) throw keyringCorrupt(path, 'no key slots');
  return k as Keyring;
}

/** A power cut leaves either the old keyring or the new one. */
export function writeKeyring(path: string, keyring: Keyring): void {
  replaceFileDurably(path, `${JSON.stringify(keyring, null, 2)}\n`);
}
