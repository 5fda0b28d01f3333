/**
 * The PDF report's sentences and table words beyond its headings (reportLabels.ts), in the
 * languages the UI offers: the differential, triage, risk, image, decision, model and audit
 * sections. Model ids, versions, codes, hashes and what a person typed stay as they are; clinical
 * names come from the shared table (models/runtime/vocab/clinicalNames.ts).
 */
import type { RangeFlag, Role, TriageFlag } from '../../contract/ipcContract';
import { renderRedFlagReason } from '../../../models/runtime/rules/redFlagReason';
import { loadChineseClinicalNames } from '../../../models/runtime/vocab/clinicalNames';
import type { ExplanationWords } from './explanationText';
import { englishExplanationWords } from './explanationText';
import type { ReportLanguage } from './reportLabels';

type News2Risk = 'low' | 'low-medium' | 'medium' | 'high';
type Severity = 'critical' | 'urgent' | 'warning';
type OverlayStatus = 'verified' | 'model-changed' | 'not-reproduced' | 'failed';

export interface ReportSentences {
  /** "run 2026-01-01 10:00 UTC" and the model line shared by every suggestion. */
  modelLine: (modelId: string, version: string, sha: string, at: string) => string;
  complaintNone: string;
  complaintAbout: string;
  notAssessed: (code: string, message: string) => string;
  /** Why a model abstained: its own message, led in Chinese by what the code means (the message is the model's, in English). */
  abstention: (code: string, message: string) => string;
  diseaseProbability: [string, string];
  unanswered: (n: number) => string;
  differentialNotAssessed: (code: string, message: string) => string;
  differentialColumns: [string, string, string, string];
  cantMiss: string;
  listSeparator: string;
  /** Contribution lists (explanationText.ts); symptom and input names come from the report's namer. */
  explanation: Omit<ExplanationWords, 'symptom' | 'input'>;
  criticalValues: (items: string) => string;
  rangeFlags: Record<RangeFlag, string>;
  askNext: (items: string) => string;
  bits: (n: string) => string;
  news2Risk: Record<News2Risk, string>;
  news2Value: (score: number, risk: string) => string;
  notScored: string;
  notRecordedList: (items: string) => string;
  noRedFlag: string;
  redFlagColumns: [string, string, string];
  redFlagName: (code: string) => string;
  /** Why it was raised, with clinical names; a flag stored before its parts existed keeps the rules' English. */
  redFlagReason: (flag: TriageFlag) => string;
  severities: Record<Severity, string>;
  riskResult: (positiveLabel: string, percent: string) => string;
  trainedOn: (scope: string) => string;
  calibration: (summary: string) => string;
  riskNotAssessed: (code: string) => string;
  notRun: string;
  notRunReason: (reason: string, missing: string) => string;
  riskInputsHeading: string;
  noteCut: (limit: number, length: number) => string;
  noTriage: string;
  noDifferential: string;
  kidney: (k: { egfr: number; gStage: string; albuminuria: string; creatinine: number; age: number; sex: string; formula: string }) => string;
  albuminuria: (stage: string, approximate: boolean, note: string) => string;
  kidneySex: Record<'female' | 'male', string>;
  noRisk: string;
  riskColumns: [string, string, string];
  noImages: string;
  imageLine: (kind: string, width: number, height: number, frames: number, at: string, sha: string) => string;
  measurementsIntro: (spacing: string | null) => string;
  length: (value: string, unit: string) => string;
  region: (mean: string, sd: string, count: number, area: string, unit: string) => string;
  regionEmpty: string;
  frame: (n: number) => string;
  measuredAt: (from: string, to: string, at: string, by: string | null) => string;
  imageNotShown: string;
  imageMessage: (frames: number, decoded: boolean, english: string | null) => string | null;
  asStored: string;
  segmentation: string;
  imageRunLine: (modelId: string, version: string, sha: string, at: string, probabilities: string) => string;
  overlayCaption: (meaning: 'saliency' | string) => string;
  /** A caption followed by the sentence that qualifies it. */
  captioned: (caption: string, message: string) => string;
  /** A NEWS2/qSOFA parameter the case does not give, by its code. */
  parameter: (code: string, vitalName: (code: string) => string) => string;
  overlayMessage: (status: OverlayStatus, english: string, storedSha: string) => string;
  imageLabel: (label: string) => string;
  noDecisions: string;
  decisionColumns: [string, string, string, string, string, string];
  unknownUser: string;
  actions: Record<'accept' | 'reject' | 'defer', string>;
  noFinal: string;
  finalRows: [string, string, string];
  notCoded: string;
  by: (name: string) => string;
  noModels: string;
  modelColumns: [string, string, string, string];
  chainHead: (seq: number, hash: string) => string;
  chainEmpty: string;
  chainIntact: (events: number, at: string) => string;
  chainBroken: (seq: number | null, reason: string | null) => string;
  exportAudited: (seq: number) => string;
  exportId: (id: string) => string;
  replacedChars: (n: number) => string;
  roles: Record<Role, string>;
}

const en: ReportSentences = {
  modelLine: (id, version, sha, at) => `${id} ${version} (artefact sha256 ${sha}), run ${at}`,
  complaintNone: 'No note was classified with this case.',
  complaintAbout: ' on the note above. A ranking of the diseases it was trained on from the words of the note; decision support, not a diagnosis.',
  notAssessed: (code, message) => `Not assessed (${code}): ${message}`,
  abstention: (_code, message) => message,
  diseaseProbability: ['Disease', 'Probability'],
  unanswered: (n) => `. ${n} findings the model could use were not answered.`,
  differentialNotAssessed: (code, message) => `Differential not assessed (${code}): ${message}`,
  differentialColumns: ['#', 'Diagnosis', 'Probability', 'Findings behind it (change in probability, strongest first)'],
  cantMiss: "[can't miss]",
  listSeparator: ', ',
  explanation: englishExplanationWords,
  criticalValues: (items) => `Critical values: ${items}.`,
  rangeFlags: { normal: 'normal', low: 'low', high: 'high', 'critical-low': 'critical-low', 'critical-high': 'critical-high' },
  askNext: (items) => `Findings worth asking next: ${items}.`,
  bits: (n) => `${n} bits`,
  news2Risk: { low: 'low', 'low-medium': 'low-medium (a single parameter scores 3)', medium: 'medium', high: 'high' },
  news2Value: (score, risk) => `${score}, clinical risk ${risk}`,
  notScored: 'not scored',
  notRecordedList: (items) => `Not recorded: ${items}.`,
  noRedFlag: 'No red flag raised by the rules.',
  redFlagColumns: ['Red flag', 'Severity', 'Why'],
  redFlagName: (code) => code,
  redFlagReason: (f) => (f.reasonParts ? renderRedFlagReason(f.reasonParts, 'en', null) : f.reason),
  severities: { critical: 'critical', urgent: 'urgent', warning: 'warning' },
  riskResult: (label, p) => `${label}: ${p} (preliminary)`,
  trainedOn: (scope) => `Trained on ${scope}. `,
  calibration: (summary) => `Calibration: ${summary}. `,
  riskNotAssessed: (code) => `not assessed (${code})`,
  notRun: 'not run',
  notRunReason: (reason, missing) => `${reason}.${missing ? ` Missing: ${missing}.` : ''}`,
  riskInputsHeading: 'Risk model inputs as entered',
  noteCut: (limit, length) => `The note is cut at ${limit} of its ${length} characters; the FHIR export carries it whole.`,
  noTriage: 'No early-warning scores were stored with this case.',
  noDifferential: 'No differential was stored with this case.',
  kidney: (k) => `eGFR ${k.egfr} mL/min/1.73 m², KDIGO ${k.gStage}${k.albuminuria}: creatinine ${k.creatinine} mg/dL, age ${k.age}, ${k.sex}. ${k.formula}.`,
  albuminuria: (stage, approximate, note) => `, albuminuria ${approximate ? '≈ ' : ''}${stage}${approximate ? ` (${note})` : ''}`,
  kidneySex: { female: 'female', male: 'male' },
  noRisk: 'No risk model was run.',
  riskColumns: ['Model', 'Result', 'Inputs behind it (change in probability)'],
  noImages: 'No images attached.',
  imageLine: (kind, w, h, frames, at, sha) => `${kind.toUpperCase()}, ${w}×${h}${frames > 1 ? `, ${frames} frames` : ''}, attached ${at}, sha256 ${sha}.`,
  measurementsIntro: (spacing) => `Measurements${spacing ? ` (spacing from ${spacing})` : ' (no pixel spacing in the file: pixels)'}:`,
  length: (value, unit) => `Length ${value} ${unit}`,
  region: (mean, sd, count, area, unit) => `Region mean ${mean}, SD ${sd} (${count} pixels, ${area} ${unit})`,
  regionEmpty: 'Region holds no pixel',
  frame: (n) => `, frame ${n}`,
  measuredAt: (from, to, at, by) => `; from ${from} to ${to} px; ${at}${by ? ` by ${by}` : ''}`,
  imageNotShown: 'Image not shown.',
  imageMessage: (_frames, _decoded, english) => english,
  asStored: 'As stored (display window)',
  segmentation: 'segmentation (no class probabilities)',
  imageRunLine: (id, version, sha, at, probabilities) => `${id} ${version} (sha256 ${sha}), run ${at}: ${probabilities}.`,
  overlayCaption: (meaning) => (meaning === 'saliency' ? 'Saliency (red)' : 'Vessel probability (cyan)'),
  captioned: (caption, message) => `${caption}. ${message}`,
  parameter: (code) => code,
  overlayMessage: (_status, english) => english,
  imageLabel: (label) => label,
  noDecisions: 'No decisions recorded on the suggestions.',
  decisionColumns: ['When', 'Clinician', 'Suggestion (model)', 'Item', 'Decision', 'Reason'],
  unknownUser: 'unknown',
  actions: { accept: 'accept', reject: 'reject', defer: 'defer' },
  noFinal: 'No final diagnosis recorded.',
  finalRows: ['Diagnosis', 'ICD-10-CM', 'Recorded'],
  notCoded: 'not coded',
  by: (name) => ` by ${name}`,
  noModels: 'No model output is stored with this case.',
  modelColumns: ['Model', 'Version', 'Artefact sha256', 'Model card'],
  chainHead: (seq, hash) => `Audit chain head at export, before this export's own event: seq ${seq}, hash ${hash}.`,
  chainEmpty: 'The audit chain was empty at export.',
  chainIntact: (events, at) => `The chain verified intact over ${events} events at ${at}.`,
  chainBroken: (seq, reason) => `The chain FAILED verification at seq ${seq}: ${reason}.`,
  exportAudited: (seq) =>
    `This export is itself audited as the next event (case.export, seq ${seq} if nothing else is recorded in between), which records this file's SHA-256 and the head above.`,
  exportId: (id) => `Export id ${id}.`,
  replacedChars: (n) => `${n} character(s) the report font cannot draw are shown as □; the FHIR export keeps the exact text.`,
  roles: { clinician: 'clinician', auditor: 'auditor', admin: 'admin' },
};

/** Red flags by code (models/runtime/rules/redFlags.ts), worded as the Chinese UI names them. */
const zhRedFlags: Record<string, string> = {
  SEPSIS_SUSPECTED: '疑似脓毒症',
  MENINGITIS_RED_FLAGS: '脑膜炎危险信号',
  STROKE_FAST: '卒中（FAST 阳性）',
  ACS_RED_FLAGS: '急性冠脉综合征危险信号',
  SYNCOPE_RED_FLAGS: '晕厥伴胸痛或呼吸困难',
  CRITICAL_VITAL: '危急生命体征',
  CRITICAL_LAB: '危急检验值',
  NEWS2_HIGH: 'NEWS2 高危：紧急抢救响应',
  NEWS2_MEDIUM: 'NEWS2 中危：紧急评估',
  NEWS2_SINGLE_PARAMETER: 'NEWS2：单项参数得 3 分',
};

/** NEWS2/qSOFA parameters that are not vital signs of the catalogue (models/runtime/rules/news2.ts, qsofa.ts). */
const zhScoreParameters: Record<string, string> = {
  onSupplementalOxygen: '是否吸氧',
  consciousness: '意识水平（ACVPU）',
};

/** The abstention codes every model shares (house rules), in words a clinician can act on. */
const zhAbstentionCodes: Record<string, string> = {
  INSUFFICIENT_INPUTS: '已录入的信息不足，模型不作评估；请补充缺少的项目。',
  OUT_OF_SCOPE: '患者不在该模型的训练人群范围内，模型不给出结果。',
  OUT_OF_DISTRIBUTION: '输入与模型的训练数据差异过大，模型不给出结果。',
  MEETS_DIAGNOSTIC_CRITERIA: '已符合诊断标准：应按诊断处理，而非预测风险。',
};

const zhAbstention = (code: string, message: string) => `${zhAbstentionCodes[code] ?? ''}模型原文：${message}`;

/** Without pixel spacing a measurement is in pixels (`px`, `px²`). */
const zhPixelUnit = (unit: string) => unit.replace(/^px/, '像素');

/** Labels of the image models (pneumonia-xray, retina-vessels). */
const zhImageLabels: Record<string, string> = { normal: '正常', pneumonia: '肺炎', vessel: '血管' };

const zh: ReportSentences = {
  modelLine: (id, version, sha, at) => `${id} ${version}（模型文件 sha256 ${sha}），运行于 ${at}`,
  complaintNone: '本病例没有经分类的临床记录。',
  complaintAbout: '，依据上方的临床记录。按记录中的词语对其训练所涵盖的疾病排序；仅为决策支持，并非诊断。',
  notAssessed: (code, message) => `未评估（${code}）：${zhAbstention(code, message)}`,
  abstention: (code, message) => zhAbstention(code, message),
  diseaseProbability: ['疾病', '概率'],
  unanswered: (n) => `。模型可用的症状中有 ${n} 项未作回答。`,
  differentialNotAssessed: (code, message) => `未作鉴别诊断（${code}）：${zhAbstention(code, message)}`,
  differentialColumns: ['#', '诊断', '概率', '支持该诊断的症状（概率变化，由强到弱）'],
  cantMiss: '［不可漏诊］',
  listSeparator: '、',
  explanation: {
    state: { present: '有', absent: '无', unknown: '不详' },
    priorAlone: '无（仅先验概率）',
    notGiven: '未提供',
    imputed: '（插补）',
    imputedInputs: (names) => `插补的输入：${names}。`,
    none: '无',
    separator: '；',
    stop: '。',
  },
  criticalValues: (items) => `危急值：${items}。`,
  rangeFlags: { normal: '正常', low: '偏低', high: '偏高', 'critical-low': '危急低值', 'critical-high': '危急高值' },
  askNext: (items) => `值得下一步询问的症状：${items}。`,
  bits: (n) => `${n} 比特`,
  news2Risk: { low: '低', 'low-medium': '低至中（单项参数得 3 分）', medium: '中', high: '高' },
  news2Value: (score, risk) => `${score} 分，临床风险${risk}`,
  notScored: '未评分',
  notRecordedList: (items) => `未记录：${items}。`,
  noRedFlag: '规则未发现危险信号。',
  redFlagColumns: ['危险信号', '严重程度', '依据'],
  redFlagName: (code) => zhRedFlags[code] ?? code,
  redFlagReason: (f) => (f.reasonParts ? renderRedFlagReason(f.reasonParts, 'zh-CN', loadChineseClinicalNames()) : f.reason),
  severities: { critical: '危急', urgent: '紧急', warning: '警示' },
  riskResult: (label, p) => `${label}：${p}（初步）`,
  trainedOn: (scope) => `训练人群（模型说明原文）：${scope}。`,
  calibration: (summary) => `校准（模型说明原文）：${summary}。`,
  riskNotAssessed: (code) => `未评估（${code}）`,
  notRun: '未运行',
  notRunReason: (reason, missing) => `${reason}。${missing ? ` 缺少：${missing}。` : ''}`,
  riskInputsHeading: '录入的风险模型输入',
  noteCut: (limit, length) => `临床记录共 ${length} 个字符，此处截至第 ${limit} 个；FHIR 导出包含全文。`,
  noTriage: '本病例未存储早期预警评分。',
  noDifferential: '本病例未存储鉴别诊断。',
  kidney: (k) =>
    `eGFR ${k.egfr} mL/min/1.73 m²，KDIGO ${k.gStage}${k.albuminuria}：肌酐 ${k.creatinine} mg/dL，年龄 ${k.age} 岁，${k.sex}。公式：${k.formula}。`,
  albuminuria: (stage, approximate, note) => `，白蛋白尿 ${approximate ? '≈ ' : ''}${stage}${approximate ? `（${note}）` : ''}`,
  kidneySex: { female: '女', male: '男' },
  noRisk: '未运行风险模型。',
  riskColumns: ['模型', '结果', '影响结果的输入（概率变化）'],
  noImages: '未附影像。',
  imageLine: (kind, w, h, frames, at, sha) => `${kind.toUpperCase()}，${w}×${h}${frames > 1 ? `，${frames} 帧` : ''}，附加于 ${at}，sha256 ${sha}。`,
  measurementsIntro: (spacing) => `测量${spacing ? `（像素间距取自 ${spacing}）` : '（文件中无像素间距：单位为像素）'}：`,
  length: (value, unit) => `长度 ${value} ${zhPixelUnit(unit)}`,
  region: (mean, sd, count, area, unit) => `区域均值 ${mean}，标准差 ${sd}（${count} 个像素，${area} ${zhPixelUnit(unit)}）`,
  regionEmpty: '区域内没有像素',
  frame: (n) => `，第 ${n} 帧`,
  measuredAt: (from, to, at, by) => `；从 ${from} 到 ${to} 像素；${at}${by ? `，测量人 ${by}` : ''}`,
  imageNotShown: '未显示影像。',
  imageMessage: (frames, decoded, english) =>
    !decoded ? '未显示影像：无法解码该文件（原因见 FHIR 导出或应用日志）。' : english === null ? null : frames > 1 ? `共 ${frames} 帧，此为第 1 帧。` : english,
  asStored: '原始影像（显示窗）',
  segmentation: '分割（无类别概率）',
  imageRunLine: (id, version, sha, at, probabilities) => `${id} ${version}（sha256 ${sha}），运行于 ${at}：${probabilities}。`,
  overlayCaption: (meaning) => (meaning === 'saliency' ? '显著性图（红色）' : '血管概率（青色）'),
  captioned: (caption, message) => `${caption}。${message}`,
  parameter: (code, vitalName) => zhScoreParameters[code] ?? vitalName(code),
  overlayMessage: (status, _english, storedSha) =>
    ({
      verified: `叠加图由重新运行模型得到；其 sha256 与存储的运行一致（${storedSha}…）。`,
      'model-changed': '未显示叠加图：本应用的模型文件已不是该次运行所用的版本，无法按原样重绘。',
      'not-reproduced': `未显示叠加图：重新运行模型得到的叠加图与存储的运行（sha256 ${storedSha}…）不一致。`,
      failed: '未显示叠加图：重新运行模型失败，或影像无法解码。',
    })[status],
  imageLabel: (label) => zhImageLabels[label] ?? label,
  noDecisions: '未记录对建议的决定。',
  decisionColumns: ['时间', '医生', '建议（模型）', '条目', '决定', '理由'],
  unknownUser: '未知',
  actions: { accept: '采纳', reject: '拒绝', defer: '暂缓' },
  noFinal: '未记录最终诊断。',
  finalRows: ['诊断', 'ICD-10-CM', '记录'],
  notCoded: '未编码',
  by: (name) => `，记录人 ${name}`,
  noModels: '本病例未存储模型输出。',
  modelColumns: ['模型', '版本', '模型文件 sha256', '模型说明'],
  chainHead: (seq, hash) => `导出时审计链的链头（本次导出的审计事件之前）：序号 ${seq}，哈希 ${hash}。`,
  chainEmpty: '导出时审计链为空。',
  chainIntact: (events, at) => `审计链于 ${at} 校验完整，共 ${events} 个事件。`,
  chainBroken: (seq, reason) => `审计链在序号 ${seq} 处校验失败：${reason}。`,
  exportAudited: (seq) => `本次导出本身作为下一个审计事件记录（case.export，若其间无其他记录则序号为 ${seq}），其中记录本文件的 SHA-256 与上述链头。`,
  exportId: (id) => `导出编号 ${id}。`,
  replacedChars: (n) => `有 ${n} 个字符报告字体无法绘制，显示为 □；FHIR 导出保留原文。`,
  roles: { clinician: '临床医生', auditor: '审计员', admin: '管理员' },
};

export const reportSentences: Record<ReportLanguage, ReportSentences> = { en, 'zh-CN': zh };
