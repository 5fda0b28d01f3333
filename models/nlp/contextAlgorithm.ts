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
 *     the first TERMINATE match of the same category, or to a rule's maxScope (GenConText "one word" triggers),
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
 *  5. One assertion, by priority: other_experiencer > hypothetical > absent > possible > historical > present.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { tokenise } from './tokenise';

export type Assertion = 'present' | 'absent' | 'possible' | 'historical' | 'hypothetical' | 'other_experiencer';
export type ContextCategory = 'NEGATED_EXISTENCE' | 'POSSIBLE_EXISTENCE' | 'HISTORICAL' | 'HYPOTHETICAL' | 'FAMILY';
export type ContextDirection = 'FORWARD' | 'BACKWARD' | 'BIDIRECTIONAL' | 'TERMINATE' | 'PSEUDO';

export const CATEGORIES: readonly ContextCategory[] = ['NEGATED_EXISTENCE', 'POSSIBLE_EXISTENCE', 'HISTORICAL', 'HYPOTHETICAL', 'FAMILY'];
const DIRECTIONS: readonly ContextDirection[] = ['FORWARD', 'BACKWARD', 'BIDIRECTIONAL', 'TERMINATE', 'PSEUDO'];

/** Assertion priority when several categories apply (first wins). */
export const ASSERTION_PRIORITY: readonly [ContextCategory, Assertion][] = [
  ['FAMILY', 'other_experiencer'],
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
      (r.maxScope !== undefined && (typeof r.maxScope !== 'number' || r.maxScope < 1))
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

/** Tokens of text[start, end) with matching forms; offsets are into `text`. */
export function contextTokens(text: string, start = 0, end = text.length): ContextToken[] {
  const raw = tokenise(text.slice(start, end), start);
  const out: ContextToken[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i]!;
    let norm = t.text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
    if (norm === '\u2019' || norm === '\u2018' || norm === '`') norm = "'";
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

export function findModifiers(tokens: readonly ContextToken[], rules: ContextRuleSet): ModifierMatch[] {
  const all: ModifierMatch[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let node: TrieNode | undefined = rules.trie;
    for (let j = i; j < tokens.length && j - i < rules.maxLength; j++) {
      node = node.next.get(tokens[j]!.norm);
      if (node === undefined) break;
      for (const rule of node.rules) all.push({ rule, startTok: i, endTok: j + 1 });
    }
  }
  // A match is dropped when a strictly longer match overlaps it; equally long overlapping matches are all kept
  // ("is negative for": backward "is negative" and forward "negative for" both stand).
  all.sort((a, b) => b.endTok - b.startTok - (a.endTok - a.startTok) || a.startTok - b.startTok);
  const kept: ModifierMatch[] = [];
  for (const m of all) {
    const len = m.endTok - m.startTok;
    const clash = kept.some((k) => k.startTok < m.endTok && m.startTok < k.endTok && k.endTok - k.startTok > len);
    if (!clash) kept.push(m);
  }
  kept.sort((a, b) => a.startTok - b.startTok || a.endTok - b.endTok);
  return kept.filter((m) => m.rule.direction !== 'PSEUDO');
}

// ------------------------------------------------------------------------------------------ scopes

const NUMBER_WORDS = new Set([
  'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'several',
  'few', 'couple', 'many', 'multiple',
]);
/** Subject pronouns and reporting / auxiliary verbs that open a new clause (negation, possibility, history). */
const CLAUSE_CUES = new Set([
  'he', 'she', 'they', 'we', 'i', 'patient', 'pt', 'who', 'which',
  'has', 'have', 'had', 'is', 'was', 'are', 'were', 'reports', 'reported', 'reporting', 'endorses',
  'endorsed', 'endorsing', 'notes', 'noted', 'complains', 'complained', 'complaining', 'states', 'stated',
  'presents', 'presented', 'presenting', 'developed', 'develops', 'started', 'starts', 'began', 'begins', 'shows',
  'showed', 'reveals', 'revealed', 'demonstrates', 'demonstrated', 'admits', 'admitted', 'describes', 'described',
  'experiences', 'experienced', 'feels', 'felt', 'got', 'gets', 'but',
]);
const AUXILIARIES = new Set(['is', 'was', 'are', 'were', 'has', 'have', 'had']);
const CLAUSE_DETERMINERS = new Set(['the', 'his', 'her', 'their', 'this', 'that', 'these', 'those']);
const CLAUSE_CUE_CATEGORIES = new Set<ContextCategory>(['NEGATED_EXISTENCE', 'POSSIBLE_EXISTENCE', 'HISTORICAL']);

function isNumberToken(norm: string): boolean {
  return /^[0-9]/.test(norm) || NUMBER_WORDS.has(norm);
}

interface Scope {
  match: ModifierMatch;
  start: number; // token index, inclusive
  end: number; // exclusive
}

function computeScopes(tokens: readonly ContextToken[], mods: readonly ModifierMatch[]): Scope[] {
  const n = tokens.length;
  const termStarts = new Map<ContextCategory, Set<number>>();
  const termEnds = new Map<ContextCategory, Set<number>>();
  for (const m of mods) {
    if (m.rule.direction !== 'TERMINATE') continue;
    const c = m.rule.category;
    if (!termStarts.has(c)) termStarts.set(c, new Set());
    if (!termEnds.has(c)) termEnds.set(c, new Set());
    termStarts.get(c)!.add(m.startTok);
    termEnds.get(c)!.add(m.endTok - 1);
  }
  const scopes: Scope[] = [];
  for (const m of mods) {
    const dir = m.rule.direction;
    if (dir === 'TERMINATE' || dir === 'PSEUDO') continue;
    const cat = m.rule.category;
    const cues = CLAUSE_CUE_CATEGORIES.has(cat);
    if (dir === 'FORWARD' || dir === 'BIDIRECTIONAL') {
      let end = n;
      for (let t = m.endTok; t < n; t++) {
        const norm = tokens[t]!.norm;
        const nextNorm = tokens[t + 1]?.norm;
        if (termStarts.get(cat)?.has(t)) { end = t; break; }
        if (norm === ';' || norm === ':') { end = t; break; }
        if ((norm === ',' || norm === 'and') && nextNorm !== undefined && isNumberToken(nextNorm)) { end = t; break; }
        if (cues && CLAUSE_CUES.has(norm)) { end = t; break; }
        if (cues && (norm === ',' || norm === 'and') && nextNorm !== undefined && CLAUSE_DETERMINERS.has(nextNorm)) { end = t; break; }
      }
      if (m.rule.maxScope !== undefined) end = Math.min(end, m.endTok + m.rule.maxScope);
      scopes.push({ match: m, start: m.endTok, end });
    }
    if (dir === 'BACKWARD' || dir === 'BIDIRECTIONAL') {
      let start = 0;
      for (let t = m.startTok - 1; t >= 0; t--) {
        const norm = tokens[t]!.norm;
        // auxiliaries belong to the predicate of a backward trigger ("cough is absent", "cultures were negative")
        if (termEnds.get(cat)?.has(t) || norm === ';' || norm === ',' || norm === ':' || (cues && CLAUSE_CUES.has(norm) && !AUXILIARIES.has(norm))) {
          start = t + 1;
          break;
        }
      }
      if (m.rule.maxScope !== undefined) start = Math.max(start, m.startTok - m.rule.maxScope);
      scopes.push({ match: m, start, end: m.startTok });
    }
  }
  return scopes;
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
  categories: ContextCategory[];
  modifiers: AppliedModifier[];
}

export function assertionOf(categories: Iterable<ContextCategory>): Assertion {
  const set = new Set(categories);
  for (const [c, a] of ASSERTION_PRIORITY) if (set.has(c)) return a;
  return 'present';
}

/**
 * Assertions for targets inside one sentence `text[sentence.start, sentence.end)`. Target offsets are into `text`.
 */
export function applyContext(
  text: string,
  sentence: { start: number; end: number },
  targets: readonly ContextTarget[],
  rules: ContextRuleSet,
): ContextResult[] {
  if (targets.length === 0) return [];
  const tokens = contextTokens(text, sentence.start, sentence.end);
  const mods = findModifiers(tokens, rules);
  const scopes = computeScopes(tokens, mods);
  return targets.map((target) => {
    // first token ending after target.start; last token starting before target.end
    let ts = tokens.findIndex((t) => t.end > target.start);
    if (ts < 0) ts = tokens.length;
    let te = ts;
    while (te < tokens.length && tokens[te]!.start < target.end) te++;
    const cats = new Set<ContextCategory>();
    const applied: AppliedModifier[] = [];
    for (const s of scopes) {
      const m = s.match;
      if (m.startTok < te && ts < m.endTok) continue; // the trigger overlaps the target itself
      if (target.ignoreCategories?.includes(m.rule.category)) continue;
      if (ts >= s.start && ts < s.end) {
        cats.add(m.rule.category);
        applied.push({
          literal: m.rule.literal,
          category: m.rule.category,
          direction: m.rule.direction,
          start: tokens[m.startTok]!.start,
          end: tokens[m.endTok - 1]!.end,
        });
      }
    }
    const categories = CATEGORIES.filter((c) => cats.has(c));
    return { assertion: assertionOf(categories), categories, modifiers: applied };
  });
}
