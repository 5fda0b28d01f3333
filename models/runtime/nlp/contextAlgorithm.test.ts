import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { resolveDataDir } from '../common/paths';
import { sha256Hex } from '../registry';
import { createClinicalText } from './clinicalText';
import { applyContext, contextTokens, findModifiers, loadContextRulesFile, type Assertion } from './contextAlgorithm';
import { evaluateContext, loadContextEvalSet } from './contextEval';

const rulesFile = path.join(__dirname, '..', '..', 'artefacts', 'nlp', 'contextRules.json');
const rules = loadContextRulesFile(rulesFile);
const ct = createClinicalText(path.resolve(__dirname, '..', '..', 'artefacts'));

function assertionOf(text: string, concept: string): Assertion | null {
  return ct.conceptAssertion(text, concept)?.assertion ?? null;
}

describe('ConText assertions', () => {
  it.each<[string, string, Assertion]>([
    // negation: forward, backward, lists, contractions
    ['Patient denies chest pain.', 'chest pain', 'absent'],
    ['No fever, chills, or night sweats.', 'night sweats', 'absent'],
    ['She didn\u2019t have a fever.', 'fever', 'absent'],
    ['Pulmonary embolism was ruled out.', 'pulmonary embolism', 'absent'],
    ['Cough is absent.', 'cough', 'absent'],
    ['Negative for nausea and vomiting.', 'vomiting', 'absent'],
    ['Heart: no murmurs, rubs, or gallops.', 'gallops', 'absent'],
    // historical
    ['History of asthma since childhood.', 'asthma', 'historical'],
    ['Status post appendectomy.', 'appendectomy', 'historical'],
    // hypothetical
    ['Return to the clinic if fever develops.', 'fever', 'hypothetical'],
    ['Call if shortness of breath worsens.', 'shortness of breath', 'hypothetical'],
    // someone else
    ['Her mother has breast cancer.', 'breast cancer', 'family'],
    ['Family history of colon cancer.', 'colon cancer', 'family'],
    // possible
    ['Rule out pneumonia.', 'pneumonia', 'possible'],
    ['Findings suspicious for malignancy.', 'malignancy', 'possible'],
    // pseudo-triggers: the negation word is part of a longer non-negating phrase
    ['No increase in pain since yesterday.', 'pain', 'present'],
    ['Gram negative rods on the smear.', 'rods', 'present'],
    ['Not only fever but also cough.', 'fever', 'present'],
    ['3 day history of cough.', 'cough', 'present'],
    // terminations and clause boundaries
    ['No fever but has a productive cough.', 'cough', 'present'],
    ['Denies nausea; reports diarrhea.', 'diarrhea', 'present'],
    ['No fever, 3 days of cough and chest pain.', 'chest pain', 'present'],
    ['Negative for malaria, positive for dengue.', 'dengue', 'present'],
    ['Mother has hypertension; the patient has migraine.', 'migraine', 'present'],
    ['No cough. Fever present.', 'fever', 'present'],
    // the reasons for a work-up are findings ("given", "in view of", "in the setting of" end a possibility)
    ['Evaluate for tuberculosis given weight loss and hemoptysis.', 'hemoptysis', 'present'],
    ['Evaluate for tuberculosis given weight loss and hemoptysis.', 'tuberculosis', 'possible'],
    ['Rule out MI given chest pain.', 'chest pain', 'present'],
    ['Concern for sepsis in the setting of fever.', 'fever', 'present'],
    ['Evaluate for pneumonia in view of cough.', 'cough', 'present'],
    // Chinese: a term ending in 病 before 史 is history, though "病史" is also a trigger of its own
    ['有冠心病史。', '冠心病', 'historical'],
    ['有慢性阻塞性肺疾病史。', '慢性阻塞性肺疾病', 'historical'],
    ['有糖尿病史5年。', '糖尿病', 'historical'],
    ['否认糖尿病史。', '糖尿病', 'absent'],
    ['有高血压病史。', '高血压', 'historical'],
    // a query mark after a diagnosis (full-width in Chinese notes, read as "?" like the runtime reads it)
    ['初步诊断：急性支气管炎？', '急性支气管炎', 'possible'],
    ['Impression: pneumonia?', 'pneumonia', 'possible'],
    ['? pneumonia', 'pneumonia', 'possible'],
    ['Impression: ? PE', 'PE', 'possible'],
    // a templated question answered at once
    ['Fever? No.', 'Fever', 'absent'],
    ['Cough? Yes.', 'Cough', 'present'],
    ['Any chest pain? none', 'chest pain', 'absent'],
    ['发热？无。', '发热', 'absent'],
    ['咳嗽？有。', '咳嗽', 'present'],
    // relatives, and the patient taking the sentence back from them
    ['外婆有乳腺癌。', '乳腺癌', 'family'],
    ['丈夫有乙肝。', '乙肝', 'family'],
    ['母亲诉患儿发热2天。', '发热', 'present'],
    ['其母代诉患儿咳嗽3天', '咳嗽', 'present'],
  ])('%s [%s] -> %s', (text, concept, expected) => {
    expect(assertionOf(text, concept)).toBe(expected);
  });

  it('reports the triggers that applied, with their offsets', () => {
    const text = 'Denies fever, but has chills.';
    const [fever, chills] = applyContext(
      text,
      { start: 0, end: text.length },
      [
        { start: 7, end: 12 },
        { start: 22, end: 28 },
      ],
      rules,
    );
    expect(fever!.assertion).toBe('absent');
    expect(fever!.modifiers.map((m) => text.slice(m.start, m.end))).toEqual(['Denies']);
    expect(chills!.assertion).toBe('present');
  });

  it('ignores a trigger inside the target itself and honours exempted categories', () => {
    const text = 'Lack of appetite. Family history of diabetes.';
    const [appetite] = applyContext(text, { start: 0, end: 17 }, [{ start: 0, end: 16 }], rules);
    expect(appetite!.assertion).toBe('present');
    const [fh] = applyContext(text, { start: 18, end: text.length }, [{ start: 18, end: 32, ignoreCategories: ['FAMILY', 'HISTORICAL'] }], rules);
    expect(fh!.assertion).toBe('present');
  });

  it('rewrites contractions and keeps offsets into the original text', () => {
    const text = "He doesn't smoke, can't sleep";
    const toks = contextTokens(text);
    expect(toks.map((t) => t.norm)).toEqual(['he', 'does', 'not', 'smoke', ',', 'can', 'not', 'sleep']);
    expect(toks.map((t) => text.slice(t.start, t.end))).toEqual(['He', 'does', "n't", 'smoke', ',', 'can', "'t", 'sleep']);
    expect(findModifiers(toks, rules).some((m) => m.rule.category === 'NEGATED_EXISTENCE' && m.rule.direction === 'FORWARD')).toBe(true);
  });

  it('has rules from every source and every category', () => {
    const sources = new Set(rules.rules.flatMap((r) => r.sources));
    for (const s of ['medspacy', 'negex', 'gencontext-history', 'gencontext-hypothetical', 'gencontext-experiencer', 'lantern']) expect(sources).toContain(s);
    const kinds = new Set(rules.rules.map((r) => `${r.category}/${r.direction}`));
    for (const k of [
      'NEGATED_EXISTENCE/FORWARD',
      'NEGATED_EXISTENCE/BACKWARD',
      'NEGATED_EXISTENCE/PSEUDO',
      'NEGATED_EXISTENCE/TERMINATE',
      'POSSIBLE_EXISTENCE/FORWARD',
      'HISTORICAL/FORWARD',
      'HYPOTHETICAL/FORWARD',
      'FAMILY/FORWARD',
    ]) {
      expect(kinds).toContain(k);
    }
  });
});

describe('past history: treatment, s/p, history of, years in the past', () => {
  const thisYear = new Date().getFullYear();
  const yearOfAt = (text: string, concept: string, referenceYear: number): Assertion | undefined => {
    const start = text.indexOf(concept);
    return applyContext(text, { start: 0, end: text.length }, [{ start, end: start + concept.length }], rules, undefined, referenceYear)[0]?.assertion;
  };

  it.each<[string, string, Assertion]>([
    // the sentence: past treatment and a year in the past
    ['Treated for TB in 2010.', 'TB', 'historical'],
    ['TB in 2010, completed six months of treatment.', 'TB', 'historical'],
    ['Was treated for malaria.', 'malaria', 'historical'],
    ['Previously treated for pneumonia.', 'pneumonia', 'historical'],
    ['Completed treatment for tuberculosis.', 'tuberculosis', 'historical'],
    ['Treated for pneumonia last year.', 'pneumonia', 'historical'],
    ['s/p MI', 'MI', 'historical'],
    ['Status post MI in 2015.', 'MI', 'historical'],
    ['History of stroke.', 'stroke', 'historical'],
    ['Had a stroke in March 2019.', 'stroke', 'historical'],
    ['Stroke 03/2015 with no residual deficit.', 'Stroke', 'historical'],
    ['Pneumonia on 2012-04-03, treated with amoxicillin.', 'Pneumonia', 'historical'],
    ['在2010年曾患结核', '结核', 'historical'],
    ['2010年患结核，已治愈', '结核', 'historical'],
    ['患者于2015年诊断为哮喘', '哮喘', 'historical'],
    // still going on, or current: not history
    ['Being treated for pneumonia.', 'pneumonia', 'present'],
    ['Currently treated for TB.', 'TB', 'present'],
    ['Asthma since 2015, uses a salbutamol inhaler.', 'Asthma', 'present'],
    ['Diabetes from 2012, on metformin 2000 mg daily.', 'Diabetes', 'present'],
    ['Metformin 2000 mg for diabetes.', 'diabetes', 'present'],
    ['自2020年以来反复咳嗽', '咳嗽', 'present'],
    ['2020年至今反复头痛', '头痛', 'present'],
    // a past year does not override a denial
    ['No TB in 2010 screening.', 'TB', 'absent'],
  ])('%s [%s] -> %s', (text, concept, expected) => {
    expect(assertionOf(text, concept)).toBe(expected);
  });

  it('reads a year as past only before the reference year', () => {
    expect(yearOfAt(`Pneumonia in ${thisYear - 1}.`, 'Pneumonia', thisYear)).toBe('historical');
    expect(yearOfAt(`Pneumonia in ${thisYear}.`, 'Pneumonia', thisYear)).toBe('present');
    expect(yearOfAt('Pneumonia in 2010.', 'Pneumonia', 2010)).toBe('present');
    expect(yearOfAt('Pneumonia in 2010.', 'Pneumonia', 2011)).toBe('historical');
  });

  it('names the past date as the trigger that applied', () => {
    const text = 'Treated for TB in 2010.';
    const [tb] = applyContext(text, { start: 0, end: text.length }, [{ start: 12, end: 14 }], rules, undefined, 2026);
    expect(tb!.modifiers.map((m) => [m.literal, text.slice(m.start, m.end)])).toEqual([['<past year>', 'in 2010']]);
  });
});

describe('ConText check set (hand-written development set, see contextEvalSet.json)', () => {
  it('negation PPV and sensitivity stay above NegEx\u2019s published 0.845 / 0.778', () => {
    const r = evaluateContext(loadContextEvalSet(), ct);
    expect(r.items).toBeGreaterThanOrEqual(100);
    expect(r.negation.ppv).toBeGreaterThanOrEqual(0.95);
    expect(r.negation.sensitivity).toBeGreaterThanOrEqual(0.9);
    expect(r.assertionAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});

const negDir = path.join(resolveDataDir(__dirname), 'nlp', 'negation');
describe.skipIf(!fs.existsSync(negDir))('contextRules.json provenance (needs ../shared/data)', () => {
  it('was generated from the current trigger lists and rules (sha256 of each source file)', () => {
    const file = JSON.parse(fs.readFileSync(rulesFile, 'utf8')) as { sources: { id: string; file: string; sha256?: string }[] };
    const fromData = file.sources.filter((s) => s.sha256 !== undefined);
    expect(fromData.length).toBe(5);
    for (const s of fromData) {
      const bytes = fs.readFileSync(path.join(resolveDataDir(__dirname), s.file));
      expect(sha256Hex(bytes), s.file).toBe(s.sha256);
    }
  });
});
