/**
 * A red flag's reason as data (which rule fired, on which findings and values), and its sentence in
 * each language the app offers. The rules build the parts once (redFlags.ts); the English sentence
 * with raw codes is `RedFlag.reason`, which `lantern triage` and FHIR print; the UI and the PDF render
 * the same parts with clinical names. A leaf (it imports nothing): the contract re-exports its types,
 * and the renderer and the app's report both render from it, so the words live here once.
 */

/** Fever as the rules saw it: a measured temperature ≥ 38.0 °C, or reported fever findings (with the reading now, if any). */
export type FeverEvidence = { kind: 'measured'; celsius: number } | { kind: 'reported'; findings: string[]; celsiusNow: number | null };

/** Altered consciousness: a measured ACVPU level other than alert, or (when not measured) the findings that say so. */
export type ConsciousnessEvidence = { kind: 'measured'; level: string } | { kind: 'reported'; findings: string[] };

/** A critical limit a lab value crossed: a guideline's (with its source) or the catalogue's (source null). */
export interface CrossedLimit {
  value: number;
  source: string | null;
}

/** Every kind of reason the rules give; `key` is closed, so each renderer's switch is checked exhaustive. */
export type RedFlagReason =
  | {
      key: 'sepsis';
      /** qSOFA ≥ 2 and the criteria met, with their values (null where that criterion was not met). */
      qsofa: { score: number; respiratoryRate: number | null; consciousness: string | null; systolicBp: number | null } | null;
      /** NEWS2 ≥ 5 with fever and/or chills. */
      news2: { score: number; fever: FeverEvidence | null; chills: boolean } | null;
    }
  | { key: 'meningitisFever'; fever: FeverEvidence }
  | { key: 'meningitisHeadache'; consciousness: ConsciousnessEvidence }
  | { key: 'strokeFast'; findings: string[]; /** mg/dL, where a measured glucose is low. */ lowGlucose: number | null }
  | { key: 'acs'; findings: string[] }
  | { key: 'syncope'; findings: string[] }
  | { key: 'news2High'; score: number }
  | { key: 'news2Medium'; score: number }
  | { key: 'news2SingleParameter'; score: number; /** NEWS2 parameter codes scoring 3. */ parameters: string[] }
  | { key: 'criticalVital'; vital: string; value: number; unit: string; direction: 'below' | 'above'; limit: number }
  | {
      key: 'criticalLab';
      loinc: string;
      /** The catalogue's English name. */ name: string;
      value: number;
      unit: string;
      direction: 'below' | 'above';
      limits: CrossedLimit[];
    };

export type RedFlagReasonKey = RedFlagReason['key'];

/** Names a sentence uses: findings (symptom codes), vital signs and NEWS2 parameters, labs, ACVPU levels, units. */
export interface ReasonNames {
  finding(code: string): string;
  vital(code: string): string;
  /** A NEWS2 parameter (News2Parameters key). */
  news2Parameter(code: string): string;
  lab(loinc: string, englishName: string): string;
  consciousness(level: string): string;
  unit(unit: string): string;
}

const fmt = (v: number): string => String(Math.round(v * 100) / 100);
const withUnit = (v: number, unit: string): string => (unit === '%' ? `${fmt(v)}%` : `${fmt(v)} ${unit}`);

function unreachable(x: never): never {
  throw new Error(`unknown red-flag reason ${JSON.stringify(x)}`);
}

/** English; with `codeNames` it is exactly the rules' `reason`. */
export function englishRedFlagReason(r: RedFlagReason, n: ReasonNames): string {
  const list = (codes: string[]) => codes.map((c) => n.finding(c)).join(', ');
  const fever = (f: FeverEvidence) =>
    f.kind === 'measured'
      ? `${n.vital('temperature')} ${fmt(f.celsius)} °C`
      : `${list(f.findings)} reported${f.celsiusNow !== null ? ` (${n.vital('temperature')} now ${fmt(f.celsiusNow)} °C)` : ''}`;
  switch (r.key) {
    case 'sepsis': {
      const why: string[] = [];
      if (r.qsofa !== null) {
        const q = r.qsofa;
        const parts = [
          q.respiratoryRate !== null ? `respiratory rate ${fmt(q.respiratoryRate)}/min` : null,
          q.consciousness !== null ? `consciousness ${n.consciousness(q.consciousness)}` : null,
          q.systolicBp !== null ? `systolic ${fmt(q.systolicBp)} mmHg` : null,
        ].filter((p): p is string => p !== null);
        why.push(`qSOFA ${q.score} (${parts.join(', ')})`);
      }
      if (r.news2 !== null) {
        const infection = [r.news2.fever ? fever(r.news2.fever) : null, r.news2.chills ? n.finding('chills') : null].filter((p): p is string => p !== null);
        why.push(`NEWS2 ${r.news2.score} with ${infection.join(' and ')}`);
      }
      return `${why.join('; ')}: assess for sepsis now`;
    }
    case 'meningitisFever':
      return `${n.finding('stiff_neck')} with fever (${fever(r.fever)})`;
    case 'meningitisHeadache': {
      const c = r.consciousness;
      const altered = c.kind === 'measured' ? `consciousness ${n.consciousness(c.level)}` : list(c.findings);
      return `${n.finding('stiff_neck')} with ${n.finding('headache')} and altered consciousness (${altered})`;
    }
    case 'strokeFast':
      return `FAST positive: ${list(r.findings)}${r.lowGlucose !== null ? `; glucose ${fmt(r.lowGlucose)} mg/dL is low: hypoglycaemia can mimic a stroke` : ''}`;
    case 'acs':
      return `${n.finding('chest_pain')} with ${list(r.findings)}: ECG and troponin now`;
    case 'syncope':
      return `${n.finding('syncope')} with ${list(r.findings)}: ECG now; consider arrhythmia, ACS, pulmonary embolism, aortic dissection`;
    case 'news2High':
      return `NEWS2 ${r.score}: emergency assessment by a clinical team with critical-care competencies`;
    case 'news2Medium':
      return `NEWS2 ${r.score}: urgent review by a clinician`;
    case 'news2SingleParameter':
      return `NEWS2 ${r.score} with ${r.parameters.map((p) => n.news2Parameter(p)).join(', ')} scoring 3: urgent ward-based review`;
    case 'criticalVital': {
      const u = n.unit(r.unit);
      return `${n.vital(r.vital)} ${withUnit(r.value, u)} is ${r.direction} the critical limit ${withUnit(r.limit, u)}`;
    }
    case 'criticalLab': {
      const u = n.unit(r.unit);
      const crossed = r.limits.map((l) =>
        l.source === null ? `the catalogue's critical limit ${withUnit(l.value, u)}` : `${withUnit(l.value, u)} (${l.source})`,
      );
      return `${n.lab(r.loinc, r.name)} ${withUnit(r.value, u)} is ${r.direction} ${crossed.join(' and ')}`;
    }
    default:
      return unreachable(r);
  }
}

/** Simplified Chinese, in the wording of the zh-CN UI (renderer/src/i18n/zh-CN.json). */
export function chineseRedFlagReason(r: RedFlagReason, n: ReasonNames): string {
  const list = (codes: string[]) => codes.map((c) => n.finding(c)).join('、');
  const fever = (f: FeverEvidence) =>
    f.kind === 'measured'
      ? `${n.vital('temperature')} ${fmt(f.celsius)} °C`
      : `自述${list(f.findings)}${f.celsiusNow !== null ? `（当前${n.vital('temperature')} ${fmt(f.celsiusNow)} °C）` : ''}`;
  switch (r.key) {
    case 'sepsis': {
      const why: string[] = [];
      if (r.qsofa !== null) {
        const q = r.qsofa;
        const parts = [
          q.respiratoryRate !== null ? `${n.vital('respiratoryRate')} ${fmt(q.respiratoryRate)} 次/分` : null,
          q.consciousness !== null ? `意识：${n.consciousness(q.consciousness)}` : null,
          q.systolicBp !== null ? `${n.vital('systolicBp')} ${fmt(q.systolicBp)} mmHg` : null,
        ].filter((p): p is string => p !== null);
        why.push(`qSOFA ${q.score} 分（${parts.join('、')}）`);
      }
      if (r.news2 !== null) {
        const infection = [r.news2.fever ? fever(r.news2.fever) : null, r.news2.chills ? n.finding('chills') : null].filter((p): p is string => p !== null);
        why.push(`NEWS2 ${r.news2.score} 分伴${infection.join('及')}`);
      }
      return `${why.join('；')}：立即评估是否脓毒症`;
    }
    case 'meningitisFever':
      return `${n.finding('stiff_neck')}伴发热（${fever(r.fever)}）`;
    case 'meningitisHeadache': {
      const c = r.consciousness;
      const altered = c.kind === 'measured' ? `意识：${n.consciousness(c.level)}` : list(c.findings);
      return `${n.finding('stiff_neck')}伴${n.finding('headache')}及意识改变（${altered}）`;
    }
    case 'strokeFast':
      return `FAST 阳性：${list(r.findings)}${r.lowGlucose !== null ? `；血糖 ${fmt(r.lowGlucose)} mg/dL 偏低：低血糖可类似卒中` : ''}`;
    case 'acs':
      return `${n.finding('chest_pain')}伴${list(r.findings)}：立即行心电图及肌钙蛋白检查`;
    case 'syncope':
      return `${n.finding('syncope')}伴${list(r.findings)}：立即行心电图；考虑心律失常、急性冠脉综合征、肺栓塞、主动脉夹层`;
    case 'news2High':
      return `NEWS2 ${r.score} 分：由具备重症救治能力的临床团队紧急评估`;
    case 'news2Medium':
      return `NEWS2 ${r.score} 分：由临床医师紧急评估`;
    case 'news2SingleParameter':
      return `NEWS2 ${r.score} 分，其中${r.parameters.map((p) => n.news2Parameter(p)).join('、')}单项得 3 分：紧急床旁评估`;
    case 'criticalVital': {
      const u = n.unit(r.unit);
      return `${n.vital(r.vital)} ${withUnit(r.value, u)}，${r.direction === 'below' ? '低于危急下限' : '高于危急上限'} ${withUnit(r.limit, u)}`;
    }
    case 'criticalLab': {
      const u = n.unit(r.unit);
      const bound = r.direction === 'below' ? '下限' : '上限';
      const crossed = r.limits.map((l) =>
        l.source === null ? `目录危急值${bound} ${withUnit(l.value, u)}` : `${withUnit(l.value, u)}（${chineseGuidelineSources[l.source] ?? l.source}）`,
      );
      return `${n.lab(r.loinc, r.name)} ${withUnit(r.value, u)}，${r.direction === 'below' ? '低于' : '高于'}${crossed.join('及')}`;
    }
    default:
      return unreachable(r);
  }
}

/** The guideline limits' sources (redFlags.ts guidelineLimits) as a Chinese reader cites them. */
export const chineseGuidelineSources: Readonly<Record<string, string>> = {
  'ADA Standards of Care 2024, level 2 hypoglycaemia': '美国糖尿病协会（ADA）诊疗标准 2024，2 级低血糖',
  'UK Kidney Association 2020, severe hyperkalaemia': '英国肾脏病协会（UKKA）2020，重度高钾血症',
};

/** The rules' own words for vital signs in `reason`. */
const codeParameterWords: Readonly<Record<string, string>> = {
  temperature: 'temperature',
  heartRate: 'heart rate',
  respiratoryRate: 'respiratory rate',
  systolicBp: 'systolic pressure',
  diastolicBp: 'diastolic pressure',
  spo2: 'SpO2',
};

/** The names `RedFlag.reason` has always printed: finding and ACVPU codes as they are, NEWS2 parameter keys as they are. */
export const codeNames: ReasonNames = {
  finding: (code) => code,
  vital: (code) => codeParameterWords[code] ?? code,
  news2Parameter: (code) => code,
  lab: (_loinc, englishName) => englishName,
  consciousness: (level) => level,
  unit: (unit) => unit,
};

/** UCUM code form to the printed form: 10*3/uL → ×10³/µL; units without either part are unchanged. The app (clinicalNames.ts) and the renderer (labNames.ts) use this one. */
export function displayUnit(ucum: string): string {
  const superscript: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
  return ucum.replace(/^10\*(\d+)/, (_m, exp: string) => `×10${[...exp].map((d) => superscript[d]).join('')}`).replace(/(^|\/)u(L|g|mol)\b/g, '$1µ$2');
}

/** "stiff_neck" → "stiff neck". */
const words = (code: string): string => code.replace(/[_\s]+/g, ' ').trim();

const englishWords = {
  parameters: { ...codeParameterWords, airOrOxygen: 'air or oxygen', consciousness: 'consciousness' } as Record<string, string>,
  consciousness: {
    alert: 'alert',
    'new-confusion': 'new confusion',
    voice: 'responds to voice',
    pain: 'responds to pain',
    unresponsive: 'unresponsive',
  } as Record<string, string>,
};

const chineseWords = {
  // The two findings only the rules read (triageOnlyFindings): the clinical-name table has no entry for them.
  findings: { facial_droop: '口角歪斜', syncope: '晕厥' } as Record<string, string>,
  parameters: { airOrOxygen: '空气或吸氧', consciousness: '意识' } as Record<string, string>,
  consciousness: { alert: '清醒', 'new-confusion': '新发意识混乱', voice: '对声音有反应', pain: '对疼痛有反应', unresponsive: '无反应' } as Record<
    string,
    string
  >,
};

/** The clinical-name table's parts a reason needs (models/artefacts/vocab/clinicalNames.zh-CN.json; the contract's ClinicalNameTable). */
export interface ReasonNameTable {
  symptoms: Record<string, string>;
  labs: Record<string, string>;
  vitals: Record<string, string>;
}

export type ReasonLanguage = 'en' | 'zh-CN';

/** The sentence a clinician reads: clinical names, display units; English starts with a capital. */
export function renderRedFlagReason(r: RedFlagReason, language: ReasonLanguage, chineseNames: ReasonNameTable | null): string {
  if (language === 'zh-CN') {
    const t = chineseNames;
    return chineseRedFlagReason(r, {
      finding: (code) => t?.symptoms[code] ?? chineseWords.findings[code] ?? words(code),
      vital: (code) => t?.vitals[code] ?? code,
      news2Parameter: (code) => t?.vitals[code] ?? chineseWords.parameters[code] ?? code,
      lab: (loinc, englishName) => t?.labs[loinc] ?? englishName,
      consciousness: (level) => chineseWords.consciousness[level] ?? level,
      unit: displayUnit,
    });
  }
  const text = englishRedFlagReason(r, {
    finding: words,
    vital: (code) => englishWords.parameters[code] ?? words(code),
    news2Parameter: (code) => englishWords.parameters[code] ?? words(code),
    lab: (_loinc, englishName) => englishName,
    consciousness: (level) => englishWords.consciousness[level] ?? level,
    unit: displayUnit,
  });
  // qSOFA is spelt with a small q.
  return text.startsWith('qSOFA') ? text : text.charAt(0).toUpperCase() + text.slice(1);
}
