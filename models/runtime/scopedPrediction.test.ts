import { describe, expect, it } from 'vitest';
import { loadModelRegistry } from './registry';
import { parsePatientContext, predictInScope } from './scopedPrediction';
import type { ModelScope } from './scope';
import { InputValueError } from './forest/inputSpec';

const registry = loadModelRegistry();
const heart = registry.get('heart-disease');
const scope: ModelScope = {
  population: 'adults referred for angiography at the Cleveland Clinic',
  ageYears: { min: 28, max: 80 },
  inputKind: 'tabular',
  requiredInputs: [
    ['cp', 'trestbps'],
    ['cp', 'chol'],
    ['cp', 'thalach'],
    ['cp', 'oldpeak'],
  ],
};

describe('predictInScope', () => {
  it('answers with probabilities inside the scope', () => {
    const r = predictInScope(heart, scope, { age: 60, sex: 1, cp: 4, trestbps: 150 });
    expect(r.kind).toBe('answered');
    if (r.kind === 'answered') expect(Object.values(r.result.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('never scores from age and sex alone, and names what to add', () => {
    const r = predictInScope(heart, scope, { age: 60, sex: 1 });
    expect(r).toMatchObject({ kind: 'abstained', abstained: { code: 'INSUFFICIENT_INPUTS' } });
  });

  it('an input given as a "not recorded" code is unknown, not measured', () => {
    // chol 0 is the source's code for "not recorded".
    const r = predictInScope(heart, scope, { age: 60, sex: 1, cp: 4, chol: 0 });
    expect(r.kind).toBe('abstained');
  });

  it('a 2-year-old is out of scope, by patient context or by the age input', () => {
    expect(predictInScope(heart, scope, { cp: 4, trestbps: 120 }, { patient: { ageYears: 2 } })).toMatchObject({ abstained: { code: 'OUT_OF_SCOPE' } });
    expect(predictInScope(heart, scope, { age: 2, cp: 4, trestbps: 120 })).toMatchObject({ abstained: { code: 'OUT_OF_SCOPE' } });
  });

  it('an impossible value is still an error naming the field, not an abstention', () => {
    expect(() => predictInScope(heart, scope, { age: 60, cp: 4, trestbps: 0 })).toThrow(InputValueError);
  });
});

describe('parsePatientContext', () => {
  it('reads age and sex, and refuses anything else with the field named', () => {
    expect(parsePatientContext({ ageYears: 40, sex: 'female' })).toEqual({ patient: { ageYears: 40, sex: 'female' } });
    expect(parsePatientContext(undefined)).toEqual({ patient: {} });
    expect(parsePatientContext({ sex: 'F' })).toMatchObject({ field: 'patient.sex' });
    expect(parsePatientContext({ ageYears: -1 })).toMatchObject({ field: 'patient.ageYears' });
    expect(parsePatientContext({ age: 3 })).toMatchObject({ field: 'patient.age' });
    expect(parsePatientContext([1])).toMatchObject({ field: 'patient' });
  });
});
