/**
 * The install key: an Ed25519 key pair of this installation that signs the audit checkpoint lines
 * (auditCheckpoints.ts), so those anchors no longer derive from the master key every passphrase
 * holder has. It lives beside the database as `<db>.install-key.json` (0600): its private half sealed
 * by the OS keychain where the desktop app has one (DPAPI, macOS Keychain, libsecret/KWallet), else
 * in the file itself, readable only by the OS account the app runs as. The public half is in the
 * file in clear, for verification by anyone.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileDurably } from './durableFiles';

/** What the desktop shell's keychain offers (Electron safeStorage); absent in the host and the CLI. */
export interface KeySealer {
  seal(plain: Buffer): Buffer;
  unseal(sealed: Buffer): Buffer;
}

interface InstallKeyFile {
  format: 'lantern-install-key';
  version: 1;
  createdAt: string;
  /** SPKI DER, base64. */
  publicKey: string;
  storage: 'os-keychain' | 'file';
  /** PKCS#8 DER, base64: in clear (`file`) or sealed by the keychain (`os-keychain`). */
  privateKey: string;
}

export interface InstallKey {
  privateKey: KeyObject | null;
  publicKey: KeyObject;
  storage: InstallKeyFile['storage'];
  /** Made by this call (the caller then signs what the master key's MAC vouched for until now). */
  created: boolean;
}

export function installKeyPathFor(dbPath: string): string {
  return `${dbPath}.install-key.json`;
}

function readFile(dbPath: string): InstallKeyFile | null {
  const path = installKeyPathFor(dbPath);
  if (!existsSync(path)) return null;
  try {
    const f = JSON.parse(readFileSync(path, 'utf8')) as Partial<InstallKeyFile>;
    const valid =
      f.format === 'lantern-install-key' &&
      f.version === 1 &&
      typeof f.publicKey === 'string' &&
      typeof f.privateKey === 'string' &&
      (f.storage === 'file' || f.storage === 'os-keychain');
    return valid ? (f as InstallKeyFile) : null;
  } catch {
    return null;
  }
}

/** The public half for verification, or null when this database has no install key (yet). */
export function readInstallPublicKey(dbPath: string): KeyObject | null {
  const f = readFile(dbPath);
  if (!f) return null;
  try {
    return createPublicKey({ key: Buffer.from(f.publicKey, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

/**
 * The install key, made on first use. `privateKey` is null when the file's private half cannot be
 * opened here (sealed by another computer's keychain, or the desktop app's keychain from the CLI):
 * lines are then written unsigned, and verification still checks the signed ones.
 */
export function loadOrCreateInstallKey(dbPath: string, sealer: KeySealer | null, now = new Date()): InstallKey {
  const existing = readFile(dbPath);
  if (existing) {
    const publicKey = createPublicKey({ key: Buffer.from(existing.publicKey, 'base64'), format: 'der', type: 'spki' });
    let der: Buffer | null = Buffer.from(existing.privateKey, 'base64');
    if (existing.storage === 'os-keychain') {
      try {
        der = sealer ? sealer.unseal(der) : null;
      } catch {
        der = null;
      }
    }
    return { privateKey: der && createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), publicKey, storage: existing.storage, created: false };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const storage: InstallKeyFile['storage'] = sealer ? 'os-keychain' : 'file';
  const file: InstallKeyFile = {
    format: 'lantern-install-key',
    version: 1,
    createdAt: now.toISOString(),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    storage,
    privateKey: (sealer ? sealer.seal(der) : der).toString('base64'),
  };
  try {
    writeFileDurably(installKeyPathFor(dbPath), `${JSON.stringify(file, null, 2)}\n`);
  } catch (err) {
    // Another process made it first: theirs is the install key.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateInstallKey(dbPath, sealer, now);
    throw err;
  }
  return { privateKey, publicKey, storage, created: true };
}

function signedBytes(purpose: string, fields: unknown[]): Buffer {
  return Buffer.from(JSON.stringify([`lantern/${purpose}/v1`, ...fields]), 'utf8');
}

export function signWithInstallKey(privateKey: KeyObject, purpose: string, fields: unknown[]): string {
  return sign(null, signedBytes(purpose, fields), privateKey).toString('base64');
}

export function verifyInstallSignature(publicKey: KeyObject, purpose: string, fields: unknown[], signature: string): boolean {
  try {
    return verify(null, signedBytes(purpose, fields), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
