import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createMasterKey } from '../keyring';
import { openEncryptedDatabase } from '../openDatabase';
import { AuditRepository } from './auditRepository';
import { makeTempDir } from '../testing/tmpStore';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = makeTempDir()));
afterEach(() => cleanup());

describe('audit chain', () => {
  it('verifies an intact chain and names the first tampered event', () => {
    const db = openEncryptedDatabase(join(dir, 'a.db'), createMasterKey());
    const audit = new AuditRepository(db);
    for (let i = 0; i < 5; i++) audit.append({ at: `2026-01-0${i + 1}T00:00:00.000Z`, userId: null, action: 'case.read', detail: { i } });
    const ok = audit.verifyChain();
    expect(ok).toMatchObject({ intact: true, events: 5 });
    // Tamper the way an attacker with the key would: drop the trigger, edit, restore it.
    db.exec(`DROP TRIGGER audit_events_no_update`);
    db.prepare(`UPDATE audit_events SET detail = '{"i":99}' WHERE seq = 3`).run();
    expect(audit.verifyChain()).toMatchObject({ intact: false, firstBrokenSeq: 3 });
    db.close();
  });
});
