/**
 * "Verify this backup" on the Backups screen: every check a restore runs first (manifest,
 * checksums, the passphrase opens its key, integrity of every page, schema, audit chain ending at
 * the manifest's head), without touching the open database. Audited, passed or failed.
 */
import { basename } from 'node:path';
import type { BackupVerification } from '../../contract/ipcContract';
import { verifyBackup } from '../../../db/backup';
import type { Actor } from '../actor';

export async function verifyBackupFolder({ store, user }: Actor, backupPath: string, passphrase: string, now = new Date()): Promise<BackupVerification> {
  const audit = (ok: boolean, detail: Record<string, unknown>) =>
    store.transaction(() =>
      store.audit.append({ at: now.toISOString(), userId: user.id, action: 'backup.verify', detail: { backup: basename(backupPath), ok, ...detail } }),
    );
  try {
    const { manifest, check } = await verifyBackup(backupPath, passphrase);
    audit(true, { auditHead: check.auditHead });
    return { folder: backupPath, createdAt: manifest.createdAt, schemaVersion: check.schemaVersion, auditHead: check.auditHead, events: check.events };
  } catch (err) {
    audit(false, { reason: err instanceof Error ? err.name : 'unknown' });
    throw err;
  }
}
