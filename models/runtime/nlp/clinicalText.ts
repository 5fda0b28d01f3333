/**
 * Clinical text API (plain Node; no electron or db imports).
 *
 *  recogniseEntities(text)   Disease mentions (disease-ner, ONNX) + Symptom mentions (symptom lexicon), each with
 *                            a ConText assertion; character offsets into `text` (JS string indices).
 *  negationStatus(text, c)   'negated' | 'affirmed' for the first case-insensitive occurrence of concept c.
 *  extractFindings(text)     symptom-differential features with state and span.
 *  classifyComplaint(text)   symptom-text ranking of 24 diseases.
 *
 * Long text is processed sentence by sentence (sentences.ts); recogniseEntities reports progress per sentence and
 * yields to the event loop between chunks, so a 50-page note does not block the process.
 *
 * Artefacts are loaded lazily, once per models folder, through nlpModels.ts (sha256 verified before use; a
 * mismatch throws ModelIntegrityError). `createClinicalText(modelsDir)` gives an instance bound to another folder.
 */
import * as path from 'node:path';

import { matchVocabulary, parseClinicalVocabulary, type ClinicalVocabulary } from './clinicalVocabulary';
import {
  applyContext,
  contextTokens,
  findModifiers,
  parseContextRules,
  type Assertion,
  type ContextCategory,
  type ContextRuleSet,
  type ContextTarget,
  type ContextWork,
} from './contextAlgorithm';
import { loadDiseaseNer, type DiseaseNer } from './diseaseNer';
import { defaultModelsDir, loadVerifiedArtefact, parseJsonArtefact } from './nlpModels';
import { findSections, sectionAt, type NoteSection } from './noteSections';
import { splitSentences, type Span } from './sentences';
import { ignoredCategoriesFor, matchSymptoms, parseSymptomLexicon, type SymptomLexicon } from './symptomLexicon';
import { loadSymptomTextModel, type SymptomTextModel } from './symptomText';

export type { Assertion } from './contextAlgorithm';

export interface Entity {
  start: number;
  end: number;
  /** 'Disease' (disease-ner or the clinical vocabulary) or 'Symptom' (symptom lexicon or the clinical vocabulary) */
  label: string;
  text: string;
  assertion: Assertion;
}

export interface ExtractedFinding {
  /** a symptom-differential input name */
  feature: string;
  /**
   * The value for the case: 'present' (asserted present), 'absent' (negated in the text), or 'unknown' for a
   * possible, hypothetical, historical or family mention, which is shown for the clinician but never entered.
   */
  state: 'present' | 'absent' | 'unknown';
  start: number;
  end: number;
  text: string;
  assertion: Assertion;
  /** DDXPlus evidence codes for the same mention (for the DDXPlus differential) */
  ddxplus?: string[];
}

export interface RecogniseOptions {
  onProgress?: (done: number, total: number) => void;
  /** also return Symptom mentions (default true) */
  symptoms?: boolean;
}

export interface ClinicalText {
  recogniseEntities(text: string, opts?: RecogniseOptions): Promise<Entity[]>;
  negationStatus(text: string, concept: string): 'affirmed' | 'negated';
  /** Like negationStatus, with the full assertion and the matched span (null when the concept does not occur). */
  conceptStatus(text: string, concept: string): 'affirmed' | 'negated' | 'not-found';
  conceptAssertion(text: string, concept: string, work?: ContextWork): { start: number; end: number; assertion: Assertion; negated: boolean } | null;
  /** Clinical-vocabulary mentions (diseases and symptoms) with assertions, sentence by sentence (no ONNX model). */
  vocabularyMentions(text: string): (Entity & { concept: string })[];
  extractFindings(text: string): ExtractedFinding[];
  classifyComplaint(text: string): Promise<{ label: string; probability: number }[]>;
  /** Loads every artefact now (verifying sha256); otherwise each loads on first use. */
  preload(): Promise<void>;
  release(): Promise<void>;
}

const CONTEXT_RULES_ID = 'context-rules';
const SYMPTOM_LEXICON_ID = 'symptom-lexicon';
const VOCABULARY_ID = 'clinical-vocabulary';
/** Yield to the event loop at least this often (ms) while processing long text. */
const YIELD_EVERY_MS = 15;

const HAN = /[\u3400-\u9fff]/;
const LATIN_WORD = /[A-Za-z]{3,}/;

/** A lexicon or vocabulary mention inside one sentence. */
interface Mention {
  start: number;
  end: number;
  label: 'Disease' | 'Symptom';
  concept?: string;
  features: readonly string[];
  whenNegated: readonly string[];
  impliesAbsent: readonly string[];
  ddxplus: readonly string[];
  /** ConText categories that do not apply ("family history of ..." is the patient's own family_history finding) */
  ignore: readonly ContextCategory[];
}

/** Longest first; on equal spans the vocabulary (it knows the concept); then no overlaps. */
function resolveOverlaps(cands: Mention[]): Mention[] {
  const order = [...cands].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || (a.concept === undefined ? 1 : 0) - (b.concept === undefined ? 1 : 0) || a.start - b.start,
  );
  const kept: Mention[] = [];
  for (const c of order) if (!kept.some((k) => k.start < c.end && c.start < k.end)) kept.push(c);
  return kept.sort((a, b) => a.start - b.start);
}

/** The span without leading / trailing characters that are not letters or digits. */
function trimSpan(text: string, start: number, end: number): { start: number; end: number } {
  let a = start;
  let b = end;
  while (a < b && !/[\p{L}\p{N}]/u.test(text[a]!)) a++;
  while (b > a && !/[\p{L}\p{N})\]]/u.test(text[b - 1]!)) b--;
  return { start: a, end: b };
}

/** Headings overlapping span s (sections are sorted and disjoint: binary search, then a short walk). */
function headingsIn(sections: readonly NoteSection[], s: Span): NoteSection[] {
  let lo = 0;
  let hi = sections.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sections[mid]!.bodyStart <= s.start) lo = mid + 1;
    else hi = mid;
  }
  const out: NoteSection[] = [];
  for (let i = lo; i < sections.length && sections[i]!.start < s.end; i++) out.push(sections[i]!);
  return out;
}

/** Categories every one of the features ignores (as ignoredCategoriesFor, for vocabulary concepts). */
function ignoredFor(lex: SymptomLexicon, features: readonly string[]): ContextCategory[] {
  let acc: ContextCategory[] | null = null;
  for (const f of features) {
    const cats = lex.ignoreCategories[f] ?? [];
    acc = acc === null ? [...cats] : acc.filter((c) => cats.includes(c));
  }
  return acc ?? [];
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createClinicalText(modelsDir: string = defaultModelsDir()): ClinicalText {
  const dir = path.resolve(modelsDir);
  let rules: ContextRuleSet | null = null;
  let lexicon: SymptomLexicon | null = null;
  let ner: Promise<DiseaseNer> | null = null;
  let symptomText: SymptomTextModel | null = null;
  let vocabulary: ClinicalVocabulary | null = null;

  function getRules(): ContextRuleSet {
    if (rules === null) {
      const v = loadVerifiedArtefact(CONTEXT_RULES_ID, dir);
      rules = parseContextRules(parseJsonArtefact(CONTEXT_RULES_ID, v.entry.artefact, v.artefact), v.entry.sha256);
    }
    return rules;
  }
  function getLexicon(): SymptomLexicon {
    if (lexicon === null) {
      const v = loadVerifiedArtefact(SYMPTOM_LEXICON_ID, dir);
      lexicon = parseSymptomLexicon(parseJsonArtefact(SYMPTOM_LEXICON_ID, v.entry.artefact, v.artefact));
    }
    return lexicon;
  }
  function getVocabulary(): ClinicalVocabulary {
    if (vocabulary === null) {
      const v = loadVerifiedArtefact(VOCABULARY_ID, dir);
      vocabulary = parseClinicalVocabulary(parseJsonArtefact(VOCABULARY_ID, v.entry.artefact, v.artefact), getLexicon().features);
    }
    return vocabulary;
  }
  function getNer(): Promise<DiseaseNer> {
    if (ner === null) {
      ner = loadDiseaseNer(dir);
      ner.catch(() => {
        ner = null; // let a later call retry (and throw again) rather than cache a rejection
      });
    }
    return ner;
  }
  function getSymptomText(): SymptomTextModel {
    if (symptomText === null) symptomText = loadSymptomTextModel(dir);
    return symptomText;
  }

  /**
   * Every lexicon / vocabulary mention in one sentence, overlaps resolved (longest wins; on a tie the vocabulary,
   * which knows the concept). Each becomes a ConText target.
   */
  function mentionsInSentence(text: string, s: Span, headings: readonly NoteSection[] = []): Mention[] {
    const lex = getLexicon();
    const vocab = getVocabulary();
    const cands: Mention[] = [];
    for (const m of matchVocabulary(vocab, text, s.start, s.end)) {
      const c = m.concept;
      const features = c.features ?? [];
      cands.push({
        start: m.start,
        end: m.end,
        label: c.label,
        concept: c.id,
        features,
        whenNegated: c.whenNegated ?? features,
        impliesAbsent: [],
        ddxplus: c.ddxplus ?? [],
        ignore: features.length > 0 ? ignoredFor(lex, features) : [],
      });
    }
    for (const m of matchSymptoms(lex, text, s.start, s.end)) {
      cands.push({
        start: m.start,
        end: m.end,
        label: 'Symptom',
        features: m.entry.features,
        whenNegated: m.entry.whenNegated,
        impliesAbsent: m.entry.impliesAbsent,
        ddxplus: [],
        ignore: ignoredCategoriesFor(lex, m.entry),
      });
    }
    // a heading is not a mention ("Family history:" is the section, not the family_history finding)
    return resolveOverlaps(cands).filter((m) => !headings.some((h) => h.start < m.end && m.start < h.bodyStart));
  }

  function sectionAssertion(sections: readonly NoteSection[], m: { start: number; ignore: readonly ContextCategory[] }, a: Assertion): Assertion {
    const sec = sectionAt(sections, m.start);
    if (sec === null) return a;
    if (sec.kind === 'family_history' && !m.ignore.includes('FAMILY')) return 'family';
    if (sec.kind === 'past_history' && a === 'present' && !m.ignore.includes('HISTORICAL')) return 'historical';
    return a;
  }

  function findingsFor(text: string, m: Mention, assertion: Assertion, negated: boolean): ExtractedFinding[] {
    const span = { start: m.start, end: m.end, text: text.slice(m.start, m.end) };
    const codes = m.ddxplus.length > 0 ? { ddxplus: [...m.ddxplus] } : {};
    const out: ExtractedFinding[] = [];
    if (m.features.length === 0) {
      // a term that itself says "absent" ("afebrile"; its mention is asserted absent): only when not negated
      if ((assertion === 'present' || assertion === 'absent') && !negated) {
        for (const f of m.impliesAbsent) out.push({ feature: f, state: 'absent', ...span, assertion: 'absent' });
      }
      return out;
    }
    if (assertion === 'absent') {
      for (const f of m.whenNegated) out.push({ feature: f, state: 'absent', ...span, assertion, ...codes });
      return out;
    }
    // possible / hypothetical / historical / family: shown, never entered (absent is evidence, unknown is not)
    for (const f of m.features) out.push({ feature: f, state: assertion === 'present' ? 'present' : 'unknown', ...span, assertion, ...codes });
    if (assertion === 'present') {
      for (const f of m.impliesAbsent) if (!m.features.includes(f)) out.push({ feature: f, state: 'absent', ...span, assertion: 'absent' });
    }
    return out;
  }

  /** Mentions of every sentence with their (section-aware) assertions. */
  function assertedMentions(text: string, sections: readonly NoteSection[], s: Span, extra: ContextTarget[] = []) {
    const mentions = mentionsInSentence(text, s, headingsIn(sections, s));
    const ctx = applyContext(text, s, [...extra, ...mentions.map((m) => ({ start: m.start, end: m.end, ignoreCategories: m.ignore }))], getRules());
    const extraResults = ctx.slice(0, extra.length);
    const results = mentions.map((m, i) => {
      const r = ctx[extra.length + i]!;
      const negated = r.categories.includes('NEGATED_EXISTENCE');
      let assertion = sectionAssertion(sections, m, r.assertion);
      // "afebrile"-type terms are mentions of an absent finding
      if (m.features.length === 0 && m.impliesAbsent.length > 0 && assertion === 'present') assertion = 'absent';
      return { m, assertion, negated };
    });
    return { results, extraResults };
  }

  function extractFindings(text: string): ExtractedFinding[] {
    const out: ExtractedFinding[] = [];
    const sections = findSections(text);
    const sentences = splitSentences(text);
    const lexFeatures = new Set(getLexicon().features);
    for (const s of sentences) {
      for (const { m, assertion, negated } of assertedMentions(text, sections, s).results) {
        out.push(...findingsFor(text, m, assertion, negated));
        // a disease stated for a relative under a family-history heading is the patient's family_history finding
        if (
          m.label === 'Disease' &&
          assertion === 'family' &&
          !negated &&
          lexFeatures.has('family_history') &&
          sectionAt(sections, m.start)?.kind === 'family_history'
        ) {
          out.push({ feature: 'family_history', state: 'present', start: m.start, end: m.end, text: text.slice(m.start, m.end), assertion: 'present' });
        }
      }
    }
    out.sort((a, b) => a.start - b.start || a.end - b.end || a.feature.localeCompare(b.feature));
    return out;
  }

  function vocabularyMentions(text: string): (Entity & { concept: string })[] {
    const out: (Entity & { concept: string })[] = [];
    const sections = findSections(text);
    const sentences = splitSentences(text);
    for (const s of sentences) {
      for (const { m, assertion } of assertedMentions(text, sections, s).results) {
        if (m.concept !== undefined) out.push({ start: m.start, end: m.end, label: m.label, text: text.slice(m.start, m.end), assertion, concept: m.concept });
      }
    }
    return out;
  }

  /** Character spans of the ConText triggers of text[start, end). */
  function triggerSpans(text: string, start: number, end: number): { start: number; end: number }[] {
    const toks = contextTokens(text, start, end);
    return findModifiers(toks, getRules()).map((m) => ({ start: toks[m.startTok]!.start, end: toks[m.endTok - 1]!.end }));
  }

  /** Cuts a span where a trigger overlaps its start or its end; a trigger wholly inside is left to the caller. */
  function withoutEdgeTriggers(text: string, d: { start: number; end: number }, triggers: readonly { start: number; end: number }[]) {
    let { start, end } = d;
    for (const t of triggers) {
      if (t.start <= start && start < t.end) start = t.end;
      if (t.start < end && end <= t.end) end = t.start;
    }
    return start >= end ? { start, end: start } : trimSpan(text, start, end);
  }

  function hasModifier(text: string, start: number, end: number): boolean {
    return end > start && findModifiers(contextTokens(text, start, end), getRules()).length > 0;
  }

  async function recogniseEntities(text: string, opts: RecogniseOptions = {}): Promise<Entity[]> {
    getRules();
    const model = await getNer();
    const withSymptoms = opts.symptoms ?? true;
    const sections = findSections(text);
    const sentences = splitSentences(text);
    const total = sentences.length;
    const out: Entity[] = [];
    let last = Date.now();
    opts.onProgress?.(0, total);
    for (let i = 0; i < total; i++) {
      const s = sentences[i]!;
      // the ONNX model reads English; a sentence of Han characters only goes through the vocabulary
      const tagged = HAN.test(text.slice(s.start, s.end)) && !LATIN_WORD.test(text.slice(s.start, s.end)) ? [] : await model.tagSpan(text, s.start, s.end);
      // a list bullet or bracket the model took into a span is not part of the name ("- asthma"), nor is a ConText
      // trigger it ran into at either end ("Rule out sepsis" tagged "out sepsis")
      const triggers = triggerSpans(text, s.start, s.end);
      const ner = tagged
        .map((d) => trimSpan(text, d.start, d.end))
        .map((d) => withoutEdgeTriggers(text, d, triggers))
        .filter((d) => d.end > d.start);
      const { results, extraResults } = assertedMentions(
        text,
        sections,
        s,
        ner.map((d) => ({ start: d.start, end: d.end })),
      );
      // vocabulary and NER mentions: one per span. The model's wins only when strictly longer ("ovarian cancer" over
      // the vocabulary's "cancer"); on a tie or a partial overlap the vocabulary's (it knows the concept and label).
      const dropped = new Set<Mention>();
      const headings = headingsIn(sections, s);
      ner.forEach((d, k) => {
        if (headings.some((h) => h.start < d.end && d.start < h.bodyStart)) return; // "PMH:" is a heading
        // any lexicon / vocabulary mention it overlaps: "fever" is the vocabulary's Symptom, not the model's Disease
        const over = results.filter((v) => v.m.start < d.end && d.start < v.m.end);
        // ... and only over one of them, ending with it or going on with "of" ("ovarian cancer", "cancer of the
        // breast"): "sepsis given hypotension" is a concept and more words, not a longer name
        const nerWins =
          over.length <= 1 &&
          over.every(
            (v) =>
              d.start <= v.m.start &&
              v.m.end <= d.end &&
              d.end - d.start > v.m.end - v.m.start &&
              // the model's longer span must not swallow a ConText trigger ("denies diabetes")
              (v.m.end === d.end || /^\s+of\s/iu.test(text.slice(v.m.end, d.end))) &&
              !hasModifier(text, d.start, v.m.start) &&
              !hasModifier(text, v.m.end, d.end),
          );
        if (!nerWins) return;
        for (const v of over) if (v.m.label === 'Disease') dropped.add(v.m);
        const assertion = sectionAssertion(sections, { start: d.start, ignore: [] }, extraResults[k]!.assertion);
        out.push({ start: d.start, end: d.end, label: 'Disease', text: text.slice(d.start, d.end), assertion });
      });
      for (const { m, assertion } of results) {
        if (dropped.has(m) || (m.label === 'Symptom' && !withSymptoms)) continue;
        out.push({ start: m.start, end: m.end, label: m.label, text: text.slice(m.start, m.end), assertion });
      }
      opts.onProgress?.(i + 1, total);
      if (Date.now() - last >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        last = Date.now();
      }
    }
    out.sort((a, b) => a.start - b.start || a.end - b.end || a.label.localeCompare(b.label));
    return out;
  }

  function findConcept(text: string, concept: string): { start: number; end: number } | null {
    const c = concept.trim();
    if (c === '') return null;
    const esc = c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
    // whole-word occurrence first (letters/digits do not continue on either side), then any substring
    const whole = new RegExp(`(?<![\\p{L}\\p{N}])${esc}(?![\\p{L}\\p{N}])`, 'iu').exec(text);
    const any = whole ?? new RegExp(esc, 'iu').exec(text);
    return any === null ? null : { start: any.index, end: any.index + any[0].length };
  }

  function conceptAssertion(text: string, concept: string, work?: ContextWork) {
    const span = findConcept(text, concept);
    if (span === null) return null;
    const s = splitSentences(text).find((x) => x.start <= span.start && span.start < x.end) ?? { start: 0, end: text.length };
    const r = applyContext(text, { start: s.start, end: Math.max(s.end, span.end) }, [span], getRules(), work)[0]!;
    const assertion = sectionAssertion(findSections(text), { start: span.start, ignore: [] }, r.assertion);
    return { ...span, assertion, negated: r.categories.includes('NEGATED_EXISTENCE') };
  }

  return {
    recogniseEntities,
    negationStatus(text: string, concept: string) {
      return conceptAssertion(text, concept)?.negated === true ? 'negated' : 'affirmed';
    },
    conceptStatus(text: string, concept: string) {
      const r = conceptAssertion(text, concept);
      return r === null ? 'not-found' : r.negated ? 'negated' : 'affirmed';
    },
    conceptAssertion,
    vocabularyMentions,
    extractFindings,
    async classifyComplaint(text: string) {
      return getSymptomText().classify(text);
    },
    async preload() {
      getRules();
      getLexicon();
      getVocabulary();
      getSymptomText();
      await getNer();
    },
    async release() {
      const n = ner;
      ner = null;
      if (n !== null) await (await n).release();
    },
  };
}

let shared: ClinicalText | null = null;
function defaultInstance(): ClinicalText {
  if (shared === null) shared = createClinicalText();
  return shared;
}

/**
 * Disease (NER) and Symptom (lexicon) mentions with assertions; offsets are JS string indices into `text`
 * (`text.slice(start, end) === entity.text`). Progress is reported per sentence.
 */
export async function recogniseEntities(text: string, opts?: { onProgress?: (done: number, total: number) => void }): Promise<Entity[]> {
  return defaultInstance().recogniseEntities(text, opts);
}

/**
 * ConText negation of the first case-insensitive occurrence of `concept` in `text` (whole-word occurrence
 * preferred, else any substring; whitespace inside the concept matches any whitespace). 'negated' when a
 * negation trigger's scope covers it ("possible", "historical", "family" etc. do not count as negated).
 * A concept that does not occur is reported 'affirmed' (nothing in the text negates it), as NegEx does.
 */
export function negationStatus(text: string, concept: string): 'affirmed' | 'negated' {
  return defaultInstance().negationStatus(text, concept);
}

/**
 * negationStatus, with 'not-found' when `concept` does not occur in `text` (the `lantern negation` answer).
 */
export function conceptNegationStatus(text: string, concept: string): 'affirmed' | 'negated' | 'not-found' {
  return defaultInstance().conceptStatus(text, concept);
}

/**
 * Symptom-differential features mentioned in `text`, one finding per feature per mention, in text order.
 * state is what may enter the case: 'present' for assertion 'present', 'absent' for 'absent', and 'unknown' for
 * possible, historical, hypothetical and family mentions (shown, never entered as absent). Bare "fever" maps to high_fever; "mild / low-grade / slight fever" and
 * "feverish" to mild_fever; a negated bare fever term ("no fever", "afebrile") marks both absent.
 */
export function extractFindings(text: string): ExtractedFinding[] {
  return defaultInstance().extractFindings(text);
}

/** symptom-text ranking of its 24 diseases, highest probability first. */
export async function classifyComplaint(text: string): Promise<{ label: string; probability: number }[]> {
  return defaultInstance().classifyComplaint(text);
}

/**
 * Collapses findings to one state per feature: present if any mention is present, else absent.
 * Features never mentioned are left out.
 */
export function findingsToFeatureStates(findings: readonly ExtractedFinding[]): Record<string, 'present' | 'absent'> {
  const out: Record<string, 'present' | 'absent'> = {};
  for (const f of findings) {
    if (f.state === 'unknown') continue; // possible / hypothetical / historical / family: not entered
    if (out[f.feature] !== 'present') out[f.feature] = f.state;
  }
  return out;
}
