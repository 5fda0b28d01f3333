/**
 * The services through the dispatcher, exactly as IPC and the loopback host call them, on a real
 * encrypted database and the shipped model.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { appPerTest, dispatchTestClient, type CaseRequest } from './testing/dispatchTestClient';
import { explainCalibrated } from '../../models/runtime/forest/calibratedDifferential';

const t = appPerTest();

const { ok, fails } = dispatchTestClient(() => t.app);

/** A birth date `years` whole years before today (UTC), a few days earlier so the birthday has passed. */
function dateYearsAgo(years: number): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - 3);
  return d.toISOString().slice(0, 10);
}

const influenzaLike = {
  findings: { high_fever: 'present', cough: 'present', chills: 'present', fatigue: 'present', headache: 'present', itching: 'absent' },
  vitals: [
    { code: 'temperature', value: 39.4 },
    { code: 'heartRate', value: 104 },
  ],
  labs: [],
  note: 'Three days of fever and cough. 发热三天。',
} satisfies CaseRequest;

describe('session', () => {
  it('goes uninitialised → unlocked → locked → unlocked, and refuses a wrong passphrase', async () => {
    expect(await ok('sessionStatus', {})).toEqual({ state: 'uninitialised' });
    await expect(fails('searchPatients', { query: '' })).resolves.toMatchObject({ code: 'LOCKED' });
    const { status, recoveryKey } = await ok('setup', { displayName: 'Dr Osei', passphrase: 'correct horse' });
    expect(status).toMatchObject({ state: 'unlocked', user: { role: 'admin', displayName: 'Dr Osei' } });
    expect(recoveryKey).toMatch(/^([A-Z2-9]{5}-){7}[A-Z2-9]{5}$/);
    expect(await ok('lock', {})).toEqual({ state: 'locked' });
    expect(await fails('unlock', { passphrase: 'wrong horse' })).toMatchObject({
      code: 'WRONG_PASSPHRASE',
      message: expect.stringMatching(/wrong passphrase/i),
    });
    expect(await ok('unlock', { passphrase: 'correct horse' })).toMatchObject({ state: 'unlocked' });
    expect(await fails('setup', { displayName: 'Again', passphrase: 'another one' })).toMatchObject({ code: 'ALREADY_INITIALISED' });
  });
});

describe('cases', () => {
  beforeEach(async () => {
    await ok('setup', { displayName: 'Dr Osei', passphrase: 'correct horse' });
  });

  it('runs a differential, saves the case with it, lists and reopens it', async () => {
    const patient = await ok('createPatient', { name: '王芳', birthDate: '1985-06-02', sex: 'female' });
    const diff = await ok('runDiagnosis', { ...influenzaLike, patientId: patient.id });
    expect(diff.modelId).toBe('symptom-differential');
    expect(diff.modelSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(diff.items.length).toBe(10);
    const total = diff.items.reduce((s, i) => s + i.probability, 0);
    expect(total).toBeLessThanOrEqual(1 + 1e-9);
    expect(diff.items[0]!.contributions.length).toBeGreaterThan(0);
    // Stored explanations keep the strongest five each way; the rest is summed, not lost. They are the
    // calibrated model's: each given finding's change in the probability shown (unknown ones never).
    // The heart rate of 104 /min in an adult enters as fast_heart_rate, from the measurement.
    const calibrated = t.app.models().registry.calibratedDifferential('symptom-differential')!;
    const full = explainCalibrated(
      calibrated,
      { high_fever: 1, cough: 1, chills: 1, fatigue: 1, headache: 1, itching: 0, fast_heart_rate: 1 },
      10,
    ).explanations;
    for (const item of diff.items) {
      const all = full.find((e) => e.label === item.label)!.contributions;
      expect(item.contributions.filter((c) => c.weight > 0).length).toBeLessThanOrEqual(5);
      expect(item.contributions.filter((c) => c.weight < 0).length).toBeLessThanOrEqual(5);
      const listed = item.contributions.reduce((a, c) => a + c.weight, 0);
      expect(listed + item.otherContributionsWeight!).toBeCloseTo(
        all.reduce((a, c) => a + c.weight, 0),
        5,
      );
      expect(item.contributions.map((c) => c.feature)).toEqual(all.map((c) => c.feature).filter((f) => item.contributions.some((c) => c.feature === f)));
    }
    expect(diff.unknownFindings).toBeGreaterThan(100);

    const saved = await ok('saveCase', { patientId: patient.id, case: influenzaLike });
    // What is stored is exactly what the clinician saw for the same inputs and patient.
    expect(saved.differential).toEqual(diff);
    // Age and sex alone never make a risk score: the heart model asks for chest-pain type and a measurement.
    const heart = diff.riskAssessments.find((r) => r.modelId === 'heart-disease');
    expect(heart).toMatchObject({ status: 'not-run', abstained: { code: 'INSUFFICIENT_INPUTS' } });
    expect(saved.differential!.askNext).toHaveLength(3);
    for (const a of saved.differential!.askNext) expect(influenzaLike.findings).not.toHaveProperty(a.feature);
    expect(saved.vitals).toEqual([
      { code: 'temperature', value: 39.4, unit: expect.any(String), flag: 'high' },
      { code: 'heartRate', value: 104, unit: expect.any(String), flag: 'high' },
    ]);
    const second = await ok('saveCase', { patientId: patient.id, case: { ...influenzaLike, note: 'follow-up' } });
    const list = await ok('listCases', { patientId: patient.id });
    expect(list.map((c) => c.id)).toEqual([second.id, saved.id]);
    expect(list[0]!.topDiagnosis).toBe(diff.items[0]!.label);
    // The history names it as the clinician reads it, and shows a recorded final diagnosis.
    expect(list[0]!.topDiagnosisName).toBe(diff.items[0]!.displayName);
    expect(list[0]!.finalDiagnosis).toBeNull();
    expect(list[0]!.presentFindings).toEqual(['chills', 'cough', 'fatigue', 'headache', 'high_fever']);
    expect(await ok('getCase', { caseId: saved.id })).toEqual(saved);
    await ok('recordFinalDiagnosis', { caseId: saved.id, label: 'Influenza', icd10: 'J11.1' });
    expect((await ok('listCases', { patientId: patient.id }))[1]!.finalDiagnosis).toEqual({ label: 'Influenza', icd10: 'J11.1' });

    // Nothing of what was stored is readable in the file.
    t.app.close();
    const bytes = readFileSync(join(t.dir, 'lantern.db'));
    expect(bytes.includes(Buffer.from('王芳'))).toBe(false);
    expect(bytes.includes(Buffer.from('Three days of fever'))).toBe(false);
  });

  it('audits every write and read in an intact hash chain', async () => {
    const patient = await ok('createPatient', { name: 'Ana Lima', birthDate: '1990-01-01', sex: 'female' });
    await ok('runDiagnosis', influenzaLike);
    const saved = await ok('saveCase', { patientId: patient.id, case: influenzaLike });
    await ok('getCase', { caseId: saved.id });
    const { store } = t.app.session.require();
    const rows = store.db.prepare('SELECT action, model_id, model_version, model_sha256, encounter_id FROM audit_events ORDER BY seq').all() as {
      action: string;
      model_id: string | null;
      model_version: string | null;
      model_sha256: string | null;
      encounter_id: string | null;
    }[];
    // The risk models abstain on this case (no required inputs), so only the differential runs on a preview;
    // saving also runs the free-text classifier on the note and stores its answer with the case.
    const runModels = (encounter: string | null) =>
      rows
        .filter((r) => r.action === 'model.run' && r.encounter_id === encounter)
        .map((r) => r.model_id)
        .sort();
    expect(runModels(null)).toEqual(['symptom-differential']);
    expect(runModels(saved.id)).toEqual(['symptom-differential', 'symptom-text']);
    expect(saved.complaintSuggestion).toMatchObject({ modelId: 'symptom-text', abstained: null });
    expect(saved.complaintSuggestion!.ranking).toHaveLength(3);
    for (const r of rows.filter((x) => x.action === 'model.run')) {
      expect(r.model_version).toBeTruthy();
      expect(r.model_sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(rows.map((r) => r.action).filter((a) => a !== 'model.run')).toEqual([
      // The admin's audit signing key first: every later event of theirs is verified with it.
      'user.signing-key',
      'user.create',
      'recovery-key.create',
      'session.login',
      'patient.create',
      'case.create',
      'case.read',
    ]);
    expect(store.audit.verifyChain()).toMatchObject({ intact: true, events: rows.length });
  });

  it('feeds risk models from the patient and same-LOINC vitals, never a resting rate as an exercise peak', async () => {
    const patient = await ok('createPatient', { name: 'Omar Haddad', birthDate: '1958-11-30', sex: 'male' });
    const diff = await ok('runDiagnosis', {
      ...influenzaLike,
      patientId: patient.id,
      vitals: [
        { code: 'systolicBp', value: 152 },
        { code: 'heartRate', value: 96 },
      ],
      modelInputs: { 'heart-disease': { cp: '4', chol: 250, fbs: '0', restecg: '0' } },
    });
    const heart = diff.riskAssessments.find((r) => r.modelId === 'heart-disease');
    expect(heart?.status).toBe('ran');
    if (heart?.status !== 'ran') return;
    expect(heart.imputed).not.toContain('age');
    expect(heart.imputed).not.toContain('sex');
    expect(heart.imputed).not.toContain('trestbps');
    expect(heart.imputed).toContain('thalach');
  });

  it('scores no risk from age and sex alone, nor outside a model’s population (a child, a man for the diabetes model)', async () => {
    const child = await ok('createPatient', { name: 'Kofi Mensah', birthDate: dateYearsAgo(2), sex: 'male' });
    const cough = await ok('runDiagnosis', { ...influenzaLike, patientId: child.id });
    for (const r of cough.riskAssessments) {
      expect(r.status, r.modelId).toBe('not-run');
      if (r.status === 'not-run') expect(r.abstained?.code, r.modelId).toMatch(/^(INSUFFICIENT_INPUTS|OUT_OF_SCOPE)$/);
    }
    const childCkd = await ok('runDiagnosis', { ...influenzaLike, patientId: child.id, modelInputs: { 'chronic-kidney-disease': { sc: 1.2 } } });
    expect(childCkd.riskAssessments.find((r) => r.modelId === 'chronic-kidney-disease')).toMatchObject({
      status: 'not-run',
      abstained: { code: 'OUT_OF_SCOPE' },
    });

    const man = await ok('createPatient', { name: 'Lars Berg', birthDate: '1970-03-01', sex: 'male' });
    const diabetesInputs = { plasma_glucose: 150, bmi: 31, diastolic_bp: 80, diabetes_pedigree: 0.4 };
    const forMan = await ok('runDiagnosis', { ...influenzaLike, patientId: man.id, modelInputs: { 'diabetes-onset': diabetesInputs } });
    expect(forMan.riskAssessments.find((r) => r.modelId === 'diabetes-onset')).toMatchObject({ status: 'not-run', abstained: { code: 'OUT_OF_SCOPE' } });

    const woman = await ok('createPatient', { name: 'Mia Berg', birthDate: '1970-03-01', sex: 'female' });
    const forWoman = await ok('runDiagnosis', { ...influenzaLike, patientId: woman.id, modelInputs: { 'diabetes-onset': diabetesInputs } });
    expect(forWoman.riskAssessments.find((r) => r.modelId === 'diabetes-onset')).toMatchObject({ status: 'ran', scope: expect.stringContaining('Pima') });
    const ogtt = await ok('runDiagnosis', {
      ...influenzaLike,
      patientId: woman.id,
      modelInputs: { 'diabetes-onset': { ...diabetesInputs, plasma_glucose: 250 } },
    });
    expect(ogtt.riskAssessments.find((r) => r.modelId === 'diabetes-onset')).toMatchObject({
      status: 'not-run',
      abstained: { code: 'MEETS_DIAGNOSTIC_CRITERIA' },
    });
  });

  it('a measured HbA1c meets the diagnostic criterion, and the auditor’s re-run checks the same lab', async () => {
    const woman = await ok('createPatient', { name: 'Rosa Diaz', birthDate: '1968-05-01', sex: 'female' });
    const input = {
      ...influenzaLike,
      labs: [{ loinc: '4548-4', value: 7.1 }],
      modelInputs: { 'diabetes-onset': { plasma_glucose: 150, bmi: 31, diastolic_bp: 80, diabetes_pedigree: 0.4 } },
    };
    const saved = await ok('saveCase', { patientId: woman.id, case: input });
    expect(saved.differential!.riskAssessments.find((r) => r.modelId === 'diabetes-onset')).toMatchObject({
      status: 'not-run',
      abstained: { code: 'MEETS_DIAGNOSTIC_CRITERIA' },
    });
    const suggestion = t.app.session.require().store.suggestions.listForEncounter(saved.id).at(-1)!;
    expect(await ok('rerunSuggestion', { suggestionId: suggestion.id })).toMatchObject({ reproduced: true });
  });

  it('names the field of an impossible vital sign and stores nothing', async () => {
    const patient = await ok('createPatient', { name: 'Ana Lima', birthDate: '1990-01-01', sex: 'female' });
    const error = await fails('saveCase', { patientId: patient.id, case: { ...influenzaLike, vitals: [{ code: 'temperature', value: 93 }] } });
    expect(error).toMatchObject({ code: 'VALUE_OUT_OF_RANGE', field: 'vitals.temperature' });
    expect(await ok('listCases', { patientId: patient.id })).toEqual([]);
  });

  it('runs nothing on an empty case and says what to enter', async () => {
    const error = await fails('runDiagnosis', { findings: { cough: 'unknown' }, vitals: [], labs: [], note: '' });
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'findings', message: expect.stringContaining('enter at least one finding') });
  });

  it('saves a one-finding case with its abstention and no ranking; a not-covered one with its warning', async () => {
    const patient = await ok('createPatient', { name: 'Kofi Mensah', birthDate: '1990-04-04', sex: 'male' });
    const thin: CaseRequest = { findings: { headache: 'present' }, vitals: [], labs: [], note: '' };
    const diff = await ok('runDiagnosis', { ...thin, patientId: patient.id });
    expect(diff.items).toEqual([]);
    expect(diff.abstained).toMatchObject({ code: 'INSUFFICIENT_INPUTS', missing: expect.arrayContaining([expect.any(String)]) });
    expect(diff.askNext.length).toBeGreaterThan(0);
    const saved = await ok('saveCase', { patientId: patient.id, case: thin });
    expect(saved.differential).toEqual(diff);
    const triad = await ok('runDiagnosis', { findings: { headache: 'present', stiff_neck: 'present', high_fever: 'present' }, vitals: [], labs: [], note: '' });
    expect(triad.coverageWarning?.code).toBe('OUT_OF_DISTRIBUTION');
    expect(Math.max(...triad.items.map((i) => i.probability))).toBeLessThanOrEqual(0.5);
  });

  it('flags critical values first in the differential', async () => {
    const diff = await ok('runDiagnosis', { ...influenzaLike, vitals: [{ code: 'spo2', value: 78 }] });
    expect(diff.criticalValues).toEqual([expect.objectContaining({ kind: 'vital', code: 'spo2', flag: 'critical-low' })]);
  });

  it('rejects unknown findings, unknown methods, extra keys and prototype keys', async () => {
    expect(await fails('runDiagnosis', { ...influenzaLike, findings: { not_a_symptom: 'present' } })).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'findings.not_a_symptom',
    });
    expect(await fails('dropTables', {})).toMatchObject({ code: 'UNKNOWN_METHOD' });
    expect(await fails('toString', {})).toMatchObject({ code: 'UNKNOWN_METHOD' });
    expect(await fails('createPatient', { name: 'A', birthDate: '1990-02-30', sex: 'female' })).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'birthDate',
    });
    expect(await fails('createPatient', { name: 'A', birthDate: '1990-01-01', sex: 'female', admin: true })).toMatchObject({ code: 'VALIDATION_FAILED' });
    const polluted = JSON.parse('{"findings": {"__proto__": "present"}, "vitals": [], "labs": [], "note": ""}');
    expect(await fails('runDiagnosis', polluted)).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(({} as Record<string, unknown>)['present']).toBeUndefined();
  });
});
