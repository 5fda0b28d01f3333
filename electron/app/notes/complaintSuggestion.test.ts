/**
 * The free-text classifier stored with the case: an English note gets a ranking, a Chinese one an abstention, no
 * note nothing; the suggestion carries model id, version and sha256, is audited, re-runs to the same answer, and
 * never becomes the case's differential or its top diagnosis.
 */
import { describe, expect, it } from 'vitest';
import type { CaseInput } from '../../contract/ipcContract';
import { appPerTest, dispatchTestClient } from '../testing/dispatchTestClient';
import { loadSymptomTextModel } from '../../../models/runtime/nlp/symptomText';
import { classifyNote, complaintSuggestionRecord, COMPLAINT_TOP, MIN_KNOWN_WORDS } from './complaintSuggestion';
import { readNlpManifest } from '../../../models/runtime/nlp/nlpModels';

const model = loadSymptomTextModel();
const englishNote = 'I have had a rash on my arms with itching and red patches for two weeks, and my skin peels.';

describe('classifyNote', () => {
  it('ranks the top labels of an English note exactly as the model does', () => {
    const out = classifyNote(model, englishNote);
    expect(out.abstained).toBeNull();
    expect(out.ranking).toEqual(model.classify(englishNote).slice(0, COMPLAINT_TOP));
    expect(out.knownWords).toBeGreaterThanOrEqual(MIN_KNOWN_WORDS);
  });

  it('abstains OUT_OF_SCOPE on a note with too few words it knows (Chinese), with no number', () => {
    const out = classifyNote(model, '患者发热三天，咳嗽，否认胸痛。');
    expect(out).toMatchObject({ ranking: [], knownWords: 0, abstained: { code: 'OUT_OF_SCOPE' } });
    expect(out.abstained!.message).toMatch(/English/);
  });

  it('makes no suggestion without a note, and records what it read (sha256 of the note) when there is one', () => {
    const row = { id: 's1', encounterId: 'c1', createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'u1' };
    expect(complaintSuggestionRecord(model, '  \n', row)).toBeNull();
    const rec = complaintSuggestionRecord(model, englishNote, row)!;
    const entry = readNlpManifest().find((e) => e.id === 'symptom-text')!;
    expect(rec).toMatchObject({ modelId: 'symptom-text', modelVersion: entry.version, artefactSha256: entry.sha256 });
    expect(rec.inputSnapshot).toMatchObject({ source: 'case.note', characters: englishNote.length, noteSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});

describe('saved with the case', () => {
  const t = appPerTest();
  const { ok } = dispatchTestClient(() => t.app);
  const caseWith = (note: string): CaseInput => ({ findings: { itching: 'present', skin_rash: 'present' }, vitals: [], labs: [], modelInputs: {}, note });

  it('is stored, audited, read back with the case, re-run to the same answer, and is not the differential', async () => {
    await ok('setup', { displayName: 'Dr Osei', passphrase: 'correct horse' });
    const patient = await ok('createPatient', { name: 'Ana Lima', birthDate: '1990-01-01', sex: 'female' });
    const saved = await ok('saveCase', { patientId: patient.id, case: caseWith(englishNote) });
    const c = saved.complaintSuggestion!;
    expect(c).toMatchObject({ modelId: 'symptom-text', modelVersion: model.version, modelSha256: model.sha256, abstained: null });
    expect(c.ranking).toEqual(model.classify(englishNote).slice(0, COMPLAINT_TOP));
    expect(c.suggestionId).not.toBe(saved.suggestionId);
    expect(saved.differential!.modelId).toBe('symptom-differential');
    expect(await ok('getCase', { caseId: saved.id })).toMatchObject({ complaintSuggestion: c });

    const { store } = t.app.session.require();
    const run = store.db
      .prepare("SELECT model_version, model_sha256 FROM audit_events WHERE action = 'model.run' AND model_id = 'symptom-text' AND encounter_id = ?")
      .all(saved.id);
    expect(run).toEqual([{ model_version: model.version, model_sha256: model.sha256 }]);

    const list = await ok('listCases', { patientId: patient.id });
    expect(list[0]!.topDiagnosis).toBe(saved.differential!.items[0]!.label);

    const rerun = await ok('rerunSuggestion', { suggestionId: c.suggestionId });
    expect(rerun).toMatchObject({ modelId: 'symptom-text', reproduced: true, maxDifference: 0 });
  });

  it('stores the abstention for a Chinese note and nothing for a case without a note', async () => {
    await ok('setup', { displayName: 'Dr Osei', passphrase: 'correct horse' });
    const patient = await ok('createPatient', { name: 'Ana Lima', birthDate: '1990-01-01', sex: 'female' });
    const zh = await ok('saveCase', { patientId: patient.id, case: caseWith('皮疹伴瘙痒两周。') });
    expect(zh.complaintSuggestion).toMatchObject({ ranking: [], abstained: { code: 'OUT_OF_SCOPE' } });
    const none = await ok('saveCase', { patientId: patient.id, case: caseWith('') });
    expect(none.complaintSuggestion).toBeNull();
  });
});
