/**
 * Append-only audit events forming a hash chain: each event's hash covers its content and the
 * previous event's hash, so editing or removing any row (even with the key, outside the app)
 * breaks verification from that row on. Each event is also signed over its hash by its actor's
 * key (auditSigning.ts), so rebuilding the chain with recomputed hashes needs every actor's
 * private key, not just the master key.
 */
import { createHash, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { installSigner, signEventHash, signingKeyAction, verifyEventHash, verifySigningKeyCountersignature } from '../auditSigning';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { CaseContentHasher, absentCaseHash } from '../caseContentHash';

export const genesisHash = '0'.repeat(64);

export interface AuditEventInput {
  at: string;
  userId: string | null;
  action: string;
  encounterId?: string | null;
  modelId?: string | null;
  modelVersion?: string | null;
  modelSha256?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditEventRow {
  seq: number;
  at: string;
  user_id: string | null;
  action: string;
  encounter_id: string | null;
  model_id: string | null;
  model_version: string | null;
  model_sha256: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
  /** The signer (the event's user id, `install`, or the signed-in witness of a system event); null on legacy events. */
  signed_by?: string | null;
  signature?: string | null;
}

/** What the signatures say: the first event whose signature fails, and how many legacy (pre-signing) events there are. */
export interface SignatureVerification {
  /** Events before the first signed one (written before signing existed): reported, not a break. */
  unsignedLegacy: number;
  broken: { seq: number; reason: string } | null;
  /** Each user's signing public key as the trail last recorded it, and the event that recorded it. */
  keys: Map<string, { publicKey: string; seq: number }>;
}

/** A case whose stored content differs from what its last audit event quotes (edited or deleted outside the app). */
export interface ContentMismatch {
  caseId: string;
  seq: number;
  reason: string;
}

export type ChainVerification = { intact: true; events: number; head: string } | { intact: false; events: number; firstBrokenSeq: number; reason: string };

export function eventHash(row: Omit<AuditEventRow, 'hash'>): string {
  // Fixed field order: the hash must not depend on how a driver orders object keys.
  const canonical = JSON.stringify([
    row.seq,
    row.at,
    row.user_id,
    row.action,
    row.encounter_id,
    row.model_id,
    row.model_version,
    row.model_sha256,
    row.detail,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export class AuditRepository {
  private readonly lastStmt;
  private readonly insertStmt;
  /** False on a backup being checked from before migration 009. */
  private readonly signable: boolean;

  private hasher: CaseContentHasher | null = null;
  /** Signing keys of the signed-in session, by user id; the session puts them here and drops them at lock. */
  private readonly signingKeys = new Map<string, KeyObject>();
  private installKey: KeyObject | null = null;
  private witness: string | null = null;

  constructor(private readonly db: Database) {
    this.lastStmt = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
    const columns = (db.prepare("SELECT name FROM pragma_table_info('audit_events')").pluck().all() as string[]) ?? [];
    this.signable = columns.includes('signature');
    const extra = this.signable ? [', signed_by, signature', ', @signed_by, @signature'] : ['', ''];
    this.insertStmt = db.prepare(
      `INSERT INTO audit_events (seq, at, user_id, action, encounter_id, model_id, model_version, model_sha256, detail, prev_hash, hash${extra[0]})
       VALUES (@seq, @at, @user_id, @action, @encounter_id, @model_id, @model_version, @model_sha256, @detail, @prev_hash, @hash${extra[1]})`,
    );
  }

  /**
   * The signed-in user's key signs their events; the install key signs system events (no actor).
   * Where the install key cannot be had (sealed by a keychain this process cannot reach), the
   * signed-in user signs system events as their witness.
   */
  holdSigningKeys(user: { userId: string; key: KeyObject } | null, installKey: KeyObject | null): void {
    if (user) this.signingKeys.set(user.userId, user.key);
    this.witness = user?.userId ?? null;
    this.installKey = installKey;
  }

  /** Another user's key for one event (a refused sign-in of a disabled account, whose passphrase opened its slot). */
  holdExtraSigningKey(userId: string, key: KeyObject): void {
    this.signingKeys.set(userId, key);
  }

  dropSigningKeys(): void {
    this.signingKeys.clear();
    this.installKey = null;
    this.witness = null;
  }

  private signatureFor(userId: string | null, hash: string): { signed_by: string | null; signature: string | null } {
    if (userId !== null) {
      const key = this.signingKeys.get(userId);
      return key ? { signed_by: userId, signature: signEventHash(key, hash) } : { signed_by: null, signature: null };
    }
    if (this.installKey) return { signed_by: installSigner, signature: signEventHash(this.installKey, hash) };
    const witnessKey = this.witness === null ? undefined : this.signingKeys.get(this.witness);
    return witnessKey ? { signed_by: this.witness, signature: signEventHash(witnessKey, hash) } : { signed_by: null, signature: null };
  }

  /** Prepared on first use: a backup being checked may predate some of the case tables. */
  private caseHash(encounterId: string): string {
    return (this.hasher ??= new CaseContentHasher(this.db)).hash(encounterId);
  }

  /**
   * Call inside the transaction that makes the change being audited, after the change: an event
   * about a case quotes the case's content hash as it then stands (see caseContentHash.ts).
   */
  append(event: AuditEventInput): AuditEventRow {
    const encounterId = event.encounterId ?? null;
    const detail = encounterId === null ? (event.detail ?? {}) : { ...event.detail, caseSha256: this.caseHash(encounterId) };
    const last = this.lastStmt.get() as { seq: number; hash: string } | undefined;
    const row: Omit<AuditEventRow, 'hash'> = {
      seq: (last?.seq ?? 0) + 1,
      at: event.at,
      user_id: event.userId,
      action: event.action,
      encounter_id: event.encounterId ?? null,
      model_id: event.modelId ?? null,
      model_version: event.modelVersion ?? null,
      model_sha256: event.modelSha256 ?? null,
      detail: JSON.stringify(detail),
      prev_hash: last?.hash ?? genesisHash,
    };
    const hash = eventHash(row);
    const full = { ...row, hash, ...(this.signable ? this.signatureFor(row.user_id, hash) : {}) };
    this.insertStmt.run(full);
    return full;
  }

  /** The last event: quoted in reports and backups so a chain rebuilt from scratch is detectable. */
  head(): { seq: number; hash: string } | null {
    return (this.lastStmt.get() as { seq: number; hash: string } | undefined) ?? null;
  }

  /** The signing public key the trail last recorded for a user, or null. */
  recordedSigningKey(userId: string): string | null {
    const detail = this.db
      .prepare(`SELECT detail FROM audit_events WHERE action = ? AND json_extract(detail, '$.userId') = ? ORDER BY seq DESC LIMIT 1`)
      .pluck()
      .get(signingKeyAction, userId) as string | undefined;
    if (detail === undefined) return null;
    const publicKey = (JSON.parse(detail) as { publicKey?: unknown }).publicKey;
    return typeof publicKey === 'string' ? publicKey : null;
  }

  /** Newest first; all events or those of one case. */
  list(options: { encounterId?: string; limit: number }): AuditEventRow[] {
    return (
      options.encounterId === undefined
        ? this.db.prepare('SELECT * FROM audit_events ORDER BY seq DESC LIMIT ?').all(options.limit)
        : this.db.prepare('SELECT * FROM audit_events WHERE encounter_id = ? ORDER BY seq DESC LIMIT ?').all(options.encounterId, options.limit)
    ) as AuditEventRow[];
  }

  /**
   * Recomputes every case's content hash and compares it with the one its latest event quotes; a
   * case with no event at all was written outside the app. Events from before content hashes were
   * recorded quote none and are not compared.
   */
  verifyContent(): ContentMismatch[] {
    const mismatches: ContentMismatch[] = [];
    const latest = this.db
      .prepare(
        `SELECT e.encounter_id AS caseId, e.seq AS seq, json_extract(e.detail, '$.caseSha256') AS sha
         FROM audit_events e
         JOIN (SELECT encounter_id, max(seq) AS seq FROM audit_events
               WHERE encounter_id IS NOT NULL AND json_extract(detail, '$.caseSha256') IS NOT NULL GROUP BY encounter_id) m
           ON m.seq = e.seq`,
      )
      .all() as { caseId: string; seq: number; sha: string }[];
    for (const { caseId, seq, sha } of latest) {
      const now = this.caseHash(caseId);
      if (now !== sha)
        mismatches.push({
          caseId,
          seq,
          reason:
            now === absentCaseHash
              ? `case ${caseId} was deleted after event ${seq}`
              : `case ${caseId} was changed after event ${seq} (findings, note, suggestion or decision differ from what was audited)`,
        });
    }
    const unaudited = this.db
      .prepare('SELECT id FROM encounters WHERE id NOT IN (SELECT encounter_id FROM audit_events WHERE encounter_id IS NOT NULL) LIMIT 10')
      .pluck()
      .all() as string[];
    for (const caseId of unaudited) mismatches.push({ caseId, seq: 0, reason: `case ${caseId} has no audit event: it was written outside the app` });
    return mismatches;
  }

  /**
   * Checks every event's signature against its signer's public key: a user's key is the one the
   * trail last recorded for them (a `user.signing-key` event, itself signed by its actor, or by the
   * new key when a user records their own first key); system events need the install key (or the
   * signed-in witness's key). Events before the first signed one are unsigned legacy; after it, an
   * unsigned event is a break. Call after verifyChain: this trusts the rows' hashes.
   */
  verifySignatures(installPublicKey: KeyObject | null): SignatureVerification {
    const keys = new Map<string, { publicKey: string; seq: number }>();
    // Parsing a public key costs as much as a verification: each is parsed once.
    const parsed = new Map<string, KeyObject | string>();
    const keyObject = (publicKey: string): KeyObject | string => {
      if (!parsed.has(publicKey)) {
        try {
          parsed.set(publicKey, createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' }));
        } catch {
          parsed.set(publicKey, publicKey);
        }
      }
      return parsed.get(publicKey)!;
    };
    let unsignedLegacy = 0;
    let signedSeen = false;
    const fail = (seq: number, reason: string): SignatureVerification => ({ unsignedLegacy, broken: { seq, reason }, keys });
    if (!this.signable) return { unsignedLegacy: (this.db.prepare('SELECT count(*) FROM audit_events').pluck().get() as number) ?? 0, broken: null, keys };
    for (const row of this.db.prepare('SELECT * FROM audit_events ORDER BY seq').iterate() as IterableIterator<AuditEventRow>) {
      const what = `event ${row.seq} (${row.action}${row.user_id === null ? ', a system event' : ''})`;
      let registered: { userId: string; publicKey: string; installSignature: string | null } | null = null;
      if (row.action === signingKeyAction) {
        const d = JSON.parse(row.detail) as { userId?: unknown; publicKey?: unknown; installSignature?: unknown };
        if (typeof d.userId === 'string' && typeof d.publicKey === 'string')
          registered = { userId: d.userId, publicKey: d.publicKey, installSignature: typeof d.installSignature === 'string' ? d.installSignature : null };
      }
      if (!row.signature || !row.signed_by) {
        // Signing keys postdate signatures: an unsigned record of one is a trail whose signatures were stripped.
        if (registered) return fail(row.seq, `${what} records a signing key but carries no signature: the trail's signatures were stripped`);
        if (signedSeen) return fail(row.seq, `${what} carries no signature, though events before it are signed: it was written outside the app`);
        unsignedLegacy += 1;
      } else {
        signedSeen = true;
        let key: string | KeyObject | undefined;
        if (row.signed_by === installSigner) {
          if (row.user_id !== null) return fail(row.seq, `${what} is a user's event signed by the install key: only system events may be`);
          if (installPublicKey === null) return fail(row.seq, `${what} is signed by an install key this database has no public key for`);
          key = installPublicKey;
        } else {
          if (row.user_id !== null && row.signed_by !== row.user_id) return fail(row.seq, `${what} is signed by another user than its actor`);
          // A user's first key (or one made again after a recovery) is recorded by an event it signs itself.
          const selfRecorded = registered !== null && registered.userId === row.signed_by;
          // Replacing a recorded key with one that vouches for itself needs the install key's countersignature.
          if (
            selfRecorded &&
            keys.has(registered!.userId) &&
            !(
              installPublicKey !== null &&
              registered!.installSignature !== null &&
              verifySigningKeyCountersignature(installPublicKey, registered!.userId, registered!.publicKey, registered!.installSignature)
            )
          )
            return fail(
              row.seq,
              `${what} replaces user ${row.signed_by}'s recorded signing key with one only that new key vouches for: the install key did not countersign it`,
            );
          const publicKey = selfRecorded ? registered!.publicKey : keys.get(row.signed_by)?.publicKey;
          if (publicKey === undefined) return fail(row.seq, `${what} is signed by user ${row.signed_by}, whose signing key the trail never recorded`);
          key = keyObject(publicKey);
        }
        if (!verifyEventHash(key, row.hash, row.signature))
          return fail(
            row.seq,
            `${what}'s signature does not match its hash under ${row.signed_by === installSigner ? 'the install key' : `user ${row.signed_by}'s signing key`}: the event was rewritten by someone without that private key`,
          );
      }
      if (registered) keys.set(registered.userId, { publicKey: registered.publicKey, seq: row.seq });
    }
    return { unsignedLegacy, broken: null, keys };
  }

  verifyChain(): ChainVerification {
    let prev = genesisHash;
    let expectedSeq = 1;
    let count = 0;
    for (const row of this.db.prepare('SELECT * FROM audit_events ORDER BY seq').iterate() as IterableIterator<AuditEventRow>) {
      count += 1;
      if (row.seq !== expectedSeq) return { intact: false, events: count, firstBrokenSeq: expectedSeq, reason: `event ${expectedSeq} is missing` };
      if (row.prev_hash !== prev) return { intact: false, events: count, firstBrokenSeq: row.seq, reason: 'does not link to the previous event' };
      const { hash, signed_by: _by, signature: _sig, ...rest } = row;
      if (eventHash(rest) !== hash) return { intact: false, events: count, firstBrokenSeq: row.seq, reason: 'content does not match its hash' };
      prev = hash;
      expectedSeq += 1;
    }
    return { intact: true, events: count, head: prev };
  }
}
