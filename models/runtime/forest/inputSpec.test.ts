import { describe, expect, it } from 'vitest';

import { encodeRawValue, InputValueError, isUnknownRaw, labelFromName, specProblem, type InputSpec } from './inputSpec';

describe('input declarations', () => {
  it('labels generated from symptom names', () => {
    expect(labelFromName('itching')).toBe('Itching');
    expect(labelFromName('spotting_ urination')).toBe('Spotting urination');
    expect(labelFromName('dischromic _patches')).toBe('Dischromic patches');
    expect(labelFromName('toxic_look_(typhos)')).toBe('Toxic look (typhos)');
  });

  it('specProblem accepts good declarations and names what is wrong', () => {
    expect(specProblem({ name: 'age', label: 'Age', unit: 'years', type: 'numeric', range: { min: 0, max: 120 }, loinc: '30525-0' })).toBeNull();
    expect(specProblem({ name: 'rbc', label: 'RBC', unit: '', type: 'nominal', values: ['normal', 'abnormal'] })).toBeNull();
    expect(specProblem({ name: 'age', label: 'Age', unit: 'years', type: 'numeric' })).toMatch(/range/);
    expect(specProblem({ name: 'x', label: 'X', unit: '', type: 'nominal', values: ['a', 1] })).toMatch(/values/);
    expect(specProblem({ name: 'x', label: 'X', unit: '', type: 'nominal', values: ['a', 'A'] })).toMatch(/duplicate/);
    expect(specProblem({ name: 'x', label: 'X', unit: '', type: 'numeric', range: { min: 1, max: 0 } })).toMatch(/range/);
    expect(specProblem({ name: 'x', label: 'X', unit: '', type: 'numeric', range: { min: 0, max: 1 }, loinc: 'abc' })).toMatch(/loinc/);
  });

  it('unknown raw values', () => {
    for (const v of [undefined, null, '', ' ', '?', ' ? ']) expect(isUnknownRaw(v)).toBe(true);
    for (const v of [0, 'no', false]) expect(isUnknownRaw(v)).toBe(false);
  });

  it('encodes and validates one value', () => {
    const chol: InputSpec = { name: 'chol', label: 'Cholesterol', unit: 'mg/dL', type: 'numeric', range: { min: 40, max: 1000 }, missingCodes: [0] };
    expect(encodeRawValue(chol, 233, 'm')).toBe(233);
    expect(encodeRawValue(chol, 0, 'm')).toBeNull();
    expect(() => encodeRawValue(chol, 20, 'm')).toThrow(InputValueError);
    const err = (() => {
      try {
        encodeRawValue(chol, 2000, 'm');
      } catch (e) {
        return e as InputValueError;
      }
      return undefined;
    })();
    expect(err).toMatchObject({ name: 'InputValueError', feature: 'chol', problem: 'out-of-range', value: 2000, range: { min: 40, max: 1000 } });
    expect(err!.message).toContain('40–1000 mg/dL');
    const htn: InputSpec = { name: 'htn', label: 'Hypertension', unit: '', type: 'nominal', values: ['yes', 'no'] };
    expect(encodeRawValue(htn, 'no', 'm')).toBe(1);
    expect(encodeRawValue(htn, '\tyes ', 'm')).toBe(0);
    expect(() => encodeRawValue(htn, 'y', 'm')).toThrow(/one of "yes", "no"/);
  });
});
