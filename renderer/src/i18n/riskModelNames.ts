/**
 * Names for risk models, their inputs and coded values. The manifest supplies an English label per
 * input and bare codes for nominal values; this adds what the manifest cannot: model names,
 * Chinese labels, and meanings of the numeric UCI codes. Lookups fall back to the manifest (or the
 * code itself), so a model or input not listed here still shows, untranslated.
 *
 * Inputs are matched by a folded name (lower case, no `_`), so `blood_pressure` and `BloodPressure`
 * both find `bloodpressure`.
 */
import type { ModelInputDefinition } from '../../../electron/contract/ipcContract';
import { humaniseCode } from './symptomNames';

type Locale = 'en' | 'zh-CN';

const modelNames: Record<Locale, Record<string, string>> = {
  en: {
    'heart-disease': 'Heart disease',
    'chronic-kidney-disease': 'Chronic kidney disease',
    'diabetes-onset': 'Diabetes onset within 5 years',
  },
  'zh-CN': {
    'heart-disease': '心脏病',
    'chronic-kidney-disease': '慢性肾脏病',
    'diabetes-onset': '5 年内糖尿病发病',
  },
};

/** Chinese input labels (UCI Heart/Cleveland, UCI CKD and Pima names, folded). */
const zhInputLabels: Record<string, string> = {
  age: '年龄',
  sex: '性别（1 = 男，0 = 女）',
  cp: '胸痛类型',
  trestbps: '静息收缩压（入院时）',
  chol: '血清胆固醇',
  fbs: '空腹血糖 > 120 mg/dL（1 = 是，0 = 否）',
  restecg: '静息心电图',
  thalach: '最大心率',
  exang: '运动诱发心绞痛（1 = 是，0 = 否）',
  oldpeak: '运动引起的 ST 段压低',
  slope: '运动峰值 ST 段斜率',
  ca: '透视显示的主要血管数',
  thal: '铊负荷试验',
  bp: '血压（舒张压）',
  sg: '尿比重',
  al: '尿白蛋白',
  su: '尿糖',
  rbc: '尿红细胞',
  pc: '尿脓细胞',
  pcc: '脓细胞团',
  ba: '细菌',
  bgr: '随机血糖',
  bu: '血尿素',
  sc: '血肌酐',
  sod: '血钠',
  pot: '血钾',
  hemo: '血红蛋白',
  pcv: '红细胞压积',
  wbcc: '白细胞计数',
  wc: '白细胞计数',
  rbcc: '红细胞计数',
  rc: '红细胞计数',
  htn: '高血压',
  dm: '糖尿病',
  cad: '冠状动脉疾病',
  appet: '食欲',
  pe: '足部水肿',
  ane: '贫血',
  pregnancies: '妊娠次数',
  glucose: '血浆葡萄糖（OGTT 2 小时）',
  bloodpressure: '舒张压',
  diastolicbp: '舒张压',
  skinthickness: '三头肌皮褶厚度',
  insulin: '2 小时血清胰岛素',
  bmi: '体重指数',
  plasmaglucose: '口服 75 g 葡萄糖 2 小时血浆葡萄糖',
  tricepsskinfold: '三头肌皮褶厚度',
  seruminsulin: '口服葡萄糖 2 小时血清胰岛素',
  diabetespedigree: '糖尿病家族谱系函数',
  diabetespedigreefunction: '糖尿病家族谱系函数',
  pedigree: '糖尿病家族谱系函数',
  dpf: '糖尿病家族谱系函数',
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
  return modelNames[asLocale(locale)][id] ?? modelNames.en[id] ?? humaniseCode(id.replace(/-/g, ' '));
}

export function riskInputLabel(def: Pick<ModelInputDefinition, 'name' | 'label'>, locale: string): string {
  if (asLocale(locale) === 'zh-CN') {
    const zh = zhInputLabels[foldInputName(def.name)];
    if (zh) return zh;
  }
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
