import { describe, expect, it } from 'vitest';
import { normalVitals } from './testing/normalVitals';

import { loadClinicalCatalogue } from '../vocab/clinicalCatalogue';
import type { FindingState } from './redFlags';
import { triage, type TriageVitals } from './triage';

const catalogue = loadClinicalCatalogue();
const normal: TriageVitals = normalVitals;
const run = (vitals: TriageVitals, findings: Record<string, FindingState> = {}, labs: { loinc: string; value: number }[] = []) =>
  triage({ vitals, findings, labs }, catalogue);
const codes = (r: ReturnType<typeof run>) => r.flags.map((f) => f.code);

describe('SEPSIS_SUSPECTED', () => {
  it('qSOFA 2 raises it, naming the criteria and their values', () => {
    const r = run({ ...normal, respiratoryRate: 22, systolicBp: 100 });
    expect(r.qsofa?.score).toBe(2);
    const f = r.flags.find((x) => x.code === 'SEPSIS_SUSPECTED');
    expect(f).toMatchObject({ severity: 'critical' });
    expect(f!.reason).toContain('qSOFA 2');
    expect(f!.reason).toContain('respiratory rate 22/min');
    expect(f!.reason).toContain('systolic 100 mmHg');
  });

  it('qSOFA 1 alone does not', () => {
    expect(codes(run({ ...normal, respiratoryRate: 22 }))).not.toContain('SEPSIS_SUSPECTED');
  });

  it('NEWS2 5 with measured fever, reported fever or chills raises it; NEWS2 4 or no fever does not', () => {
    // RR 21 (2) + HR 111 (2) + temp 38.1 (1) = 5, qSOFA 0
    const five = { ...normal, respiratoryRate: 21, heartRate: 111, temperature: 38.1 };
    const r = run(five);
    expect(r.news2?.score).toBe(5);
    expect(r.qsofa?.score).toBe(0);
    expect(r.flags.find((f) => f.code === 'SEPSIS_SUSPECTED')?.reason).toContain('NEWS2 5 with temperature 38.1 °C');
    // Without fever: RR 21 (2) + HR 111 (2) + SBP 110 (1) = 5, temperature 37.
    const noFever = { ...normal, respiratoryRate: 21, heartRate: 111, systolicBp: 110 };
    expect(run(noFever).news2?.score).toBe(5);
    expect(codes(run(noFever))).not.toContain('SEPSIS_SUSPECTED');
    expect(codes(run(noFever, { chills: 'present' }))).toContain('SEPSIS_SUSPECTED');
    expect(run(noFever, { high_fever: 'present' }).flags.find((f) => f.code === 'SEPSIS_SUSPECTED')?.reason).toContain(
      'high_fever reported (temperature now 37 °C)',
    );
    expect(codes(run(noFever, { chills: 'absent', high_fever: 'unknown' }))).not.toContain('SEPSIS_SUSPECTED');
    // NEWS2 4 with fever: no
    expect(codes(run({ ...normal, respiratoryRate: 21, heartRate: 91, temperature: 38.1 }))).not.toContain('SEPSIS_SUSPECTED');
  });

  it('with vitals missing, neither score exists and the rule stays silent', () => {
    const r = run({ temperature: 39.5 }, { chills: 'present' });
    expect(r.news2).toBeNull();
    expect(r.qsofa).toBeNull();
    expect(codes(r)).not.toContain('SEPSIS_SUSPECTED');
  });
});

describe('MENINGITIS_RED_FLAGS', () => {
  it('fever with neck stiffness', () => {
    expect(codes(run(normal, { stiff_neck: 'present', high_fever: 'present' }))).toContain('MENINGITIS_RED_FLAGS');
    expect(codes(run({ ...normal, temperature: 38.4 }, { stiff_neck: 'present' }))).toContain('MENINGITIS_RED_FLAGS');
    expect(codes(run(normal, { stiff_neck: 'present' }))).not.toContain('MENINGITIS_RED_FLAGS');
    expect(codes(run(normal, { stiff_neck: 'absent', high_fever: 'present' }))).not.toContain('MENINGITIS_RED_FLAGS');
  });

  it('headache with neck stiffness and altered consciousness (measured ACVPU wins over the finding)', () => {
    const f = { stiff_neck: 'present', headache: 'present' } as const;
    expect(codes(run({ ...normal, consciousness: 'new-confusion' }, f))).toContain('MENINGITIS_RED_FLAGS');
    expect(codes(run({ ...normal, consciousness: undefined }, { ...f, altered_sensorium: 'present' }))).toContain('MENINGITIS_RED_FLAGS');
    // Measured alert: the finding does not override what was measured.
    expect(codes(run(normal, { ...f, altered_sensorium: 'present' }))).not.toContain('MENINGITIS_RED_FLAGS');
    expect(codes(run({ ...normal, consciousness: 'voice' }, { stiff_neck: 'present' }))).not.toContain('MENINGITIS_RED_FLAGS');
  });
});

describe('STROKE_FAST', () => {
  it.each(['weakness_of_one_body_side', 'slurred_speech', 'facial_droop'])('%s alone raises it', (sign) => {
    const f = run(normal, { [sign]: 'present' }).flags.find((x) => x.code === 'STROKE_FAST');
    expect(f).toMatchObject({ severity: 'critical' });
    expect(f!.reason).toContain(sign);
  });
  it('absent signs do not; a measured low glucose is named as a mimic', () => {
    expect(codes(run(normal, { slurred_speech: 'absent', weakness_of_one_body_side: 'unknown' }))).not.toContain('STROKE_FAST');
    expect(run(normal, { slurred_speech: 'present' }, [{ loinc: '2345-7', value: 50 }]).flags.find((x) => x.code === 'STROKE_FAST')!.reason).toMatch(
      /glucose 50 mg\/dL.*mimic/,
    );
    expect(run(normal, { slurred_speech: 'present' }, [{ loinc: '2345-7', value: 182 }]).flags.find((x) => x.code === 'STROKE_FAST')!.reason).not.toMatch(
      /glucose/,
    );
  });
});

describe('SYNCOPE_RED_FLAGS', () => {
  it.each(['chest_pain', 'breathlessness'])('syncope with %s', (assoc) => {
    const f = run(normal, { syncope: 'present', [assoc]: 'present' }).flags.find((x) => x.code === 'SYNCOPE_RED_FLAGS');
    expect(f).toMatchObject({ severity: 'critical' });
    expect(f!.reason).toContain(assoc);
  });
  it('syncope alone, or with those absent, does not', () => {
    expect(codes(run(normal, { syncope: 'present' }))).not.toContain('SYNCOPE_RED_FLAGS');
    expect(codes(run(normal, { syncope: 'present', chest_pain: 'absent', breathlessness: 'unknown' }))).not.toContain('SYNCOPE_RED_FLAGS');
    expect(codes(run(normal, { syncope: 'absent', chest_pain: 'present', breathlessness: 'present' }))).not.toContain('SYNCOPE_RED_FLAGS');
  });
});

describe('ACS_RED_FLAGS', () => {
  it.each(['sweating', 'breathlessness', 'nausea', 'vomiting'])('chest_pain with %s', (assoc) => {
    expect(run(normal, { chest_pain: 'present', [assoc]: 'present' }).flags.find((x) => x.code === 'ACS_RED_FLAGS')?.reason).toContain(assoc);
  });
  it('chest pain alone, or the associated features without chest pain, do not', () => {
    expect(codes(run(normal, { chest_pain: 'present' }))).not.toContain('ACS_RED_FLAGS');
    expect(codes(run(normal, { chest_pain: 'absent', sweating: 'present', nausea: 'present' }))).not.toContain('ACS_RED_FLAGS');
  });
});

describe('critical values', () => {
  it('glucose below 54 mg/dL (ADA level 2) is critical even above the catalogue limit 39; 54 is not', () => {
    const r = run(normal, {}, [{ loinc: '2345-7', value: 50 }]);
    expect(r.flags).toContainEqual(
      expect.objectContaining({ code: 'CRITICAL_LAB', severity: 'critical', reason: expect.stringMatching(/Glucose 50 mg\/dL is below 54 mg\/dL \(ADA/) }),
    );
    expect(codes(run(normal, {}, [{ loinc: '2345-7', value: 54 }]))).not.toContain('CRITICAL_LAB');
    expect(run(normal, {}, [{ loinc: '2345-7', value: 30 }]).flags[0]!.reason).toMatch(/below 54 mg\/dL .* and the catalogue's critical limit 39 mg\/dL/);
  });

  it('never flags hypoglycaemia with glucose measured 182', () => {
    const r = run(normal, {}, [{ loinc: '2345-7', value: 182 }]);
    expect(r.flags).toEqual([]);
  });

  it('potassium above 6.5 is critical (and above the catalogue limit 6.0); 6.0 is not', () => {
    expect(run(normal, {}, [{ loinc: '2823-3', value: 6.8 }]).flags[0]).toMatchObject({
      code: 'CRITICAL_LAB',
      reason: expect.stringContaining('Potassium 6.8 mmol/L is above 6.5 mmol/L'),
    });
    expect(run(normal, {}, [{ loinc: '2823-3', value: 6.2 }]).flags[0]!.reason).toContain("catalogue's critical limit 6 mmol/L");
    expect(codes(run(normal, {}, [{ loinc: '2823-3', value: 6.0 }]))).toEqual([]);
  });

  it('sodium 112 critical-low from the catalogue; unknown LOINCs and labs without limits stay silent', () => {
    expect(run(normal, {}, [{ loinc: '2951-2', value: 112 }]).flags[0]!.reason).toContain('Sodium 112 mmol/L is below');
    expect(run(normal, {}, [{ loinc: '2160-0', value: 9 }]).flags).toEqual([]);
    expect(run(normal, {}, [{ loinc: '9999-9', value: 9 }]).flags).toEqual([]);
  });

  it('vitals beyond the catalogue critical limits: SpO2 89, heart rate 131, temperature 40.1', () => {
    const r = run({ ...normal, spo2: 89, heartRate: 131, temperature: 40.1 });
    const reasons = r.flags.filter((f) => f.code === 'CRITICAL_VITAL').map((f) => f.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'SpO2 89% is below the critical limit 90%',
        'heart rate 131 /min is above the critical limit 130 /min',
        'temperature 40.1 °C is above the critical limit 40 °C',
      ]),
    );
    expect(codes(run({ ...normal, spo2: 90, heartRate: 130, temperature: 40 }))).not.toContain('CRITICAL_VITAL');
  });
});

describe('NEWS2 response flags and ordering', () => {
  it('high → NEWS2_HIGH critical; medium → NEWS2_MEDIUM urgent; single 3 → warning; low → none', () => {
    expect(run({ ...normal, respiratoryRate: 25, heartRate: 131, temperature: 39.1 }).flags.find((f) => f.code === 'NEWS2_HIGH')).toMatchObject({
      severity: 'critical',
    });
    expect(run({ ...normal, respiratoryRate: 21, heartRate: 111, systolicBp: 110 }).flags.find((f) => f.code === 'NEWS2_MEDIUM')).toMatchObject({
      severity: 'urgent',
    });
    expect(run({ ...normal, consciousness: 'voice' }).flags).toEqual([
      {
        code: 'NEWS2_SINGLE_PARAMETER',
        severity: 'warning',
        reason: 'NEWS2 3 with consciousness scoring 3: urgent ward-based review',
        reasonParts: { key: 'news2SingleParameter', score: 3, parameters: ['consciousness'] },
      },
    ]);
    expect(run(normal).flags).toEqual([]);
  });

  it('a septic patient: critical flags first, then urgent, then warnings', () => {
    const r = run(
      { ...normal, respiratoryRate: 26, heartRate: 118, systolicBp: 92, temperature: 39.4, consciousness: 'new-confusion' },
      { chills: 'present', chest_pain: 'present', sweating: 'present' },
    );
    expect(r.news2).toMatchObject({ score: 3 + 2 + 2 + 2 + 3, risk: 'high' });
    expect(r.qsofa?.score).toBe(3);
    expect(codes(r)).toEqual(['SEPSIS_SUSPECTED', 'ACS_RED_FLAGS', 'NEWS2_HIGH']);
  });

  it('an empty case raises nothing', () => {
    expect(run({}, {})).toEqual({ news2: null, qsofa: null, flags: [] });
  });
});
