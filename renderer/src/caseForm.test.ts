import { describe, expect, it } from 'vitest';
import { changeCaseForm, changesModelInputs, emptyCaseForm, type CaseFormChange, type CaseFormState } from './caseForm';

const apply = (changes: CaseFormChange[], from: CaseFormState = emptyCaseForm) => changes.reduce(changeCaseForm, from);

describe('caseForm', () => {
  it('records present and absent findings, and drops one set back to unknown', () => {
    const s = apply([
      {
        kind: 'findings',
        changes: [
          { feature: 'fever', state: 'present' },
          { feature: 'cough', state: 'absent' },
        ],
      },
      { kind: 'findings', changes: [{ feature: 'fever', state: 'unknown' }] },
    ]);
    expect(s.findings).toEqual({ cough: 'absent' });
  });

  it('keys each lab row apart, so two results for one test can be removed one at a time', () => {
    const s = apply([
      { kind: 'addLab', loinc: '2160-0', value: 1.2 },
      { kind: 'addLab', loinc: '2160-0', value: 3.4 },
      { kind: 'removeLab', key: 1 },
    ]);
    expect(s.labs).toEqual([{ key: 2, loinc: '2160-0', value: 3.4 }]);
    expect(s.nextLabKey).toBe(3);
  });

  it('keeps vitals and risk inputs as typed, one model input at a time', () => {
    const s = apply([
      { kind: 'vital', code: 'heartRate', text: '88' },
      { kind: 'riskInput', modelId: 'heart', input: 'chol', text: '240' },
      { kind: 'riskInput', modelId: 'heart', input: 'cp', text: '2' },
      { kind: 'note', text: 'chest pain since morning' },
    ]);
    expect(s.vitals).toEqual({ heartRate: '88' });
    expect(s.riskTexts).toEqual({ heart: { chol: '240', cp: '2' } });
    expect(s.note).toBe('chest pain since morning');
    expect(emptyCaseForm.vitals).toEqual({});
  });

  it('withdraws the differential for every change but the note (it does not feed the model)', () => {
    expect(changesModelInputs({ kind: 'note', text: 'x' })).toBe(false);
    expect(changesModelInputs({ kind: 'vital', code: 'heartRate', text: '90' })).toBe(true);
    expect(changesModelInputs({ kind: 'observations', value: {} })).toBe(true);
    expect(changesModelInputs({ kind: 'removeLab', key: 1 })).toBe(true);
  });
});
