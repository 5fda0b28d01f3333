import { describe, expect, it } from 'vitest';
import type { SubstanceDefinition } from '../../electron/contract/ipcContract';
import { entryName, matchSubstance, toEntryInput } from './patientLists';

const atc = 'http://www.whocc.no/atc';
const substances: SubstanceDefinition[] = [
  { code: 'J01C', system: atc, name: 'Penicillins', nameZh: '青霉素类' },
  { code: 'A10BA02', system: atc, name: 'Metformin', nameZh: '二甲双胍' },
];

describe('patient lists in the renderer', () => {
  it('matches a typed name in either language, any case or width, or the ATC code; anything else is free text', () => {
    expect(matchSubstance(' penicillins ', substances)?.code).toBe('J01C');
    expect(matchSubstance('二甲双胍', substances)?.code).toBe('A10BA02');
    expect(matchSubstance('ＭＥＴＦＯＲＭＩＮ', substances)?.code).toBe('A10BA02');
    expect(matchSubstance('a10ba02', substances)?.code).toBe('A10BA02');
    expect(matchSubstance('Peanuts', substances)).toBeUndefined();
    expect(toEntryInput({ text: 'Metformin', note: ' 500 mg bd ' }, substances)).toEqual({ code: 'A10BA02', note: '500 mg bd' });
    expect(toEntryInput({ text: ' Peanuts ', note: '' }, substances)).toEqual({ code: null, text: 'Peanuts' });
  });

  it('names a coded entry in the chosen language and free text as typed', () => {
    const coded = { code: 'J01C', system: atc, display: 'Penicillins' };
    expect(entryName(coded, substances, 'zh-CN')).toBe('青霉素类');
    expect(entryName(coded, substances, 'en')).toBe('Penicillins');
    expect(entryName({ code: null, system: null, display: '花生' }, substances, 'en')).toBe('花生');
  });
});
