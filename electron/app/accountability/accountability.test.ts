/**
 * Issue 6 through the dispatcher, as every transport calls it: accounts and roles on one
 * workstation, clinician decisions, the auditor's workspace and a tamper-evident trail.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { createAppServices } from '../appServices';
import type { AppServices } from '../appServices';
import type { CaseDetail, UserAccount } from '../../contract/ipcContract';
import { makeTempDir, testKdf } from '../../../db/testing/tmpStore';
import { keyringPathFor, readKeyring } from '../../../db/keyring';
import { failedLoginLogPathFor } from '../../../db/failedLoginLog';
import { openEncryptedDatabase, unlockEncryptedDatabase } from '../../../db/openDatabase';
import { decodeSuggestionOutput, encodeSuggestionOutput } from '../../../db/repositories/suggestionRepository';
import { dispatchTestClient, type CaseRequest } from '../testing/dispatchTestClient';

let dir: string;
let cleanup: () => void;
let app: AppServices;
let clock: number;
const dbPath = () => join(dir, 'lantern.db');

beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
  clock = Date.parse('2026-03-01T09:00:00Z');
  app = createAppServices({ dbPath: dbPath(), kdf: testKdf, idleLockMs: 10 * 60_000, now: () => new Date(clock) });
});
afterEach(() => {
  app.close();
  cleanup();
});

const { ok, fails } = dispatchTestClient(() => app);

const auditActions = () => app.session.require().store.db.prepare('SELECT action FROM audit_events ORDER BY seq').pluck().all() as string[];

async function setupTeam(): Promise<{ recoveryKey: string; clinician: UserAccount; auditor: UserAccount }> {
  const { recoveryKey } = await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
  const clinician = await ok('addUser', { displayName: 'Dr Chen Li', login: 'chen', role: 'clinician', passphrase: 'clinician passphrase' });
  const auditor = await ok('addUser', { displayName: 'Ines Audit', login: 'ines', role: 'auditor', passphrase: 'auditor passphrase' });
  await ok('lock');
  return { recoveryKey, clinician, auditor };
}

describe('users on one workstation', () => {
  it('gives each user their own passphrase for the same database, and each role only its own methods', async () => {
    const { clinician } = await setupTeam();
    expect(readKeyring(keyringPathFor(dbPath())).slots.map((s) => s.login ?? s.kind)).toEqual(['ama', 'recovery', 'chen', 'ines']);

    expect(await ok('unlock', { login: 'chen', passphrase: 'clinician passphrase' })).toMatchObject({
      state: 'unlocked',
      user: { role: 'clinician', id: clinician.id },
    });
    const patient = await ok('createPatient', { name: 'Kofi Mensah', birthDate: '1970-02-03', sex: 'male' });
    expect(await fails('listUsers')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await fails('searchAudit', {})).toMatchObject({ code: 'FORBIDDEN' });

    expect(await ok('unlock', { login: 'ines', passphrase: 'auditor passphrase' })).toMatchObject({ user: { role: 'auditor' } });
    expect(await ok('searchPatients', { query: 'kofi' })).toHaveLength(1);
    expect(await fails('createPatient', { name: 'X', birthDate: '2000-01-01', sex: 'male' })).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/auditor/),
    });
    expect(await fails('saveCase', { patientId: patient.id, case: { findings: {}, vitals: [], labs: [], note: '' } })).toMatchObject({ code: 'FORBIDDEN' });

    // Another user's passphrase does not open someone else's login.
    expect(await fails('unlock', { login: 'chen', passphrase: 'auditor passphrase' })).toMatchObject({
      code: 'WRONG_PASSPHRASE',
      message: expect.stringMatching(/login or passphrase/),
    });
  });

  it('records failed sign-ins while locked and moves them into the chain at the next sign-in', async () => {
    await setupTeam();
    await fails('unlock', { login: 'chen', passphrase: 'guess one' });
    await fails('unlock', { login: 'nobody', passphrase: 'guess two' });
    const log = readFileSync(failedLoginLogPathFor(dbPath()), 'utf8');
    expect(log).toContain('"login":"chen"');
    expect(log).not.toContain('guess');
    await ok('unlock', { login: 'ama', passphrase: 'admin passphrase' });
    expect(existsSync(failedLoginLogPathFor(dbPath()))).toBe(false);
    const events = await ok('listAuditEvents', { limit: 5 });
    const failed = events.filter((e) => e.action === 'session.login-failed').map((e) => JSON.parse(e.detail) as { login: string });
    expect(failed.map((f) => f.login).sort()).toEqual(['chen', 'nobody']);
  });

  it('lets an admin disable and reset accounts, refuses disabling the last admin, and audits each change', async () => {
    const { clinician } = await setupTeam();
    await ok('unlock', { login: 'ama', passphrase: 'admin passphrase' });
    const me = (await ok('listUsers')).find((u) => u.login === 'ama')!;
    expect(await fails('disableUser', { userId: me.id })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await ok('disableUser', { userId: clinician.id })).toMatchObject({ disabled: true });
    // The slot is gone: the old passphrase no longer decrypts the key, in the app or outside it.
    expect(readKeyring(keyringPathFor(dbPath())).slots.some((s) => s.userId === clinician.id)).toBe(false);
    expect(await fails('unlock', { login: 'chen', passphrase: 'clinician passphrase' })).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await ok('unlock', { login: 'ama', passphrase: 'admin passphrase' });
    expect(await ok('resetUserPassphrase', { userId: clinician.id, passphrase: 'a new start 1' })).toMatchObject({ disabled: false });
    expect(auditActions()).toEqual(expect.arrayContaining(['user.create', 'user.disable', 'user.reset-passphrase', 'session.login-failed']));
    await ok('unlock', { login: 'chen', passphrase: 'a new start 1' });
    await ok('changePassphrase', { currentPassphrase: 'a new start 1', newPassphrase: 'my own words' });
    expect(await fails('changePassphrase', { currentPassphrase: 'wrong', newPassphrase: 'my own words 2' })).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await ok('lock');
    expect(await ok('unlock', { login: 'chen', passphrase: 'my own words' })).toMatchObject({ state: 'unlocked' });
    expect(await fails('addUser', { displayName: 'X', login: 'chen', role: 'clinician', passphrase: 'whatever123' })).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('recovers a lost admin passphrase with the recovery key shown once at setup', async () => {
    const { recoveryKey } = await setupTeam();
    expect(await fails('recoverWithKey', { recoveryKey: 'AAAAA-BBBBB', login: 'ama', newPassphrase: 'fresh admin pass' })).toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    expect(await fails('recoverWithKey', { recoveryKey, login: 'chen', newPassphrase: 'fresh admin pass' })).toMatchObject({ code: 'FORBIDDEN' });
    // Typed by hand: lower case, spaces instead of dashes.
    expect(
      await ok('recoverWithKey', { recoveryKey: recoveryKey.toLowerCase().replace(/-/g, ' '), login: 'ama', newPassphrase: 'fresh admin pass' }),
    ).toMatchObject({ state: 'unlocked', user: { role: 'admin' } });
    expect(auditActions()).toContain('user.recover');
    await ok('lock');
    expect(await fails('unlock', { login: 'ama', passphrase: 'admin passphrase' })).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await ok('unlock', { login: 'ama', passphrase: 'fresh admin pass' });
  });

  it('locks after inactivity and says why', async () => {
    await setupTeam();
    await ok('unlock', { login: 'chen', passphrase: 'clinician passphrase' });
    clock += 9 * 60_000;
    await ok('searchPatients', { query: '' });
    clock += 9 * 60_000; // 9 minutes since the last call: still signed in
    await ok('searchPatients', { query: '' });
    clock += 11 * 60_000;
    expect(await fails('searchPatients', { query: '' })).toMatchObject({ code: 'LOCKED', message: expect.stringMatching(/inactivity/) });
    expect(await ok('sessionStatus')).toEqual({ state: 'locked' });
  });
});

/** The case's differential suggestion: every case here runs one. */
function suggestionIdOf(detail: CaseDetail): string {
  if (detail.suggestionId === null) throw new Error(`case ${detail.id} ran no differential`);
  return detail.suggestionId;
}

const dengueLike = {
  findings: {
    high_fever: 'present',
    joint_pain: 'present',
    skin_rash: 'present',
    headache: 'present',
    pain_behind_the_eyes: 'present',
    back_pain: 'present',
    nausea: 'present',
  },
  vitals: [{ code: 'temperature', value: 39.2 }],
  labs: [],
  note: '',
} satisfies CaseRequest;

async function clinicianCase(): Promise<CaseDetail> {
  await ok('unlock', { login: 'chen', passphrase: 'clinician passphrase' });
  const patient = await ok('createPatient', { name: 'Nadia Rahman', birthDate: '1992-07-14', sex: 'female' });
  return ok('saveCase', { patientId: patient.id, case: dengueLike });
}

describe('clinician decisions and the auditor workspace', () => {
  it("requires a reason to reject a can't-miss suggestion and stores decisions and the final diagnosis beside it", async () => {
    await setupTeam();
    const saved = await clinicianCase();
    const items = saved.differential!.items;
    const cantMiss = items.find((i) => i.cantMiss)!;
    const other = items.find((i) => !i.cantMiss)!;
    expect(cantMiss).toBeDefined();
    const base = { caseId: saved.id, suggestionId: suggestionIdOf(saved) };
    expect(await fails('recordDecision', { ...base, label: cantMiss.label, action: 'reject' })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
    expect(await fails('recordDecision', { ...base, label: cantMiss.label, action: 'reject', reason: '   ' })).toMatchObject({ field: 'reason' });
    expect(await fails('recordDecision', { ...base, label: 'Not a label', action: 'accept' })).toMatchObject({ field: 'label' });
    await ok('recordDecision', { ...base, label: other.label, action: 'accept' });
    await ok('recordDecision', { ...base, label: cantMiss.label, action: 'reject', reason: 'NS1 antigen negative' });
    const detail = await ok('recordFinalDiagnosis', { caseId: saved.id, label: other.label, icd10: other.icd10?.code ?? null });
    expect(detail.decisions.map((d) => [d.label, d.action, d.reason, d.userName])).toEqual([
      [other.label, 'accept', null, 'Dr Chen Li'],
      [cantMiss.label, 'reject', 'NS1 antigen negative', 'Dr Chen Li'],
    ]);
    expect(detail.finalDiagnosis).toMatchObject({ label: other.label, recordedByName: 'Dr Chen Li' });
    const decisionEvents = app.session.require().store.db.prepare(`SELECT model_id, model_sha256 FROM audit_events WHERE action = 'decision.record'`).all() as {
      model_id: string;
      model_sha256: string;
    }[];
    expect(decisionEvents).toEqual([
      { model_id: 'symptom-differential', model_sha256: saved.differential!.modelSha256 },
      { model_id: 'symptom-differential', model_sha256: saved.differential!.modelSha256 },
    ]);
  });

  it('lets an auditor find decisions by filter, see the exact inputs, re-run the stored model and measure agreement', async () => {
    const { clinician } = await setupTeam();
    const saved = await clinicianCase();
    const top = saved.differential!.items[0]!;
    await ok('recordDecision', { caseId: saved.id, suggestionId: suggestionIdOf(saved), label: top.label, action: 'accept' });
    await ok('recordFinalDiagnosis', { caseId: saved.id, label: top.label, icd10: top.icd10?.code ?? null });
    const second = await ok('saveCase', { patientId: saved.patientId, case: { ...dengueLike, findings: { cough: 'present', high_fever: 'present' } } });
    await ok('recordFinalDiagnosis', { caseId: second.id, label: 'Something else entirely', icd10: 'Z00.0' });

    await ok('unlock', { login: 'ines', passphrase: 'auditor passphrase' });
    const all = await ok('searchAudit', {});
    expect(all.map((r) => r.caseId).sort()).toEqual([saved.id, second.id].sort());
    expect(await ok('searchAudit', { decision: 'accept' })).toMatchObject([
      { caseId: saved.id, clinicianName: 'Dr Chen Li', decisions: [{ label: top.label, action: 'accept' }] },
    ]);
    expect(await ok('searchAudit', { decision: 'none' })).toMatchObject([{ caseId: second.id }]);
    expect(
      await ok('searchAudit', { clinicianId: clinician.id, modelId: 'symptom-differential', modelVersion: saved.differential!.modelVersion }),
    ).toHaveLength(2);
    expect(await ok('searchAudit', { diagnosis: 'something ELSE' })).toMatchObject([{ caseId: second.id }]);
    const day = saved.createdAt.slice(0, 10);
    const dayAfter = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(await ok('searchAudit', { from: dayAfter })).toEqual([]);
    expect(await ok('searchAudit', { to: day, from: day })).toHaveLength(2);

    const detail = await ok('getSuggestionAudit', { suggestionId: suggestionIdOf(saved) });
    expect(detail.inputSnapshot).toMatchObject({ findings: dengueLike.findings, features: { high_fever: 1, joint_pain: 1 } });
    expect(detail.output).toEqual(saved.differential);
    expect(detail.decisions).toHaveLength(1);

    const rerun = await ok('rerunSuggestion', { suggestionId: suggestionIdOf(saved) });
    expect(rerun).toMatchObject({
      reproduced: true,
      maxDifference: 0,
      storedSha256: saved.differential!.modelSha256,
      installedSha256: saved.differential!.modelSha256,
    });
    expect(auditActions().slice(-2)).toEqual(['case.read', 'model.rerun']);

    const agreement = await ok('agreementStats', {});
    expect(agreement).toEqual([
      { modelId: 'symptom-differential', modelVersion: saved.differential!.modelVersion, cases: 2, top1: 1, top3: 1, top1Rate: 0.5, top3Rate: 0.5 },
    ]);
  });

  it('says when a stored suggestion no longer reproduces', async () => {
    await setupTeam();
    const saved = await clinicianCase();
    await ok('lock');
    // Someone edits the stored output with the key, outside the app.
    const { db } = await unlockEncryptedDatabase(dbPath(), 'admin passphrase');
    const row = db.prepare('SELECT output, output_deflated FROM suggestions WHERE id = ?').get(suggestionIdOf(saved)) as {
      output: string;
      output_deflated: Buffer | null;
    };
    const output = decodeSuggestionOutput(row) as { items: { probability: number }[] };
    output.items[0]!.probability += 0.01;
    db.prepare('UPDATE suggestions SET output_deflated = ? WHERE id = ?').run(encodeSuggestionOutput(output).outputDeflated, suggestionIdOf(saved));
    db.close();
    await ok('unlock', { login: 'ines', passphrase: 'auditor passphrase' });
    const rerun = await ok('rerunSuggestion', { suggestionId: suggestionIdOf(saved) });
    expect(rerun.reproduced).toBe(false);
    expect(rerun.maxDifference).toBeCloseTo(0.01, 6);
  });

  it('verifies the chain and names the first event edited with the key outside the app', async () => {
    await setupTeam();
    await clinicianCase();
    expect(await ok('verifyAuditChain')).toMatchObject({ intact: true, firstBrokenSeq: null });
    await ok('lock');
    const { masterKey } = await unlockEncryptedDatabase(dbPath(), 'admin passphrase').then((o) => (o.db.close(), o));
    const db = openEncryptedDatabase(dbPath(), masterKey);
    db.exec('DROP TRIGGER audit_events_no_update');
    db.prepare(`UPDATE audit_events SET detail = '{"role":"clinician"}' WHERE seq = 5`).run();
    db.close();
    await ok('unlock', { login: 'ines', passphrase: 'auditor passphrase' });
    expect(await ok('verifyAuditChain')).toMatchObject({ intact: false, firstBrokenSeq: 5, reason: expect.stringMatching(/hash/) });
  });
});
