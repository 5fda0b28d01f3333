/**
 * `disease-ner` runtime: tokenise exactly as in training (tokenise.ts), encode with the shipped vocabulary and
 * gazetteer (training mentions, greedy longest match), run the ONNX emissions network with onnxruntime-node, decode with Viterbi over the CRF scores (crf.json), and turn
 * B/I tags into character spans.
 */
import * as ort from 'onnxruntime-node';

import { companion, loadVerifiedArtefact, ModelIntegrityError, parseJsonArtefact } from './nlpModels';
import { caseClass, codePoints, TOKENISER_ID, tokenise, wordKey, type Token } from './tokenise';

export const DISEASE_NER_ID = 'disease-ner';
/** Sentences longer than this many tokens are tagged in consecutive windows. */
export const MAX_TOKENS_PER_WINDOW = 150;

export interface NerVocab {
  tokeniser: string;
  maxCharsPerToken: number;
  pad: number;
  unk: number;
  words: string[];
  chars: string[];
}

export interface CrfScores {
  labels: string[];
  transitions: number[][];
  start: number[];
  end: number[];
}

export interface Gazetteer {
  maxLength: number;
  entries: string[][];
}

export interface EncodedTokens {
  wordIds: number[];
  charIds: number[][];
  caseIds: number[];
  gazIds: number[];
}

export interface TokenSpan {
  /** token indices, end exclusive */
  startToken: number;
  endToken: number;
}

export interface DiseaseNer {
  readonly version: string;
  readonly sha256: string;
  readonly labels: readonly string[];
  encode(tokens: readonly string[]): EncodedTokens;
  /** Emission scores [T][labels] for one window of tokens (T >= 1). */
  emissions(tokens: readonly string[]): Promise<Float32Array[]>;
  viterbi(emissions: readonly ArrayLike<number>[]): number[];
  /** Disease spans (character offsets into text) in text[start, end). */
  tagSpan(text: string, start: number, end: number): Promise<{ start: number; end: number }[]>;
  release(): Promise<void>;
}

const SEP = '\u0001';

/** Gazetteer classes per token: 1 outside, 2 first token of a match, 3 inside (greedy longest match, as in training). */
export function gazetteerTags(gaz: Gazetteer, tokens: readonly string[]): number[] {
  const set = gazetteerSet(gaz);
  const keys = tokens.map(wordKey);
  const n = keys.length;
  const out = new Array<number>(n).fill(1);
  let i = 0;
  while (i < n) {
    let best = 0;
    for (let L = Math.min(gaz.maxLength, n - i); L >= 1; L--) {
      if (set.has(keys.slice(i, i + L).join(SEP))) {
        best = L;
        break;
      }
    }
    if (best > 0) {
      out[i] = 2;
      for (let j = i + 1; j < i + best; j++) out[j] = 3;
      i += best;
    } else {
      i++;
    }
  }
  return out;
}

const gazCache = new WeakMap<Gazetteer, Set<string>>();
function gazetteerSet(g: Gazetteer): Set<string> {
  let s = gazCache.get(g);
  if (s === undefined) {
    s = new Set(g.entries.map((e) => e.join(SEP)));
    gazCache.set(g, s);
  }
  return s;
}

export function encodeTokens(vocab: NerVocab, gaz: Gazetteer, tokens: readonly string[]): EncodedTokens {
  const w2i = wordIndex(vocab);
  const c2i = charIndex(vocab);
  return {
    wordIds: tokens.map((t) => w2i.get(wordKey(t)) ?? vocab.unk),
    charIds: tokens.map((t) =>
      codePoints(t)
        .slice(0, vocab.maxCharsPerToken)
        .map((c) => c2i.get(c) ?? vocab.unk),
    ),
    caseIds: tokens.map((t) => caseClass(t)),
    gazIds: gazetteerTags(gaz, tokens),
  };
}

const wordIndexCache = new WeakMap<NerVocab, Map<string, number>>();
const charIndexCache = new WeakMap<NerVocab, Map<string, number>>();
function wordIndex(v: NerVocab): Map<string, number> {
  let m = wordIndexCache.get(v);
  if (m === undefined) {
    m = new Map(v.words.map((w, i) => [w, i]));
    wordIndexCache.set(v, m);
  }
  return m;
}
function charIndex(v: NerVocab): Map<string, number> {
  let m = charIndexCache.get(v);
  if (m === undefined) {
    m = new Map(v.chars.map((c, i) => [c, i]));
    charIndexCache.set(v, m);
  }
  return m;
}

/** Viterbi in float64; ties go to the lowest label index (same as numpy argmax in the training script). */
export function viterbiDecode(em: readonly ArrayLike<number>[], crf: CrfScores): number[] {
  const T = em.length;
  const K = crf.labels.length;
  if (T === 0) return [];
  let score = new Float64Array(K);
  for (let k = 0; k < K; k++) score[k] = (crf.start[k] ?? 0) + (em[0]![k] ?? 0);
  const back: Int32Array[] = [];
  for (let t = 1; t < T; t++) {
    const next = new Float64Array(K);
    const bp = new Int32Array(K);
    for (let j = 0; j < K; j++) {
      let best = -Infinity;
      let arg = 0;
      for (let i = 0; i < K; i++) {
        const s = score[i]! + crf.transitions[i]![j]!;
        if (s > best) {
          best = s;
          arg = i;
        }
      }
      next[j] = best + (em[t]![j] ?? 0);
      bp[j] = arg;
    }
    back.push(bp);
    score = next;
  }
  let best = -Infinity;
  let arg = 0;
  for (let k = 0; k < K; k++) {
    const s = score[k]! + crf.end[k]!;
    if (s > best) {
      best = s;
      arg = k;
    }
  }
  const path = [arg];
  for (let t = T - 1; t >= 1; t--) {
    arg = back[t - 1]![arg]!;
    path.push(arg);
  }
  return path.reverse();
}

/** Entity chunks from IOB labels, conlleval-style (an I- after O or another type opens a chunk). */
export function chunksFromTags(tags: readonly string[]): TokenSpan[] {
  const out: TokenSpan[] = [];
  let start = -1;
  let type = '';
  for (let i = 0; i <= tags.length; i++) {
    const t = tags[i] ?? 'O';
    const dash = t.indexOf('-');
    const prefix = dash < 0 ? t : t.slice(0, dash);
    const ttype = dash < 0 ? '' : t.slice(dash + 1);
    const begins = prefix === 'B' || (prefix === 'I' && (start < 0 || ttype !== type));
    const ends = start >= 0 && (prefix === 'O' || begins);
    if (ends) {
      out.push({ startToken: start, endToken: i });
      start = -1;
    }
    if (begins) {
      start = i;
      type = ttype;
    }
  }
  return out;
}

function validVocab(v: unknown): v is NerVocab {
  const x = v as Partial<NerVocab> | null;
  return (
    x !== null &&
    typeof x === 'object' &&
    x.tokeniser === TOKENISER_ID &&
    typeof x.maxCharsPerToken === 'number' &&
    typeof x.pad === 'number' &&
    typeof x.unk === 'number' &&
    Array.isArray(x.words) &&
    Array.isArray(x.chars)
  );
}

function validGazetteer(v: unknown): v is Gazetteer {
  const x = v as Partial<Gazetteer> | null;
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof x.maxLength === 'number' &&
    Array.isArray(x.entries) &&
    x.entries.every((e) => Array.isArray(e) && e.every((t) => typeof t === 'string'))
  );
}

function validCrf(v: unknown): v is CrfScores {
  const x = v as Partial<CrfScores> | null;
  const K = x?.labels?.length ?? 0;
  return (
    x !== null &&
    typeof x === 'object' &&
    K > 0 &&
    Array.isArray(x.transitions) &&
    x.transitions.length === K &&
    x.transitions.every((r) => Array.isArray(r) && r.length === K) &&
    Array.isArray(x.start) &&
    x.start.length === K &&
    Array.isArray(x.end) &&
    x.end.length === K
  );
}

export async function loadDiseaseNer(modelsDir?: string): Promise<DiseaseNer> {
  const v = loadVerifiedArtefact(DISEASE_NER_ID, modelsDir);
  const vocab = parseJsonArtefact(DISEASE_NER_ID, 'vocab.json', companion(v, 'vocab.json'));
  const crf = parseJsonArtefact(DISEASE_NER_ID, 'crf.json', companion(v, 'crf.json'));
  const gaz = parseJsonArtefact(DISEASE_NER_ID, 'gazetteer.json', companion(v, 'gazetteer.json'));
  if (!validGazetteer(gaz)) throw new ModelIntegrityError(DISEASE_NER_ID, 'gazetteer.json', 'a gazetteer', 'something else');
  if (!validVocab(vocab)) throw new ModelIntegrityError(DISEASE_NER_ID, 'vocab.json', `a ${TOKENISER_ID} vocabulary`, 'something else');
  if (!validCrf(crf)) throw new ModelIntegrityError(DISEASE_NER_ID, 'crf.json', 'CRF scores', 'something else');
  if (JSON.stringify(crf.labels) !== JSON.stringify(v.entry.labels)) {
    throw new ModelIntegrityError(DISEASE_NER_ID, 'crf.json', `labels ${v.entry.labels.join(',')}`, crf.labels.join(','));
  }
  const session = await ort.InferenceSession.create(v.artefact, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  });
  const K = crf.labels.length;

  async function emissions(tokens: readonly string[]): Promise<Float32Array[]> {
    const T = tokens.length;
    if (T === 0) return [];
    const enc = encodeTokens(vocab as NerVocab, gaz as Gazetteer, tokens);
    const C = Math.max(1, ...enc.charIds.map((c) => c.length));
    const words = new BigInt64Array(T);
    const cases = new BigInt64Array(T);
    const gazIds = new BigInt64Array(T);
    const chars = new BigInt64Array(T * C);
    for (let t = 0; t < T; t++) {
      words[t] = BigInt(enc.wordIds[t]!);
      cases[t] = BigInt(enc.caseIds[t]!);
      gazIds[t] = BigInt(enc.gazIds[t]!);
      const cs = enc.charIds[t]!;
      for (let c = 0; c < cs.length; c++) chars[t * C + c] = BigInt(cs[c]!);
    }
    const out = await session.run({
      word_ids: new ort.Tensor('int64', words, [1, T]),
      char_ids: new ort.Tensor('int64', chars, [1, T, C]),
      case_ids: new ort.Tensor('int64', cases, [1, T]),
      gaz_ids: new ort.Tensor('int64', gazIds, [1, T]),
    });
    const em = out['emissions'];
    if (em === undefined) throw new Error('disease-ner: no "emissions" output');
    const data = em.data as Float32Array;
    const rows: Float32Array[] = [];
    for (let t = 0; t < T; t++) rows.push(data.slice(t * K, (t + 1) * K));
    return rows;
  }

  async function tagSpan(text: string, start: number, end: number): Promise<{ start: number; end: number }[]> {
    const toks: Token[] = tokenise(text.slice(start, end), start);
    const spans: { start: number; end: number }[] = [];
    for (let w = 0; w < toks.length; w += MAX_TOKENS_PER_WINDOW) {
      const win = toks.slice(w, w + MAX_TOKENS_PER_WINDOW);
      const em = await emissions(win.map((t) => t.text));
      const path = viterbiDecode(em, crf as CrfScores);
      const tags = path.map((i) => (crf as CrfScores).labels[i] ?? 'O');
      for (const c of chunksFromTags(tags)) spans.push({ start: win[c.startToken]!.start, end: win[c.endToken - 1]!.end });
    }
    return spans;
  }

  return {
    version: v.entry.version,
    sha256: v.entry.sha256,
    labels: crf.labels,
    encode: (tokens) => encodeTokens(vocab as NerVocab, gaz as Gazetteer, tokens),
    emissions,
    viterbi: (em) => viterbiDecode(em, crf as CrfScores),
    tagSpan,
    release: () => session.release(),
  };
}
