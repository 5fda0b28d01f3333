/**
 * Anchors for the audit chain outside its own table: after every committed change the app appends
 * the chain head (seq, hash) to `<db>.audit-checkpoints.jsonl` beside the database, one line each,
 * never rewritten. A trail whose tail was deleted, or which was rebuilt with recomputed hashes, no
 * longer contains the heads recorded here, and `audit verify` says so.
 *
 * Each line is signed (Ed25519) by the install key (installKey.ts), whose private half is sealed by
 * the OS keychain or readable only by the app's OS account: a passphrase holder working outside the
 * app, as another OS account or without the keychain, cannot forge lines. Lines written before the
 * install key existed carried an HMAC under a key derived from the master key; they are signed when
 * the install key is made (signLegacyCheckpoints), and once it exists an unsigned line is forged.
 * Backups and reports quoting the head, kept elsewhere, remain the anchors against whoever holds
 * the install key too.
 */
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { signWithInstallKey, verifyInstallSignature } from './installKey';
import { replaceFileDurably } from './durableFiles';

export interface Checkpoint {
  seq: number;
  hash: string;
  at: string;
}

export interface CheckpointRead {
  checkpoints: Checkpoint[];
  /** Lines that do not parse, whose signature or MAC fails, or unsigned after a signed one: reported, never used as anchors. */
  forged: number;
  /** How many of `checkpoints` the install key signed. */
  signed: number;
  /** The smallest event number a forged line claims (when it parses), to say where a rewrite starts. */
  firstForgedSeq: number | null;
}

const signaturePurpose = 'audit-checkpoint';

/** Reading stops here: a file grown beyond it is itself a finding, and memory stays bounded. */
const maxBytes = 64 * 1024 * 1024;

export function checkpointPathFor(dbPath: string): string {
  return `${dbPath}.audit-checkpoints.jsonl`;
}

export function checkpointKey(masterKey: Buffer): Buffer {
  return createHmac('sha256', masterKey).update('lantern-audit-checkpoint/v1').digest();
}

function macOf(key: Buffer, c: Checkpoint): string {
  return createHmac('sha256', key)
    .update(JSON.stringify([c.seq, c.hash, c.at]))
    .digest('hex');
}

/** Signed by the install key when its private half is at hand; else MACed (see the file comment). */
export function appendCheckpoint(dbPath: string, key: Buffer, checkpoint: Checkpoint, signer: KeyObject | null = null): void {
  const fields = [checkpoint.seq, checkpoint.hash, checkpoint.at];
  const line = signer ? { ...checkpoint, sig: signWithInstallKey(signer, signaturePurpose, fields) } : { ...checkpoint, mac: macOf(key, checkpoint) };
  appendFileSync(checkpointPathFor(dbPath), `${JSON.stringify(line)}\n`, { mode: 0o600 });
}

function claimedSeq(line: string): number | null {
  try {
    const seq = Number((JSON.parse(line) as { seq?: unknown }).seq);
    return Number.isSafeInteger(seq) && seq > 0 ? seq : null;
  } catch {
    return null;
  }
}

function readSignedLine(line: string, publicKey: KeyObject | null): Checkpoint | 'unsigned' | null {
  try {
    const v = JSON.parse(line) as Partial<Checkpoint & { sig: string }>;
    if (typeof v.sig !== 'string') return 'unsigned';
    const c: Checkpoint = { seq: Number(v.seq), hash: String(v.hash), at: String(v.at) };
    return publicKey && Number.isSafeInteger(c.seq) && verifyInstallSignature(publicKey, signaturePurpose, [c.seq, c.hash, c.at], v.sig) ? c : null;
  } catch {
    return null;
  }
}

/** `installPublicKey`: the install key's public half (readInstallPublicKey), null where there is none. */
export function readCheckpoints(path: string, key: Buffer, installPublicKey: KeyObject | null = null): CheckpointRead {
  if (!existsSync(path) || !statSync(path).isFile()) return { checkpoints: [], forged: 0, signed: 0, firstForgedSeq: null };
  const text = readFileSync(path, 'utf8').slice(-maxBytes);
  const checkpoints: Checkpoint[] = [];
  let forged = 0;
  let signed = 0;
  let firstForgedSeq: number | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const s = readSignedLine(line, installPublicKey);
    // With an install key, an unsigned line is what a master-key holder alone could write.
    const c = s === 'unsigned' ? (installPublicKey === null ? readLine(line, key) : null) : s;
    if (c) checkpoints.push(c);
    else {
      forged += 1;
      const claimed = claimedSeq(line);
      if (claimed !== null && (firstForgedSeq === null || claimed < firstForgedSeq)) firstForgedSeq = claimed;
    }
    if (c && s !== 'unsigned') signed += 1;
  }
  return { checkpoints, forged, signed, firstForgedSeq };
}

/**
 * After a master-key rotation: every line that verifies under the old key is re-signed under the
 * new one, in order; lines that did not verify are kept as they were (still reported as forged).
 */
/** When the install key is made: every line the master key's MAC vouches for is signed instead. */
export function signLegacyCheckpoints(dbPath: string, macKey: Buffer, signer: KeyObject): void {
  rewriteCheckpoints(dbPath, (line) => {
    const one = readLine(line, macKey);
    return one ? JSON.stringify({ ...one, sig: signWithInstallKey(signer, signaturePurpose, [one.seq, one.hash, one.at]) }) : line;
  });
}

function rewriteCheckpoints(dbPath: string, rewrite: (line: string) => string): void {
  const path = checkpointPathFor(dbPath);
  if (!existsSync(path) || !statSync(path).isFile()) return;
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  replaceFileDurably(path, lines.map((l) => `${rewrite(l)}\n`).join(''));
}

export function remacCheckpoints(dbPath: string, oldKey: Buffer, newKey: Buffer): void {
  rewriteCheckpoints(dbPath, (line) => {
    const one = readLine(line, oldKey);
    return one ? JSON.stringify({ ...one, mac: macOf(newKey, one) }) : line;
  });
}

function readLine(line: string, key: Buffer): Checkpoint | null {
  try {
    const v = JSON.parse(line) as Partial<Checkpoint & { mac: string }>;
    const c: Checkpoint = { seq: Number(v.seq), hash: String(v.hash), at: String(v.at) };
    const expected = Buffer.from(macOf(key, c), 'hex');
    const given = Buffer.from(String(v.mac ?? ''), 'hex');
    return Number.isSafeInteger(c.seq) && given.length === expected.length && timingSafeEqual(given, expected) ? c : null;
  } catch {
    return null;
  }
}
