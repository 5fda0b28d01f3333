/**
 * The new-case form as a request, apart from the screen: building it from the form's texts, the
 * vital the form itself refuses to send, and the app's field errors told back in words. Pure
 * functions of their inputs (translation and number format passed in), so each is tested alone.
 */
import type { TFunction } from 'i18next';
import type { CaseObservations, Catalogue, ErrorPayload, FindingState, LabDefinition, RequestOf, VitalCode } from '../../electron/contract/ipcContract';
import type { RiskNamer } from './catalogue';
import type { LabEntry } from './components/LabResultsEditor';
import { implausibleText, isKnownVital } from './components/measureText';
import { checkValue, parseNumber } from './ranges';
import { buildModelInputs, findRiskInput, parseModelInputField, type RiskInputTexts } from './riskInputs';

export type CaseRequest = RequestOf<'runDiagnosis'>;

/** What the form holds, as typed. */
export interface CaseFormValues {
  findings: Record<string, FindingState>;
  vitals: Partial<Record<VitalCode, string>>;
  observations: CaseObservations;
  labs: readonly LabEntry[];
  note: string;
  riskTexts: RiskInputTexts;
}

/** Where names come from: the catalogue, labs in the reader's language, risk models and inputs. */
export interface CaseNames {
  catalogue: Catalogue | null;
  lab: (loinc: string) => LabDefinition | undefined;
  risk: RiskNamer;
}

/** How to say it: the translation and the locale's number format. */
export interface Wording {
  t: TFunction;
  number: (v: number) => string;
}

export function buildCaseRequest(form: CaseFormValues, catalogue: Catalogue | null): CaseRequest {
  const chosen = Object.fromEntries(Object.entries(form.findings).filter(([, s]) => s !== 'unknown'));
  const vitalInputs: CaseRequest['vitals'] = [];
  for (const def of catalogue?.vitals ?? []) {
    const parsed = parseNumber(form.vitals[def.code] ?? '');
    // Implausible values are sent too: the app is the authority and answers with the exact field.
    if (parsed.kind === 'number') vitalInputs.push({ code: def.code, value: parsed.value });
  }
  return {
    findings: chosen,
    modelInputs: buildModelInputs(catalogue?.riskModels ?? [], form.riskTexts),
    vitals: vitalInputs,
    labs: form.labs.map(({ loinc, value }) => ({ loinc, value })),
    note: form.note,
    ...(Object.keys(form.observations).length > 0 ? { observations: form.observations } : {}),
  };
}

/**
 * A vital the form itself knows is wrong (not a number, or outside what a body can measure), with
 * what to say beside it; nothing is sent while there is one.
 */
export function firstInvalidVital(
  vitals: CaseFormValues['vitals'],
  catalogue: Catalogue | null,
  { t, number }: Wording,
): { code: VitalCode; message: string } | null {
  for (const def of catalogue?.vitals ?? []) {
    const check = checkValue(vitals[def.code] ?? '', def);
    if (check.status === 'implausible' || check.status === 'invalid') {
      const name = t(`vital.${def.code}`);
      return { code: def.code, message: check.status === 'implausible' ? implausibleText(t, name, def, def.unit, number) : t('measure.notANumber', { name }) };
    }
  }
  return null;
}

/**
 * Turns the app's field path back into words the user can act on. Paths name an entry by index
 * ("case.vitals.0.value") or by its code ("vitals.temperature", "labs.718-7"); accept both.
 */
export function explainCaseError(
  error: ErrorPayload,
  sent: CaseRequest,
  { catalogue, lab, risk: riskNames }: CaseNames,
  { t, number }: Wording,
): string | null {
  const field = error.field ?? '';
  const risk = parseModelInputField(field);
  if (risk) {
    const model = riskNames.model(risk.modelId);
    if (!risk.input) return t('caseNew.fieldError', { field: model, message: error.message });
    const def = findRiskInput(catalogue?.riskModels, risk.modelId, risk.input);
    const name = t('riskInputs.fieldName', { model, input: riskNames.input(risk.modelId, risk.input) });
    if (error.code === 'VALUE_OUT_OF_RANGE' && def?.range) {
      const limits = { min: number(def.range.min), max: number(def.range.max) };
      return def.unit ? t('measure.implausible', { name, ...limits, unit: def.unit }) : t('riskInputs.implausibleNoUnit', { name, ...limits });
    }
    return t('caseNew.fieldError', { field: name, message: error.message });
  }
  const entry = /(?:^|\.)(vitals|labs)[.[]([^.\]]+)/.exec(field);
  if (entry) {
    const [, list, token = ''] = entry;
    // LOINC codes always contain a dash, so a bare number is an index.
    const byIndex = /^\d+$/.test(token);
    if (list === 'vitals') {
      const code = byIndex ? sent.vitals[Number(token)]?.code : token;
      if (!code || !isKnownVital(code)) return null;
      const name = t(`vital.${code}`);
      const def = catalogue?.vitals.find((v) => v.code === code);
      if (error.code === 'VALUE_OUT_OF_RANGE' && def) return implausibleText(t, name, def, def.unit, number);
      return t('caseNew.fieldError', { field: name, message: error.message });
    }
    const loinc = byIndex ? sent.labs[Number(token)]?.loinc : token;
    const def = loinc ? lab(loinc) : undefined;
    const name = def?.name ?? (loinc ? t('labs.loinc', { loinc }) : t('errors.fieldLab', { index: Number(token) + 1 }));
    if (error.code === 'VALUE_OUT_OF_RANGE' && def) return implausibleText(t, name, def, def.unit, number);
    return t('caseNew.fieldError', { field: name, message: error.message });
  }
  if (/(^|\.)findings\b/.test(field)) return t('caseNew.fieldError', { field: t('errors.fieldFindings'), message: error.message });
  if (/(^|\.)note\b/.test(field)) return t('caseNew.fieldError', { field: t('errors.fieldNote'), message: error.message });
  return null;
}
