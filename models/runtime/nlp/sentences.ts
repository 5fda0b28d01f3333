/**
 * Sentence splitting with character offsets, for chunked processing of long notes.
 *
 * Boundaries:
 *  - `.`, `!` or `?` (plus any closing quotes/brackets) followed by whitespace, unless the word before the `.` is
 *    a known abbreviation (Dr., e.g., vs., approx., ...) or a single letter (initials), or the `?` opens its clause
 *    (the query mark of "? pneumonia") or is answered at once ("Fever? No.");
 *  - `。`, `！` or `？` (Chinese; no space follows them);
 *  - a blank line;
 *  - a single line break, unless the next line starts with a lower-case letter and the previous line does not end
 *    in punctuation (wrapped prose is joined);
 * Semicolons are not boundaries (ConText stops scopes at them instead).
 * Leading/trailing whitespace is trimmed from every sentence; empty sentences are dropped.
 */

/** A templated question's answer right after its "?" ("Fever? No.", "Cough? yes"). */
const ANSWER_AFTER = /^[ \t]+(?:yes|no|none|neg|negative|positive)(?![A-Za-z])/i;

const ANSWER_AFTER_ZH = /^[无否有](?:[\u3002\uff0c\uff1b,;\s]|$)/;

/** True when only spaces, or a ":" / "," / ";" and spaces, stand between the sentence start and `i`. */
function opensClause(text: string, start: number, i: number): boolean {
  let k = i;
  while (k > start && isSpace(text[k - 1])) k--;
  return k === start || /[:,;]/.test(text[k - 1] ?? '');
}

export interface Span {
  start: number;
  end: number;
}

const ABBREVIATIONS = new Set(
  [
    'dr',
    'mr',
    'mrs',
    'ms',
    'prof',
    'st',
    'vs',
    'etc',
    'eg',
    'ie',
    'e.g',
    'i.e',
    'approx',
    'appt',
    'fig',
    'figs',
    'vol',
    'pp',
    'al',
    'jr',
    'sr',
    'inc',
    'ltd',
    'co',
    'dept',
    'hosp',
    'pt',
    'pts',
    'hx',
    'dx',
    'tx',
    'rx',
    'sx',
    'fx',
    'yr',
    'yrs',
    'y.o',
    'wk',
    'wks',
    'mo',
    'mos',
    'mins',
    'hr',
    'hrs',
    'mg',
    'mcg',
    'ml',
    'b.i.d',
    'bid',
    't.i.d',
    'tid',
    'q.i.d',
    'qid',
    'p.r.n',
    'prn',
    'p.o',
    'po',
    'q.d',
    'h.s',
    'a.m',
    'p.m',
    'resp',
    'wt',
    'ht',
    'avg',
    'cf',
    'sig',
  ].map((s) => s.toLowerCase()),
);

const CLOSERS = new Set(['"', "'", ')', ']', '}', '\u2019', '\u201d', '\u00bb', '\u300d', '\u300f', '\uff09', '\u3011']);

function isSpace(c: string | undefined): boolean {
  return c !== undefined && /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/.test(c);
}

/** The "word" ending right before position `dot` (letters, digits and inner dots). */
function wordBefore(text: string, dot: number): string {
  let i = dot;
  while (i > 0 && /[A-Za-z0-9.]/.test(text[i - 1] ?? '')) i--;
  return text.slice(i, dot);
}

function isAbbreviation(text: string, dot: number): boolean {
  const w = wordBefore(text, dot);
  if (w === '') return false;
  const lw = w.toLowerCase().replace(/^\.+/, '');
  if (ABBREVIATIONS.has(lw)) return true;
  if (/^[A-Za-z]$/.test(w)) return true; // initials: "J. Smith"
  if (/^([A-Za-z]\.)+[A-Za-z]$/.test(w)) return true; // "e.g", "U.S"
  return false;
}

function pushTrimmed(text: string, out: Span[], start: number, end: number): void {
  let s = start;
  let e = end;
  while (s < e && isSpace(text[s])) s++;
  while (e > s && isSpace(text[e - 1])) e--;
  if (e > s) out.push({ start: s, end: e });
}

export function splitSentences(text: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (c === '\n') {
      // find the next non-space character and whether a blank line lies between
      let j = i + 1;
      let blank = false;
      while (j < n && isSpace(text[j])) {
        if (text[j] === '\n') blank = true;
        j++;
      }
      let boundary = blank;
      if (!blank) {
        let k = i;
        while (k > start && isSpace(text[k - 1])) k--;
        const prev = text[k - 1] ?? '';
        const next = text[j] ?? '';
        const prevEndsPunct = /[.!?:;]/.test(prev);
        const nextLower = /[a-z]/.test(next);
        boundary = prevEndsPunct || !nextLower;
      }
      if (boundary) {
        pushTrimmed(text, out, start, i);
        start = i + 1;
      }
      continue;
    }
    if (c === '\u3002' || c === '\uff01' || c === '\uff1f') {
      // Chinese full stop / exclamation / question mark: a boundary with or without a following space
      let j = i + 1;
      while (j < n && (text[j] === '\u3002' || text[j] === '\uff01' || text[j] === '\uff1f' || CLOSERS.has(text[j] ?? ''))) j++;
      if (c === '\uff1f' && j === i + 1 && ANSWER_AFTER_ZH.test(text.slice(j, j + 2))) continue; // "发热？无。"
      pushTrimmed(text, out, start, j);
      start = j;
      i = j - 1;
      continue;
    }
    if (c === '.' || c === '!' || c === '?') {
      let j = i + 1;
      while (j < n && (text[j] === '.' || text[j] === '!' || text[j] === '?')) j++;
      while (j < n && CLOSERS.has(text[j] ?? '')) j++;
      if (j < n && !isSpace(text[j])) continue; // "3.5", "e.g.," ...
      if (c === '.' && j === i + 1 && isAbbreviation(text, i)) continue;
      if (c === '?' && j === i + 1 && opensClause(text, start, i)) continue; // "? pneumonia", "Impression: ? PE"
      if (c === '?' && ANSWER_AFTER.test(text.slice(j, j + 16))) continue; // "Fever? No." answered on the spot
      pushTrimmed(text, out, start, j);
      start = j;
      i = j - 1;
    }
  }
  pushTrimmed(text, out, start, n);
  return out;
}
