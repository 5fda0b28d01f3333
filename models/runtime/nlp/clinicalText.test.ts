import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import {
  classifyComplaint,
  createClinicalText,
  extractFindings,
  findingsToFeatureStates,
  negationStatus,
  recogniseEntities,
  type Entity,
} from './clinicalText';
import { splitSentences } from './sentences';
import { complaintWords, loadSymptomTextModel } from './symptomText';

const modelsDir = path.resolve(__dirname, '..', '..', 'artefacts');
const ct = createClinicalText(modelsDir);
afterAll(async () => {
  await ct.release();
});

describe('extractFindings', () => {
  it('reads the example sentence: fever absent, cough and chest pain present, with spans', () => {
    const text = 'no fever, 3 days of cough and chest pain';
    const f = extractFindings(text);
    expect(f).toEqual([
      { feature: 'high_fever', state: 'absent', start: 3, end: 8, text: 'fever', assertion: 'absent', ddxplus: ['E_91'] },
      { feature: 'mild_fever', state: 'absent', start: 3, end: 8, text: 'fever', assertion: 'absent', ddxplus: ['E_91'] },
      { feature: 'cough', state: 'present', start: 20, end: 25, text: 'cough', assertion: 'present', ddxplus: ['E_201'] },
      { feature: 'chest_pain', state: 'present', start: 30, end: 40, text: 'chest pain', assertion: 'present', ddxplus: ['E_53'] },
    ]);
    for (const x of f) expect(text.slice(x.start, x.end)).toBe(x.text);
  });

  it('reads an English note', () => {
    const note = [
      'Chief complaint: cough and fever for 5 days.',
      'HPI: 34-year-old woman with productive cough, high fever and chills. She denies chest pain or shortness of breath.',
      'No vomiting, no diarrhoea. Reports a mild headache and muscle aches; she is afebrile today.',
      'PMH: asthma as a child.',
      'Family history: mother has diabetes.',
      'Plan: return if breathlessness develops.',
    ].join('\n');
    const f = ct.extractFindings(note);
    for (const x of f) expect(note.slice(x.start, x.end)).toBe(x.text);
    expect(findingsToFeatureStates(f)).toEqual({
      cough: 'present',
      high_fever: 'present',
      phlegm: 'present',
      chills: 'present',
      chest_pain: 'absent',
      breathlessness: 'absent',
      vomiting: 'absent',
      diarrhoea: 'absent',
      headache: 'present',
      muscle_pain: 'present',
      mild_fever: 'absent',
      family_history: 'present',
    });
    const later = f.find((x) => x.text === 'breathlessness');
    // a hypothetical finding is shown but never entered as absent
    expect(later).toMatchObject({ feature: 'breathlessness', state: 'unknown', assertion: 'hypothetical' });
    expect(f.filter((x) => x.text === 'afebrile').map((x) => x.feature)).toEqual(['high_fever', 'mild_fever']);
  });

  it('maps synonyms, lemmas and multi-word phrasing to features', () => {
    const states = findingsToFeatureStates(ct.extractFindings('Pain in my left knee, itchy skin, throwing up, light-headed, stuffy nose. Coughing up blood.'));
    expect(states).toMatchObject({
      knee_pain: 'present',
      itching: 'present',
      vomiting: 'present',
      dizziness: 'present',
      congestion: 'present',
      cough: 'present',
      blood_in_sputum: 'present',
    });
  });

  it('only emits symptom-differential input names', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, 'manifest.json'), 'utf8')) as {
      models: { id: string; inputs: (string | { name: string })[] }[];
    };
    const inputs = new Set(manifest.models.find((m) => m.id === 'symptom-differential')!.inputs.map((i) => (typeof i === 'string' ? i : i.name)));
    const f = ct.extractFindings('Fever, rash, joint pain, fatigue, dark urine, yellow eyes, weight loss, nausea and blurred vision.');
    expect(f.length).toBeGreaterThanOrEqual(9);
    for (const x of f) expect(inputs.has(x.feature), x.feature).toBe(true);
  });
});

describe('negationStatus', () => {
  it.each<[string, string, 'affirmed' | 'negated']>([
    ['Patient denies chest pain.', 'chest pain', 'negated'],
    ['Patient denies chest pain.', 'CHEST PAIN', 'negated'],
    ['Chest pain since this morning.', 'chest pain', 'affirmed'],
    ['No fever, 3 days of cough.', 'cough', 'affirmed'],
    ['No family history of diabetes.', 'diabetes', 'negated'],
    ['Possible pneumonia.', 'pneumonia', 'affirmed'],
    ['No cough. Cough medicine helps.', 'cough', 'negated'],
    ['Nothing relevant here.', 'fever', 'affirmed'],
    ['', 'fever', 'affirmed'],
  ])('%j [%s] -> %s', (text, concept, expected) => {
    expect(negationStatus(text, concept)).toBe(expected);
  });

  it('prefers a whole-word occurrence', () => {
    expect(ct.conceptAssertion('Afebrile. No fever.', 'febrile')).toMatchObject({ start: 1, end: 8 }); // substring only
    expect(ct.conceptAssertion('Fevers noted. No fever.', 'fever')).toMatchObject({ start: 17, negated: true });
  });
});

describe('recogniseEntities', () => {
  it("keeps a ConText trigger out of the model's span and a concept apart from the words after it", async () => {
    // disease-ner 1.1.0 tags "out sepsis" and "sepsis given hypotension"; the vocabulary's "sepsis" stands, and possible
    const ruleOut = await ct.recogniseEntities('Rule out sepsis.');
    expect(ruleOut.map((e) => [e.text, e.assertion])).toEqual([['sepsis', 'possible']]);
    const concern = await ct.recogniseEntities('Concern for sepsis given hypotension and tachycardia.');
    expect(concern.find((e) => e.label === 'Disease')).toMatchObject({ text: 'sepsis', assertion: 'possible' });
    // a longer name ending with the vocabulary's word still wins
    const fh = await ct.recogniseEntities('Her mother had ovarian cancer.');
    expect(fh.find((e) => e.label === 'Disease')).toMatchObject({ text: 'ovarian cancer', assertion: 'family' });
  });

  const keys = ['assertion', 'end', 'label', 'start', 'text'];

  it('finds diseases and symptoms with assertions and exact offsets (the CLI output shape)', async () => {
    const text = 'She has no history of breast cancer, but her mother had ovarian cancer.\nReports headache; denies fever.';
    const ents = await recogniseEntities(text);
    for (const e of ents) {
      expect(Object.keys(e).sort()).toEqual(keys);
      expect(text.slice(e.start, e.end)).toBe(e.text);
    }
    const byText = (t: string, label: string): Entity | undefined => ents.find((e) => e.text === t && e.label === label);
    expect(byText('breast cancer', 'Disease')?.assertion).toBe('absent');
    expect(byText('ovarian cancer', 'Disease')?.assertion).toBe('family');
    expect(byText('headache', 'Symptom')?.assertion).toBe('present');
    expect(byText('fever', 'Symptom')?.assertion).toBe('absent');
    // the whole output serialises to the CLI's JSON lines
    expect(JSON.parse(JSON.stringify({ id: 'x', entities: ents })).entities).toEqual(ents);
  });

  it('keeps offsets exact with non-ASCII text, tabs and CRLF', async () => {
    const text = 'Naïve café patient — ataxia-telangiectasia 😀 and cough.\r\nNo asthma.\tβ-thalassaemia.';
    const ents = await ct.recogniseEntities(text);
    expect(ents.length).toBeGreaterThan(0);
    for (const e of ents) expect(text.slice(e.start, e.end)).toBe(e.text);
  });

  it('processes a long note sentence by sentence with progress', async () => {
    const para =
      'The patient reports fever and cough for three days. She denies chest pain. Her father had colon cancer. ' +
      'Examination shows no rash. Duchenne muscular dystrophy was excluded. ';
    const text = para.repeat(60);
    const total = splitSentences(text).length;
    const calls: [number, number][] = [];
    const ents = await ct.recogniseEntities(text, { onProgress: (d, t) => calls.push([d, t]) });
    expect(calls[0]).toEqual([0, total]);
    expect(calls.at(-1)).toEqual([total, total]);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBe(calls[i - 1]![0] + 1);
    expect(ents.filter((e) => e.text === 'colon cancer').length).toBe(60);
    expect(ents.filter((e) => e.text === 'colon cancer').every((e) => e.assertion === 'family')).toBe(true);
  });

  it('returns nothing for empty text', async () => {
    expect(await ct.recogniseEntities('')).toEqual([]);
  });
});

describe('classifyComplaint (symptom-text)', () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(modelsDir, 'symptom-text', 'fixture.json'), 'utf8')) as {
    texts: { text: string; words: string[]; featureCount: number; featureIndices: number[]; probabilities: number[] }[];
  };
  const model = loadSymptomTextModel(modelsDir);

  it('extracts the same features and probabilities as the Python script (fixture)', () => {
    for (const t of fixture.texts) {
      expect(complaintWords(t.text)).toEqual(t.words);
      expect(model.features(t.text).length).toBe(t.featureCount);
      expect([...model.vectorise(t.text).keys()].sort((a, b) => a - b)).toEqual(t.featureIndices);
      const p = model.probabilities(t.text);
      p.forEach((v, k) => expect(Math.abs(v - t.probabilities[k]!)).toBeLessThan(1e-9));
    }
  });

  it('ranks every label, highest first, probabilities summing to 1', async () => {
    const r = await classifyComplaint('I have a red itchy rash with pus-filled pimples and blackheads on my face.');
    expect(r.length).toBe(model.labels.length);
    for (let i = 1; i < r.length; i++) expect(r[i - 1]!.probability).toBeGreaterThanOrEqual(r[i]!.probability);
    expect(r.reduce((a, b) => a + b.probability, 0)).toBeCloseTo(1, 9);
    expect(r[0]!.label).toBe('Acne');
  });
});
