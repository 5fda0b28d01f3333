/**
 * The project tokeniser `lantern-word-punct/1`, mirrored rule for rule by
 * models/training/nlp/nlp_common.py (checked by the fixtures the training scripts write).
 *
 *  - whitespace: the explicit WS class (not `\s`, which differs between JS and Python);
 *  - a word is a maximal run of WORD_CHARS (ASCII letters/digits, Latin-1 / Latin Extended / IPA letters, Greek,
 *    Cyrillic);
 *  - every other non-whitespace code point is a token of its own.
 *
 * Offsets are JavaScript string indices (UTF-16 code units), so `text.slice(start, end) === token.text`.
 */

export const TOKENISER_ID = 'lantern-word-punct/1';

const WS = '\\t\\n\\u000b\\u000c\\r \\u0085\\u00a0\\u1680\\u2000-\\u200b\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
const WORD_CHARS = 'A-Za-z0-9\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u02af\\u0370-\\u03ff\\u0400-\\u04ff';
const TOKEN_SOURCE = `[${WORD_CHARS}]+|[^${WORD_CHARS}${WS}]`;
const WORD_ONLY = new RegExp(`^[${WORD_CHARS}]+$`, 'u');

export interface Token {
  text: string;
  start: number;
  end: number;
}

export function tokenise(text: string, offset = 0): Token[] {
  const re = new RegExp(TOKEN_SOURCE, 'gu');
  const out: Token[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push({ text: m[0], start: m.index + offset, end: m.index + m[0].length + offset });
  }
  return out;
}

/** ASCII-only lowercasing (identical in Python; `toLowerCase` differs for some non-ASCII letters). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** Vocabulary key of a token: ASCII-lowercased, every ASCII digit replaced by 0. */
export function wordKey(token: string): string {
  return asciiLower(token).replace(/[0-9]/g, '0');
}

export const CASE_CLASSES = ['pad', 'lower', 'upper', 'title', 'mixed', 'digit', 'alnum', 'punct'] as const;

/** Index into CASE_CLASSES (ASCII-only rules, identical in Python). */
export function caseClass(token: string): number {
  const hasLower = /[a-z]/.test(token);
  const hasUpper = /[A-Z]/.test(token);
  const hasDigit = /[0-9]/.test(token);
  const hasAlpha = hasLower || hasUpper;
  if (!hasAlpha && !hasDigit) return WORD_ONLY.test(token) ? 1 : 7;
  if (hasDigit && !hasAlpha) return 5;
  if (hasDigit) return 6;
  if (hasUpper && !hasLower) return 2;
  if (hasLower && !hasUpper) return 1;
  const first = token[0] ?? '';
  if (first >= 'A' && first <= 'Z' && !/[A-Z]/.test(token.slice(1))) return 3;
  return 4;
}

/** Code points of a string (what Python's `list(str)` gives). */
export function codePoints(s: string): string[] {
  return Array.from(s);
}
