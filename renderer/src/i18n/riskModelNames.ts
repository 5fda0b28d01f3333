/**
 * Names for risk models, their inputs and coded values. The manifest supplies an English label per
 * input and bare codes for nominal values; this adds what the manifest cannot: model names,
 * Chinese labels (from the shared table, clinicalNameTables.ts), and meanings of the numeric UCI codes. Lookups fall back to the manifest (or the
 * code itself), so a model or input not listed here still shows, untranslated.
 *
 * Inputs are matched by a folded name (lower case, no `_`), so `blood_pressure` and `BloodPressure`
 * both find `bloodpressure`.
 */
import type { ModelInputDefinition } from '../../../electron/contract/ipcContract';
import { humaniseCode } from './symptomNames';
import { clinicalNamesFor } from './clinicalNameTables';

type Locale = 'en' | 'zh-CN';

const englishModelNames: Record<string, string> = {
  'heart-disease': 'Heart disease',
  'chronic-kidney-disease': 'Chronic kidney disease',
  'diabetes-onset': 'Diabetes onset within 5 years',
};

/** Meanings of numeric codes, by folded input name then code (as a number, so "1.0" finds "1"). */
const codeMeanings: Record<Locale, Record<string, Record<string, string>>> = {
  en: {
    cp: { '1': 'typical angina', '2': 'atypical angina', '3': 'non-anginal pain', '4': 'asymptomatic' },
    restecg: { '0': 'normal', '1': 'ST-T wave abnormality', '2': 'left ventricular hypertrophy' },
    al: { '0': 'negative', '1': 'trace / +', '2': '++', '3': '+++', '4': '++++', '5': '+++++' },
    slope: { '1': 'upsloping', '2': 'flat', '3': 'downsloping' },
    thal: { '3': 'normal', '6': 'fixed defect', '7': 'reversible defect' },
  },
  'zh-CN': {
    cp: { '1': '典型心绞痛', '2': '非典型心绞痛', '3': '非心绞痛性胸痛', '4': '无症状' },
    restecg: { '0': '正常', '1': 'ST-T 波异常', '2': '左心室肥厚' },
    al: { '0': '阴性', '1': '微量 / +', '2': '++', '3': '+++', '4': '++++', '5': '+++++' },
    slope: { '1': '上斜型', '2': '平坦型', '3': '下斜型' },
    thal: { '3': '正常', '6': '固定缺损', '7': '可逆缺损' },
  },
};

/** Word codes (ARFF) spelled out. */
const wordMeanings: Record<Locale, Record<string, string>> = {
  en: { notpresent: 'not present' },
  'zh-CN': {
    normal: '正常',
    abnormal: '异常',
    present: '有',
    notpresent: '无',
    yes: '是',
    no: '否',
    good: '好',
    poor: '差',
    male: '男',
    female: '女',
  },
};

function asLocale(locale: string): Locale {
  return locale === 'zh-CN' ? 'zh-CN' : 'en';
}

export function foldInputName(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

export function riskModelName(id: string, locale: string): string {
  return clinicalNamesFor(locale)?.riskModels[id] ?? englishModelNames[id] ?? humaniseCode(id.replace(/-/g, ' '));
}

export function riskInputLabel(def: Pick<ModelInputDefinition, 'name' | 'label'>, locale: string): string {
  const translated = clinicalNamesFor(locale)?.riskInputs[foldInputName(def.name)];
  if (translated) return translated;
  return def.label || humaniseCode(def.name);
}

/** "1 — typical angina" for numeric codes with a known meaning, "not present" for word codes, else the code. */
export function nominalValueLabel(inputName: string, value: string, locale: string): string {
  const l = asLocale(locale);
  const trimmed = value.trim();
  const asNumber = Number(trimmed);
  if (trimmed !== '' && Number.isFinite(asNumber)) {
    const meaning = codeMeanings[l][foldInputName(inputName)]?.[String(asNumber)];
    return meaning ? `${trimmed} — ${meaning}` : trimmed;
  }
  return wordMeanings[l][trimmed.toLowerCase()] ?? trimmed;
}
