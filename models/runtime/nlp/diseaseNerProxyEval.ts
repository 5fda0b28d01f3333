/**
 * Scores the disease NER on models/runtime/nlp/diseaseNerProxySet.json, a hand-written out-of-corpus set (see its
 * description and annotation rule), through the runtime path (tokeniser, ONNX emissions, Viterbi in TS).
 * `node build/models/runtime/nlp/diseaseNerProxyEval.js [--write [--previous report.json]]` prints the report; --write stores it under
 * `proxyExternal` in models/artefacts/disease-ner/metrics.json (then `train_disease_ner.py --card-only` renders the card).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadDiseaseNer, type DiseaseNer } from './diseaseNer';
import { defaultModelsDir } from './nlpModels';
import { findProjectRoot } from '../common/paths';

export interface CharSpan {
  start: number;
  end: number;
}

export interface ProxyItem {
  text: string;
  mentions: CharSpan[];
}

export interface ProxyReport {
  sentences: number;
  mentions: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  errors: { text: string; missed: string[]; spurious: string[] }[];
}

const OPEN = '[[';
const CLOSE = ']]';

/** Removes the [[ ]] markup and returns the mentions' offsets in the plain text. */
export function parseMarkedSentence(marked: string): ProxyItem {
  let text = '';
  const mentions: CharSpan[] = [];
  let i = 0;
  while (i < marked.length) {
    const open = marked.indexOf(OPEN, i);
    if (open < 0) {
      text += marked.slice(i);
      break;
    }
    const close = marked.indexOf(CLOSE, open + OPEN.length);
    if (close < 0) throw new Error(`unclosed mention in: ${marked}`);
    text += marked.slice(i, open);
    const start = text.length;
    text += marked.slice(open + OPEN.length, close);
    mentions.push({ start, end: text.length });
    i = close + CLOSE.length;
  }
  return { text, mentions };
}

export function loadProxySet(file = path.join(findProjectRoot(__dirname), 'models', 'runtime', 'nlp', 'diseaseNerProxySet.json')): ProxyItem[] {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { items: string[] };
  return doc.items.map(parseMarkedSentence);
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

function scoreCounts(tp: number, fp: number, fn: number): Pick<ProxyReport, 'precision' | 'recall' | 'f1'> {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision: round4(precision), recall: round4(recall), f1: round4(f1) };
}

export async function evaluateProxy(items: readonly ProxyItem[], ner: DiseaseNer): Promise<ProxyReport> {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const errors: ProxyReport['errors'] = [];
  for (const it of items) {
    const key = (s: CharSpan): string => `${s.start}:${s.end}`;
    const gold = new Set(it.mentions.map(key));
    const found = await ner.tagSpan(it.text, 0, it.text.length);
    const pred = new Set(found.map(key));
    const missed = it.mentions.filter((s) => !pred.has(key(s)));
    const spurious = found.filter((s) => !gold.has(key(s)));
    tp += it.mentions.length - missed.length;
    fn += missed.length;
    fp += spurious.length;
    if (missed.length > 0 || spurious.length > 0) {
      const str = (s: CharSpan): string => it.text.slice(s.start, s.end);
      errors.push({ text: it.text, missed: missed.map(str), spurious: spurious.map(str) });
    }
  }
  const mentions = items.reduce((n, it) => n + it.mentions.length, 0);
  return { sentences: items.length, mentions, tp, fp, fn, ...scoreCounts(tp, fp, fn), errors };
}

/** `--previous <report.json>`: a report this script printed for an earlier release, kept beside the new figures. */
function previousFigures(): { previous?: { version: string; precision: number; recall: number; f1: number } } {
  const i = process.argv.indexOf('--previous');
  if (i < 0 || process.argv[i + 1] === undefined) return {};
  const r = JSON.parse(fs.readFileSync(process.argv[i + 1]!, 'utf8')) as { version: string; precision: number; recall: number; f1: number };
  return { previous: { version: r.version, precision: r.precision, recall: r.recall, f1: r.f1 } };
}

async function main(): Promise<void> {
  const ner = await loadDiseaseNer();
  try {
    const report = await evaluateProxy(loadProxySet(), ner);
    process.stdout.write(JSON.stringify({ version: ner.version, ...report }, null, 2) + '\n');
    if (process.argv.includes('--write')) {
      const file = path.join(defaultModelsDir(), 'disease-ner', 'metrics.json');
      const metrics = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      const { errors, ...figures } = report;
      metrics['proxyExternal'] = {
        set: 'models/runtime/nlp/diseaseNerProxySet.json',
        what: 'hand-written out-of-corpus sentences (drug adverse effects in BC5CDR style, clinical notes, general medicine), annotated by a documented rule before any model was run; a proxy for another corpus, not BC5CDR itself',
        ...figures,
        errorSentences: errors.length,
        ...previousFigures(),
      };
      // top-level keys sorted, as the training script writes them
      const sorted = Object.fromEntries(Object.entries(metrics).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      fs.writeFileSync(file, JSON.stringify(sorted, null, 2) + '\n');
    }
  } finally {
    await ner.release();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
