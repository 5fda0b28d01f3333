/**
 * Note sections from their headings (English and Chinese), so that a finding under "Past medical history:" or
 * "家族史：" gets the assertion its section implies (ConText scopes stop at ":" and at sentence ends, so a heading
 * never reaches the list below it on its own).
 *
 * A heading is a known name at the start of the text, of a line, or of a sentence (after . ; 。 ；), optionally in
 * 【】 or [] brackets, followed by ":" / "：" (or the closing bracket). A section runs to the next heading, or
 * sooner (see sectionEnd).
 */

export type SectionKind =
  | 'chief_complaint'
  | 'present_illness'
  | 'past_history'
  | 'family_history'
  | 'social_history'
  | 'review_of_systems'
  | 'examination'
  | 'investigations'
  | 'medications'
  | 'allergies'
  | 'assessment_plan';

const HEADINGS: Record<SectionKind, string[]> = {
  chief_complaint: ['chief complaint', 'presenting complaint', 'reason for visit', 'cc', 'pc', '主诉'],
  present_illness: ['history of present illness', 'history of presenting illness', 'present illness', 'hpi', 'hpc', '现病史'],
  past_history: [
    'past medical history',
    'past medical hx',
    'past history',
    'medical history',
    'past surgical history',
    'pmh',
    'pmhx',
    'psh',
    'pmh/psh',
    '既往史',
    '既往病史',
    '过去史',
    '既往',
    '手术史',
  ],
  family_history: ['family history', 'family hx', 'fh', 'fhx', '家族史'],
  social_history: ['social history', 'social hx', 'sh', 'shx', '个人史', '婚育史', '月经史', '婚姻史', '生育史'],
  review_of_systems: ['review of systems', 'ros', '系统回顾'],
  examination: ['physical examination', 'physical exam', 'examination', 'exam', 'o/e', '体格检查', '查体', '专科检查', '体检'],
  investigations: ['investigations', 'labs', 'laboratory', 'imaging', 'results', '辅助检查', '实验室检查', '检查结果'],
  medications: ['medications', 'current medications', 'meds', 'drug history', '用药史', '目前用药', '用药'],
  allergies: ['allergies', 'allergy', 'nkda', '过敏史'],
  assessment_plan: [
    'assessment and plan',
    'assessment/plan',
    'assessment & plan',
    'a/p',
    'a&p',
    'assessment',
    'impression and plan',
    'impression',
    'plan',
    'diagnosis',
    'diagnoses',
    'differential diagnosis',
    'ddx',
    '初步诊断',
    '入院诊断',
    '出院诊断',
    '诊断',
    '鉴别诊断',
    '诊疗计划',
    '治疗计划',
    '处理意见',
    '处理',
    '计划',
  ],
};

export interface NoteSection {
  kind: SectionKind;
  /** offset of the heading */
  start: number;
  /** offset after the heading and its colon */
  bodyStart: number;
  /** offset where the section's body ends (its line, its block, or the next heading) */
  end: number;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
const NAMES: [string, SectionKind][] = (Object.entries(HEADINGS) as [SectionKind, string[]][])
  .flatMap(([kind, names]) => names.map((n) => [n, kind] as [string, SectionKind]))
  .sort((a, b) => b[0].length - a[0].length);
const KIND_OF = new Map(NAMES.map(([n, k]) => [n.replace(/\s+/g, ' '), k]));
// start of text / line / sentence, optional bullet or bracket, a heading name, then a colon or closing bracket
const HEADING_RE = new RegExp(
  `(^|\\n|[.;\\u3002\\uff1b]\\s+|[\\u3002\\uff1b])([ \\t]*(?:[-*\\u2022]\\s*)?)([\\[\\u3010]?)(${NAMES.map(([n]) => escape(n)).join('|')})\\s*([:\\uff1a]|[\\]\\u3011]\\s*[:\\uff1a]?)`,
  'giu',
);

const BACK_TO_PRESENT =
  /[.;\u3002\uff1b]\s*(?:(?:presents|presenting|presented|now|today|currently|pt|patient|he|she|c\/o|complains|reports|denies)\b|患者|患儿|现|今日|本次|此次|目前)/i;

/**
 * Where a section's body ends, before the next heading: "PMH: HTN, DM." (text after the heading on its line) ends
 * at that line's end, so the next line ("Pt reports cough") is not history, or sooner, at a sentence on that line
 * that starts with the patient or the presentation (BACK_TO_PRESENT); a heading alone on its line
 * ("Past medical history:" then "- hypertension" lines) runs to the first blank line.
 */
function sectionEnd(text: string, bodyStart: number): number {
  const nl = text.indexOf('\n', bodyStart);
  const lineEnd = nl < 0 ? text.length : nl;
  if (text.slice(bodyStart, lineEnd).trim() !== '') {
    // on the same line, a sentence that starts with the patient or the presentation is no longer the section
    // ("PMH: asthma, GERD. Presents with wheeze.")
    const back = BACK_TO_PRESENT.exec(text.slice(bodyStart, lineEnd));
    return back === null ? lineEnd : bodyStart + back.index + 1;
  }
  const blank = /\n[ \t\r]*\n/g;
  blank.lastIndex = lineEnd;
  const m = blank.exec(text);
  return m === null ? text.length : m.index;
}

export function findSections(text: string): NoteSection[] {
  const out: NoteSection[] = [];
  HEADING_RE.lastIndex = 0;
  for (let m = HEADING_RE.exec(text); m !== null; m = HEADING_RE.exec(text)) {
    const name = m[4]!.toLowerCase().replace(/\s+/g, ' ');
    const kind = KIND_OF.get(name);
    if (kind === undefined) continue;
    const start = m.index + m[1]!.length + m[2]!.length;
    const bodyStart = m.index + m[0].length;
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.end > start) prev.end = start;
    out.push({ kind, start, bodyStart, end: sectionEnd(text, bodyStart) });
    if (m[0].length === 0) HEADING_RE.lastIndex++;
  }
  return out;
}

/** The section holding offset `pos` (binary search over findSections' output), or null before any heading. */
export function sectionAt(sections: readonly NoteSection[], pos: number): NoteSection | null {
  let lo = 0;
  let hi = sections.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sections[mid]!.start <= pos) lo = mid + 1;
    else hi = mid;
  }
  const s = sections[lo - 1];
  return s !== undefined && pos >= s.bodyStart && pos < s.end ? s : null;
}
