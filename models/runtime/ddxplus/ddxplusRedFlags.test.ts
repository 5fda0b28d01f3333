import { describe, expect, it } from 'vitest';

import { loadClinicalCatalogue } from '../vocab/clinicalCatalogue';
import { triage } from '../rules/triage';
import { ruleFindingsOfAnswers } from './ddxplusRedFlags';

const catalogue = loadClinicalCatalogue();
const flags = (answers: Record<string, number | string | string[]>) =>
  triage({ vitals: {}, findings: ruleFindingsOfAnswers(answers) }, catalogue).flags.map((f) => f.code);

describe('DDXPlus answers read as red-flag findings', () => {
  it('chest pain from the pain location or pain at rest; absent only when the answers say so', () => {
    expect(ruleFindingsOfAnswers({ E_53: 1, E_55: ['V_101'] }).chest_pain).toBe('present');
    expect(ruleFindingsOfAnswers({ E_14: 1 }).chest_pain).toBe('present');
    expect(ruleFindingsOfAnswers({ E_53: 0 }).chest_pain).toBe('absent');
    expect(ruleFindingsOfAnswers({ E_53: 1, E_55: ['V_62'], E_14: 0 }).chest_pain).toBe('absent');
    // Pain somewhere, location not asked yet: unknown, not absent.
    expect(ruleFindingsOfAnswers({ E_53: 1 }).chest_pain).toBe('unknown');
  });

  it('yes is present, no is absent, unanswered is unknown', () => {
    expect(ruleFindingsOfAnswers({ E_66: 1, E_50: 0 })).toMatchObject({ breathlessness: 'present', sweating: 'absent', nausea: 'unknown', syncope: 'unknown' });
  });

  it('chest pain with shortness of breath raises ACS red flags; with syncope also the syncope flag', () => {
    expect(flags({ E_53: 1, E_55: ['V_29'], E_66: 1 })).toEqual(['ACS_RED_FLAGS']);
    expect(flags({ E_53: 1, E_55: ['V_29'], E_66: 1, E_159: 1 })).toEqual(['ACS_RED_FLAGS', 'SYNCOPE_RED_FLAGS']);
    expect(flags({ E_156: 1 })).toEqual(['STROKE_FAST']);
  });

  it('no flag from a headache with the associated features answered no, or from nothing asked', () => {
    expect(flags({ E_53: 1, E_55: ['V_62'], E_14: 0, E_66: 0, E_50: 0 })).toEqual([]);
    expect(flags({})).toEqual([]);
  });
});
