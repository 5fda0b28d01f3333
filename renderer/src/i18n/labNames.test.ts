import { beforeAll, describe, expect, it } from 'vitest';
import chineseNames from '../../../models/artefacts/vocab/clinicalNames.zh-CN.json';
import { setChineseClinicalNames } from './clinicalNameTables';
import catalogue from '../../../models/artefacts/vocab/clinicalCatalogue.json';
import { displayUnit, localiseLab, localisedLabName } from './labNames';

describe('lab names and units for the reader', () => {
  beforeAll(() => setChineseClinicalNames(chineseNames));

  it('names every catalogue lab in Chinese', () => {
    const missing = catalogue.labs.filter((l) => !/[\u4e00-\u9fff]/.test(localisedLabName(l.loinc, l.name, 'zh-CN')));
    expect(missing.map((l) => l.name)).toEqual([]);
    expect(localisedLabName('718-7', 'Haemoglobin', 'en')).toBe('Haemoglobin');
  });

  it('prints UCUM units as people write them', () => {
    expect(displayUnit('10*3/uL')).toBe('×10³/µL');
    expect(displayUnit('mmol/L')).toBe('mmol/L');
    expect(displayUnit('U/L')).toBe('U/L');
    expect(displayUnit('ng/mL')).toBe('ng/mL');
    expect(localiseLab({ loinc: '26464-8', name: 'White cell count', unit: '10*3/uL' }, 'zh-CN')).toEqual({
      loinc: '26464-8',
      name: '白细胞计数',
      unit: '×10³/µL',
    });
  });
});
