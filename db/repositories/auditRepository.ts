/**
 * Append-only audit events forming a hash chain: each event's hash covers its content and the
 * previous event's hash, so editing or removing any row (even with the key, outside the app)
 * breaks verification from that row on.
 */
import { createHash } from 'node:crypto';
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

  private hasher: CaseContentHasher | null = null;

  constructor(private readonly db: Database) {
    this.lastStmt = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
    this.insertStmt = db.prepare(
      `INSERT INTO audit_events (seq, at, user_id, action, encounter_id, model_id, model_version, model_sha256, detail, prev_hash, hash)
       VALUES (@seq, @at, @user_id, @action, @encounter_id, @model_id, @model_version, @model_sha256, @detail, @prev_hash, @hash)`,
    );
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
    const full = { ...row, hash: eventHash(row) };
    this.insertStmt.run(full);
    return full;
  }

  /** The last event: quoted in reports and backups so a chain rebuilt from scratch is detectable. */
  head(): { seq: number; hash: string } | null {
    return (this.lastStmt.get() as { seq: number; hash: string } | undefined) ?? null;
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

  verifyChain(): ChainVerification {
    let prev = genesisHash;
    let expectedSeq = 1;
    let count = 0;
    for (const row of this.db.prepare('SELECT * FROM audit_events ORDER BY seq').iterate() as IterableIterator<AuditEventRow>) {
      count += 1;
      if (row.seq !== expectedSeq) return { intact: false, events: count, firstBrokenSeq: expectedSeq, reason: `event ${expectedSeq} is missing` };
      if (row.prev_hash !== prev) return { intact: false, events: count, firstBrokenSeq: row.seq, reason: 'does not link to the previous event' };
      const { hash, ...rest } = row;
      if (eventHash(rest) !== hash) return { intact: false, events: count, firstBrokenSeq: row.seq, reason: 'content does not match its hash' };
      prev = hash;
      expectedSeq += 1;
    }
    return { intact: true, events: count, head: prev };
  }
}
