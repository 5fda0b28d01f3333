import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { heartModel } from './testing/heartModel';
import type { Catalogue } from '../../electron/contract/ipcContract';
import type { RiskNamer } from './catalogue';
import { buildCaseRequest, explainCaseError, firstInvalidVital, type CaseFormValues } from './caseRequest';

const heart = heartModel([{ name: 'chol', label: 'Serum cholesterol', unit: 'mg/dl', type: 'numeric', range: { min: 50, max: 700 } }]);

const catalogue: Catalogue = {
  symptoms: [],
  substances: [],
  clinicalNamesZh: { symptoms: {}, conditions: {}, labs: {}, vitals: {}, riskModels: {}, riskInputs: {} },
  riskModels: [heart],
  vitals: [
    {
      code: 'temperature',
      loinc: '8310-5',
      unit: '°C',
      normalLow: 36.1,
      normalHigh: 37.2,
      criticalLow: 35,
      criticalHigh: 40,
      plausibleMin: 25,
      plausibleMax: 45,
    },
    {
      code: 'heartRate',
      loinc: '8867-4',
      unit: '/min',
      normalLow: 60,
      normalHigh: 100,
      criticalLow: 40,
      criticalHigh: 130,
      plausibleMin: 20,
      plausibleMax: 300,
    },
  ],
  labs: [
    {
      loinc: '2823-3',
      name: 'Potassium',
      unit: 'mmol/L',
      normalLow: 3.5,
      normalHigh: 5.1,
      criticalLow: 2.5,
      criticalHigh: 6.5,
      plausibleMin: 1,
      plausibleMax: 10,
    },
  ],
  models: [],
};

/** A translation that shows the key and its values, so the tests see which message was chosen with what. */
const t = ((key: string, values?: Record<string, unknown>) => (values ? `${key}${JSON.stringify(values)}` : key)) as unknown as TFunction;
const wording = { t, number: (v: number) => String(v) };
const names: RiskNamer = { model: (id) => `model:${id}`, input: (_m, name) => `input:${name}`, value: (_i, v) => v, definition: () => undefined };

const form: CaseFormValues = {
  findings: { fever: 'present', cough: 'unknown', rash: 'absent' },
  vitals: { temperature: '38.5', heartRate: '' },
  observations: {},
  labs: [{ key: 1, loinc: '2823-3', value: 7.2 }],
  note: 'Fever.',
  riskTexts: { 'heart-disease': { chol: '240' } },
};

describe('buildCaseRequest', () => {
  it('sends known findings, typed vitals, labs, the note and the risk inputs; no empty observations', () => {
    expect(buildCaseRequest(form, catalogue)).toEqual({
      findings: { fever: 'present', rash: 'absent' },
      modelInputs: { 'heart-disease': { chol: 240 } },
      vitals: [{ code: 'temperature', value: 38.5 }],
      labs: [{ loinc: '2823-3', value: 7.2 }],
      note: 'Fever.',
    });
    expect(buildCaseRequest({ ...form, observations: { avpu: 'A' } } as CaseFormValues, catalogue)).toHaveProperty('observations');
  });
});

describe('firstInvalidVital', () => {
  it('names the first vital that is not a number or not physiological, and passes plausible ones', () => {
    expect(firstInvalidVital({ temperature: '38.5', heartRate: '72' }, catalogue, wording)).toBeNull();
    expect(firstInvalidVital({ temperature: 'abc' }, catalogue, wording)).toEqual({
      code: 'temperature',
      message: 'measure.notANumber{"name":"vital.temperature"}',
    });
    expect(firstInvalidVital({ heartRate: '720' }, catalogue, wording)?.message).toBe(
      'measure.implausible{"name":"vital.heartRate","min":"20","max":"300","unit":"/min"}',
    );
  });
});

describe('explainCaseError', () => {
  const sent = buildCaseRequest(form, catalogue);
  const explain = (field: string, code: 'VALUE_OUT_OF_RANGE' | 'VALIDATION_FAILED' = 'VALIDATION_FAILED') =>
    explainCaseError({ code, message: 'bad', field }, sent, { catalogue, lab: (loinc) => catalogue.labs.find((l) => l.loinc === loinc), risk: names }, wording);

  it('names a vital by code or by its index in the request', () => {
    expect(explain('vitals.temperature', 'VALUE_OUT_OF_RANGE')).toContain('measure.implausible{"name":"vital.temperature"');
    expect(explain('case.vitals.0.value')).toBe('caseNew.fieldError{"field":"vital.temperature","message":"bad"}');
  });

  it('names a lab by LOINC or index, a risk input with its model, and the findings and note', () => {
    expect(explain('labs.2823-3', 'VALUE_OUT_OF_RANGE')).toContain('"name":"Potassium"');
    expect(explain('labs.0.value')).toContain('"field":"Potassium"');
    expect(explain('modelInputs.heart-disease.chol', 'VALUE_OUT_OF_RANGE')).toContain('"min":"50","max":"700"');
    expect(explain('findings')).toContain('errors.fieldFindings');
    expect(explain('note')).toContain('errors.fieldNote');
  });

  it('says nothing for a field it cannot name', () => {
    expect(explain('vitals.9.value')).toBeNull();
    expect(explain('somewhere.else')).toBeNull();
  });
});
