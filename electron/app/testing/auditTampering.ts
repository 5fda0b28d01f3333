/**
 * Test support for issue 14's trail attacks, made as someone holding the passphrase would, outside
 * the app: open the database, drop the append-only triggers, change what they like, and (the careful
 * attacker) recompute the chain so every link and hash agrees again.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { unlockEncryptedDatabase } from '../../../db/openDatabase';
import { eventHash, genesisHash, type AuditEventRow } from '../../../db/repositories/auditRepository';

/** Opens the closed app's database with the passphrase (the master key), drops the append-only triggers and runs `change`. */
export async function tamperWithDatabase(dbPath: string, passphrase: string, change: (db: Database) => void): Promise<void> {
  const { db } = await unlockEncryptedDatabase(dbPath, passphrase);
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete;');
    change(db);
  } finally {
    db.close();
  }
}

/**
 * Renumbers the events and recomputes every link and hash, as after removing or editing events. The
 * signatures stay as they were unless `resign` returns a row's forged detail, hash and signature (the
 * attacker's own keys).
 */
export function rebuildAuditChain(
  db: Database,
  resign: (row: Omit<AuditEventRow, 'hash'>) => Pick<AuditEventRow, 'detail' | 'hash' | 'signed_by' | 'signature'> | null = () => null,
): void {
  const all = db.prepare('SELECT * FROM audit_events ORDER BY seq').all() as AuditEventRow[];
  db.prepare('DELETE FROM audit_events').run();
  const insert = db.prepare(
    `INSERT INTO audit_events (seq, at, user_id, action, encounter_id, model_id, model_version, model_sha256, detail, prev_hash, hash, signed_by, signature)
     VALUES (@seq, @at, @user_id, @action, @encounter_id, @model_id, @model_version, @model_sha256, @detail, @prev_hash, @hash, @signed_by, @signature)`,
  );
  let prev = genesisHash;
  all.forEach((r, i) => {
    const { hash: _old, signed_by: _by, signature: _sig, ...rest } = { ...r, seq: i + 1, prev_hash: prev };
    const forged = resign(rest);
    // eventHash covers neither signature field, so the old ones are kept beside the new hash.
    const row = forged ? { ...rest, ...forged } : { ...r, ...rest, hash: eventHash(rest) };
    insert.run(row);
    prev = row.hash;
  });
}
