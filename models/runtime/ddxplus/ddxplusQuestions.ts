/**
 * "Ask next" for the DDXPlus interview: expected information gain of each askable question over a
 * posterior of the 49 conditions built from the per-condition answer frequencies of the training
 * split (naive Bayes: uniform prior, one factor per known answer). Node built-ins only.
 *
 * Why not the forest's own posterior: vote fractions of a forest are coarse (most trees agree, most
 * labels get no vote), so most questions show no expected change; measured on held-out patients,
 * questions chosen by gain over the forest's votes left the forest at macro top-1 0.49 after 10
 * questions, questions chosen by gain over this posterior at 0.87 (same forest). The forest still
 * gives the differential; this posterior only chooses what to ask.
 *
 *   1. π = the posterior given the known answers (a follow-up counts only when its parent is yes).
 *   2. A question is askable when unknown and, for a follow-up (E_55 after E_53), its parent is yes.
 *   3. For each answer a: P(a | c) from the frequencies among training patients of c to whom the
 *      question applied (Laplace-smoothed for yes/no and scales; for multiple choice the 5 commonest
 *      answer sets of each condition); P(a) = Σ_c π_c P(a | c); π_a ∝ π_c P(a | c).
 *      gain = H(π) − Σ_a P(a) H(π_a), in bits.
 *   4. Only questions with an answer that changes the order of the leading `rankDepth` conditions are
 *      kept (restricted to what can change the ranking); best gain first, ties by evidence order.
 */
import type { DdxEncoder, DdxFeatures, EvidenceInfo } from './ddxplusEncoding';

export const ANSWER_FREQUENCIES_FORMAT = 'lantern-ddxplus-answer-frequencies/1';

export interface EvidenceAnswerFrequencies {
  /** Answers: 1/0 (binary), the values (categorical), sets of V_ codes joined by "|" (multiple choice). */
  answers: (number | string)[];
  /** counts[label][answer]: training patients of the label giving that answer (question applicable). */
  counts: number[][];
  /** Per label: training patients to whom the question applied. */
  n: number[];
}

export interface AnswerFrequenciesFile {
  format: typeof ANSWER_FREQUENCIES_FORMAT;
  labels: string[];
  alpha: number;
  evidences: Record<string, EvidenceAnswerFrequencies>;
}

export interface AskNextItem {
  feature: string;
  /** Expected entropy reduction of the posterior, bits. */
  gain: number;
}

export function validateAnswerFrequencies(json: unknown, labels: readonly string[], encoder: DdxEncoder): AnswerFrequenciesFile {
  const fail = (why: string): never => {
    throw new TypeError(`invalid DDXPlus answer frequencies: ${why}`);
  };
  const o = json as Partial<AnswerFrequenciesFile> | null;
  if (o === null || typeof o !== 'object' || o.format !== ANSWER_FREQUENCIES_FORMAT) return fail('format');
  if (JSON.stringify(o.labels) !== JSON.stringify(labels)) fail('labels differ from the model');
  if (typeof o.alpha !== 'number' || !(o.alpha > 0)) fail('alpha');
  const ev = o.evidences as Record<string, EvidenceAnswerFrequencies> | undefined;
  if (ev === null || typeof ev !== 'object') return fail('evidences');
  for (const e of encoder.evidences) {
    const f = ev[e.name];
    if (
      f === undefined ||
      !Array.isArray(f.answers) ||
      !Array.isArray(f.counts) ||
      f.counts.length !== labels.length ||
      !Array.isArray(f.n) ||
      f.n.length !== labels.length
    ) {
      return fail(`evidence ${e.name}`);
    }
    f.counts.forEach((row, c) => {
      if (!Array.isArray(row) || row.length !== f.answers.length || row.some((k) => !Number.isInteger(k) || k < 0 || k > (f.n[c] as number)))
        fail(`${e.name} counts`);
    });
  }
  return o as AnswerFrequenciesFile;
}

interface Answer {
  /** The answer as the encoder takes it. */
  value: number | string | string[];
  key: number | string;
  /** P(answer | label) for choosing questions. */
  p: Float64Array;
  /** log P(answer | label), smoothed, for the posterior. */
  logP: Float64Array;
}

interface Question {
  e: EvidenceInfo;
  answers: Answer[];
  /** log P of an answer outside `answers` (a multiple-choice set no condition commonly gives). */
  logOther: Float64Array;
}

export class DdxQuestionPicker {
  readonly encoder: DdxEncoder;
  readonly nLabels: number;
  private readonly questions: Map<string, Question>;

  constructor(encoder: DdxEncoder, fr: AnswerFrequenciesFile) {
    this.encoder = encoder;
    this.nLabels = fr.labels.length;
    validateAnswerFrequencies(fr, fr.labels, encoder);
    this.questions = new Map(encoder.evidences.map((e) => [e.name, this.build(e, fr)]));
  }

  private build(e: EvidenceInfo, fr: AnswerFrequenciesFile): Question {
    const f = fr.evidences[e.name] as EvidenceAnswerFrequencies;
    const nL = this.nLabels;
    const k = f.answers.length;
    const a = fr.alpha;
    const logOther = new Float64Array(nL);
    for (let c = 0; c < nL; c++) logOther[c] = Math.log(a / ((f.n[c] as number) + (k + 1) * a));
    const answers = f.answers.map((key, j) => {
      const p = new Float64Array(nL);
      const logP = new Float64Array(nL);
      for (let c = 0; c < nL; c++) {
        const n = f.n[c] as number;
        const cnt = (f.counts[c] as number[])[j] as number;
        // Multiple choice: the commonest sets only, unsmoothed, so rare sets do not dilute the gain.
        p[c] = e.type === 'multi' ? (n > 0 ? cnt / n : 0) : (cnt + a) / (n + k * a);
        logP[c] = Math.log((cnt + a) / (n + (e.type === 'multi' ? k + 1 : k) * a));
      }
      const value = e.type === 'multi' ? String(key).split('|') : key;
      return { value, key, p, logP };
    });
    return { e, answers, logOther };
  }

  /** True where the question may be asked now: unknown, and a follow-up only after its parent is yes. */
  askable(e: EvidenceInfo, features: DdxFeatures): boolean {
    if (features[e.name] !== undefined) return false;
    return e.parent === undefined || features[e.parent] === 1;
  }

  /** The posterior over labels given the known answers (uniform prior). */
  posterior(features: DdxFeatures): Float64Array {
    const nL = this.nLabels;
    const lp = new Float64Array(nL);
    for (const [name, v] of Object.entries(features)) {
      const q = this.questions.get(name);
      if (q === undefined) continue;
      if (q.e.parent !== undefined && features[q.e.parent] !== 1) continue; // implied by a "no" to the parent
      const key = q.e.type === 'multi' ? (v as string[]).join('|') : (v as number | string);
      const ans = q.answers.find((x) => x.key === key);
      const l = ans === undefined ? q.logOther : ans.logP;
      for (let c = 0; c < nL; c++) lp[c]! += l[c] as number;
    }
    let max = -Infinity;
    for (let c = 0; c < nL; c++) if ((lp[c] as number) > max) max = lp[c] as number;
    let sum = 0;
    for (let c = 0; c < nL; c++) {
      lp[c] = Math.exp((lp[c] as number) - max);
      sum += lp[c] as number;
    }
    for (let c = 0; c < nL; c++) lp[c]! /= sum;
    return lp;
  }

  /** The best `count` questions (see the file comment); never an evidence already known. */
  askNext(features: DdxFeatures, count = 5, rankDepth = 5): AskNextItem[] {
    const nL = this.nLabels;
    const pi = this.posterior(features);
    const h = entropy(pi);
    const lead = topOrder(pi, rankDepth);
    const inLead = new Uint8Array(nL);
    for (const c of lead) inLead[c] = 1;
    const post = new Float64Array(nL);
    const scored: { name: string; gain: number; idx: number }[] = [];
    let idx = 0;
    for (const e of this.encoder.evidences) {
      idx++;
      if (!this.askable(e, features)) continue;
      const q = this.questions.get(e.name) as Question;
      let expected = 0;
      let total = 0;
      let changes = false;
      for (const ans of q.answers) {
        let pa = 0;
        for (let c = 0; c < nL; c++) {
          const v = (pi[c] as number) * (ans.p[c] as number);
          post[c] = v;
          pa += v;
        }
        if (pa <= 0) continue;
        for (let c = 0; c < nL; c++) post[c]! /= pa;
        expected += pa * entropy(post);
        total += pa;
        if (!changes && !sameLead(post, lead, inLead)) changes = true;
      }
      if (!changes || total <= 0) continue;
      scored.push({ name: e.name, gain: h - expected / total, idx });
    }
    scored.sort((a, b) => b.gain - a.gain || a.idx - b.idx);
    return scored.slice(0, count).map((s) => ({ feature: s.name, gain: Math.max(0, s.gain) }));
  }
}

function entropy(p: Float64Array): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i] as number;
    if (x > 0) h -= x * Math.log2(x);
  }
  return h;
}

function topOrder(p: Float64Array, k: number): number[] {
  const idx = Array.from({ length: p.length }, (_, i) => i);
  idx.sort((a, b) => (p[b] as number) - (p[a] as number) || a - b);
  return idx.slice(0, k);
}

/** True where `lead` is still the top of `p` in the same order (ties by label index), without sorting. */
function sameLead(p: Float64Array, lead: readonly number[], inLead: Uint8Array): boolean {
  const before = (a: number, b: number): boolean => (p[a] as number) > (p[b] as number) || ((p[a] as number) === (p[b] as number) && a < b);
  for (let i = 0; i + 1 < lead.length; i++) if (!before(lead[i] as number, lead[i + 1] as number)) return false;
  const last = lead[lead.length - 1] as number;
  for (let c = 0; c < p.length; c++) if (inLead[c] === 0 && before(c, last)) return false;
  return true;
}
