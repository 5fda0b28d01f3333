/**
 * The DDXPlus interview through the dispatcher (as IPC and the loopback host call it): age and sex
 * from the patient, a chest-pain complaint, then the questions ask-next chooses, answered from a
 * DDXPlus-like record written here; the differential reaches unstable angina / NSTEMI; every run is
 * audited; the model abstains without a complaint; bad answers name the field; auditors may not run it.
 */
import { describe, expect, it } from 'vitest';
import type { InterviewQuestion } from '../../contract/ipcContract';
import { signedInAppPerTest } from '../testing/dispatchTestClient';
import { encodeSuggestionOutput } from '../../../db/repositories/suggestionRepository';

/** A 62-year-old man with unstable angina, in the release's evidence format (what is not listed is absent / the default). */
const record: Record<string, number | string | string[]> = {
  E_50: 1,
  E_53: 1, // pain related to the reason for consulting
  E_54: ['V_183', 'V_198'], // heavy, exhausting
  E_55: ['V_29', 'V_101', 'V_159', 'V_160', 'V_197'], // lower and upper chest, epigastric
  E_56: 6,
  E_57: ['V_30', 'V_31', 'V_33', 'V_39', 'V_194'], // both arms, throat, back
  E_58: 7,
  E_59: 4,
  E_66: 1, // short of breath
  E_69: 1,
  E_70: 1,
  E_71: 1,
  E_78: 1,
  E_79: 1,
  E_104: 1,
  E_105: 1,
  E_148: 1,
  E_204: 'V_10',
  E_225: 1,
};

/** The record's answer to a question; what it does not list is absent (binary) or the release's default. */
function answerFrom(rec: Record<string, number | string | string[]>, q: InterviewQuestion): number | string | string[] {
  const v = rec[q.feature];
  if (v !== undefined) return v;
  if (q.kind === 'binary') return 0;
  if (q.kind === 'multi') return [];
  return q.kind === 'scale' ? 0 : String(q.options?.[0]?.value);
}

const acs = ['Unstable angina', 'Possible NSTEMI / STEMI'];

describe('runInterview (DDXPlus interview)', () => {
  const t = signedInAppPerTest();
  const { ok, fails } = t;

  it('a chest-pain interview reaches unstable angina / NSTEMI within 10 questions, never repeating one, each run audited', async () => {
    const patient = await ok('createPatient', { name: 'Li Wei', birthDate: '1964-03-01', sex: 'male' });
    const answers: Record<string, number | string | string[]> = { E_53: 1 };
    let r = await ok('runInterview', { patientId: patient.id, answers });
    expect(r.abstained).toBeUndefined();
    expect(r.sex).toBe('male');
    expect(r.ageYears).toBeGreaterThanOrEqual(60);
    expect(r.complaints.map((c) => c.feature)).toContain('E_53');
    const asked: string[] = [];
    for (let i = 0; i < 10 && !acs.includes(r.differential[0]!.pathology); i++) {
      const q = r.askNext[0]!;
      expect(Object.keys(answers)).not.toContain(q.feature);
      asked.push(q.feature);
      answers[q.feature] = answerFrom(record, q);
      r = await ok('runInterview', { patientId: patient.id, answers });
    }
    expect(asked.length).toBeLessThanOrEqual(10);
    expect(acs).toContain(r.differential[0]!.pathology);
    const top = r.differential[0]!;
    expect(top.icd10?.code).toMatch(/^I2[01]/);
    expect(top.severity).toBeGreaterThanOrEqual(4);
    expect(top.displayName.zh).toMatch(/心/);
    // Probabilities are the forest's calibrated vote shares: they sum to at most 1 over the shown conditions, best first.
    const ps = r.differential.map((d) => d.probability);
    expect([...ps].sort((a, b) => b - a)).toEqual(ps);
    expect(ps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
    // The answers that moved the leading condition: each delta is what that answer adds (checked by re-running without it).
    expect(top.movedBy.length).toBeGreaterThan(0);
    for (const m of top.movedBy) {
      const rest = { ...answers };
      delete rest[m.feature];
      const w = await ok('runInterview', { patientId: patient.id, answers: rest });
      const shown = w.differential.find((d) => d.pathology === top.pathology);
      // Only the leading 10 are returned: a condition that fell out of them is at most the 10th's probability.
      if (shown !== undefined) expect(m.delta).toBeCloseTo(top.probability - shown.probability, 10);
      else expect(top.probability - m.delta).toBeLessThanOrEqual(w.differential[w.differential.length - 1]!.probability + 1e-12);
      expect(m.delta).toBeGreaterThan(0);
      expect(Object.keys(answers)).toContain(m.feature);
      asked.push(`recheck ${m.feature}`); // each re-run is audited too
    }
    const events = await ok('listAuditEvents', {});
    const runs = events.filter((e) => e.action === 'model.run' && e.modelId === 'ddxplus-differential');
    expect(runs).toHaveLength(asked.length + 1);
  });

  it('a saved interview is a case with one suggestion: the exact answers, model id, version and sha256, the output; the auditor re-runs it', async () => {
    const patient = await ok('createPatient', { name: 'Li Wei', birthDate: '1964-03-01', sex: 'male' });
    const answers = { E_53: 1, E_55: ['V_29', 'V_101'], E_56: 6, E_50: 1, E_66: 1 };
    const shown = await ok('runInterview', { patientId: patient.id, answers });
    // Rules first: chest pain (pain located in the chest) with shortness of breath and sweating raises the ACS red flags.
    expect(shown.triage?.flags.map((f) => f.code)).toEqual(['ACS_RED_FLAGS']);
    expect(shown.triage?.flags[0]!.reason).toMatch(/chest_pain with sweating, breathlessness/);
    const saved = await ok('saveInterview', { patientId: patient.id, answers });
    expect(saved.interviews![0]!.triage?.flags.map((f) => f.code)).toEqual(['ACS_RED_FLAGS']);
    expect(saved.patientId).toBe(patient.id);
    expect(saved.interviews).toHaveLength(1);
    const iv = saved.interviews![0]!;
    expect(iv.answers).toEqual(answers);
    expect(iv.answered.map((a) => a.feature).sort()).toEqual(Object.keys(answers).sort());
    expect(iv.answered.find((a) => a.feature === 'E_66')?.question.en).toMatch(/breath/i);
    expect(iv.differential.map((d) => d.pathology)).toEqual(shown.differential.map((d) => d.pathology));
    // The case history lists it; the audit screens find it and show exactly what the model was given.
    expect((await ok('listCases', { patientId: patient.id })).map((c) => c.id)).toContain(saved.id);
    const rows = await ok('searchAudit', { modelId: 'ddxplus-differential' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ caseId: saved.id, modelId: 'ddxplus-differential', modelVersion: shown.modelVersion, modelSha256: shown.modelSha256 });
    expect(rows[0]!.top[0]!.label).toBe(shown.differential[0]!.pathology);
    const detail = await ok('getSuggestionAudit', { suggestionId: iv.suggestionId });
    expect(detail.inputSnapshot).toEqual({ patient: { ageYears: shown.ageYears, sex: 'male' }, answers });
    const stored = detail.output as { probabilities: Record<string, number>; differential: { pathology: string; probability: number }[] };
    expect(Object.keys(stored.probabilities)).toHaveLength(49);
    expect(stored.differential[0]!.probability).toBe(shown.differential[0]!.probability);
    const rerun = await ok('rerunSuggestion', { suggestionId: iv.suggestionId });
    expect(rerun).toMatchObject({ reproduced: true, maxDifference: 0, installedSha256: shown.modelSha256 });
    const events = await ok('listAuditEvents', { caseId: saved.id });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['case.create', 'model.run', 'model.rerun']));
  });

  it('a stored interview whose output no longer matches is reported as not reproduced', async () => {
    const patient = await ok('createPatient', { name: 'Li Wei', birthDate: '1964-03-01', sex: 'male' });
    const saved = await ok('saveInterview', { patientId: patient.id, answers: { E_53: 1, E_66: 1 } });
    const id = saved.interviews![0]!.suggestionId;
    const { store } = t.app.session.require();
    const out = store.suggestions.get(id)!.output as { probabilities: Record<string, number> };
    const first = Object.keys(out.probabilities)[0]!;
    out.probabilities[first] = (out.probabilities[first] ?? 0) + 0.25;
    store.db.prepare('UPDATE suggestions SET output_deflated = ? WHERE id = ?').run(encodeSuggestionOutput(out).outputDeflated, id);
    const rerun = await ok('rerunSuggestion', { suggestionId: id });
    expect(rerun.reproduced).toBe(false);
    expect(rerun.maxDifference).toBeCloseTo(0.25, 9);
  });

  it('saving needs a presenting complaint (nothing to store otherwise)', async () => {
    const patient = await ok('createPatient', { name: 'Li Wei', birthDate: '1964-03-01', sex: 'male' });
    const bad = await fails('saveInterview', { patientId: patient.id, answers: {} });
    expect(bad).toMatchObject({ code: 'VALIDATION_FAILED', field: 'answers' });
  });

  it('question widgets: yes/no, a 0–10 scale, a multi-choice list with labels', async () => {
    const r = await ok('runInterview', { ageYears: 40, sex: 'female', answers: { E_53: 1 } });
    const all = [...r.askNext, ...r.complaints];
    expect(all.find((q) => q.feature === 'E_53')?.kind).toBe('binary');
    const next = await ok('runInterview', { ageYears: 40, sex: 'female', answers: { E_53: 1, E_55: ['V_29'] } });
    for (const q of [...next.askNext, ...r.askNext]) {
      if (q.kind === 'scale') expect(q.options?.map((o) => o.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      if (q.kind === 'multi' || q.kind === 'choice') expect(q.options!.length).toBeGreaterThan(1);
    }
  });

  it('abstains without a presenting complaint, naming it; runs no model and audits nothing', async () => {
    const r = await ok('runInterview', { ageYears: 40, sex: 'female', answers: {} });
    expect(r.abstained).toMatchObject({ code: 'INSUFFICIENT_INPUTS', missing: ['initial complaint'] });
    expect(r.differential).toEqual([]);
    expect(r.askNext).toEqual([]);
    expect(r.complaints.length).toBeGreaterThan(20);
    // The rules still run without the model: nothing answered, no flag; NEWS2 says what to record.
    expect(r.triage).toMatchObject({ flags: [], news2: null });
    expect(r.triage!.missing.length).toBeGreaterThan(0);
    const events = await ok('listAuditEvents', {});
    expect(events.filter((e) => e.action === 'model.run')).toHaveLength(0);
  });

  it('a bad answer is a validation error naming it; a clinical method auditors may not call', async () => {
    const bad = await fails('runInterview', { ageYears: 40, sex: 'female', answers: { E_53: 1, E_56: 'V_1' } });
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect(bad.field).toBe('answers.E_56');
    const notEvidence = await fails('runInterview', { ageYears: 40, sex: 'female', answers: { cough: 1 } });
    expect(notEvidence.code).toBe('VALIDATION_FAILED');
    await ok('addUser', { displayName: 'Ms Audit', login: 'audit', role: 'auditor', passphrase: 'auditor pass' });
    await ok('lock');
    await ok('unlock', { login: 'audit', passphrase: 'auditor pass' });
    expect((await fails('runInterview', { ageYears: 40, sex: 'female', answers: { E_53: 1 } })).code).toBe('FORBIDDEN');
  });
});
