import { describe, expect, it } from 'vitest';

import { aStageFromAcr, aStageFromDipstick, ckdEpi2021, gStage } from './egfr';
import { creatinineUmolLToMgDl, fahrenheitToCelsius, glucoseMgDlToMmolL, glucoseMmolLToMgDl, toCatalogueUnit } from './units';

describe('eGFR CKD-EPI 2021 (Inker et al., NEJM 2021)', () => {
  it('the value the National Kidney Foundation calculator gives (as quoted publicly): man 55, creatinine 1.2 mg/dL → 71 (G2)', () => {
    expect(ckdEpi2021(1.2, 55, 'male')).toMatchObject({ egfr: 71, gStage: 'G2' });
  });

  it('at creatinine = κ both creatinine terms are 1: eGFR = 142 × 0.9938^age (× 1.012 female)', () => {
    expect(ckdEpi2021(0.9, 40, 'male')!.egfrExact).toBeCloseTo(142 * 0.9938 ** 40, 9);
    expect(ckdEpi2021(0.7, 40, 'female')!.egfrExact).toBeCloseTo(142 * 0.9938 ** 40 * 1.012, 9);
    expect(ckdEpi2021(0.7, 40, 'female')!.egfr).toBe(112);
  });

  it('the exponents of the paper: −0.241/−0.302 below κ, −1.200 above', () => {
    const f = ckdEpi2021(0.35, 30, 'female')!.egfrExact / ckdEpi2021(0.7, 30, 'female')!.egfrExact;
    expect(f).toBeCloseTo(0.5 ** -0.241, 9);
    const m = ckdEpi2021(1.8, 30, 'male')!.egfrExact / ckdEpi2021(0.9, 30, 'male')!.egfrExact;
    expect(m).toBeCloseTo(2 ** -1.2, 9);
    const mLow = ckdEpi2021(0.45, 30, 'male')!.egfrExact / ckdEpi2021(0.9, 30, 'male')!.egfrExact;
    expect(mLow).toBeCloseTo(0.5 ** -0.302, 9);
  });

  it('values computed by hand from the published equation: woman 50 creatinine 1.0 → 69 (G2); man 60 creatinine 3.0 → 23 (G4); man 70 creatinine 6.0 → 9 (G5)', () => {
    expect(ckdEpi2021(1.0, 50, 'female')).toMatchObject({ egfr: 69, gStage: 'G2' });
    expect(ckdEpi2021(3.0, 60, 'male')).toMatchObject({ egfr: 23, gStage: 'G4' });
    expect(ckdEpi2021(6.0, 70, 'male')).toMatchObject({ egfr: 9, gStage: 'G5' });
  });

  it('falls as creatinine rises (every step of a 0.3–15 mg/dL sweep)', () => {
    for (const sex of ['female', 'male'] as const) {
      let prev = Infinity;
      for (let scr = 0.3; scr <= 15; scr += 0.05) {
        const e = ckdEpi2021(scr, 45, sex)!.egfrExact;
        expect(e).toBeLessThan(prev);
        prev = e;
      }
    }
  });

  it('creatinine 3 mg/dL is G3b or worse at every adult age (an 18-year-old man: 30), G4 or worse from 40', () => {
    expect(ckdEpi2021(3, 18, 'male')).toMatchObject({ egfr: 30, gStage: 'G3b' });
    for (const age of [18, 30, 40, 50, 70, 90]) {
      for (const sex of ['female', 'male'] as const) {
        expect(ckdEpi2021(3, age, sex)!.egfr).toBeLessThan(45);
        if (age >= 40) expect(['G4', 'G5']).toContain(ckdEpi2021(3, age, sex)!.gStage);
      }
    }
  });

  it('null outside its scope: a child, unknown sex, non-positive creatinine', () => {
    expect(ckdEpi2021(0.5, 10, 'male')).toBeNull();
    expect(ckdEpi2021(1, 40, null)).toBeNull();
    expect(ckdEpi2021(0, 40, 'female')).toBeNull();
    expect(ckdEpi2021(Number.NaN, 40, 'female')).toBeNull();
  });
});

describe('KDIGO categories', () => {
  it.each([
    [120, 'G1'],
    [90, 'G1'],
    [89, 'G2'],
    [60, 'G2'],
    [59, 'G3a'],
    [45, 'G3a'],
    [44, 'G3b'],
    [30, 'G3b'],
    [29, 'G4'],
    [15, 'G4'],
    [14, 'G5'],
    [3, 'G5'],
  ] as const)('eGFR %s → %s', (e, g) => expect(gStage(e)).toBe(g));

  it.each([
    [5, 'A1'],
    [29.9, 'A1'],
    [30, 'A2'],
    [300, 'A2'],
    [300.1, 'A3'],
    [2000, 'A3'],
  ] as const)('ACR %s mg/g → %s', (acr, a) => expect(aStageFromAcr(acr)).toBe(a));

  it('a dipstick grade maps only roughly, and says so', () => {
    expect(aStageFromDipstick('negative')).toMatchObject({ aStage: 'A1', approximate: true });
    expect(aStageFromDipstick('trace').aStage).toBe('A1');
    expect(aStageFromDipstick('1+').aStage).toBe('A2');
    expect(aStageFromDipstick('2+').aStage).toBe('A3');
    expect(aStageFromDipstick('4+').note).toMatch(/roughly.*albumin-to-creatinine/);
  });
});

describe('unit conversions', () => {
  it('glucose: 3.0 mmol/L ≈ 54 mg/dL, 10 mmol/L ≈ 180 mg/dL, and back', () => {
    expect(glucoseMmolLToMgDl(3.0)).toBeCloseTo(54.05, 2);
    expect(glucoseMmolLToMgDl(10)).toBeCloseTo(180.16, 2);
    expect(glucoseMgDlToMmolL(glucoseMmolLToMgDl(7.3))).toBeCloseTo(7.3, 12);
  });
  it('creatinine 88.42 µmol/L = 1 mg/dL; temperature 98.6 °F = 37 °C', () => {
    expect(creatinineUmolLToMgDl(88.42)).toBeCloseTo(1, 12);
    expect(creatinineUmolLToMgDl(265)).toBeCloseTo(3.0, 1);
    expect(fahrenheitToCelsius(98.6)).toBeCloseTo(37, 12);
    expect(fahrenheitToCelsius(104)).toBeCloseTo(40, 12);
  });
  it('toCatalogueUnit converts what it knows and refuses the rest', () => {
    expect(toCatalogueUnit('2345-7', 2.5, 'mmol/L', 'mg/dL')).toBeCloseTo(45.04, 2);
    expect(toCatalogueUnit('2345-7', 182, 'mg/dL', 'mg/dL')).toBe(182);
    expect(toCatalogueUnit('2160-0', 265, 'µmol/L', 'mg/dL')).toBeCloseTo(2.997, 3);
    expect(toCatalogueUnit('2160-0', 265, 'umol/L', 'mg/dL')).toBeCloseTo(2.997, 3);
    expect(toCatalogueUnit('2823-3', 5, 'mg/dL', 'mmol/L')).toBeNull();
  });
});
