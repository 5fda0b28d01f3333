/**
 * `symptom-text` runtime: TF-IDF + multinomial logistic regression from JSON weights
 * (models/artefacts/symptom-text/model.json, written by models/training/nlp/train_symptom_text.py). Feature extraction is
 * the same as in the script and checked against models/artefacts/symptom-text/fixture.json.
 */
import { loadVerifiedArtefact, ModelIntegrityError, parseJsonArtefact } from './nlpModels';
import { asciiLower, codePoints, TOKENISER_ID, tokenise } from './tokenise';

export const SYMPTOM_TEXT_ID = 'symptom-text';

export interface TfidfLogregFile {
  format: 'lantern-tfidf-logreg/1';
  id: string;
  version: string;
  tokeniser: string;
  features: { maxWordN: number; charMin: number; charMax: number; sublinearTf: true; norm: 'l2' };
  labels: string[];
  vocabulary: string[];
  idf: number[];
  weights: number[][];
  bias: number[];
}

export interface SymptomTextModel {
  readonly version: string;
  readonly sha256: string;
  readonly labels: readonly string[];
  words(text: string): string[];
  /** feature strings, in extraction order (with repeats) */
  features(text: string): string[];
  /** sparse TF-IDF vector: index -> value */
  vectorise(text: string): Map<number, number>;
  /** probabilities in label order */
  probabilities(text: string): number[];
  /** labels ranked by probability (ties: label order) */
  classify(text: string): { label: string; probability: number }[];
  /** distinct words of text that are word features of the model (its scope check: too few and it reads nothing) */
  knownWords(text: string): string[];
}

const WORD_ONLY = /^[A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u0370-\u03ff\u0400-\u04ff]+$/u;

export function complaintWords(text: string): string[] {
  return tokenise(text)
    .filter((t) => WORD_ONLY.test(t.text))
    .map((t) => asciiLower(t.text));
}

export function createSymptomTextModel(m: TfidfLogregFile, sha256: string): SymptomTextModel {
  const index = new Map(m.vocabulary.map((f, i) => [f, i]));
  const { maxWordN, charMin, charMax } = m.features;
  const K = m.labels.length;

  function features(text: string): string[] {
    const ws = complaintWords(text);
    const out: string[] = [];
    for (let n = 1; n <= maxWordN; n++) {
      for (let i = 0; i + n <= ws.length; i++) out.push('w:' + ws.slice(i, i + n).join(' '));
    }
    if (charMax > 0) {
      for (const w of ws) {
        const cps = codePoints(' ' + w + ' ');
        for (let n = charMin; n <= charMax; n++) {
          for (let i = 0; i + n <= cps.length; i++) out.push('c:' + cps.slice(i, i + n).join(''));
        }
      }
    }
    return out;
  }

  function vectorise(text: string): Map<number, number> {
    const counts = new Map<number, number>();
    for (const f of features(text)) {
      const j = index.get(f);
      if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
    }
    const x = new Map<number, number>();
    let ss = 0;
    for (const [j, c] of counts) {
      const v = (1 + Math.log(c)) * m.idf[j]!;
      x.set(j, v);
      ss += v * v;
    }
    const norm = Math.sqrt(ss);
    if (norm > 0) for (const [j, v] of x) x.set(j, v / norm);
    return x;
  }

  function probabilities(text: string): number[] {
    const x = vectorise(text);
    const z = m.bias.slice();
    for (let k = 0; k < K; k++) {
      const w = m.weights[k]!;
      let s = z[k]!;
      for (const [j, v] of x) s += w[j]! * v;
      z[k] = s;
    }
    const mx = Math.max(...z);
    const e = z.map((v) => Math.exp(v - mx));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  }

  return {
    version: m.version,
    sha256,
    labels: m.labels,
    words: complaintWords,
    features,
    vectorise,
    probabilities,
    knownWords(text: string) {
      return [...new Set(complaintWords(text))].filter((w) => index.has('w:' + w));
    },
    classify(text: string) {
      const p = probabilities(text);
      return m.labels
        .map((label, k) => ({ label, probability: p[k]!, k }))
        .sort((a, b) => b.probability - a.probability || a.k - b.k)
        .map(({ label, probability }) => ({ label, probability }));
    },
  };
}

function validModel(v: unknown): v is TfidfLogregFile {
  const m = v as Partial<TfidfLogregFile> | null;
  if (m === null || typeof m !== 'object' || m.format !== 'lantern-tfidf-logreg/1' || m.tokeniser !== TOKENISER_ID) return false;
  const K = m.labels?.length ?? 0;
  const V = m.vocabulary?.length ?? 0;
  return (
    K > 0 &&
    V > 0 &&
    typeof m.features?.maxWordN === 'number' &&
    Array.isArray(m.idf) &&
    m.idf.length === V &&
    Array.isArray(m.bias) &&
    m.bias.length === K &&
    Array.isArray(m.weights) &&
    m.weights.length === K &&
    m.weights.every((r) => Array.isArray(r) && r.length === V)
  );
}

export function loadSymptomTextModel(modelsDir?: string): SymptomTextModel {
  const v = loadVerifiedArtefact(SYMPTOM_TEXT_ID, modelsDir);
  const json = parseJsonArtefact(SYMPTOM_TEXT_ID, v.entry.artefact, v.artefact);
  if (!validModel(json)) throw new ModelIntegrityError(SYMPTOM_TEXT_ID, v.entry.artefact, 'a lantern-tfidf-logreg/1 model', 'something else');
  if (JSON.stringify(json.labels) !== JSON.stringify(v.entry.labels)) {
    throw new ModelIntegrityError(SYMPTOM_TEXT_ID, v.entry.artefact, 'labels as in the manifest', 'different labels');
  }
  return createSymptomTextModel(json, v.entry.sha256);
}
