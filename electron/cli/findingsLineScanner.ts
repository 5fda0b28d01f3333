/**
 * Reads a `lantern predict` input line of the one common shape, `{"id": "<text>", "features":
 * {"<finding>": 0 or 1, ...}}`, straight into feature indices, without JSON.parse building an object
 * per line (for 20,000 lines of differing keys that and its garbage were a fifth of the batch time,
 * issue 13). Anything else, however valid (another key, a number id, true/false, an escape, a repeated
 * or unknown finding, a value other than a bare 0 or 1), answers null and goes the general way, so
 * what a line means never depends on which way it went.
 */

/** What a scanned line says: `present` and `absent` sorted ascending, no index repeated (the scanner's own arrays, reused). */
export interface ScannedFindings {
  id: string;
  present: number[];
  absent: number[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const ZERO = 0x30;
const ONE = 0x31;

/** A scanner for findings over `features` (binary inputs, in feature order). */
export function findingsLineScanner(features: readonly string[]): (raw: string) => ScannedFindings | null {
  const index = new Map(features.map((f, i) => [f, i]));
  const seen = new Uint8Array(features.length);
  const out: ScannedFindings = { id: '', present: [], absent: [] };
  let s = '';
  let i = 0;

  const ws = (): void => {
    for (;;) {
      const c = s.charCodeAt(i);
      // JSON's whitespace (a line holds no \n or \r, but they are whitespace to JSON.parse too).
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else return;
    }
  };
  /** A string without escapes or control characters, at i; its text, or null. */
  const str = (): string | null => {
    if (s.charCodeAt(i) !== QUOTE) return null;
    const start = ++i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === QUOTE) break;
      // NaN at the end of the line: unterminated.
      if (!(c >= 0x20) || c === BACKSLASH) return null;
      i++;
    }
    return s.slice(start, i++);
  };
  const expect = (c: number): boolean => {
    ws();
    if (s.charCodeAt(i) !== c) return false;
    i++;
    ws();
    return true;
  };

  const scan = (): boolean => {
    ws();
    if (s.charCodeAt(i) !== OPEN) return false;
    i++;
    ws();
    if (str() !== 'id' || !expect(COLON)) return false;
    const id = str();
    if (id === null || !expect(COMMA) || str() !== 'features' || !expect(COLON) || s.charCodeAt(i) !== OPEN) return false;
    i++;
    ws();
    if (s.charCodeAt(i) === CLOSE) i++;
    else {
      for (;;) {
        const name = str();
        if (name === null || !expect(COLON)) return false;
        const f = index.get(name);
        const v = s.charCodeAt(i);
        if (f === undefined || seen[f] === 1 || (v !== ZERO && v !== ONE)) return false;
        i++;
        seen[f] = 1;
        (v === ONE ? out.present : out.absent).push(f);
        // A bare 0 or 1: what follows must end the value (so not 10, 1.0 or 1e0).
        ws();
        const c = s.charCodeAt(i++);
        if (c === CLOSE) break;
        if (c !== COMMA) return false;
        ws();
      }
    }
    if (!expect(CLOSE)) return false;
    out.id = id;
    return i === s.length;
  };

  const byIndex = (a: number, b: number): number => a - b;
  return (raw) => {
    s = raw;
    i = 0;
    out.present.length = 0;
    out.absent.length = 0;
    const ok = scan();
    for (const f of out.present) seen[f] = 0;
    for (const f of out.absent) seen[f] = 0;
    if (!ok) return null;
    out.present.sort(byIndex);
    out.absent.sort(byIndex);
    return out;
  };
}
