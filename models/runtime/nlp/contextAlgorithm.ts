/**
 * ConText (Harkema et al. 2009; NegEx, Chapman et al. 2001) over the rules in contextRules.json, which
 * models/training/nlp/build_context_rules.py generates from the medspaCy ConText rules and the NegEx/GenConText
 * trigger lists in ../shared/data/nlp/negation.
 *
 * Per sentence:
 *  1. Tokenise (project tokeniser), ASCII-lowercase, read ’ as ', and rewrite contractions "didn't" -> "did not".
 *  2. Find every rule sequence (trie). A match overlapped by a strictly longer one is dropped; equally long
 *     overlapping matches all stay (so "is negative for" keeps backward "is negative" and forward "negative for"). Pseudo-triggers (PSEUDO) take part in this
 *     and are then dropped: "no increase" (pseudo) swallows "no" (trigger).
 *  3. Each remaining FORWARD / BACKWARD / BIDIRECTIONAL trigger gets a scope: to the sentence end (start), or to
 *     the first TERMINATE match of the same category (or of the category it asserts), or to a rule's maxScope (GenConText "one word" triggers),
 *     or to one of these Lantern clause boundaries (not in ConText itself; see CLAUSE_* below):
 *       - ";" and ":" inside the scope (every category; "Nausea: no, vomiting: yes");
 *       - "," or "and" followed by a number ("no fever, 3 days of cough") (every category);
 *       - for negation, possibility and history: a subject pronoun or a reporting / auxiliary verb
 *         ("no fever, she reports cough"; "denies fever but has cough"), or "," / "and" followed by
 *         the / his / her / their ("no effusion, the heart is enlarged");
 *       - backward scopes also stop at "," and ":" ("cough present, pneumonia unlikely"), but pass auxiliaries
 *         ("cough is absent", "cultures were negative").
 *  4. A target gets every category whose scope holds the target's first token, ignoring triggers that overlap
 *     the target itself ("lack of appetite" is a symptom, not a negated "appetite") and categories the caller
 *     exempts (a "family history" finding is not "other experiencer").
 *  4b. A date in a past year ("in 2010", "03/2015", "2010年") is a HISTORICAL trigger both ways (pastDateMatches).
 *  5. One assertion, by priority: family > hypothetical > absent > possible > historical > present; a trigger with
 *     `assertAs` ("resolved", "no longer", 已缓解) counts as negation but asserts that category instead.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { tokenise } from './tokenise';

export type Assertion = 'present' | 'absent' | 'possible' | 'historical' | 'hypothetical' | 'family';
export type ContextCategory = 'NEGATED_EXISTENCE' | 'POSSIBLE_EXISTENCE' | 'HISTORICAL' | 'HYPOTHETICAL' | 'FAMILY';
export type ContextDirection = 'FORWARD' | 'BACKWARD' | 'BIDIRECTIONAL' | 'TERMINATE' | 'PSEUDO';

export const CATEGORIES: readonly ContextCategory[] = ['NEGATED_EXISTENCE', 'POSSIBLE_EXISTENCE', 'HISTORICAL', 'HYPOTHETICAL', 'FAMILY'];
const DIRECTIONS: readonly ContextDirection[] = ['FORWARD', 'BACKWARD', 'BIDIRECTIONAL', 'TERMINATE', 'PSEUDO'];

/** Assertion priority when several categories apply (first wins). */
export const ASSERTION_PRIORITY: readonly [ContextCategory, Assertion][] = [
  ['FAMILY', 'family'],
  ['HYPOTHETICAL', 'hypothetical'],
  ['NEGATED_EXISTENCE', 'absent'],
  ['POSSIBLE_EXISTENCE', 'possible'],
  ['HISTORICAL', 'historical'],
];

export interface ContextRule {
  literal: string;
  category: ContextCategory;
  direction: ContextDirection;
  sources: string[];
  maxScope?: number;
  /**
   * The category this trigger gives the assertion instead of its own: "resolved" / "no longer" negate the finding
   * now (negated stays true) but the assertion is HISTORICAL (it was there), not absent.
   */
  assertAs?: ContextCategory;
  sequences: string[][];
}

export interface ContextRuleFile {
  format: 'lantern-context-rules/1';
  tokeniser: string;
  rules: ContextRule[];
}

interface TrieNode {
  next: Map<string, TrieNode>;
  rules: ContextRule[];
}

export interface ContextRuleSet {
  rules: readonly ContextRule[];
  /** sha256 of the rules file these came from, when loaded through the NLP manifest. */
  sha256?: string;
  readonly trie: TrieNode;
  readonly maxLength: number;
}

export class ContextRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContextRuleError';
  }
}

export function parseContextRules(json: unknown, sha256?: string): ContextRuleSet {
  const f = json as Partial<ContextRuleFile> | null;
  if (f === null || typeof f !== 'object' || f.format !== 'lantern-context-rules/1' || !Array.isArray(f.rules)) {
    throw new ContextRuleError('not a lantern-context-rules/1 file');
  }
  const root: TrieNode = { next: new Map(), rules: [] };
  let maxLength = 0;
  for (const r of f.rules) {
    if (
      typeof r?.literal !== 'string' ||
      !CATEGORIES.includes(r.category) ||
      !DIRECTIONS.includes(r.direction) ||
      !Array.isArray(r.sequences) ||
      (r.maxScope !== undefined && (typeof r.maxScope !== 'number' || r.maxScope < 1)) ||
      (r.assertAs !== undefined && !CATEGORIES.includes(r.assertAs))
    ) {
      throw new ContextRuleError(`malformed rule ${JSON.stringify(r).slice(0, 120)}`);
    }
    for (const seq of r.sequences) {
      if (!Array.isArray(seq) || seq.length === 0 || !seq.every((t) => typeof t === 'string' && t !== '')) {
        throw new ContextRuleError(`malformed sequence in rule "${r.literal}"`);
      }
      let node = root;
      for (const t of seq) {
        let nx = node.next.get(t);
        if (nx === undefined) {
          nx = { next: new Map(), rules: [] };
          node.next.set(t, nx);
        }
        node = nx;
      }
      if (!node.rules.includes(r)) node.rules.push(r);
      maxLength = Math.max(maxLength, seq.length);
    }
  }
  return { rules: f.rules, trie: root, maxLength, ...(sha256 !== undefined ? { sha256 } : {}) };
}

/** Reads a rules file directly (no manifest check); the app goes through nlpModels.ts, which verifies sha256. */
export function loadContextRulesFile(file: string): ContextRuleSet {
  return parseContextRules(JSON.parse(fs.readFileSync(path.resolve(file), 'utf8')));
}

// ------------------------------------------------------------------------------------------ tokens

export interface ContextToken {
  /** normalised form used for matching */
  norm: string;
  /** character offsets into the original text */
  start: number;
  end: number;
}

const CONTRACTED: Record<string, string> = { can: 'can', won: 'will', ain: 'is', shan: 'shall' };
/** Full-width punctuation read as its ASCII boundary ("，" stays itself: it is a clause boundary in Chinese). */
const FULL_WIDTH: Record<string, string> = { '\uff1b': ';', '\uff1a': ':', '\u3002': '.', '\uff1f': '?', '\uff01': '!' };

/** Work counter: callers pass one to measure the steps taken (tests assert linear work, not wall time). */
export interface ContextWork {
  steps: number;
}

/** Tokens of text[start, end) with matching forms; offsets are into `text`. */
export function contextTokens(text: string, start = 0, end = text.length): ContextToken[] {
  const raw = tokenise(text.slice(start, end), start);
  const out: ContextToken[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i]!;
    let norm = t.text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
    if (norm === '\u2019' || norm === '\u2018' || norm === '`') norm = "'";
    norm = FULL_WIDTH[norm] ?? norm;
    const ap = raw[i + 1];
    const tt = raw[i + 2];
    // "didn't" = didn ' t, adjacent, -> did not
    if (ap !== undefined && tt !== undefined && ap.start === t.end && tt.start === ap.end && /^['\u2019]$/.test(ap.text) && /^[tT]$/.test(tt.text)) {
      const known = CONTRACTED[norm];
      if (known !== undefined || (norm.length > 1 && norm.endsWith('n'))) {
        const baseEnd = known !== undefined ? (norm === 'can' ? t.end : t.end - 1) : t.end - 1;
        const base = known ?? norm.slice(0, -1);
        if (baseEnd > t.start) out.push({ norm: base, start: t.start, end: baseEnd });
        out.push({ norm: 'not', start: baseEnd > t.start ? baseEnd : t.start, end: tt.end });
        i += 2;
        continue;
      }
    }
    out.push({ norm, start: t.start, end: t.end });
  }
  return out;
}

// ------------------------------------------------------------------------------------------ matching

export interface ModifierMatch {
  rule: ContextRule;
  /** token indices, end exclusive */
  startTok: number;
  endTok: number;
}

/**
 * Every rule match, then overlap resolution. Linear in the number of tokens: the trie walk from each token is at
 * most maxLength deep, and the overlap check reads a per-token "longest kept match covering this token" array
 * (a match is bounded by maxLength tokens) instead of comparing every pair of matches.
 */
export function findModifiers(tokens: readonly ContextToken[], rules: ContextRuleSet, work?: ContextWork, cuts?: Uint8Array): ModifierMatch[] {
  const all: ModifierMatch[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let node: TrieNode | undefined = rules.trie;
    for (let j = i; j < tokens.length && j - i < rules.maxLength; j++) {
      if (work) work.steps++;
      // no trigger across a cut: it may not start before one and end after it
      if (j > i && cuts !== undefined && cuts[j] === 1) break;
      node = node.next.get(tokens[j]!.norm);
      if (node === undefined) break;
      for (const rule of node.rules) all.push({ rule, startTok: i, endTok: j + 1 });
    }
  }
  // A match is dropped when a strictly longer match overlaps it; equally long overlapping matches are all kept
  // ("is negative for": backward "is negative" and forward "negative for" both stand).
  all.sort((a, b) => b.endTok - b.startTok - (a.endTok - a.startTok) || a.startTok - b.startTok);
  const cover = new Uint16Array(tokens.length); // length of the longest kept match over each token
  const kept: ModifierMatch[] = [];
  for (const m of all) {
    const len = m.endTok - m.startTok;
    let clash = false;
    for (let t = m.startTok; t < m.endTok && !clash; t++) clash = cover[t]! > len;
    if (work) work.steps += len;
    if (clash) continue;
    kept.push(m);
    for (let t = m.startTok; t < m.endTok; t++) if (cover[t]! < len) cover[t] = len;
  }
  kept.sort((a, b) => a.startTok - b.startTok || a.endTok - b.endTok);
  return kept.filter((m) => m.rule.direction !== 'PSEUDO');
}

// ------------------------------------------------------------------------------------------ scopes

const NUMBER_WORDS = new Set([
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'several',
  'few',
  'couple',
  'many',
  'multiple',
]);
/** Subject pronouns and reporting / auxiliary verbs that open a new clause (negation, possibility, history). */
const CLAUSE_CUES = new Set([
  'he',
  'she',
  'they',
  'we',
  'i',
  'patient',
  'pt',
  'who',
  'which',
  'has',
  'have',
  'had',
  'is',
  'was',
  'are',
  'were',
  'reports',
  'reported',
  'reporting',
  'endorses',
  'endorsed',
  'endorsing',
  'notes',
  'noted',
  'complains',
  'complained',
  'complaining',
  'states',
  'stated',
  'presents',
  'presented',
  'presenting',
  'developed',
  'develops',
  'started',
  'starts',
  'began',
  'begins',
  'shows',
  'showed',
  'reveals',
  'revealed',
  'demonstrates',
  'demonstrated',
  'admits',
  'admitted',
  'describes',
  'described',
  'experiences',
  'experienced',
  'feels',
  'felt',
  'got',
  'gets',
  'but',
]);
/**
 * Chinese clause openers (character sequences; the tokeniser gives one token per Han character): "有" (has),
 * "伴" (with), "出现" (developed), "诉" (reports), "但" (but), "自觉" / "感到" (feels), "患者" (the patient) ... and the
 * full-width comma, which in Chinese notes separates clauses (lists after 无 / 否认 use "、"). Single characters that
 * start common terms are left out (感 in 感冒 / 感染, 现 in 现病史, 并 in 并发症).
 */
const ZH_CLAUSE_CUES: readonly string[][] = [
  ['有'],
  ['伴'],
  ['出', '现'],
  ['诉'],
  ['但'],
  ['自', '觉'],
  ['自', '感'],
  ['感', '到'],
  ['患', '者'],
  ['并', '且'],
  ['并', '有'],
  ['可', '见'],
  ['仍'],
  ['现', '有'],
  ['，'],
];
const AUXILIARIES = new Set(['is', 'was', 'are', 'were', 'has', 'have', 'had']);
const CLAUSE_DETERMINERS = new Set(['the', 'his', 'her', 'their', 'this', 'that', 'these', 'those']);
const CLAUSE_CUE_CATEGORIES = new Set<ContextCategory>(['NEGATED_EXISTENCE', 'POSSIBLE_EXISTENCE', 'HISTORICAL']);

function isNumberToken(norm: string): boolean {
  return /^[0-9一二三四五六七八九十两半数]/.test(norm) || NUMBER_WORDS.has(norm);
}

interface Scope {
  match: ModifierMatch;
  start: number; // token index, inclusive
  end: number; // exclusive
}

/**
 * Scopes of every trigger in O(tokens + triggers): the next / previous boundary of each kind is precomputed for
 * every token in one pass each way, so a trigger's scope is a lookup, not a scan to the sentence end.
 */
function computeScopes(tokens: readonly ContextToken[], mods: readonly ModifierMatch[], work?: ContextWork): Scope[] {
  const n = tokens.length;
  const hard = new Uint8Array(n); // ends every forward scope
  const cue = new Uint8Array(n); // ends forward scopes of the clause-cue categories
  const backHard = new Uint8Array(n); // ends every backward scope
  const backCue = new Uint8Array(n); // ends backward scopes of the clause-cue categories
  for (let t = 0; t < n; t++) {
    const norm = tokens[t]!.norm;
    const nextNorm = tokens[t + 1]?.norm;
    const comma = norm === ',' || norm === 'and' || norm === '\uff0c';
    if (norm === ';' || norm === ':' || (comma && nextNorm !== undefined && isNumberToken(nextNorm))) hard[t] = 1;
    let zhCue = false;
    for (const seq of ZH_CLAUSE_CUES) {
      if (seq[0] !== norm) continue;
      let ok = true;
      for (let k = 1; k < seq.length && ok; k++) ok = tokens[t + k]?.norm === seq[k];
      if (ok) zhCue = true;
    }
    if (CLAUSE_CUES.has(norm) || zhCue || (comma && nextNorm !== undefined && CLAUSE_DETERMINERS.has(nextNorm))) cue[t] = 1;
    if (norm === ';' || norm === ',' || norm === ':' || norm === '\uff0c') backHard[t] = 1;
    if ((CLAUSE_CUES.has(norm) && !AUXILIARIES.has(norm)) || (zhCue && norm !== '有')) backCue[t] = 1;
  }
  if (work) work.steps += n * (1 + ZH_CLAUSE_CUES.length / 4);
  // termination triggers per category
  const termStart = new Map<ContextCategory, Uint8Array>();
  const termEnd = new Map<ContextCategory, Uint8Array>();
  for (const m of mods) {
    if (m.rule.direction !== 'TERMINATE') continue;
    const c = m.rule.category;
    if (!termStart.has(c)) termStart.set(c, new Uint8Array(n));
    if (!termEnd.has(c)) termEnd.set(c, new Uint8Array(n));
    termStart.get(c)![m.startTok] = 1;
    termEnd.get(c)![m.endTok - 1] = 1;
  }
  // next[t]: first index >= t with the flag (n if none); prev[t]: last index <= t with the flag (-1 if none)
  const next = (flags: Uint8Array): Int32Array => {
    const a = new Int32Array(n + 1);
    a[n] = n;
    for (let t = n - 1; t >= 0; t--) a[t] = flags[t] ? t : a[t + 1]!;
    if (work) work.steps += n;
    return a;
  };
  const prev = (flags: Uint8Array): Int32Array => {
    const a = new Int32Array(n);
    for (let t = 0; t < n; t++) a[t] = flags[t] ? t : t > 0 ? a[t - 1]! : -1;
    if (work) work.steps += n;
    return a;
  };
  const nextHard = next(hard);
  const nextCue = next(cue);
  const prevBackHard = prev(backHard);
  const prevBackCue = prev(backCue);
  const nextTerm = new Map([...termStart].map(([c, f]) => [c, next(f)] as const));
  const prevTerm = new Map([...termEnd].map(([c, f]) => [c, prev(f)] as const));

  const scopes: Scope[] = [];
  for (const m of mods) {
    if (work) work.steps++;
    const dir = m.rule.direction;
    if (dir === 'TERMINATE' || dir === 'PSEUDO') continue;
    const cat = m.rule.category;
    const cues = CLAUSE_CUE_CATEGORIES.has(cat);
    const termCats = m.rule.assertAs === undefined || m.rule.assertAs === cat ? [cat] : [cat, m.rule.assertAs];
    if (dir === 'FORWARD' || dir === 'BIDIRECTIONAL') {
      const from = m.endTok;
      let end = from >= n ? n : nextHard[from]!;
      if (cues && from < n) end = Math.min(end, nextCue[from]!);
      // a trigger read as another category ("evaluate for": negation asserted possible) also stops at that
      // category's terminators ("evaluate for TB given weight loss")
      for (const c of termCats) {
        const nt = nextTerm.get(c);
        if (nt !== undefined && from < n) end = Math.min(end, nt[from]!);
      }
      if (m.rule.maxScope !== undefined) end = Math.min(end, m.endTok + m.rule.maxScope);
      scopes.push({ match: m, start: m.endTok, end });
    }
    if (dir === 'BACKWARD' || dir === 'BIDIRECTIONAL') {
      // auxiliaries belong to the predicate of a backward trigger ("cough is absent", "cultures were negative")
      const from = m.startTok - 1;
      let stop = from >= 0 ? prevBackHard[from]! : -1;
      if (cues && from >= 0) stop = Math.max(stop, prevBackCue[from]!);
      for (const c of termCats) {
        const pt = prevTerm.get(c);
        if (pt !== undefined && from >= 0) stop = Math.max(stop, pt[from]!);
      }
      let start = stop + 1;
      if (m.rule.maxScope !== undefined) start = Math.max(start, m.startTok - m.rule.maxScope);
      scopes.push({ match: m, start, end: m.startTok });
    }
  }
  return scopes;
}

/** "should <finding> develop": the finding between "should" and the verb is hypothetical. */
const SHOULD_RULE: ContextRule = { literal: 'should ... develop', category: 'HYPOTHETICAL', direction: 'FORWARD', sources: ['lantern'], sequences: [] };
const SHOULD_VERBS = new Set([
  'develop',
  'develops',
  'occur',
  'occurs',
  'recur',
  'recurs',
  'worsen',
  'worsens',
  'persist',
  'persists',
  'appear',
  'appears',
  'arise',
  'return',
  'returns',
  'happen',
]);
const SHOULD_LOOKAHEAD = 10;

/**
 * A trigger with a gap, which literal rules cannot express ("Should fever or rash develop, return"): "should"
 * followed, within SHOULD_LOOKAHEAD tokens and before , ; : or a full stop, by develop / occur / recur / worsen /
 * persist / appear. The scope is the tokens in between. Bounded look-ahead, so still linear.
 */
function shouldDevelopScopes(tokens: readonly ContextToken[], work?: ContextWork): Scope[] {
  const out: Scope[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.norm !== 'should') continue;
    for (let j = i + 1; j < tokens.length && j <= i + SHOULD_LOOKAHEAD; j++) {
      if (work) work.steps++;
      const norm = tokens[j]!.norm;
      if (norm === ',' || norm === ';' || norm === ':' || norm === '.' || norm === '\uff0c') break;
      if (SHOULD_VERBS.has(norm)) {
        if (j > i + 1) out.push({ match: { rule: SHOULD_RULE, startTok: i, endTok: i + 1 }, start: i + 1, end: j });
        break;
      }
    }
  }
  return out;
}

/** A year in the past ("treated for TB in 2010", "在2010年曾患结核") puts its clause in the past. */
const PAST_DATE_RULE: ContextRule = { literal: '<past year>', category: 'HISTORICAL', direction: 'BIDIRECTIONAL', sources: ['lantern'], sequences: [] };
const MONTHS = new Set([
  'jan',
  'january',
  'feb',
  'february',
  'mar',
  'march',
  'apr',
  'april',
  'may',
  'jun',
  'june',
  'jul',
  'july',
  'aug',
  'august',
  'sep',
  'sept',
  'september',
  'oct',
  'october',
  'nov',
  'november',
  'dec',
  'december',
  'spring',
  'summer',
  'autumn',
  'fall',
  'winter',
  'early',
  'late',
  'mid',
]);
/** Words before a date that make it a point in time ("in 2010", "during 2015"). */
const AT_DATE = new Set(['in', 'during', 'circa', 'around', 'of', 'year', 'dated', 'on']);
/** A date after these starts something still going on ("since 2020", "自2020年以来"): not history. */
const ONGOING_BEFORE = new Set(['since', 'from', 'until', 'till', 'through', 'throughout', '自', '从']);
const ONGOING_AFTER_ZH: readonly string[][] = [['以', '来'], ['至', '今'], ['起']];
const DIGITS = /^[0-9]+$/;

function yearOf(norm: string, referenceYear: number): number | null {
  if (!/^(19|20)[0-9]{2}$/.test(norm)) return null;
  const y = Number(norm);
  return y < referenceYear ? y : null;
}

/**
 * Dates in a year before referenceYear, read as a HISTORICAL trigger both ways within the clause:
 *  - "in / during [month] 2010", "March 2019", "03/2015", "3/14/2015", "2015-03-14";
 *  - Chinese "2010年" (年 right after the year).
 * Not when the date starts an ongoing period ("since 2020", "from 2019", "2020年以来", "自2020年起"). A bare
 * four-digit number ("metformin 2000 mg") is not a date. Linear: each token looks at most three tokens either way.
 */
function pastDateMatches(tokens: readonly ContextToken[], referenceYear: number, work?: ContextWork): ModifierMatch[] {
  const out: ModifierMatch[] = [];
  const norm = (i: number): string | undefined => tokens[i]?.norm;
  for (let i = 0; i < tokens.length; i++) {
    if (work) work.steps++;
    if (yearOf(tokens[i]!.norm, referenceYear) === null) continue;
    let first = i; // first token of the date expression
    let last = i; // last token of the date expression
    let isDate: boolean;
    if (norm(i + 1) === '年') {
      last = i + 1;
      isDate = !ONGOING_AFTER_ZH.some((seq) => seq.every((ch, k) => norm(i + 2 + k) === ch));
    } else if ((norm(i - 1) === '/' || norm(i - 1) === '-') && DIGITS.test(norm(i - 2) ?? '')) {
      first = norm(i - 3) === '/' && DIGITS.test(norm(i - 4) ?? '') ? i - 4 : i - 2;
      isDate = true;
    } else if (norm(i + 1) === '-' && DIGITS.test(norm(i + 2) ?? '')) {
      last = norm(i + 3) === '-' && DIGITS.test(norm(i + 4) ?? '') ? i + 4 : i + 2;
      isDate = true;
    } else if (MONTHS.has(norm(i - 1) ?? '')) {
      first = i - 1;
      isDate = true;
    } else {
      isDate = AT_DATE.has(norm(i - 1) ?? '');
    }
    if (!isDate) continue;
    if (MONTHS.has(norm(first - 1) ?? '')) first--;
    if (AT_DATE.has(norm(first - 1) ?? '')) first--;
    if (ONGOING_BEFORE.has(norm(first - 1) ?? '')) continue;
    out.push({ rule: PAST_DATE_RULE, startTok: first, endTok: last + 1 });
    i = last;
  }
  return out;
}

// ------------------------------------------------------------------------------------------ targets

export interface ContextTarget {
  /** character offsets into the text */
  start: number;
  end: number;
  /** categories that do not apply to this target (e.g. FAMILY for a "family history" finding) */
  ignoreCategories?: readonly ContextCategory[];
}

export interface AppliedModifier {
  literal: string;
  category: ContextCategory;
  direction: ContextDirection;
  start: number;
  end: number;
}

export interface ContextResult {
  assertion: Assertion;
  /** categories whose scope covers the target (NEGATED_EXISTENCE here means "negated", whatever the assertion) */
  categories: ContextCategory[];
  /** for each category that applies, the nearest trigger giving it (an explanation, not an exhaustive list) */
  modifiers: AppliedModifier[];
}

export function assertionOf(categories: Iterable<ContextCategory>): Assertion {
  const set = new Set(categories);
  for (const [c, a] of ASSERTION_PRIORITY) if (set.has(c)) return a;
  return 'present';
}

const HAN = /^\p{Script=Han}$/u;

/**
 * Token boundaries a trigger may not cross: a target's edges that fall between two Han characters. Chinese has no
 * spaces, so "冠心病史" read as 冠心 + "病史" would let the trigger 病史 swallow the target's last character and the
 * "史" (history) after it would be lost; cut there, "史" is read on its own. English words never split this way.
 */
function hanTargetCuts(text: string, tokens: readonly ContextToken[], targets: readonly ContextTarget[]): Uint8Array | undefined {
  const edges = new Set<number>();
  for (const t of targets) edges.add(t.start).add(t.end);
  let cuts: Uint8Array | undefined;
  for (let b = 1; b < tokens.length; b++) {
    const left = tokens[b - 1]!;
    const right = tokens[b]!;
    if (!edges.has(right.start) || left.end !== right.start) continue;
    if (!HAN.test(text.slice(left.start, left.end)) || !HAN.test(text.slice(right.start, right.end))) continue;
    cuts ??= new Uint8Array(tokens.length + 1);
    cuts[b] = 1;
  }
  return cuts;
}

/** How many triggers around a target are read to name the ones that applied (explanations only). */
const EXPLAIN_SCAN = 256;

/**
 * Assertions for targets inside one sentence `text[sentence.start, sentence.end)`. Target offsets are into `text`.
 * Linear in the sentence length plus the number of targets: per-category scope coverage is counted once with
 * difference arrays; a target reads its counts and corrects for the few triggers that overlap it.
 */
export function applyContext(
  text: string,
  sentence: { start: number; end: number },
  targets: readonly ContextTarget[],
  rules: ContextRuleSet,
  work?: ContextWork,
  referenceYear: number = new Date().getFullYear(),
): ContextResult[] {
  if (targets.length === 0) return [];
  const tokens = contextTokens(text, sentence.start, sentence.end);
  const n = tokens.length;
  if (work) work.steps += n;
  const mods = [...findModifiers(tokens, rules, work, hanTargetCuts(text, tokens, targets)), ...pastDateMatches(tokens, referenceYear, work)];
  const scopes = [...computeScopes(tokens, mods, work), ...shouldDevelopScopes(tokens, work)];
  // coverage[c][t]: scopes of category c covering token t ("as asserted" category: assertAs when the rule has one)
  const coverage = new Map<ContextCategory, Int32Array>();
  const assertCoverage = new Map<ContextCategory, Int32Array>();
  const bump = (map: Map<ContextCategory, Int32Array>, c: ContextCategory, s: Scope): void => {
    let a = map.get(c);
    if (a === undefined) {
      a = new Int32Array(n + 1);
      map.set(c, a);
    }
    a[s.start]!++;
    a[s.end]!--;
  };
  for (const s of scopes) {
    if (s.end <= s.start) continue;
    bump(coverage, s.match.rule.category, s);
    bump(assertCoverage, s.match.rule.assertAs ?? s.match.rule.category, s);
  }
  for (const a of [...coverage.values(), ...assertCoverage.values()]) for (let t = 1; t <= n; t++) a[t]! += a[t - 1]!;
  if (work) work.steps += n * (coverage.size + assertCoverage.size);
  // scopes by the trigger's first token, to find those overlapping a target, and for explanations
  const scopesByTrigger: Scope[][] = Array.from({ length: n }, () => []);
  for (const s of scopes) scopesByTrigger[s.match.startTok]!.push(s);
  const firstTokenEndingAfter = (pos: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid]!.end > pos) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const covers = (s: Scope, ts: number): boolean => ts >= s.start && ts < s.end;
  return targets.map((target) => {
    // first token ending after target.start; last token starting before target.end
    const ts = firstTokenEndingAfter(target.start);
    let te = ts;
    while (te < n && tokens[te]!.start < target.end) te++;
    if (work) work.steps += 1 + (te - ts) + Math.log2(n + 1);
    const ignored = (c: ContextCategory): boolean => target.ignoreCategories?.includes(c) === true;
    // triggers overlapping the target itself do not apply to it ("lack of appetite" is a symptom, not negated)
    const overlapping: Scope[] = [];
    for (let t = Math.max(0, ts - rules.maxLength); t < te; t++) {
      for (const s of scopesByTrigger[t]!) if (s.match.startTok < te && ts < s.match.endTok && covers(s, ts)) overlapping.push(s);
    }
    if (work) work.steps += te - ts + rules.maxLength;
    const count = (map: Map<ContextCategory, Int32Array>, c: ContextCategory, catOf: (s: Scope) => ContextCategory): number => {
      const a = map.get(c);
      if (a === undefined || ts >= n) return 0;
      return a[ts]! - overlapping.filter((s) => catOf(s) === c).length;
    };
    const categories = CATEGORIES.filter((c) => !ignored(c) && count(coverage, c, (s) => s.match.rule.category) > 0);
    const asserted = CATEGORIES.filter((c) => !ignored(c) && count(assertCoverage, c, (s) => s.match.rule.assertAs ?? s.match.rule.category) > 0);
    // explanations: the nearest applying trigger of each category, looking outward from the target
    const modifiers: AppliedModifier[] = [];
    const wanted = new Set(categories);
    const explain = (s: Scope): void => {
      const c = s.match.rule.category;
      if (!wanted.has(c) || !covers(s, ts) || overlapping.includes(s)) return;
      wanted.delete(c);
      const m = s.match;
      modifiers.push({ literal: m.rule.literal, category: c, direction: m.rule.direction, start: tokens[m.startTok]!.start, end: tokens[m.endTok - 1]!.end });
    };
    for (let k = 0, t = Math.min(ts, n - 1); wanted.size > 0 && t >= 0 && k < EXPLAIN_SCAN; t--, k++) for (const s of scopesByTrigger[t]!) explain(s);
    for (let k = 0, t = te; wanted.size > 0 && t < n && k < EXPLAIN_SCAN; t++, k++) for (const s of scopesByTrigger[t]!) explain(s);
    if (work) work.steps += 2 * EXPLAIN_SCAN;
    modifiers.sort((a, b) => a.start - b.start);
    return { assertion: assertionOf(asserted), categories, modifiers };
  });
}
