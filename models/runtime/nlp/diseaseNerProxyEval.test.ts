/**
 * The out-of-corpus check set of the disease NER: its markup, and the figures in models/artefacts/disease-ner/metrics.json
 * (proxyExternal) being what the shipped model gives through the runtime path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadDiseaseNer } from './diseaseNer';
import { evaluateProxy, loadProxySet, parseMarkedSentence } from './diseaseNerProxyEval';

const modelsDir = path.resolve(__dirname, '..', '..', 'artefacts');

describe('diseaseNerProxySet markup', () => {
  it('removes the brackets and gives the mentions offsets in the plain text', () => {
    const item = parseMarkedSentence('Cisplatin [[nephrotoxicity]] and [[acute renal failure]].');
    expect(item.text).toBe('Cisplatin nephrotoxicity and acute renal failure.');
    expect(item.mentions.map((m) => item.text.slice(m.start, m.end))).toEqual(['nephrotoxicity', 'acute renal failure']);
    expect(() => parseMarkedSentence('an [[unclosed mention')).toThrow(/unclosed/);
  });

  it('holds 60 hand-written sentences, each with at least one mention', () => {
    const items = loadProxySet(path.join(__dirname, 'diseaseNerProxySet.json'));
    expect(items).toHaveLength(60);
    for (const it of items) {
      expect(it.mentions.length).toBeGreaterThan(0);
      expect(it.text).not.toMatch(/\[\[|\]\]/);
    }
  });
});

describe('disease-ner on the out-of-corpus set', () => {
  it('gives exactly the figures recorded in metrics.json (proxyExternal)', async () => {
    const metrics = JSON.parse(fs.readFileSync(path.join(modelsDir, 'disease-ner', 'metrics.json'), 'utf8')) as {
      version: string;
      proxyExternal: { tp: number; fp: number; fn: number; f1: number; mentions: number };
    };
    const ner = await loadDiseaseNer(modelsDir);
    try {
      const report = await evaluateProxy(loadProxySet(path.join(__dirname, 'diseaseNerProxySet.json')), ner);
      expect(ner.version).toBe(metrics.version);
      expect({ tp: report.tp, fp: report.fp, fn: report.fn, f1: report.f1, mentions: report.mentions }).toEqual({
        tp: metrics.proxyExternal.tp,
        fp: metrics.proxyExternal.fp,
        fn: metrics.proxyExternal.fn,
        f1: metrics.proxyExternal.f1,
        mentions: metrics.proxyExternal.mentions,
      });
    } finally {
      await ner.release();
    }
  });
});
