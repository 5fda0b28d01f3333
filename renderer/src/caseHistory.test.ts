import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import type { CaseSummary } from '../../electron/contract/ipcContract';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';
import { caseDiagnosisText } from './caseHistory';
import chineseNames from '../../models/artefacts/vocab/clinicalNames.zh-CN.json';
import { setChineseClinicalNames } from './i18n/clinicalNameTables';

const base: CaseSummary = {
  id: 'c',
  patientId: 'p',
  createdAt: '2026-01-01T00:00:00.000Z',
  presentFindings: [],
  topDiagnosis: 'Heart attack',
  topDiagnosisName: 'Myocardial infarction',
  finalDiagnosis: null,
};

async function translator(lng: string) {
  const i = i18next.createInstance();
  await i.init({ lng, resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } }, interpolation: { escapeValue: false } });
  return i.t.bind(i);
}

describe('case history line', () => {
  it('shows the recorded final diagnosis first, else the clinical name of the top suggestion, never the dataset label', async () => {
    const t = await translator('en');
    expect(caseDiagnosisText(t, base, 'en')).toBe('Top diagnosis: Myocardial infarction');
    expect(caseDiagnosisText(t, { ...base, finalDiagnosis: { label: 'NSTEMI', icd10: 'I21.4' } }, 'en')).toBe('Final diagnosis: NSTEMI (I21.4)');
    expect(caseDiagnosisText(t, { ...base, finalDiagnosis: { label: 'Chest wall pain', icd10: null } }, 'en')).toBe(
      'Final diagnosis: Chest wall pain (not coded)',
    );
    expect(caseDiagnosisText(t, { ...base, topDiagnosis: null, topDiagnosisName: null }, 'en')).toBe('No differential');
  });

  it('names the top suggestion in Chinese in the Chinese UI', async () => {
    setChineseClinicalNames(chineseNames);
    const t = await translator('zh-CN');
    const line = caseDiagnosisText(t, base, 'zh-CN');
    expect(line).not.toContain('Heart attack');
    expect(line).toContain('急性心肌梗死');
    expect(line).toMatch(/[\u4e00-\u9fff]/);
    expect(caseDiagnosisText(t, { ...base, finalDiagnosis: { label: 'NSTEMI', icd10: 'I21.4' } }, 'zh-CN')).toBe('最终诊断：NSTEMI（I21.4）');
  });
});
