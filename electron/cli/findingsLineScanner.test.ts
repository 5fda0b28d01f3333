/**
 * The batch shortcut reads a line only where it means exactly what JSON.parse would make of it:
 * checked against JSON.parse on hand-picked odd lines and on seeded random ones.
 */
import { describe, expect, it } from 'vitest';

import { mulberry32 } from '../../models/runtime/common/rng';
import { findingsLineScanner } from './findingsLineScanner';

const features = ['itching', 'skin_rash', 'high_fever', 'headache', '__proto__x', 'café_au_lait'];

/** What the general way reads from a line, where the shortcut may take it; null where it must not. */
function reference(raw: string): { id: string; present: number[]; absent: number[] } | null {
  let o: unknown;
  try {
    o = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return null;
  const keys = Object.keys(o);
  if (keys.length !== 2 || keys[0] !== 'id' || keys[1] !== 'features') return null;
  const { id, features: f } = o as { id: unknown; features: unknown };
  if (typeof id !== 'string' || typeof f !== 'object' || f === null || Array.isArray(f)) return null;
  const present: number[] = [];
  const absent: number[] = [];
  for (const [k, v] of Object.entries(f)) {
    const i = features.indexOf(k);
    if (i < 0 || (v !== 0 && v !== 1)) return null;
    (v === 1 ? present : absent).push(i);
  }
  return { id, present: present.sort((a, b) => a - b), absent: absent.sort((a, b) => a - b) };
}

describe('findingsLineScanner', () => {
  const scan = findingsLineScanner(features);
  const read = (raw: string) => {
    const r = scan(raw);
    return r === null ? null : { id: r.id, present: [...r.present], absent: [...r.absent] };
  };

  it('reads the common shape, with JSON whitespace anywhere, and empty findings', () => {
    expect(read('{"id":"c1","features":{"headache":1,"itching":0,"high_fever":1}}')).toEqual({ id: 'c1', present: [2, 3], absent: [0] });
    expect(read(' { "id" : "c 2" ,\t"features" : { "skin_rash" : 0 , "café_au_lait":1 } } ')).toEqual({ id: 'c 2', present: [5], absent: [1] });
    expect(read('{"id":"","features":{}}')).toEqual({ id: '', present: [], absent: [] });
    expect(read('{"id":"ü€😀","features":{ }}')).toEqual({ id: 'ü€😀', present: [], absent: [] });
  });

  it('leaves every other line to JSON.parse: other keys or order, number ids, escapes, other values, repeats, unknown findings, broken JSON', () => {
    const others = [
      '{"features":{"itching":1},"id":"a"}',
      '{"id":"a","features":{"itching":1},"patient":{"ageYears":30}}',
      '{"id":7,"features":{"itching":1}}',
      '{"id":"a\\"b","features":{"itching":1}}',
      '{"id":"a\\u0062","features":{"itching":1}}',
      '{"id":"a","features":{"itch\\u0069ng":1}}',
      '{"\\u0069d":"a","features":{"itching":1}}',
      '{"id":"a","features":{"itching":true}}',
      '{"id":"a","features":{"itching":1.0}}',
      '{"id":"a","features":{"itching":10}}',
      '{"id":"a","features":{"itching":1e0}}',
      '{"id":"a","features":{"itching":-0}}',
      '{"id":"a","features":{"itching":null}}',
      '{"id":"a","features":{"itching":"1"}}',
      '{"id":"a","features":{"itching":1,"itching":0}}',
      '{"id":"a","features":{"no_such":1}}',
      '{"id":"a","features":{"__proto__":1}}',
      '{"id":"a","features":{"itching":1,}}',
      '{"id":"a","features":{"itching":1}',
      '{"id":"a","features":{"itching":1}}x',
      '{"id":"a","features":{"itching":1}} {}',
      '\uFEFF{"id":"a","features":{"itching":1}}',
      '{"id":"a","features":[]}',
      '{"id":"a","features":null}',
      '{"id":"a\tb","features":{}}',
      '{"id":"a","features":{"itching":1}}\u00a0',
      '{"id":"a"',
      '{',
      '',
    ];
    for (const raw of others) expect(read(raw), raw).toBeNull();
    // The same finding again after a rejected line starts clean.
    expect(read('{"id":"b","features":{"itching":1}}')).toEqual({ id: 'b', present: [0], absent: [] });
  });

  it('agrees with JSON.parse on 5,000 seeded random lines, taking the plain ones itself', () => {
    const rng = mulberry32(77);
    const tokens = ['{', '}', '"id"', '"features"', ':', ',', ' ', '"c1"', '1', '0', '"itching"', '"headache"', 'true', '"no_such"', '2', '1.0'];
    let taken = 0;
    for (let n = 0; n < 5000; n++) {
      let raw: string;
      if (rng() < 0.5) {
        // Well-formed lines, some with values or keys the shortcut leaves alone.
        const f: Record<string, unknown> = {};
        const k = Math.floor(rng() * 5);
        for (let j = 0; j < k; j++)
          f[features[Math.floor(rng() * features.length)] as string] = rng() < 0.9 ? Math.floor(rng() * 2) : [true, 2, null][Math.floor(rng() * 3)];
        raw = JSON.stringify({ id: rng() < 0.9 ? `c${n}` : n, features: f }, null, rng() < 0.3 ? 1 : undefined).replace(/\n/g, ' ');
      } else {
        // Token soup around a valid start: mostly broken JSON.
        raw = '{"id":"x","features":{';
        const k = Math.floor(rng() * 8);
        for (let j = 0; j < k; j++) raw += tokens[Math.floor(rng() * tokens.length)];
      }
      const got = read(raw);
      const want = reference(raw);
      if (got !== null) {
        taken++;
        expect(got, raw).toEqual(want);
      } else if (want !== null) {
        // The one thing JSON.parse reads and the shortcut leaves alone here: a finding given twice (the last one wins).
        const names = [...raw.matchAll(/"([^"\\]*)"\s*:/g)].map((m) => m[1]).slice(2);
        expect(new Set(names).size, raw).toBeLessThan(names.length);
      }
    }
    expect(taken).toBeGreaterThan(1000);
  });
});
