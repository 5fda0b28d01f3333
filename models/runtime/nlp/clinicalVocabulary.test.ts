import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { resolveDataDir } from '../common/paths';
import { sha256Hex } from '../registry';
import { createClinicalText, findingsToFeatureStates } from './clinicalText';
import { matchVocabulary, parseClinicalVocabulary, type VocabularyFile } from './clinicalVocabulary';
import { evaluateNoteStatements, loadNoteStatements } from './noteStatementEval';
import { findSections, sectionAt } from './noteSections';
import { splitSentences } from './sentences';

const modelsDir = path.resolve(__dirname, '..', '..', 'artefacts');
const ct = createClinicalText(modelsDir);
afterAll(async () => {
  await ct.release();
});
const vocabFile = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'artefacts', 'nlp', 'clinicalVocabulary.json'), 'utf8')) as VocabularyFile;
const features = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'artefacts', 'nlp', 'symptomLexicon.json'), 'utf8')) as { features: string[] })
  .features;
const vocab = parseClinicalVocabulary(vocabFile, features);
const conceptsIn = (text: string) => matchVocabulary(vocab, text).map((m) => [text.slice(m.start, m.end), m.concept.id]);

describe('clinical vocabulary', () => {
  it('maps abbreviations, synonyms and misspellings to one concept', () => {
    expect(conceptsIn('h/o MI, HTN, DM, CVA; c/o SOB. TB contact. COPD, CHF, UTI.')).toEqual([
      ['MI', 'myocardial_infarction'],
      ['HTN', 'hypertension'],
      ['DM', 'diabetes'],
      ['CVA', 'stroke'],
      ['SOB', 'dyspnoea'],
      ['TB', 'tuberculosis'],
      ['COPD', 'copd'],
      ['CHF', 'heart_failure'],
      ['UTI', 'uti'],
    ]);
    expect(conceptsIn('heart attack, feaver, hedache, wheezing, sepsis, asthma, stroke')).toEqual([
      ['heart attack', 'myocardial_infarction'],
      ['feaver', 'fever'],
      ['hedache', 'headache'],
      ['wheezing', 'wheeze'],
      ['sepsis', 'sepsis'],
      ['asthma', 'asthma'],
      ['stroke', 'stroke'],
    ]);
  });

  it('matches ambiguous abbreviations only as written (mi, dm, sob, pe are words or other things)', () => {
    expect(conceptsIn('I will sob. 5 mi away, dm me, pe teacher.')).toEqual([]);
    expect(conceptsIn('PE suspected.')).toEqual([['PE', 'pulmonary_embolism']]);
  });

  it('finds Chinese terms by longest match, without segmentation breaking them', () => {
    expect(conceptsIn('患者否认胸痛，有高血压病史，四肢无力，急性心肌梗死')).toEqual([
      ['胸痛', 'chest_pain'],
      ['高血压病', 'hypertension'],
      ['四肢无力', 'weakness'],
      ['急性心肌梗死', 'myocardial_infarction'],
    ]);
  });

  it('carries DDXPlus evidences, ICD-10 and features that exist', () => {
    const c = (id: string) => vocab.concepts.get(id)!;
    expect(c('fever')).toMatchObject({ features: ['high_fever'], ddxplus: ['E_91'] });
    expect(c('myocardial_infarction').icd10?.[0]).toMatchObject({ code: 'I21' });
    expect(c('hypertension').ddxplus).toEqual(['E_104']);
    for (const concept of vocab.concepts.values()) {
      if (concept.label === 'Disease') expect(concept.icd10?.length, concept.id).toBeGreaterThan(0);
      for (const f of concept.features ?? []) expect(features).toContain(f);
    }
    expect(() => parseClinicalVocabulary({ ...vocabFile, concepts: [{ id: 'x', label: 'Symptom', features: ['no_such'] }], terms: [] }, features)).toThrow(
      /unknown feature/,
    );
  });

  it('every code is one the shared data knows (needs ../shared/data)', () => {
    const dataDir = resolveDataDir(__dirname);
    const evPath = path.join(dataDir, 'knowledge', 'ddxplus', 'release_evidences.json');
    if (!fs.existsSync(evPath)) return;
    const evidences = JSON.parse(fs.readFileSync(evPath, 'utf8')) as Record<string, unknown>;
    for (const c of vocab.concepts.values()) for (const e of c.ddxplus ?? []) expect(evidences, `${c.id} ${e}`).toHaveProperty(e);
    // the artefact is the generator's output for the committed table
    const table = fs.readFileSync(path.join(modelsDir, '..', 'training', 'nlp', 'clinical_concepts.json'));
    const src = (vocabFile as unknown as { sources: { id: string; sha256: string }[] }).sources.find((s) => s.id === 'lantern');
    expect(src?.sha256).toBe(sha256Hex(table));
  });
});

describe('sections', () => {
  it('finds English and Chinese headings and the section of an offset', () => {
    const note = 'CC: cough.\nPMH: HTN.\nFH: mother with DM. ROS: no fever.\n既往史：高血压。家族史：母亲患糖尿病。\nA/P: pneumonia.';
    const kinds = findSections(note).map((s) => s.kind);
    expect(kinds).toEqual(['chief_complaint', 'past_history', 'family_history', 'review_of_systems', 'past_history', 'family_history', 'assessment_plan']);
    expect(sectionAt(findSections(note), note.indexOf('DM'))?.kind).toBe('family_history');
    expect(sectionAt(findSections(note), note.indexOf('糖尿病'))?.kind).toBe('family_history');
    expect(sectionAt(findSections('Cough. Fever.'), 3)).toBeNull();
  });

  it('splits Chinese sentences at 。！？ without a following space', () => {
    const t = '否认胸痛。有咳嗽！发热？';
    expect(splitSentences(t).map((s) => t.slice(s.start, s.end))).toEqual(['否认胸痛。', '有咳嗽！', '发热？']);
  });
});

describe('assertions by rule and language', () => {
  const assertion = async (text: string, mention: string) => {
    const start = text.indexOf(mention);
    const e = (await ct.recogniseEntities(text)).find((x) => x.start <= start && start + mention.length <= x.end);
    return e?.assertion ?? 'not found';
  };
  it.each([
    // sections feed the assertion
    ['Past medical history: hypertension.', 'hypertension', 'historical'],
    ['PMH: denies diabetes.', 'diabetes', 'absent'],
    ['Family history: mother with breast cancer.', 'breast cancer', 'family'],
    ['ROS: positive for cough.', 'cough', 'present'],
    // resolved / no longer: historical, not absent
    ['Chest pain resolved after nitroglycerin.', 'Chest pain', 'historical'],
    ['She no longer has chest pain.', 'chest pain', 'historical'],
    // hypotheticals
    ['If the headache worsens, call.', 'headache', 'hypothetical'],
    ['Should she develop fever, return.', 'fever', 'hypothetical'],
    ['Return if wheezing recurs.', 'wheezing', 'hypothetical'],
    ['Should fever or rash develop, return to clinic.', 'rash', 'hypothetical'],
    ['Should symptoms of chest pain develop, call.', 'chest pain', 'hypothetical'],
    ['She should take metformin for diabetes.', 'diabetes', 'present'],
    // possibilities
    ['Rule out sepsis.', 'sepsis', 'possible'],
    ['Concern for stroke.', 'stroke', 'possible'],
    ['Evaluate for pulmonary embolism.', 'pulmonary embolism', 'possible'],
    // Chinese triggers
    ['患者否认胸痛。', '胸痛', 'absent'],
    ['无发热。', '发热', 'absent'],
    ['未见皮疹。', '皮疹', 'absent'],
    ['不伴呕吐。', '呕吐', 'absent'],
    ['没有咳嗽。', '咳嗽', 'absent'],
    ['未诉头痛。', '头痛', 'absent'],
    ['可能为肺炎。', '肺炎', 'possible'],
    ['考虑肺炎。', '肺炎', 'possible'],
    ['疑似肺栓塞。', '肺栓塞', 'possible'],
    ['肺结核待排。', '肺结核', 'possible'],
    ['既往哮喘。', '哮喘', 'historical'],
    ['曾患肺结核。', '肺结核', 'historical'],
    ['母亲患乳腺癌。', '乳腺癌', 'family'],
    ['父亲有高血压。', '高血压', 'family'],
    ['家族史：糖尿病。', '糖尿病', 'family'],
    ['如出现胸痛，及时就诊。', '胸痛', 'hypothetical'],
    ['若发热，复诊。', '发热', 'hypothetical'],
    ['胸痛已缓解。', '胸痛', 'historical'],
    // a negation character inside a phrase that negates nothing
    ['无明显诱因出现头痛。', '头痛', 'present'],
    ['无发热，有咳嗽。', '咳嗽', 'present'],
    ['四肢无力。', '四肢无力', 'present'],
  ])('%s [%s] -> %s', async (text, mention, expected) => {
    expect(await assertion(text, mention)).toBe(expected);
  });
});

describe('findings for the case', () => {
  it('never enters a possible, hypothetical, historical or family finding as absent', () => {
    const f = ct.extractFindings('Return if fever develops. Possible cough. Headache resolved. Mother has chest pain. No vomiting.');
    const states = findingsToFeatureStates(f);
    expect(states).toEqual({ vomiting: 'absent' });
    for (const x of f.filter((y) => y.feature !== 'vomiting')) expect(x.state).toBe('unknown');
    expect(f.find((x) => x.feature === 'vomiting')).toMatchObject({ state: 'absent', ddxplus: ['E_211'] });
  });

  it('fills features and DDXPlus evidences from a Chinese note', () => {
    const f = ct.extractFindings('患者咳嗽3天，伴发热，否认胸痛。');
    expect(findingsToFeatureStates(f)).toEqual({ cough: 'present', high_fever: 'present', chest_pain: 'absent' });
    expect(f.find((x) => x.feature === 'cough')?.ddxplus).toEqual(['E_201']);
  });
});

describe('note statements (models/runtime/nlp/noteStatements.json, written for Lantern)', () => {
  it('finds the concept and its assertion in English (>= 90 % / 90 %) and Chinese (>= 85 % / 90 %)', async () => {
    const items = loadNoteStatements();
    for (const split of ['dev', 'fresh', 'fresh2', 'fresh3'] as const) {
      const r = await evaluateNoteStatements(
        items.filter((x) => x.split === split),
        ct,
      );
      expect(r.byLanguage.en.foundRate, split).toBeGreaterThanOrEqual(0.9);
      expect(r.byLanguage.en.assertionRate, split).toBeGreaterThanOrEqual(0.9);
      expect(r.byLanguage.zh.foundRate, split).toBeGreaterThanOrEqual(0.85);
      expect(r.byLanguage.zh.assertionRate, split).toBeGreaterThanOrEqual(0.9);
    }
  }, 60_000);
});

describe('section extent', () => {
  it('ends an inline section at its line, a heading-only section at the blank line', async () => {
    const a = await ct.recogniseEntities('PMH: hypertension.\nPatient reports cough.');
    expect(a.map((e) => [e.text, e.assertion])).toEqual([
      ['hypertension', 'historical'],
      ['cough', 'present'],
    ]);
    const b = await ct.recogniseEntities('Past medical history:\n- asthma\n- diabetes\n\nReports cough.');
    expect(b.map((e) => [e.text, e.assertion])).toEqual([
      ['asthma', 'historical'],
      ['diabetes', 'historical'],
      ['cough', 'present'],
    ]);
  });

  it('ends an inline section at a sentence on its line that starts with the patient or the presentation', async () => {
    const a = await ct.recogniseEntities('PMH: asthma, GERD. Presents with wheeze and cough.');
    expect(a.map((e) => [e.text, e.assertion])).toEqual([
      ['asthma', 'historical'],
      ['GERD', 'historical'],
      ['wheeze', 'present'],
      ['cough', 'present'],
    ]);
    const b = await ct.recogniseEntities('既往史：高血压10年。现咳嗽3天。');
    expect(b.map((e) => [e.text, e.assertion])).toEqual([
      ['高血压', 'historical'],
      ['咳嗽', 'present'],
    ]);
    // a list of past conditions in sentences stays history
    const c = await ct.recogniseEntities('PMH: HTN. DM2. Hyperlipidemia.');
    expect(c.map((e) => e.assertion)).toEqual(['historical', 'historical', 'historical']);
  });
});
