import { beforeAll, describe, expect, it } from 'vitest';
import chineseNames from '../../models/artefacts/vocab/clinicalNames.zh-CN.json';
import { setChineseClinicalNames } from './i18n/clinicalNameTables';
import { heartModel } from './testing/heartModel';
import { nominalValueLabel, riskInputLabel, riskModelName } from './i18n/riskModelNames';
import { buildModelInputs, checkRiskInput, filledCount, hasInputError, parseModelInputField } from './riskInputs';

const heart = heartModel([
  { name: 'age', label: 'Age', unit: 'years', type: 'numeric', range: { min: 0, max: 120 } },
  { name: 'chol', label: 'Serum cholesterol', unit: 'mg/dl', type: 'numeric', range: { min: 50, max: 700 } },
  { name: 'fbs', label: 'Fasting blood sugar > 120 mg/dl', unit: null, type: 'binary' },
  { name: 'cp', label: 'Chest pain type', unit: null, type: 'nominal', values: ['1', '2', '3', '4'] },
]);

beforeAll(() => setChineseClinicalNames(chineseNames));

describe('risk model inputs', () => {
  it('checks each input type', () => {
    const [age, chol, fbs, cp] = heart.inputs;
    expect(checkRiskInput(age!, '')).toEqual({ status: 'empty' });
    expect(checkRiskInput(age!, '54')).toEqual({ status: 'ok', value: 54 });
    expect(checkRiskInput(chol!, '9000')).toEqual({ status: 'implausible', value: 9000 });
    expect(checkRiskInput(fbs!, '1')).toEqual({ status: 'ok', value: 1 });
    expect(checkRiskInput(fbs!, '0')).toEqual({ status: 'ok', value: 0 });
    expect(checkRiskInput(cp!, '2')).toEqual({ status: 'ok', value: '2' });
    expect(checkRiskInput(cp!, '9')).toEqual({ status: 'invalid' });
  });

  it('sends only what is known, numbers as numbers and codes as strings', () => {
    const texts = { 'heart-disease': { age: '54', chol: '', fbs: '0', cp: '4' }, 'diabetes-onset': { glucose: '' } };
    expect(buildModelInputs([heart], texts)).toEqual({ 'heart-disease': { age: 54, fbs: 0, cp: '4' } });
    expect(buildModelInputs([heart], {})).toEqual({});
    expect(filledCount(heart, texts)).toBe(3);
    expect(hasInputError(heart, { 'heart-disease': { chol: '9000' } })).toBe(true);
  });

  it('reads the field path of a refused input', () => {
    expect(parseModelInputField('case.modelInputs.heart-disease.chol')).toEqual({ modelId: 'heart-disease', input: 'chol' });
    expect(parseModelInputField('modelInputs.diabetes-onset')).toEqual({ modelId: 'diabetes-onset', input: null });
    expect(parseModelInputField('vitals.0.value')).toBeNull();
  });

  it('names models, inputs and codes per language, falling back to the manifest', () => {
    expect(riskModelName('heart-disease', 'zh-CN')).toBe('心脏病');
    expect(riskModelName('new-model', 'en')).toBe('New model');
    expect(riskInputLabel({ name: 'chol', label: 'Serum cholesterol' }, 'en')).toBe('Serum cholesterol');
    expect(riskInputLabel({ name: 'chol', label: 'Serum cholesterol' }, 'zh-CN')).toBe('血清胆固醇');
    expect(riskInputLabel({ name: 'mystery', label: 'Mystery' }, 'zh-CN')).toBe('Mystery');
    expect(nominalValueLabel('cp', '1.0', 'en')).toBe('1.0 — typical angina');
    expect(nominalValueLabel('pcc', 'notpresent', 'zh-CN')).toBe('无');
    expect(nominalValueLabel('sg', '1.020', 'en')).toBe('1.020');
  });
});
