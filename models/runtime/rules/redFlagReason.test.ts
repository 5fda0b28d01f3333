import { describe, expect, it } from 'vitest';

import chineseNames from '../../artefacts/vocab/clinicalNames.zh-CN.json';
import { loadClinicalCatalogue } from '../vocab/clinicalCatalogue';
import { codeNames, englishRedFlagReason, renderRedFlagReason, type RedFlagReasonKey } from './redFlagReason';
import type { FindingState } from './redFlags';
import { normalVitals } from './testing/normalVitals';
import { triage, type TriageVitals } from './triage';

const catalogue = loadClinicalCatalogue();

interface Example {
  vitals: TriageVitals;
  findings?: Record<string, FindingState>;
  labs?: { loinc: string; value: number }[];
  code: string;
  /** The rules' English `reason`, as `lantern triage` and FHIR print it. */
  reason: string;
  english: string;
  chinese: string;
}

/** One case per reason kind, raised by the rules themselves; the mapped type fails to compile if a kind is missing. */
const examples: { [K in RedFlagReasonKey]: Example } = {
  sepsis: {
    vitals: { ...normalVitals, respiratoryRate: 24, systolicBp: 95, consciousness: 'voice', temperature: 38.9 },
    findings: { chills: 'present' },
    code: 'SEPSIS_SUSPECTED',
    reason: 'qSOFA 3 (respiratory rate 24/min, consciousness voice, systolic 95 mmHg); NEWS2 8 with temperature 38.9 °C and chills: assess for sepsis now',
    english:
      'qSOFA 3 (respiratory rate 24/min, consciousness responds to voice, systolic 95 mmHg); NEWS2 8 with temperature 38.9 °C and chills: assess for sepsis now',
    chinese: 'qSOFA 3 分（呼吸频率 24 次/分、意识：对声音有反应、收缩压 95 mmHg）；NEWS2 8 分伴体温 38.9 °C及发冷：立即评估是否脓毒症',
  },
  meningitisFever: {
    vitals: normalVitals,
    findings: { stiff_neck: 'present', high_fever: 'present' },
    code: 'MENINGITIS_RED_FLAGS',
    reason: 'stiff_neck with fever (high_fever reported (temperature now 37 °C))',
    english: 'Stiff neck with fever (high fever reported (temperature now 37 °C))',
    chinese: '颈项强直伴发热（自述高热（当前体温 37 °C））',
  },
  meningitisHeadache: {
    vitals: { ...normalVitals, consciousness: undefined },
    findings: { stiff_neck: 'present', headache: 'present', altered_sensorium: 'present' },
    code: 'MENINGITIS_RED_FLAGS',
    reason: 'stiff_neck with headache and altered consciousness (altered_sensorium)',
    english: 'Stiff neck with headache and altered consciousness (altered sensorium)',
    chinese: '颈项强直伴头痛及意识改变（意识改变）',
  },
  strokeFast: {
    vitals: normalVitals,
    findings: { facial_droop: 'present', slurred_speech: 'present' },
    labs: [{ loinc: '2345-7', value: 60 }],
    code: 'STROKE_FAST',
    reason: 'FAST positive: facial_droop, slurred_speech; glucose 60 mg/dL is low: hypoglycaemia can mimic a stroke',
    english: 'FAST positive: facial droop, slurred speech; glucose 60 mg/dL is low: hypoglycaemia can mimic a stroke',
    chinese: 'FAST 阳性：口角歪斜、言语含糊；血糖 60 mg/dL 偏低：低血糖可类似卒中',
  },
  acs: {
    vitals: normalVitals,
    findings: { chest_pain: 'present', sweating: 'present', breathlessness: 'present' },
    code: 'ACS_RED_FLAGS',
    reason: 'chest_pain with sweating, breathlessness: ECG and troponin now',
    english: 'Chest pain with sweating, breathlessness: ECG and troponin now',
    chinese: '胸痛伴出汗、气促：立即行心电图及肌钙蛋白检查',
  },
  syncope: {
    vitals: normalVitals,
    findings: { syncope: 'present', breathlessness: 'present' },
    code: 'SYNCOPE_RED_FLAGS',
    reason: 'syncope with breathlessness: ECG now; consider arrhythmia, ACS, pulmonary embolism, aortic dissection',
    english: 'Syncope with breathlessness: ECG now; consider arrhythmia, ACS, pulmonary embolism, aortic dissection',
    chinese: '晕厥伴气促：立即行心电图；考虑心律失常、急性冠脉综合征、肺栓塞、主动脉夹层',
  },
  news2High: {
    // RR 25 (3) + HR 131 (3) + SpO2 93 (2) = 8
    vitals: { ...normalVitals, respiratoryRate: 25, heartRate: 131, spo2: 93 },
    code: 'NEWS2_HIGH',
    reason: 'NEWS2 8: emergency assessment by a clinical team with critical-care competencies',
    english: 'NEWS2 8: emergency assessment by a clinical team with critical-care competencies',
    chinese: 'NEWS2 8 分：由具备重症救治能力的临床团队紧急评估',
  },
  news2Medium: {
    // RR 21 (2) + HR 111 (2) + SBP 110 (1) = 5
    vitals: { ...normalVitals, respiratoryRate: 21, heartRate: 111, systolicBp: 110 },
    code: 'NEWS2_MEDIUM',
    reason: 'NEWS2 5: urgent review by a clinician',
    english: 'NEWS2 5: urgent review by a clinician',
    chinese: 'NEWS2 5 分：由临床医师紧急评估',
  },
  news2SingleParameter: {
    vitals: { ...normalVitals, consciousness: 'new-confusion' },
    code: 'NEWS2_SINGLE_PARAMETER',
    reason: 'NEWS2 3 with consciousness scoring 3: urgent ward-based review',
    english: 'NEWS2 3 with consciousness scoring 3: urgent ward-based review',
    chinese: 'NEWS2 3 分，其中意识单项得 3 分：紧急床旁评估',
  },
  criticalVital: {
    vitals: { heartRate: 190 },
    code: 'CRITICAL_VITAL',
    reason: `heart rate 190 /min is above the critical limit ${catalogue.vitals.find((v) => v.code === 'heartRate')!.criticalHigh} /min`,
    english: `Heart rate 190 /min is above the critical limit ${catalogue.vitals.find((v) => v.code === 'heartRate')!.criticalHigh} /min`,
    chinese: `心率 190 /min，高于危急上限 ${catalogue.vitals.find((v) => v.code === 'heartRate')!.criticalHigh} /min`,
  },
  criticalLab: {
    vitals: {},
    labs: [{ loinc: '2823-3', value: 7.1 }],
    code: 'CRITICAL_LAB',
    reason: "Potassium 7.1 mmol/L is above 6.5 mmol/L (UK Kidney Association 2020, severe hyperkalaemia) and the catalogue's critical limit 6 mmol/L",
    english: "Potassium 7.1 mmol/L is above 6.5 mmol/L (UK Kidney Association 2020, severe hyperkalaemia) and the catalogue's critical limit 6 mmol/L",
    chinese: '钾 7.1 mmol/L，高于6.5 mmol/L（英国肾脏病协会（UKKA）2020，重度高钾血症）及目录危急值上限 6 mmol/L',
  },
};

describe('red-flag reasons in each language (every reason kind)', () => {
  it.each(Object.entries(examples))('%s: the rules raise it; reason unchanged, English names, Chinese names', (key, ex) => {
    const flags = triage({ vitals: ex.vitals, findings: ex.findings ?? {}, labs: ex.labs ?? [] }, catalogue).flags;
    const flag = flags.find((f) => f.reasonParts.key === key);
    expect(flag).toBeDefined();
    expect(flag!.code).toBe(ex.code);
    expect(flag!.reason).toBe(ex.reason);
    // One place: the English reason is the parts rendered with the codes.
    expect(englishRedFlagReason(flag!.reasonParts, codeNames)).toBe(flag!.reason);
    expect(renderRedFlagReason(flag!.reasonParts, 'en', null)).toBe(ex.english);
    expect(renderRedFlagReason(flag!.reasonParts, 'zh-CN', chineseNames)).toBe(ex.chinese);
  });

  it('the English a clinician reads shows no finding code, the Chinese no English word beyond codes and units', () => {
    for (const [key, ex] of Object.entries(examples)) {
      const flag = triage({ vitals: ex.vitals, findings: ex.findings ?? {}, labs: ex.labs ?? [] }, catalogue).flags.find((f) => f.reasonParts.key === key)!;
      expect(renderRedFlagReason(flag.reasonParts, 'en', null)).not.toMatch(/[a-z]_[a-z]/);
      const words = renderRedFlagReason(flag.reasonParts, 'zh-CN', chineseNames).match(/[A-Za-z]{2,}/g) ?? [];
      for (const w of words) expect(['qSOFA', 'NEWS', 'FAST', 'mmHg', 'mg', 'dL', 'min', 'mmol', 'UKKA']).toContain(w);
    }
  });

  it('units print in display form (×10³/µL), and a name the table lacks falls back rather than going blank', () => {
    const platelets = catalogue.labs.find((l) => l.unit === '10*3/uL' && l.criticalLow !== null)!;
    const flag = triage({ vitals: {}, findings: {}, labs: [{ loinc: platelets.loinc, value: platelets.criticalLow! / 2 }] }, catalogue).flags[0]!;
    expect(flag.reason).toContain('10*3/uL');
    expect(renderRedFlagReason(flag.reasonParts, 'en', null)).toContain('×10³/µL');
    expect(renderRedFlagReason(flag.reasonParts, 'zh-CN', chineseNames)).toContain('×10³/µL');
    const noTable = renderRedFlagReason({ key: 'acs', findings: ['sweating'] }, 'zh-CN', null);
    expect(noTable).toBe('chest pain伴sweating：立即行心电图及肌钙蛋白检查');
  });
});
