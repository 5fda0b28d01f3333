/**
 * The database key is a random 256-bit master key. It never derives from a passphrase: each user's
 * passphrase derives (scrypt) a key-encryption key that wraps the master key with AES-256-GCM in a
 * slot of the keyring file beside the database. Adding a user or changing a passphrase rewrites one
 * slot; the database itself is never re-encrypted for that.
 */
import { randomBytes, scrypt, createCipheriv, createDecipheriv } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { replaceFileDurably } from './durableFiles';
import { keyringCorrupt, keyringMissing, wrongPassphrase } from './dbErrors';

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
  iv: string;
  tag: string;
  wrappedKey: string;
}

export interface Keyring {
  format: 'lantern-keyring';
  version: 1;
  /**
   * The database these slots open (its first audit event's hash), so a restore can tell another
   * database's backup even while this one cannot be opened. Absent in keyrings made before it.
   */
  databaseId?: string;
  slots: KeySlot[];
}

export const masterKeyBytes = 32;

export function keyringPathFor(dbPath: string): string {
  return `${dbPath}.keyring.json`;
}

export function createMasterKey(): Buffer {
  return randomBytes(masterKeyBytes);
}

function deriveKek(passphrase: string, salt: Buffer, kdf: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase.normalize('NFC'),
      salt,
      32,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

/** Binds a slot to its user, so a slot copied onto another user id fails to open. */
function slotAad(userId: string): Buffer {
  return Buffer.from(`lantern-keyring/v1/${userId}`, 'utf8');
}

export async function wrapMasterKey(
  masterKey: Buffer,
  userId: string,
  passphrase: string,
  kdf: ScryptParams = defaultKdf,
): Promise<KeySlot> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const kek = await deriveKek(passphrase, salt, kdf);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(slotAad(userId));
  const wrapped = Buffer.concat([cipher.update(masterKey), cipher.final()]);
  return {
    userId,
    kdf,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    wrappedKey: wrapped.toString('base64'),
  };
}

async function tryUnwrap(slot: KeySlot, passphrase: string): Promise<Buffer | null> {
  const kek = await deriveKek(passphrase, Buffer.from(slot.salt, 'base64'), slot.kdf);
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

/**
 * Finds the slot the passphrase opens. With `userId` only that user's slot is tried; without it
 * every slot is (one scrypt each), which is what a single-passphrase CLI call needs.
 */
export async function unwrapMasterKey(
  keyring: Keyring,
  passphrase: string,
  userId?: string,
): Promise<{ masterKey: Buffer; userId: string }> {
  const userSlots = keyring.slots.filter((s) => s.kind !== 'recovery');
  const slots = userId === undefined ? userSlots : userSlots.filter((s) => s.userId === userId);
  for (const slot of slots) {
    const masterKey = await tryUnwrap(slot, passphrase);
    if (masterKey) return { masterKey, userId: slot.userId };
  }
  throw wrongPassphrase();
}

/** A user's slot: the master key wrapped by their passphrase, with the login typed at the lock screen. */
export async function wrapUserSlot(masterKey: Buffer, userId: string, passphrase: string, kdf: ScryptParams, login: string | undefined): Promise<KeySlot> {
  const slot = await wrapMasterKey(masterKey, userId, passphrase, kdf);
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
  const slot = keyring.slots.find((s) => s.kind === 'recovery');
  const masterKey = slot && (await tryUnwrap(slot, normaliseRecoveryKey(recoveryKey)));
  if (!masterKey) throw wrongPassphrase('That recovery key does not open this database.');
  return masterKey;
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

/** A disabled account loses its slot, so its passphrase no longer decrypts the key, even outside the app. */
export function removeSlot(keyringPath: string, userId: string): void {
  const keyring = readKeyring(keyringPath);
  const slots = keyring.slots.filter((s) => s.userId !== userId);
  if (slots.length === keyring.slots.length) return;
  writeKeyring(keyringPath, { ...keyring, slots });
}

function isSlot(value: unknown): value is KeySlot {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  const kdf = s['kdf'] as Record<string, unknown> | undefined;
  return (
    typeof s['userId'] === 'string' &&
    (s['login'] === undefined || typeof s['login'] === 'string') &&
    (s['kind'] === undefined || s['kind'] === 'user' || s['kind'] === 'recovery') &&
    ['salt', 'iv', 'tag', 'wrappedKey'].every((k) => typeof s[k] === 'string') &&
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
  if (!k || k.format !== 'lantern-keyring' || k.version !== 1 || !Array.isArray(k.slots) || !k.slots.every(isSlot) || (k.databaseId !== undefined && typeof k.databaseId !== 'string')) {
    throw keyringCorrupt(path, 'not a Lantern keyring');
  }
  if (k.slots.length === 0) throw keyringCorrupt(path, 'no key slots');
  return k as Keyring;
}

/** A power cut leaves either the old keyring or the new one. */
export function writeKeyring(path: string, keyring: Keyring): void {
  replaceFileDurably(path, `${JSON.stringify(keyring, null, 2)}\n`);
}
