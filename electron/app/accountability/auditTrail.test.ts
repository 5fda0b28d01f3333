/**
 * Issue 14's trail attacks, made the way someone holding a passphrase would, outside the app: edit a
 * note, delete a case, cut the last events, rebuild the whole chain with recomputed hashes. Each is
 * caught by `verifyAuditChain` (content hashes, the checkpoint file, backup manifests) or by
 * `lantern audit verify --anchor`, and the break is recorded in the trail.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { CaseDetail } from '../../contract/ipcContract';
import { unlockEncryptedDatabase } from '../../../db/openDatabase';
import { checkpointPathFor } from '../../../db/auditCheckpoints';
import { rebuildAuditChain, tamperWithDatabase } from '../testing/auditTampering';
import { appPerTest, dispatchTestClient, type CaseRequest } from '../testing/dispatchTestClient';
import { main } from '../../cli/lantern';

const t = appPerTest((dir) => ({ scheduleBackups: false, backup: { dir: join(dir, 'backups') } }));
const passphrase = 'admin passphrase';
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const { ok } = dispatchTestClient(() => t.app);

const dengueLike = {
  findings: { high_fever: 'present', joint_pain: 'present', skin_rash: 'present', headache: 'present' },
  vitals: [],
  labs: [],
  note: 'Fever for three days, no cough.',
} satisfies CaseRequest;

async function clinic(): Promise<{ first: CaseDetail; second: CaseDetail }> {
  await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase });
  const patient = await ok('createPatient', { name: 'Kofi Mensah', birthDate: '1970-02-03', sex: 'male' });
  const first = await ok('saveCase', { patientId: patient.id, case: dengueLike });
  const second = await ok('saveCase', { patientId: patient.id, case: { ...dengueLike, note: 'Second visit.' } });
  return { first, second };
}

/** The attacker: the app closed, the database opened with a passphrase, the append-only triggers dropped. */
async function tamper(change: (db: Database) => void): Promise<void> {
  t.app.close();
  await tamperWithDatabase(t.dbPath(), passphrase, change);
  t.reopen();
  await ok('unlock', { login: 'ama', passphrase });
}

const actions = () => t.app.session.require().store.db.prepare('SELECT action FROM audit_events ORDER BY seq').pluck().all() as string[];

describe('an audit trail nobody can quietly rewrite', () => {
  it('catches an edited note and records the break once', async () => {
    const { first } = await clinic();
    expect(await ok('verifyAuditChain')).toMatchObject({ intact: true });
    await tamper((db) => db.prepare('UPDATE notes SET body = ? WHERE encounter_id = ?').run('No fever.', first.id));
    const status = await ok('verifyAuditChain');
    expect(status).toMatchObject({ intact: false, reason: expect.stringMatching(new RegExp(`case ${first.id} was changed`)) });
    await ok('verifyAuditChain');
    expect(actions().filter((a) => a === 'audit.break-detected')).toHaveLength(1);
  });

  it('catches an edited finding and a deleted case', async () => {
    const { first, second } = await clinic();
    await tamper((db) => {
      db.prepare("UPDATE findings SET state = 'absent' WHERE encounter_id = ? AND code = 'high_fever'").run(first.id);
      db.pragma('foreign_keys = OFF');
      for (const t of ['findings', 'vitals', 'labs', 'notes', 'model_inputs', 'suggestions'])
        db.prepare(`DELETE FROM ${t} WHERE encounter_id = ?`).run(second.id);
      db.prepare('DELETE FROM encounters WHERE id = ?').run(second.id);
    });
    const status = await ok('verifyAuditChain');
    expect(status.intact).toBe(false);
    expect(status.reason).toMatch(/was (changed|deleted)/);
    expect(status.reason).toMatch(/and 1 more/);
  });

  it('catches a cut tail at sign-in (checkpoint file) and in verify', async () => {
    await clinic();
    await ok('lock');
    const before = await unlockEncryptedDatabase(t.dbPath(), passphrase).then(({ db }) => {
      const n = db.prepare('SELECT max(seq) FROM audit_events').pluck().get() as number;
      db.close();
      return n;
    });
    await tamper((db) => db.prepare('DELETE FROM audit_events WHERE seq > ?').run(before - 4));
    // Signing in over a cut trail records the break at once.
    expect(actions()).toContain('audit.break-detected');
    const status = await ok('verifyAuditChain');
    // The first checkpoint beyond the cut names where (checkpoints are per commit, not per event); events
    // appended after the cut (the sign-in, the break record) may already reuse the cut seqs: then "rewritten".
    expect(status).toMatchObject({
      intact: false,
      reason: expect.stringMatching(
        /checkpoint file records event \d+, but the trail ends at event \d+: events were removed from its end|event \d+ is not the one the checkpoint file recorded: the trail was rewritten/,
      ),
    });
    expect(status.firstBrokenSeq).toBeGreaterThan(before - 4);
  });

  it('catches a full rebuild with recomputed hashes against the checkpoint file, a backup manifest and a report', async () => {
    const { first } = await clinic();
    const backup = await ok('createBackup', { targetDir: join(t.dir, 'usb') });
    const report = await ok('exportCase', { caseId: first.id, format: 'fhir' });
    const reportPath = join(t.dir, 'report.json');
    writeFileSync(reportPath, Buffer.from(report.dataBase64, 'base64'));
    const checkpoints = readFileSync(checkpointPathFor(t.dbPath()));
    // Drop one early event (the patient's creation) and rebuild every hash after it; the chain links again.
    await tamper((db) => {
      db.prepare("DELETE FROM audit_events WHERE action = 'patient.create'").run();
      rebuildAuditChain(db);
    });
    expect(t.app.session.require().store.audit.verifyChain()).toMatchObject({ intact: true });
    expect(await ok('verifyAuditChain')).toMatchObject({ intact: false, reason: expect.stringMatching(/rewritten|removed/) });

    // Even with the checkpoint file also wiped, each anchor named on the command line still tells.
    t.app.close();
    writeFileSync(checkpointPathFor(t.dbPath()), '');
    const savedCheckpoints = join(t.dir, 'copy.audit-checkpoints.jsonl');
    writeFileSync(savedCheckpoints, checkpoints);
    vi.stubEnv('LANTERN_PASSPHRASE', passphrase);
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (out.push(String(c)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    for (const anchor of [backup.folder, reportPath, savedCheckpoints]) {
      out.length = 0;
      expect(await main(['audit', 'verify', '--db', t.dbPath(), '--anchor', anchor])).toBe(1);
      expect(JSON.parse(out.join(''))).toMatchObject({ intact: false, reason: expect.stringMatching(/rewritten|removed/) });
    }
    t.reopen();
  });

  it('stays intact through ordinary work, a backup and a restore', async () => {
    await clinic();
    const backup = await ok('createBackup', { targetDir: join(t.dir, 'backups') });
    await ok('createPatient', { name: 'Later Patient', birthDate: '1990-01-01', sex: 'female' });
    await ok('restoreBackup', { backupPath: backup.folder, passphrase });
    await ok('unlock', { login: 'ama', passphrase });
    expect(await ok('verifyAuditChain')).toMatchObject({ intact: true });
    expect(actions()).not.toContain('audit.break-detected');
  });
});
