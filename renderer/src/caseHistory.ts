import type { TFunction } from 'i18next';
import type { CaseSummary } from '../../electron/contract/ipcContract';
import { localisedConditionName } from './i18n/conditionNames';

/**
 * The line a clinician scans in the history: the final diagnosis they recorded, else the model's
 * top suggestion, both by clinical name in the chosen language (never the dataset's spelling).
 */
export function caseDiagnosisText(t: TFunction, c: CaseSummary, language: string): string {
  if (c.finalDiagnosis) {
    return t('patient.finalDiagnosis', { label: c.finalDiagnosis.label, code: c.finalDiagnosis.icd10 ?? t('patient.notCoded') });
  }
  if (c.topDiagnosis) return t('patient.topDiagnosis', { label: localisedConditionName(c.topDiagnosis, c.topDiagnosisName ?? undefined, language) });
  return t('patient.noDiagnosis');
}
