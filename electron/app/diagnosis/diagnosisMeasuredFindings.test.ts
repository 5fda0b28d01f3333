/**
 * Vitals and labs enter the symptom differential where they settle a finding (models/runtime/forest/
 * measuredFindings.ts): marked as from a measurement, never as entered, and a can't-miss condition
 * whose hallmark a measurement contradicts now carries a note naming the value.
 */
import { describe, expect, it } from 'vitest';
import { loadModelRegistry } from '../../../models/runtime/registry';
import { loadClinicalCatalogue } from '../../../models/runtime/vocab/clinicalCatalogue';
import type { CaseInput, Differential } from '../../contract/ipcContract';
import { assessCase, inputSnapshot, runDifferential, type ClinicalModels } from './diagnosisService';

const models: ClinicalModels = { registry: loadModelRegistry(), catalogue: loadClinicalCatalogue() };
const adult = { birthDate: '1980-01-01', sex: 'female' as const };
const assess = (input: Partial<CaseInput>) =>
  assessCase(models, { findings: {}, modelInputs: {}, vitals: [], labs: [], note: '', ...input }, adult, new Date('2026-01-01T00:00:00Z'));
const run = (input: Partial<CaseInput>): Differential => runDifferential(models, assess(input));
const probabilityOf = (d: Differential, label: string) => d.items.find((i) => i.label === label)?.probability ?? 0;

describe('measured vitals and labs in the differential', () => {
  const malaria: CaseInput['findings'] = { chills: 'present', vomiting: 'present', sweating: 'present', headache: 'present' };

  it('a temperature of 39.4 °C counts as high fever, from the measurement, not as entered', () => {
    const assessed = assess({ findings: malaria, vitals: [{ code: 'temperature', value: 39.4 }] });
    expect(assessed.features['high_fever']).toBe(1);
    expect(assessed.findings['high_fever']).toBeUndefined();
    expect(inputSnapshot(assessed).measuredFindings).toEqual([
      { feature: 'high_fever', state: 'present', measured: 'temperature 39.4 °C', rule: 'temperature ≥ 39.0 °C', applied: true },
    ]);
    const d = runDifferential(models, assessed);
    expect(d.measuredFindings).toHaveLength(1);
    // The measured fever moves the differential as an entered one would (fever diseases up).
    const fevers = (x: Differential) => ['Malaria', 'Dengue', 'Typhoid'].reduce((sum, l) => sum + probabilityOf(x, l), 0);
    const thin: CaseInput['findings'] = { sweating: 'present', muscle_pain: 'present' };
    const withTemp = run({ findings: thin, vitals: [{ code: 'temperature', value: 39.4 }] });
    expect(fevers(withTemp)).toBeGreaterThan(fevers(run({ findings: thin })));
    expect(fevers(withTemp)).toBeCloseTo(fevers(run({ findings: { ...thin, high_fever: 'present' } })), 12);
    const shown = d.items.flatMap((i) => i.contributions).filter((c) => c.feature === 'high_fever');
    expect(shown.length).toBeGreaterThan(0);
    for (const c of shown) expect(c).toMatchObject({ state: 'present', fromMeasurement: 'temperature 39.4 °C' });
  });

  it("the clinician's 'absent' stands against a measurement, which is listed as not applied", () => {
    const assessed = assess({ findings: { ...malaria, high_fever: 'absent' }, vitals: [{ code: 'temperature', value: 39.4 }] });
    expect(assessed.features['high_fever']).toBe(0);
    expect(assessed.measuredFindings).toEqual([expect.objectContaining({ feature: 'high_fever', applied: false })]);
  });

  it("typhoid stays can't-miss with a normal temperature now, with a note naming it", () => {
    const typhoid: CaseInput['findings'] = {
      chills: 'present',
      fatigue: 'present',
      constipation: 'present',
      abdominal_pain: 'present',
      'toxic_look_(typhos)': 'present',
    };
    const item = run({ findings: typhoid, vitals: [{ code: 'temperature', value: 36.8 }] }).items.find((i) => i.label === 'Typhoid');
    expect(item).toMatchObject({ cantMiss: true, cantMissNote: expect.stringContaining('36.8 °C') });
    expect(run({ findings: typhoid }).items.find((i) => i.label === 'Typhoid')?.cantMissNote).toBeUndefined();
  });
});
