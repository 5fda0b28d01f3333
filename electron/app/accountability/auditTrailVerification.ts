/**
 * `audit verify` beyond the chain's own links: every case's content hash (an edited note or a
 * deleted case), and every anchor of the chain kept outside its table (the checkpoint file beside
 * the database, the manifests of backups in the backup folder, and any manifest, report or
 * checkpoint file named with --anchor). A trail whose tail was cut, or which was rebuilt with
 * recomputed hashes, no longer holds the heads those anchors recorded. Every event's signature is
 * checked against its actor's key (or the install key), and each keyring slot's signing public key
 * against the one the trail last recorded: re-signing a rebuilt trail needs every actor's private key.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { AuditChainStatus } from '../../contract/ipcContract';
import type { CaseStore } from '../../../db/caseStore';
import { checkpointKey, checkpointPathFor, readCheckpoints } from '../../../db/auditCheckpoints';
import { backupManifestFile, databaseIdOf, listBackups, readBackupManifest } from '../../../db/backup';
import { LanternError } from '../serviceErrors';
import { readInstallPublicKey } from '../../../db/installKey';
import { type KeyObject } from 'node:crypto';
import { keyringPathFor, readKeyring } from '../../../db/keyring';
import type { SignatureVerification } from '../../../db/repositories/auditRepository';

export interface Anchor {
  source: string;
  seq: number;
  hash: string;
  /** When the anchor was made, where known: anchors older than a restore may quote the replaced trail. */
  at: string | null;
}

interface Break {
  seq: number;
  reason: string;
}

/** Every `<seq>:<hash>` identifier or `chainHead`/`auditHead` object in a JSON document (FHIR bundle, export summary, manifest). */
function headsInJson(value: unknown, out: { seq: number; hash: string }[], depth = 0): void {
  if (depth > 40 || value === null) return;
  if (typeof value === 'string') {
    const m = /^(\d+):([0-9a-f]{64})$/.exec(value);
    if (m) out.push({ seq: Number(m[1]), hash: m[2]! });
    return;
  }
  if (typeof value !== 'object') return;
  const o = value as Record<string, unknown>;
  if (Number.isSafeInteger(o['seq']) && typeof o['hash'] === 'string' && /^[0-9a-f]{64}$/.test(o['hash']))
    out.push({ seq: o['seq'] as number, hash: o['hash'] });
  for (const v of Object.values(o)) headsInJson(v, out, depth + 1);
}

/** Reads an anchor named on the command line: a backup folder or manifest, a JSON report, or a checkpoint file. */
export function readAnchorFile(path: string, masterKey: Buffer, databaseId: string | null, installPublicKey: KeyObject | null = null): Anchor[] {
  if (!existsSync(path)) throw new LanternError('VALIDATION_FAILED', `Anchor ${path} does not exist.`, { field: 'anchor' });
  if (statSync(path).isDirectory() || basename(path) === backupManifestFile) {
    const folder = statSync(path).isDirectory() ? path : join(path, '..');
    const m = readBackupManifest(folder);
    if (m.databaseId && databaseId && m.databaseId !== databaseId)
      throw new LanternError('VALIDATION_FAILED', `Anchor ${path} is a backup of another database.`, { field: 'anchor' });
    return [{ source: `backup manifest ${folder}`, ...m.auditHead, at: m.createdAt }];
  }
  if (path.endsWith('.jsonl')) {
    const read = readCheckpoints(path, checkpointKey(masterKey), installPublicKey);
    if (read.checkpoints.length === 0)
      throw new LanternError(
        'VALIDATION_FAILED',
        `Anchor ${path} holds no checkpoint this database's key signed${read.forged ? ` (${read.forged} forged or damaged lines)` : ''}.`,
        { field: 'anchor' },
      );
    return read.checkpoints.map((c) => ({ source: `checkpoint file ${path}`, seq: c.seq, hash: c.hash, at: c.at }));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new LanternError(
      'VALIDATION_FAILED',
      `Anchor ${path} is not a backup manifest, a JSON report (FHIR bundle or export summary) or a checkpoint file.`,
      { field: 'anchor' },
    );
  }
  const heads: { seq: number; hash: string }[] = [];
  headsInJson(parsed, heads);
  if (heads.length === 0) throw new LanternError('VALIDATION_FAILED', `Anchor ${path} quotes no audit chain head.`, { field: 'anchor' });
  return heads.map((h) => ({ source: `report ${path}`, ...h, at: null }));
}

/** The anchors found without being asked: the checkpoint file and this database's backups in the backup folder. */
export function defaultAnchors(dbPath: string, masterKey: Buffer, backupDir: string | null, databaseId: string | null): Anchor[] {
  const anchors = readCheckpoints(checkpointPathFor(dbPath), checkpointKey(masterKey), readInstallPublicKey(dbPath)).checkpoints.map((c) => ({
    source: 'the checkpoint file',
    seq: c.seq,
    hash: c.hash,
    at: c.at,
  }));
  if (backupDir !== null) {
    for (const name of listBackups(backupDir)) {
      try {
        const m = readBackupManifest(join(backupDir, name));
        // Only this database's backups anchor it (a restored other database keeps the old backups beside it).
        if (m.databaseId && m.databaseId === databaseId) anchors.push({ source: `backup ${name}`, ...m.auditHead, at: m.createdAt });
      } catch {
        // An unreadable manifest is the backup list's concern, not an anchor.
      }
    }
  }
  return anchors;
}

function checkAnchors(store: CaseStore, events: number, anchors: readonly Anchor[]): Break | null {
  const hashAt = store.db.prepare('SELECT hash FROM audit_events WHERE seq = ?').pluck();
  const restores = store.db.prepare("SELECT seq, at FROM audit_events WHERE action = 'backup.restore' ORDER BY seq").all() as { seq: number; at: string }[];
  let worst: Break | null = null;
  for (const a of anchors) {
    if (a.seq === 0) continue;
    const hash = a.seq <= events ? (hashAt.get(a.seq) as string | undefined) : undefined;
    if (hash === a.hash) continue;
    // Made before a restore that replaced the trail from at or below its seq: it anchors the replaced trail.
    if (a.at !== null && restores.some((r) => r.seq <= a.seq + 1 && a.at! < r.at)) continue;
    const found: Break =
      a.seq > events
        ? { seq: events + 1, reason: `${a.source} records event ${a.seq}, but the trail ends at event ${events}: events were removed from its end` }
        : { seq: a.seq, reason: `event ${a.seq} is not the one ${a.source} recorded: the trail was rewritten` };
    if (worst === null || found.seq < worst.seq) worst = found;
  }
  return worst;
}

/**
 * Once the install key exists, every line of the checkpoint file is signed by it: a line that is
 * not was written outside the app (a master-key holder rewriting the anchors of a rebuilt trail).
 */
function unsignedCheckpoints(dbPath: string, masterKey: Buffer, events: number): Break | null {
  const installPublicKey = readInstallPublicKey(dbPath);
  if (installPublicKey === null) return null;
  const read = readCheckpoints(checkpointPathFor(dbPath), checkpointKey(masterKey), installPublicKey);
  if (read.forged === 0) return null;
  const seq = Math.max(1, Math.min(read.firstForgedSeq ?? events, events));
  return { seq, reason: `the checkpoint file holds ${read.forged} line(s) the install key did not sign: it was written or rewritten outside the app` };
}

/**
 * Each user slot's signing public key must be the one the trail last recorded for that user: a
 * trail rebuilt with keys its rebuilder made no longer matches the keyring beside it (and a keyring
 * whose public key was swapped no longer matches the trail).
 */
function keyringSigningMismatch(dbPath: string, sig: SignatureVerification, events: number): Break | null {
  let slots;
  try {
    slots = readKeyring(keyringPathFor(dbPath)).slots;
  } catch {
    // No keyring beside a database checked by its key alone (a backup being verified): nothing to compare.
    return null;
  }
  let worst: Break | null = null;
  for (const slot of slots) {
    if (slot.kind === 'recovery' || !slot.signing) continue;
    const recorded = sig.keys.get(slot.userId);
    if (recorded?.publicKey === slot.signing.publicKey) continue;
    const who = slot.login ?? slot.userId;
    const found: Break = recorded
      ? {
          seq: recorded.seq,
          reason: `event ${recorded.seq} records a signing key for ${who} that is not the one in the keyring: the trail or the keyring was rewritten`,
        }
      : { seq: Math.max(1, events), reason: `the keyring holds a signing key for ${who} that the trail never recorded: the trail was rewritten` };
    if (worst === null || found.seq < worst.seq) worst = found;
  }
  return worst;
}

export function verifyAuditTrail(
  ctx: { store: CaseStore; dbPath: string; masterKey: Buffer },
  options: { backupDir?: string | null; anchorFiles?: readonly string[]; now?: Date } = {},
): AuditChainStatus {
  const { store } = ctx;
  const checkedAt = (options.now ?? new Date()).toISOString();
  const v = store.audit.verifyChain();
  if (!v.intact) return { intact: false, events: v.events, head: store.audit.head(), firstBrokenSeq: v.firstBrokenSeq, reason: v.reason, checkedAt };
  const head = v.events ? { seq: v.events, hash: v.head } : null;
  const databaseId = databaseIdOf(store.db);
  const anchors = [
    ...defaultAnchors(ctx.dbPath, ctx.masterKey, options.backupDir ?? null, databaseId),
    ...(options.anchorFiles ?? []).flatMap((f) => readAnchorFile(f, ctx.masterKey, databaseId, readInstallPublicKey(ctx.dbPath))),
  ];
  const breaks: Break[] = [];
  const sig = store.audit.verifySignatures(readInstallPublicKey(ctx.dbPath));
  const unsignedLegacyEvents = sig.unsignedLegacy;
  if (sig.broken) breaks.push(sig.broken);
  const keyMismatch = keyringSigningMismatch(ctx.dbPath, sig, v.events);
  if (keyMismatch) breaks.push(keyMismatch);
  const anchored = checkAnchors(store, v.events, anchors);
  if (anchored) breaks.push(anchored);
  for (const m of store.audit.verifyContent()) breaks.push({ seq: m.seq, reason: m.reason });
  const unsigned = unsignedCheckpoints(ctx.dbPath, ctx.masterKey, v.events);
  if (unsigned) breaks.push(unsigned);
  if (breaks.length === 0) return { intact: true, events: v.events, head, firstBrokenSeq: null, reason: null, checkedAt, unsignedLegacyEvents };
  breaks.sort((a, b) => a.seq - b.seq);
  // A trail cut or rewritten against its anchors explains the rest (cases whose events went with it): name it first.
  const first = anchored ?? breaks[0]!;
  return {
    intact: false,
    events: v.events,
    head,
    firstBrokenSeq: first.seq,
    reason: breaks.length > 1 ? `${first.reason} (and ${breaks.length - 1} more)` : first.reason,
    checkedAt,
    unsignedLegacyEvents,
  };
}
