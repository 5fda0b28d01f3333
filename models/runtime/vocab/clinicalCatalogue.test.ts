import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { parseCsvRecords } from '../common/csv';
import { resolveDataDir } from '../common/paths';
import {
  auditedNormalRange,
  buildCatalogue,
  convert,
  csvNumber,
  parseRangeText,
  pickRow,
  RANGE_TEXT_RESOLUTIONS,
  rangeTextDisagreements,
  UNIT_ALIASES,
  WANTED_LABS,
  WANTED_VITALS,
  type CsvRow,
  type Provenance,
} from './catalogueSpec';
import { checkPlausible, classifyValue, ImplausibleValueError, loadClinicalCatalogue } from './clinicalCatalogue';
import { vitalCodes, type LabDefinition, type VitalDefinition } from './clinicalTypes';

const hr: VitalDefinition = {
  code: 'heartRate',
  loinc: '8867-4',
  unit: '/min',
  normalLow: 60,
  normalHigh: 100,
  criticalLow: 40,
  criticalHigh: 130,
  plausibleMin: 20,
  plausibleMax: 300,
};
const sodium: LabDefinition = {
  loinc: '2951-2',
  name: 'Sodium',
  unit: 'mmol/L',
  normalLow: 136,
  normalHigh: 145,
  criticalLow: null,
  criticalHigh: null,
  plausibleMin: 90,
  plausibleMax: 200,
};

describe('classifyValue', () => {
  it.each([
    [39.9, 'critical-low'],
    [40, 'low'],
    [59.9, 'low'],
    [60, 'normal'],
    [100, 'normal'],
    [100.1, 'high'],
    [130, 'high'],
    [130.1, 'critical-high'],
  ] as const)('heart rate %s → %s', (v, flag) => {
    expect(classifyValue(hr, v)).toBe(flag);
  });

  it('null limits never flag', () => {
    expect(classifyValue(sodium, 100)).toBe('low');
    expect(classifyValue(sodium, 190)).toBe('high');
    expect(classifyValue({ ...sodium, normalLow: null }, 100)).toBe('normal');
  });

  it('critical limit equal to the normal limit: below it is critical', () => {
    const sbp = { ...hr, normalLow: 90, criticalLow: 90 };
    expect(classifyValue(sbp, 90)).toBe('normal');
    expect(classifyValue(sbp, 89)).toBe('critical-low');
  });

  it('refuses non-finite values', () => {
    expect(() => classifyValue(hr, Number.NaN)).toThrow(RangeError);
  });
});

describe('checkPlausible', () => {
  it('accepts the limits themselves', () => {
    expect(() => checkPlausible(hr, 20)).not.toThrow();
    expect(() => checkPlausible(hr, 300)).not.toThrow();
  });

  it('throws ImplausibleValueError with field, code, value and limits', () => {
    let err: unknown;
    try {
      checkPlausible(hr, 720, 'vitals.heartRate');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImplausibleValueError);
    const e = err as ImplausibleValueError;
    expect(e).toMatchObject({
      field: 'vitals.heartRate',
      code: 'VALUE_OUT_OF_RANGE',
      valueCode: 'heartRate',
      value: 720,
      plausibleMin: 20,
      plausibleMax: 300,
      unit: '/min',
    });
    expect(e.message).toContain('720');
    expect(e.message).toContain('20–300');

    const lab = (() => {
      try {
        checkPlausible(sodium, 14);
      } catch (x) {
        return x as ImplausibleValueError;
      }
      return undefined;
    })();
    expect(lab?.field).toBe('labs.2951-2');
    expect(lab?.message).toContain('Sodium');
    expect(() => checkPlausible(sodium, Number.POSITIVE_INFINITY)).toThrow(ImplausibleValueError);
    expect(() => checkPlausible(sodium, Number.NaN)).toThrow(ImplausibleValueError);
  });
});

describe('committed clinicalCatalogue.json', () => {
  const cat = loadClinicalCatalogue();

  it('has every vital code once and ~20–25 labs', () => {
    expect(cat.vitals.map((v) => v.code).sort()).toEqual([...vitalCodes].sort());
    expect(cat.labs.length).toBeGreaterThanOrEqual(20);
    expect(new Set(cat.labs.map((l) => l.loinc)).size).toBe(cat.labs.length);
  });

  it('ranges are ordered and inside the plausible limits (a normalLow of 0 means "no lower limit")', () => {
    for (const d of [...cat.vitals, ...cat.labs]) {
      const lims = [d.criticalLow, d.normalLow === 0 ? null : d.normalLow, d.normalHigh, d.criticalHigh].filter((x): x is number => x !== null);
      for (let i = 1; i < lims.length; i++) expect(lims[i]).toBeGreaterThanOrEqual(lims[i - 1]!);
      for (const x of lims) {
        expect(x).toBeGreaterThanOrEqual(d.plausibleMin);
        expect(x).toBeLessThanOrEqual(d.plausibleMax);
      }
    }
  });

  it('temperature is in °C and weight in kg', () => {
    const t = cat.vitals.find((v) => v.code === 'temperature')!;
    expect(t.unit).toBe('°C');
    expect(t.normalLow).toBeGreaterThan(35);
    expect(t.normalHigh).toBeLessThan(38.5);
    expect(cat.vitals.find((v) => v.code === 'weight')!.unit).toBe('kg');
  });
});

const csvFile = path.join(resolveDataDir(__dirname), 'vocab', 'lab-reference-ranges.csv');
const hasCsv = fs.existsSync(csvFile);

describe.skipIf(!hasCsv)('catalogue figures match the CSV (needs ../shared/data)', () => {
  const rows = hasCsv ? (parseCsvRecords(fs.readFileSync(csvFile, 'utf8')).records as unknown as CsvRow[]) : [];
  const json = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'artefacts', 'vocab', 'clinicalCatalogue.json'), 'utf8')) as {
    vitals: VitalDefinition[];
    labs: LabDefinition[];
    provenance: unknown;
  };

  it('every lab number is the CSV row’s number (null where the CSV is empty), the normal range as audited against its range text', () => {
    for (const lab of json.labs) {
      const r = pickRow(rows, lab.loinc);
      expect(r, lab.loinc).toBeDefined();
      // Critical limits come from this row, or — where it has none — from the row named in borrowCritical.
      const borrow = WANTED_LABS.find((w) => w.loinc === lab.loinc)?.borrowCritical;
      const b = borrow ? pickRow(rows, borrow.loinc) : undefined;
      const audited = auditedNormalRange(r!, lab.loinc);
      expect([lab.normalLow, lab.normalHigh, lab.criticalLow, lab.criticalHigh]).toEqual([
        audited.normalLow,
        audited.normalHigh,
        csvNumber(r!.danger_low) ?? (b ? csvNumber(b.danger_low) : null),
        csvNumber(r!.danger_high) ?? (b ? csvNumber(b.danger_high) : null),
      ]);
      const raw = [r!.units_normRange.trim(), r!.UNITS_DISPLAY.trim()];
      expect([...raw, ...raw.map((u) => UNIT_ALIASES[u])]).toContain(lab.unit);
    }
    expect(json.labs.map((l) => l.loinc)).toEqual(WANTED_LABS.map((w) => w.loinc).filter((c) => pickRow(rows, c)));
  });

  it('every figure agrees with its source row’s range text, or its disagreement is resolved and listed', () => {
    const rangeOf = (text: string) => parseRangeText(text);
    const disagreements: string[] = [];
    for (const lab of json.labs) {
      const r = pickRow(rows, lab.loinc)!;
      const text = rangeOf(r.norm_range);
      if (text === null) continue;
      for (const [field, fromText] of [
        ['normalLow', text.low],
        ['normalHigh', text.high],
      ] as const) {
        const res = RANGE_TEXT_RESOLUTIONS.find((x) => x.loinc === lab.loinc && x.field === field);
        const expected = res?.use === 'csvNumber' ? res.csvNumber : fromText;
        if (lab[field] !== expected) disagreements.push(`${lab.loinc} ${field}: catalogue ${String(lab[field])}, range text "${r.norm_range}"`);
      }
    }
    for (const w of WANTED_VITALS) {
      const r = pickRow(rows, w.loinc);
      const text = r ? rangeOf(r.norm_range) : null;
      if (text === null) continue;
      const def = json.vitals.find((v) => v.code === w.code)!;
      for (const [field, fromText] of [
        ['normalLow', text.low],
        ['normalHigh', text.high],
      ] as const) {
        if (w.authored[field] === undefined && def[field] !== convert(fromText, w.conversion))
          disagreements.push(`${w.code} ${field}: catalogue ${def[field]}, range text "${r!.norm_range}"`);
      }
    }
    expect(disagreements).toEqual([]);
    // Every disagreement in a row we use is one the spec resolves, and every resolution still applies.
    const used = [...json.labs.map((l) => l.loinc), ...WANTED_VITALS.map((v) => v.loinc)];
    const found = used.flatMap((c) => (pickRow(rows, c) ? rangeTextDisagreements(pickRow(rows, c)!) : []));
    expect(found.map((d) => `${d.loinc} ${d.field}`).sort()).toEqual(RANGE_TEXT_RESOLUTIONS.map((x) => `${x.loinc} ${x.field}`).sort());
  });

  it('vital figures from the CSV (converted where needed)', () => {
    const hrRow = pickRow(rows, '8867-4')!;
    const hrDef = json.vitals.find((v) => v.code === 'heartRate')!;
    expect([hrDef.normalLow, hrDef.normalHigh, hrDef.criticalLow, hrDef.criticalHigh]).toEqual(
      [hrRow.norm_low, hrRow.norm_high, hrRow.danger_low, hrRow.danger_high].map(csvNumber),
    );
    const tRow = pickRow(rows, '8310-5')!;
    const tDef = json.vitals.find((v) => v.code === 'temperature')!;
    expect(tDef.normalLow).toBeCloseTo(((csvNumber(tRow.norm_low)! - 32) * 5) / 9, 1);
    expect(tDef.normalHigh).toBeCloseTo(((csvNumber(tRow.norm_high)! - 32) * 5) / 9, 1);
  });

  it('borrows the whole-blood critical limits for serum sodium, potassium, glucose, chloride, bicarbonate', () => {
    const lab = (code: string) => json.labs.find((l) => l.loinc === code)!;
    expect([lab('2823-3').criticalLow, lab('2823-3').criticalHigh]).toEqual([2.5, 6]);
    expect([lab('2951-2').criticalLow, lab('2951-2').criticalHigh]).toEqual([115, 160]);
    expect([lab('2345-7').criticalLow, lab('2345-7').criticalHigh]).toEqual([39, 500]);
    expect([lab('2075-0').criticalLow, lab('2075-0').criticalHigh]).toEqual([70, 120]);
    expect(lab('2160-0').criticalHigh).toBeNull(); // creatinine: no row has critical limits
    const prov = json.provenance as Record<string, { borrowed?: { loinc: string; fields: string[] } }>;
    expect(prov['labs.2823-3']!.borrowed).toMatchObject({ loinc: '6298-4', fields: ['criticalLow', 'criticalHigh'] });
  });

  it('rebuilding from the CSV gives exactly the committed JSON', () => {
    const built = buildCatalogue(rows);
    expect(built.vitals).toEqual(json.vitals);
    expect(built.labs).toEqual(json.labs);
    expect(built.provenance).toEqual(json.provenance);
  });
});

describe('range-text audit (committed catalogue and spec alone)', () => {
  const json = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'artefacts', 'vocab', 'clinicalCatalogue.json'), 'utf8')) as {
    vitals: VitalDefinition[];
    labs: LabDefinition[];
    provenance: Record<string, Provenance>;
  };

  it('troponin I reads 0–0.04 ng/mL, as its source row’s range text says', () => {
    const trop = json.labs.find((l) => l.loinc === '10839-9')!;
    expect([trop.normalLow, trop.normalHigh, trop.unit]).toEqual([0, 0.04, 'ng/mL']);
    expect(json.provenance['labs.10839-9']!.csvRangeText).toBe('0 - 0.04');
  });

  it('every committed normal range equals the range text recorded beside it, unless a listed resolution says otherwise', () => {
    const checked: string[] = [];
    const check = (key: string, def: { normalLow: number | null; normalHigh: number | null }, conv: (v: number) => number | null) => {
      const prov = json.provenance[key]!;
      const text = parseRangeText(prov.csvRangeText);
      if (text === null) return;
      for (const [field, fromText] of [
        ['normalLow', text.low],
        ['normalHigh', text.high],
      ] as const) {
        const res = prov.rangeTextResolutions?.find((x) => x.field === field);
        expect(def[field], `${key} ${field} vs "${prov.csvRangeText}"`).toBe(res ? res.used : conv(fromText));
        if (res) expect(RANGE_TEXT_RESOLUTIONS.some((x) => `labs.${x.loinc}` === key || `vitals.${x.loinc}` === key)).toBe(true);
      }
      checked.push(key);
    };
    for (const lab of json.labs) check(`labs.${lab.loinc}`, lab, (v) => v);
    for (const v of json.vitals) {
      const w = WANTED_VITALS.find((x) => x.code === v.code)!;
      check(`vitals.${v.code}`, v, (x) => convert(x, w.conversion));
    }
    expect(checked.length).toBeGreaterThanOrEqual(json.labs.length);
  });

  it('the build refuses a row whose numbers disagree with its range text unless the disagreement is resolved', () => {
    const row = (loinc: string, text: string, low: string, high: string): CsvRow => ({
      LOINC_MERGED: loinc,
      LONG_COMMON_NAME_LOINC: 'x',
      units_normRange: 'ng/mL',
      norm_range: text,
      norm_low: low,
      norm_high: high,
      danger_low: '',
      danger_high: '',
      UNITS_DISPLAY: 'ng/mL',
    });
    expect(() => auditedNormalRange(row('10839-9', '0 - 0.04', '0', '0.5'), '10839-9')).toThrow(/range text "0 - 0.04" says 0.04/);
    expect(() => auditedNormalRange(row('718-7', '12.0-16.0', '12', '15'), '718-7')).toThrow(/RANGE_TEXT_RESOLUTIONS/);
    expect(auditedNormalRange(row('10839-9', '0 - 0.04', '0', '0.4'), '10839-9')).toMatchObject({ normalLow: 0, normalHigh: 0.04 });
    // A listed resolution the row no longer needs is an error too (the CSV changed: review again).
    expect(() => auditedNormalRange(row('10839-9', '0 - 0.04', '0', '0.04'), '10839-9')).toThrow(/no longer disagrees/);
    expect(auditedNormalRange(row('718-7', '12.0-16.0', '12', '16'), '718-7')).toMatchObject({ normalLow: 12, normalHigh: 16, applied: [] });
    expect(parseRangeText('70 -140')).toEqual({ low: 70, high: 140 });
    expect(parseRangeText('')).toBeNull();
    expect(parseRangeText('<5')).toBeNull();
  });
});

describe('critical limits in the committed catalogue', () => {
  const cat = loadClinicalCatalogue();
  const lab = (code: string) => cat.labs.find((l) => l.loinc === code)!;

  it('a serum potassium of 7.0 is critical-high, 2.4 critical-low, 6.0 only high', () => {
    expect(classifyValue(lab('2823-3'), 7.0)).toBe('critical-high');
    expect(classifyValue(lab('2823-3'), 2.4)).toBe('critical-low');
    expect(classifyValue(lab('2823-3'), 6.0)).toBe('high');
  });

  it('sodium 112 and glucose 600 are critical', () => {
    expect(classifyValue(lab('2951-2'), 112)).toBe('critical-low');
    expect(classifyValue(lab('2345-7'), 600)).toBe('critical-high');
  });
});
