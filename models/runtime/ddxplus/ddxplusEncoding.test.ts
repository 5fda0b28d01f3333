import { describe, expect, it } from 'vitest';

import { mulberry32 } from '../common/rng';
import { maskRecord, type DdxRecord } from '../../training/ddxplusData';
import { DdxEncoder, DdxInputError, EVIDENCES_FORMAT, UNKNOWN, validateEvidencesFile, type EvidencesFile } from './ddxplusEncoding';

/** A hand-made release: yes/no, a 0–10 scale, a V_-coded choice, a multiple choice with a parent. */
const FILE: EvidencesFile = {
  format: EVIDENCES_FORMAT,
  source: 'test',
  evidences: [
    { name: 'E_53', type: 'binary', antecedent: false, question: { en: 'Pain related to the consultation?', fr: 'Douleur?' } },
    {
      name: 'E_55',
      type: 'multi',
      parent: 'E_53',
      antecedent: false,
      question: { en: 'Where is the pain?', fr: 'Où?' },
      values: ['V_123', 'V_29', 'V_101', 'V_7'],
      valueLabels: [{ en: 'nowhere', fr: 'nulle part' }, { en: 'chest', fr: 'thorax' }, { en: 'forehead', fr: 'front' }, null],
      defaultValue: 'V_123',
      columnOptions: ['V_123', 'V_29', 'V_101'],
    },
    {
      name: 'E_56',
      type: 'categorical',
      parent: 'E_53',
      antecedent: false,
      question: { en: 'How intense?', fr: 'Intensité?' },
      values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      defaultValue: 0,
    },
    { name: 'E_91', type: 'binary', antecedent: false, question: { en: 'Fever?', fr: 'Fièvre?' } },
    {
      name: 'E_204',
      type: 'categorical',
      antecedent: true,
      question: { en: 'Travel?', fr: 'Voyage?' },
      values: ['V_10', 'V_0', 'V_1'],
      valueLabels: [
        { en: 'N', fr: 'N' },
        { en: 'North Africa', fr: 'Afrique du Nord' },
        { en: 'West Africa', fr: "Afrique de l'Ouest" },
      ],
      defaultValue: 'V_10',
    },
  ],
};

const enc = new DdxEncoder(validateEvidencesFile(FILE));

describe('DDXPlus encoding', () => {
  it('lays out age, sex, one column per yes/no and categorical evidence, one per multiple-choice option', () => {
    expect(enc.columns).toEqual(['AGE', 'SEX', 'E_53', 'E_55@V_123', 'E_55@V_29', 'E_55@V_101', 'E_56', 'E_91', 'E_204']);
  });

  it('round-trips every evidence type, present, absent and unknown differing', () => {
    const cases = [
      { patient: { ageYears: 54, sex: 'male' as const }, features: { E_53: 1, E_55: ['V_101', 'V_29'], E_56: 7, E_91: 0, E_204: 'V_1' } },
      { patient: { ageYears: 0, sex: 'female' as const }, features: { E_91: 1 } },
      { patient: {}, features: {} },
    ];
    for (const c of cases) {
      const f = enc.normalise(c.features);
      const x = enc.encode(c.patient, f);
      expect(enc.decode(x)).toEqual({ patient: c.patient, features: f });
    }
    const x = enc.encode({ ageYears: 54, sex: 'male' }, enc.normalise(cases[0]!.features));
    expect(Array.from(x)).toEqual([54, 1, 1, 0, 1, 1, 7, 0, 2]);
    const unknown = enc.encode({}, {});
    expect(Array.from(unknown).every((v) => v === UNKNOWN)).toBe(true);
    // yes, no and unknown are three different column values
    expect(new Set([enc.encode({}, { E_91: 1 })[7], enc.encode({}, { E_91: 0 })[7], unknown[7]]).size).toBe(3);
  });

  it('an absent parent makes its follow-ups known at the release default; an answered follow-up implies the parent', () => {
    expect(enc.normalise({ E_53: 0 })).toEqual({ E_53: 0, E_55: ['V_123'], E_56: 0 });
    expect(enc.normalise({ E_56: 7 })).toEqual({ E_53: 1, E_56: 7 });
    expect(() => enc.normalise({ E_53: 0, E_56: 7 })).toThrow(DdxInputError);
  });

  it('rejects bad answers naming the field', () => {
    const field = (f: unknown): string => {
      try {
        enc.normalise(f);
      } catch (e) {
        return (e as DdxInputError).field;
      }
      return 'accepted';
    };
    expect(field({ E_91: 2 })).toBe('features.E_91');
    expect(field({ E_56: 11 })).toBe('features.E_56');
    expect(field({ E_204: 'V_99' })).toBe('features.E_204');
    expect(field({ E_55: 'V_29' })).toBe('features.E_55');
    expect(field({ E_55: ['V_29', 'V_999'] })).toBe('features.E_55');
    expect(field({ E_999: 1 })).toBe('features.E_999');
    expect(field([])).toBe('features');
    expect(() => enc.normalisePatient({ ageYears: 200 })).toThrow(/ageYears/);
    expect(() => enc.normalisePatient({ sex: 'F' })).toThrow(/sex/);
  });

  it('completes a record the way the release does (unlisted = absent or default)', () => {
    expect(enc.completeRecord(['E_53', 'E_55_@_V_29', 'E_56_@_4'])).toEqual({ E_53: 1, E_55: ['V_29'], E_56: 4, E_91: 0, E_204: 'V_10' });
  });

  it('masks like an interview: age, sex and the initial complaint kept, follow-ups unknown with their parent', () => {
    const record: DdxRecord = {
      row: 0,
      age: 40,
      sex: 'female',
      pathology: 'x',
      evidences: ['E_53', 'E_55_@_V_29', 'E_56_@_4', 'E_91'],
      initialEvidence: 'E_91',
      differential: [],
      source: 'test',
    };
    const complete = enc.completeRecord(record.evidences);
    const rng = mulberry32(1);
    let sawParentUnknown = 0;
    for (let i = 0; i < 200; i++) {
      const m = maskRecord(enc, record, complete, 0.5, () => 0.5, rng);
      expect(m['E_91']).toBe(1);
      for (const [k, v] of Object.entries(m)) expect(v).toEqual(complete[k]);
      if (m['E_53'] === undefined) {
        sawParentUnknown++;
        expect(m['E_55']).toBeUndefined();
        expect(m['E_56']).toBeUndefined();
      }
    }
    expect(sawParentUnknown).toBeGreaterThan(50);
    const none = maskRecord(enc, record, complete, 0, () => 0, rng);
    expect(none).toEqual({ E_91: 1 });
    const all = maskRecord(enc, record, complete, 1, () => 1, rng);
    expect(all).toEqual(complete);
  });
});
