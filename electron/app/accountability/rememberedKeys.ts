/**
 * "Remember on this computer": the master key sealed by the operating system's keychain (Electron
 * safeStorage: DPAPI, macOS Keychain, libsecret/KWallet), so a user can sign in on their own
 * workstation without typing the passphrase. Refused where the keychain would not protect it:
 * Linux's `basic_text` backend encrypts with a hard-coded password, which is no protection at all.
 * The sealed keys live beside the database; deleting that file only forgets, it never loses data.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { replaceFileDurably } from '../../../db/durableFiles';
import { LanternError } from '../serviceErrors';

/** What the Electron shell provides from `safeStorage`; plain Node (host, CLI) has none. */
export interface OsSecretStore {
  isEncryptionAvailable(): boolean;
  /** Linux only; other platforms report 'os'. */
  backend(): string;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

export interface RememberedEntry {
  login: string;
  userId: string;
  sealed: string;
  rememberedAt: string;
}

interface RememberedFile {
  format: 'lantern-remembered-keys';
  version: 1;
  entries: RememberedEntry[];
}

export function rememberedKeysPathFor(dbPath: string): string {
  return `${dbPath}.remembered.json`;
}

/** Why this computer cannot remember a key, or null when it can. */
export function rememberRefusal(store: OsSecretStore | undefined): string | null {
  if (!store) return 'Remembering a sign-in needs the desktop app and its operating-system keychain.';
  if (!store.isEncryptionAvailable()) return 'This computer has no keychain available to protect a remembered key.';
  const backend = store.backend();
  if (backend === 'basic_text' || backend === 'unknown') {
    return `This computer's keychain backend (${backend}) would store the key without real protection; install and unlock GNOME Keyring or KWallet to use this.`;
  }
  return null;
}

function readEntries(dbPath: string): RememberedEntry[] {
  const path = rememberedKeysPathFor(dbPath);
  if (!existsSync(path)) return [];
  try {
    const file = JSON.parse(readFileSync(path, 'utf8')) as Partial<RememberedFile>;
    return file.format === 'lantern-remembered-keys' && Array.isArray(file.entries) ? file.entries : [];
  } catch {
    // A damaged file only means nobody is remembered; the passphrase still works.
    return [];
  }
}

function writeEntries(dbPath: string, entries: RememberedEntry[]): void {
  replaceFileDurably(
    rememberedKeysPathFor(dbPath),
    JSON.stringify({ format: 'lantern-remembered-keys', version: 1, entries } satisfies RememberedFile, null, 2),
  );
}

export function rememberedLogins(dbPath: string): string[] {
  return readEntries(dbPath).map((e) => e.login);
}

/** The user's audit signing key is sealed with the master key: a remembered sign-in must sign its events too. */
export function rememberKey(
  store: OsSecretStore | undefined,
  dbPath: string,
  entry: { login: string; userId: string; masterKey: Buffer; signingKey: KeyObject; at: string },
): void {
  const refusal = rememberRefusal(store);
  if (refusal !== null) throw new LanternError('REMEMBER_UNAVAILABLE', refusal);
  const signing = entry.signingKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
  const sealed = store!.encryptString(JSON.stringify({ userId: entry.userId, key: entry.masterKey.toString('base64'), signing })).toString('base64');
  writeEntries(dbPath, [
    ...readEntries(dbPath).filter((e) => e.login !== entry.login),
    { login: entry.login, userId: entry.userId, sealed, rememberedAt: entry.at },
  ]);
}

export function forgetKey(dbPath: string, login: string): void {
  const entries = readEntries(dbPath);
  if (entries.some((e) => e.login === login))
    writeEntries(
      dbPath,
      entries.filter((e) => e.login !== login),
    );
}

/**
 * The remembered master key for a login, or REMEMBER_UNAVAILABLE saying why not. `signingKey` is
 * null for an entry remembered before audit signing keys (the caller asks for the passphrase once).
 */
export function recallKey(
  store: OsSecretStore | undefined,
  dbPath: string,
  login: string,
): { userId: string; masterKey: Buffer; signingKey: KeyObject | null } {
  const refusal = rememberRefusal(store);
  if (refusal !== null) throw new LanternError('REMEMBER_UNAVAILABLE', refusal);
  const entry = readEntries(dbPath).find((e) => e.login === login);
  if (!entry) throw new LanternError('REMEMBER_UNAVAILABLE', `"${login}" is not remembered on this computer; sign in with the passphrase.`);
  let opened: { userId?: unknown; key?: unknown; signing?: unknown };
  try {
    opened = JSON.parse(store!.decryptString(Buffer.from(entry.sealed, 'base64'))) as typeof opened;
  } catch {
    throw new LanternError(
      'REMEMBER_UNAVAILABLE',
      'The keychain could not open the remembered key (another OS user or a reset keychain); sign in with the passphrase.',
    );
  }
  if (opened.userId !== entry.userId || typeof opened.key !== 'string')
    throw new LanternError('REMEMBER_UNAVAILABLE', 'The remembered key does not belong to this account; sign in with the passphrase.');
  let signingKey: KeyObject | null = null;
  try {
    if (typeof opened.signing === 'string') signingKey = createPrivateKey({ key: Buffer.from(opened.signing, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    signingKey = null;
  }
  return { userId: entry.userId, masterKey: Buffer.from(opened.key, 'base64'), signingKey };
}
