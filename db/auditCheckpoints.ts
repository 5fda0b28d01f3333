/**
 * Anchors for the audit chain outside its own table: after every committed change the app appends
 * the chain head (seq, hash) to `<db>.audit-checkpoints.jsonl` beside the database, one line each,
 * never rewritten. A trail whose tail was deleted, or which was rebuilt with recomputed hashes, no
 * longer contains the heads recorded here, and `audit verify` says so.
 *
 * Each line carries an HMAC under a key derived from the master key, so a workstation account
 * without a Lantern passphrase cannot forge or edit lines (a forged line is reported, never trusted).
 * Someone holding a passphrase holds the master key too and could rewrite this file along with the
 * trail: backups and reports quoting the head, kept elsewhere, are the anchors against them.
 */
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { replaceFileDurably } from './durableFiles';

export interface Checkpoint {
  seq: number;
  hash: string;
  at: string;
}

export interface CheckpointRead {
  checkpoints: Checkpoint[];
  /** Lines that do not parse or whose MAC fails: reported, never used as anchors. */
  forged: number;
}

/** Reading stops here: a file grown beyond it is itself a finding, and memory stays bounded. */
const maxBytes = 64 * 1024 * 1024;

export function checkpointPathFor(dbPath: string): string {
  return `${dbPath}.audit-checkpoints.jsonl`;
}

export function checkpointKey(masterKey: Buffer): Buffer {
  return createHmac('sha256', masterKey).update('lantern-audit-checkpoint/v1').digest();
}

function macOf(key: Buffer, c: Checkpoint): string {
  return createHmac('sha256', key).update(JSON.stringify([c.seq, c.hash, c.at])).digest('hex');
}

export function appendCheckpoint(dbPath: string, key: Buffer, checkpoint: Checkpoint): void {
  appendFileSync(checkpointPathFor(dbPath), `${JSON.stringify({ ...checkpoint, mac: macOf(key, checkpoint) })}\n`, { mode: 0o600 });
}

export function readCheckpoints(path: string, key: Buffer): CheckpointRead {
  if (!existsSync(path) || !statSync(path).isFile()) return { checkpoints: [], forged: 0 };
  const text = readFileSync(path, 'utf8').slice(-maxBytes);
  const checkpoints: Checkpoint[] = [];
  let forged = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const c = readLine(line, key);
    if (c) checkpoints.push(c);
    else forged += 1;
  }
  return { checkpoints, forged };
}

/**
 * After a master-key rotation: every line that verifies under the old key is re-signed under the
 * new one, in order; lines that did not verify are kept as they were (still reported as forged).
 */
export function remacCheckpoints(dbPath: string, oldKey: Buffer, newKey: Buffer): void {
  const path = checkpointPathFor(dbPath);
  if (!existsSync(path) || !statSync(path).isFile()) return;
  const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const rewritten = lines.map((line) => {
    const one = readLine(line, oldKey);
    return one ? JSON.stringify({ ...one, mac: macOf(newKey, one) }) : line;
  });
  replaceFileDurably(path, rewritten.map((l) => `${l}\n`).join(''));
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
