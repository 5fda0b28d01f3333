/**
 * The PDF report's own words in the languages the UI offers. The report prints in the language
 * the clinician reads the app in; model ids, codes and hashes stay as they are.
 */
export const reportLanguages = ['en', 'zh-CN'] as const;
export type ReportLanguage = (typeof reportLanguages)[number];

export interface ReportLabels {
  title: string;
  subtitle: string;
  headings: Record<
    | 'patient'
    | 'lists'
    | 'findings'
    | 'measurements'
    | 'note'
    | 'triage'
    | 'differential'
    | 'complaint'
    | 'risks'
    | 'images'
    | 'decisions'
    | 'models'
    | 'audit',
    string
  >;
  finalDiagnosis: string;
  patient: string;
  birthDate: string;
  ageAtEncounter: (age: number) => string;
  sex: string;
  sexes: Record<'female' | 'male' | 'other' | 'unknown', string>;
  patientId: string;
  caseId: string;
  caseRecorded: string;
  by: (name: string) => string;
  exported: string;
  allergies: string;
  medications: string;
  noKnownAllergies: string;
  allergiesNotAsked: string;
  noneRecorded: string;
  uncoded: string;
  present: string;
  absent: string;
  askedUnknown: string;
  noneRecordedShort: string;
  measurementColumns: [string, string, string, string];
  noNote: string;
  footer: (caseId: string, at: string, page: number, pages: number) => string;
}

export const reportLabels: Record<ReportLanguage, ReportLabels> = {
  en: {
    title: 'Lantern case report',
    subtitle:
      "Offline clinical decision support. Model output is a suggestion for the clinician; the clinician's decisions and final diagnosis are recorded below.",
    headings: {
      patient: 'Patient and encounter',
      lists: 'Allergies and current medications',
      findings: 'Findings',
      measurements: 'Vital signs and lab results',
      note: 'Clinical note',
      triage: 'Early warning scores and red flags',
      differential: 'Differential diagnosis',
      complaint: 'Free-text classifier (note)',
      risks: 'Risk assessments',
      images: 'Images',
      decisions: 'Clinician decisions',
      models: 'Models used',
      audit: 'Audit trail',
    },
    finalDiagnosis: 'Final diagnosis',
    patient: 'Patient',
    birthDate: 'Birth date',
    ageAtEncounter: (age) => `age ${age} at the encounter`,
    sex: 'Sex',
    sexes: { female: 'female', male: 'male', other: 'other', unknown: 'unknown' },
    patientId: 'Patient id',
    caseId: 'Case id',
    caseRecorded: 'Case recorded',
    by: (name) => ` by ${name}`,
    exported: 'Exported',
    allergies: 'Allergies',
    medications: 'Current medications',
    noKnownAllergies: 'No known allergies',
    allergiesNotAsked: 'Not recorded (not asked)',
    noneRecorded: 'None recorded',
    uncoded: 'uncoded',
    present: 'Present',
    absent: 'Absent',
    askedUnknown: 'Asked, unknown',
    noneRecordedShort: 'none recorded',
    measurementColumns: ['Measurement', 'LOINC', 'Value', 'Flag'],
    noNote: 'No note.',
    footer: (caseId, at, page, pages) => `Lantern case report · case ${caseId} · exported ${at} · page ${page} of ${pages}`,
  },
  'zh-CN': {
    title: 'Lantern 病例报告',
    subtitle: '离线临床决策支持。模型输出仅供临床医生参考；医生的决定与最终诊断记录如下。',
    headings: {
      patient: '患者与就诊',
      lists: '过敏史与当前用药',
      findings: '症状与体征',
      measurements: '生命体征与化验结果',
      note: '临床记录',
      triage: '早期预警评分与危险信号',
      differential: '鉴别诊断',
      complaint: '自由文本分类器（病历记录）',
      risks: '风险评估',
      images: '影像',
      decisions: '医生决定',
      models: '使用的模型',
      audit: '审计记录',
    },
    finalDiagnosis: '最终诊断',
    patient: '患者',
    birthDate: '出生日期',
    ageAtEncounter: (age) => `就诊时 ${age} 岁`,
    sex: '性别',
    sexes: { female: '女', male: '男', other: '其他', unknown: '未知' },
    patientId: '患者编号',
    caseId: '病例编号',
    caseRecorded: '病例记录时间',
    by: (name) => `，记录人 ${name}`,
    exported: '导出',
    allergies: '过敏',
    medications: '当前用药',
    noKnownAllergies: '无已知过敏',
    allergiesNotAsked: '未记录（未询问）',
    noneRecorded: '未记录',
    uncoded: '未编码',
    present: '有',
    absent: '无',
    askedUnknown: '已询问，不详',
    noneRecordedShort: '未记录',
    measurementColumns: ['项目', 'LOINC', '数值', '标记'],
    noNote: '无临床记录。',
    footer: (caseId, at, page, pages) => `Lantern 病例报告 · 病例 ${caseId} · 导出于 ${at} · 第 ${page} 页，共 ${pages} 页`,
  },
};
