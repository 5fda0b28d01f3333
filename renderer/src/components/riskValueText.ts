import type { TFunction } from 'i18next';
import type { RiskNamer } from '../catalogue';

/** A risk model input's value as read: "250 mg/dl", "Yes", "2 — atypical angina". */
export function riskValueText(t: TFunction, number: (v: number) => string, names: RiskNamer, modelId: string, input: string, value: number | string): string {
  const def = names.definition(modelId, input);
  if (def?.type === 'binary' && (value === 0 || value === 1 || value === '0' || value === '1')) {
    return t(Number(value) === 1 ? 'riskInputs.yesCode' : 'riskInputs.noCode');
  }
  // Nominal codes may come back as numbers ("Chest pain type = 4 — asymptomatic").
  if (def?.type === 'nominal' || typeof value === 'string') return names.value(input, String(value));
  return def?.unit ? t('measure.valueWithUnit', { value: number(value), unit: def.unit }) : number(value);
}
