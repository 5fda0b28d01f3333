import { describe, expect, it } from 'vitest';
import { checkScope, scopeProblem, type ModelScope, type ScopeQuestion } from './scope';

const diabetes: ModelScope = {
  population: 'Pima women aged 21 and older (Arizona, USA)',
  ageYears: { min: 21 },
  sex: ['female'],
  inputKind: 'tabular',
  requiredInputs: [['plas', 'mass']],
  maxImputedShare: 0.5,
  diagnosticCriteria: [
    {
      id: 'ogtt-2h',
      input: 'plas',
      atLeast: 200,
      unit: 'mg/dL',
      description: '2-hour OGTT plasma glucose >= 200 mg/dL meets the diagnostic criterion for diabetes',
      source: 'ADA Standards of Care 2024',
    },
    {
      id: 'hba1c',
      loinc: '4548-4',
      atLeast: 6.5,
      unit: '%',
      description: 'HbA1c >= 6.5 % meets the diagnostic criterion for diabetes',
      source: 'ADA Standards of Care 2024',
    },
  ],
};
const inputs = ['preg', 'plas', 'pres', 'skin', 'insu', 'mass', 'pedi', 'age'];
const ask = (q: Partial<ScopeQuestion>): ScopeQuestion => ({ modelId: 'diabetes-onset', inputNames: inputs, known: {}, ...q });

describe('checkScope', () => {
  it('answers inside the scope', () => {
    expect(checkScope(diabetes, ask({ known: { plas: 140, mass: 31, age: 40, pres: 70 }, patient: { sex: 'female', ageYears: 40 } }))).toBeNull();
  });

  it('a model without a scope always answers', () => {
    expect(checkScope(null, ask({}))).toBeNull();
  });

  it('diagnostic criteria come first, on a model input or on a lab', () => {
    const ogtt = checkScope(diabetes, ask({ known: { plas: 250, mass: 31, age: 40, pres: 70 }, patient: { sex: 'male', ageYears: 4 } }));
    expect(ogtt?.code).toBe('MEETS_DIAGNOSTIC_CRITERIA');
    expect(ogtt?.message).toContain('250 mg/dL');
    const a1c = checkScope(diabetes, ask({ known: { plas: 120, mass: 31, age: 40, pres: 70 }, labsByLoinc: { '4548-4': 6.5 } }));
    expect(a1c?.code).toBe('MEETS_DIAGNOSTIC_CRITERIA');
    // Just under the threshold is a risk question again.
    expect(checkScope(diabetes, ask({ known: { plas: 199, mass: 31, age: 40, pres: 70 }, labsByLoinc: { '4548-4': 6.4 } }))).toBeNull();
  });

  it('is out of scope for a child, a man, and by the model’s own age input', () => {
    expect(checkScope(diabetes, ask({ known: { plas: 140, mass: 31 }, patient: { ageYears: 2 } }))?.code).toBe('OUT_OF_SCOPE');
    const man = checkScope(diabetes, ask({ known: { plas: 140, mass: 31, age: 40 }, patient: { sex: 'male' } }));
    expect(man?.code).toBe('OUT_OF_SCOPE');
    expect(man?.message).toContain('male');
    expect(checkScope(diabetes, ask({ known: { plas: 140, mass: 31, age: 20, pres: 70 } }))?.code).toBe('OUT_OF_SCOPE');
    // Age 21 is the edge and is in.
    expect(checkScope(diabetes, ask({ known: { plas: 140, mass: 31, age: 21, pres: 70 } }))).toBeNull();
  });

  it('an unknown sex or age is not out of scope', () => {
    expect(checkScope(diabetes, ask({ known: { plas: 140, mass: 31, pres: 70, pedi: 0.3 } }))).toBeNull();
  });

  it('names what to add when required inputs are unknown', () => {
    const r = checkScope(diabetes, ask({ known: { plas: 140, age: 40, pres: 70, preg: 1 }, labelOf: (n) => (n === 'mass' ? 'BMI' : n) }));
    expect(r?.code).toBe('INSUFFICIENT_INPUTS');
    expect(r?.missing).toEqual(['mass']);
    expect(r?.message).toContain('Add BMI');
  });

  it('any one complete group of required inputs is enough', () => {
    const ckd: ModelScope = { population: 'adults in Tamil Nadu', inputKind: 'tabular', requiredInputs: [['sc'], ['hemo', 'sg'], ['hemo', 'al']] };
    const q = (known: Record<string, number>) => checkScope(ckd, { modelId: 'chronic-kidney-disease', inputNames: ['sc', 'hemo', 'sg', 'al', 'age'], known });
    expect(q({ sc: 1.2 })).toBeNull();
    expect(q({ hemo: 12, al: 1 })).toBeNull();
    const none = q({ hemo: 12, age: 50 });
    expect(none?.code).toBe('INSUFFICIENT_INPUTS');
    expect(none?.missing).toHaveLength(1);
  });

  it('refuses when too much would be imputed', () => {
    const r = checkScope(diabetes, ask({ known: { plas: 140, mass: 31, age: 40 } }));
    expect(r?.code).toBe('INSUFFICIENT_INPUTS');
    expect(r?.message).toMatch(/5 of the diabetes-onset model's 8 inputs are unknown \(at most 4/);
    expect(checkScope(diabetes, ask({ known: { plas: 140, mass: 31, age: 40, pres: 70 } }))).toBeNull();
  });
});

describe('scopeProblem', () => {
  it('accepts a valid scope and names what is wrong in a bad one', () => {
    expect(scopeProblem(diabetes, inputs)).toBeNull();
    expect(scopeProblem({ ...diabetes, population: '' }, inputs)).toBe('population');
    expect(scopeProblem({ ...diabetes, inputKind: 'x-ray' }, inputs)).toBe('inputKind');
    expect(scopeProblem({ ...diabetes, sex: ['woman'] }, inputs)).toBe('sex');
    expect(scopeProblem({ ...diabetes, ageYears: { min: 50, max: 20 } }, inputs)).toBe('ageYears');
    expect(scopeProblem({ ...diabetes, requiredInputs: [['glucose']] }, inputs)).toBe('requiredInputs: no input "glucose"');
    expect(scopeProblem({ ...diabetes, maxImputedShare: 2 }, inputs)).toBe('maxImputedShare');
    expect(
      scopeProblem({ ...diabetes, diagnosticCriteria: [{ id: 'x', input: 'plas', loinc: '1-1', atLeast: 1, unit: '', description: '', source: '' }] }, inputs),
    ).toMatch(/exactly one/);
  });
});
