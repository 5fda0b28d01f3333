import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { resolveDataDir } from '../common/paths';
import { chunksFromTags, loadDiseaseNer, viterbiDecode, type DiseaseNer } from './diseaseNer';
import { tokenise } from './tokenise';

interface FixtureSentence {
  text: string;
  tokens: string[];
  wordIds: number[];
  charIds: number[][];
  caseIds: number[];
  gazIds: number[];
  emissions: number[][];
  tags: string[];
  entities: { startToken: number; endToken: number }[];
}
const modelsDir = path.resolve(__dirname, '..', '..', 'artefacts');
const fixture = JSON.parse(fs.readFileSync(path.join(modelsDir, 'disease-ner', 'fixture.json'), 'utf8')) as {
  tokeniser: string;
  sentences: FixtureSentence[];
};
const metrics = JSON.parse(fs.readFileSync(path.join(modelsDir, 'disease-ner', 'metrics.json'), 'utf8')) as {
  devel: { entity: { tp: number; fp: number; fn: number; precision: number; recall: number; f1: number } };
};

let ner: DiseaseNer;
beforeAll(async () => {
  ner = await loadDiseaseNer(modelsDir);
});
afterAll(async () => {
  await ner.release();
});

describe('disease-ner: TypeScript matches the Python training script (fixture)', () => {
  it('tokenises every fixture sentence into the same tokens, with offsets into the text', () => {
    expect(fixture.sentences.length).toBeGreaterThanOrEqual(20);
    for (const s of fixture.sentences) {
      const toks = tokenise(s.text);
      expect(toks.map((t) => t.text)).toEqual(s.tokens);
      for (const t of toks) expect(s.text.slice(t.start, t.end)).toBe(t.text);
    }
  });

  it('encodes word, character, case and gazetteer ids identically', () => {
    for (const s of fixture.sentences) {
      const enc = ner.encode(s.tokens);
      expect(enc.wordIds).toEqual(s.wordIds);
      expect(enc.charIds).toEqual(s.charIds);
      expect(enc.caseIds).toEqual(s.caseIds);
      expect(enc.gazIds).toEqual(s.gazIds);
    }
  });

  it('ONNX emissions equal the PyTorch emissions, and Viterbi gives the same tags', async () => {
    let maxDiff = 0;
    for (const s of fixture.sentences) {
      const em = await ner.emissions(s.tokens);
      expect(em.length).toBe(s.tokens.length);
      em.forEach((row, t) => row.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - s.emissions[t]![k]!)))));
      const tags = ner.viterbi(em).map((i) => ner.labels[i]);
      expect(tags).toEqual(s.tags);
      expect(chunksFromTags(s.tags)).toEqual(s.entities);
    }
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('maps mentions back to exact character spans of the input', async () => {
    const text = 'Germline mutations in BRCA1 predispose to hereditary breast and ovarian cancer.\tAtaxia-telangiectasia (A-T) is rare.';
    const spans = await ner.tagSpan(text, 0, text.length);
    expect(spans.length).toBeGreaterThan(0);
    for (const s of spans) {
      expect(s.start).toBeGreaterThanOrEqual(0);
      expect(s.end).toBeLessThanOrEqual(text.length);
      expect(text.slice(s.start, s.end)).toBe(text.slice(s.start, s.end).trim());
    }
    expect(spans.map((s) => text.slice(s.start, s.end))).toContain('Ataxia-telangiectasia');
  });
});

describe('disease-ner: decoding helpers', () => {
  it('chunks IOB tags the conlleval way', () => {
    expect(chunksFromTags(['O', 'B-Disease', 'I-Disease', 'O', 'I-Disease', 'B-Disease', 'B-Disease'])).toEqual([
      { startToken: 1, endToken: 3 },
      { startToken: 4, endToken: 5 },
      { startToken: 5, endToken: 6 },
      { startToken: 6, endToken: 7 },
    ]);
  });

  it('Viterbi follows transitions over emissions', () => {
    const crf = {
      labels: ['O', 'B', 'I'],
      transitions: [
        [0, 0, -100],
        [0, 0, 0],
        [0, 0, 0],
      ],
      start: [0, 0, -100],
      end: [0, 0, 0],
    };
    // I is the best emission at t=1 but O -> I is forbidden, so B wins at t=0
    expect(
      viterbiDecode(
        [
          [1, 0.9, 0],
          [0, 0, 1],
        ],
        crf,
      ),
    ).toEqual([1, 2]);
    expect(viterbiDecode([], crf)).toEqual([]);
  });
});

const ncbiDevel = path.join(resolveDataDir(__dirname), 'nlp', 'ncbi-disease', 'devel.tsv');
describe.skipIf(!fs.existsSync(ncbiDevel))('disease-ner on NCBI-disease devel (needs ../shared/data)', () => {
  function readIob(file: string): { tokens: string[]; tags: string[] }[] {
    const out: { tokens: string[]; tags: string[] }[] = [];
    let cur = { tokens: [] as string[], tags: [] as string[] };
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const l = line.replace(/\r$/, '');
      if (l === '') {
        if (cur.tokens.length > 0) out.push(cur);
        cur = { tokens: [], tags: [] };
        continue;
      }
      const [tok, tag] = l.split('\t');
      cur.tokens.push(tok!);
      cur.tags.push(tag!);
    }
    if (cur.tokens.length > 0) out.push(cur);
    return out;
  }

  it('every corpus token is exactly one token of the TypeScript tokeniser', () => {
    for (const s of readIob(ncbiDevel)) for (const t of s.tokens) expect(tokenise(t).map((x) => x.text)).toEqual([t]);
  });

  it('reproduces the devel entity counts reported in metrics.json', async () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const key = (c: { startToken: number; endToken: number }) => `${c.startToken}:${c.endToken}`;
    for (const s of readIob(ncbiDevel)) {
      const tags = ner.viterbi(await ner.emissions(s.tokens)).map((i) => ner.labels[i]!);
      const gold = new Set(chunksFromTags(s.tags).map(key));
      const pred = new Set(chunksFromTags(tags).map(key));
      for (const p of pred) {
        if (gold.has(p)) tp++;
        else fp++;
      }
      for (const g of gold) if (!pred.has(g)) fn++;
    }
    // batched (PyTorch, packed) vs one-by-one (ONNX) float noise may flip a borderline token
    expect(Math.abs(tp - metrics.devel.entity.tp)).toBeLessThanOrEqual(2);
    expect(Math.abs(fp - metrics.devel.entity.fp)).toBeLessThanOrEqual(2);
    expect(Math.abs(fn - metrics.devel.entity.fn)).toBeLessThanOrEqual(2);
  }, 120_000);
});
