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

import {
  applyContext,
  parseContextRules,
  type Assertion,
  type ContextRuleSet,
  type ContextTarget,
} from './contextAlgorithm';
import { loadDiseaseNer, type DiseaseNer } from './diseaseNer';
import { defaultModelsDir, loadVerifiedArtefact, parseJsonArtefact } from './nlpModels';
import { splitSentences, type Span } from './sentences';
import { ignoredCategoriesFor, matchSymptoms, parseSymptomLexicon, type LexiconMatch, type SymptomLexicon } from './symptomLexicon';
import { loadSymptomTextModel, type SymptomTextModel } from './symptomText';

export type { Assertion } from './contextAlgorithm';

export interface Entity {
  start: number;
  end: number;
  /** 'Disease' for NER mentions, 'Symptom' for symptom-lexicon mentions */
  label: string;
  text: string;
  assertion: Assertion;
}

export interface ExtractedFinding {
  /** a symptom-differential input name */
  feature: string;
  state: 'present' | 'absent';
  start: number;
  end: number;
  text: string;
  assertion: Assertion;
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
  conceptAssertion(text: string, concept: string): { start: number; end: number; assertion: Assertion; negated: boolean } | null;
  extractFindings(text: string): ExtractedFinding[];
  classifyComplaint(text: string): Promise<{ label: string; probability: number }[]>;
  /** Loads every artefact now (verifying sha256); otherwise each loads on first use. */
  preload(): Promise<void>;
  release(): Promise<void>;
}

const CONTEXT_RULES_ID = 'context-rules';
const SYMPTOM_LEXICON_ID = 'symptom-lexicon';
/** Yield to the event loop at least this often (ms) while processing long text. */
const YIELD_EVERY_MS = 15;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createClinicalText(modelsDir: string = defaultModelsDir()): ClinicalText {
  const dir = path.resolve(modelsDir);
  let rules: ContextRuleSet | null = null;
  let lexicon: SymptomLexicon | null = null;
  let ner: Promise<DiseaseNer> | null = null;
  let symptomText: SymptomTextModel | null = null;

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

  /** Symptom matches in one sentence with their ConText results. */
  function symptomsInSentence(text: string, s: Span): { match: LexiconMatch; target: ContextTarget }[] {
    const lex = getLexicon();
    return matchSymptoms(lex, text, s.start, s.end).map((match) => ({
      match,
      target: { start: match.start, end: match.end, ignoreCategories: ignoredCategoriesFor(lex, match.entry) },
    }));
  }

  function findingsFor(text: string, match: LexiconMatch, assertion: Assertion, negated: boolean): ExtractedFinding[] {
    const e = match.entry;
    const span = { start: match.start, end: match.end, text: text.slice(match.start, match.end) };
    const out: ExtractedFinding[] = [];
    if (e.features.length === 0) {
      // a term that itself says "absent" ("afebrile"): only when asserted plainly
      if (assertion === 'present' && !negated) {
        for (const f of e.impliesAbsent) out.push({ feature: f, state: 'absent', ...span, assertion: 'absent' });
      }
      return out;
    }
    if (assertion === 'absent') {
      for (const f of e.whenNegated) out.push({ feature: f, state: 'absent', ...span, assertion });
      return out;
    }
    for (const f of e.features) out.push({ feature: f, state: assertion === 'present' ? 'present' : 'absent', ...span, assertion });
    if (assertion === 'present') {
      for (const f of e.impliesAbsent) if (!e.features.includes(f)) out.push({ feature: f, state: 'absent', ...span, assertion: 'absent' });
    }
    return out;
  }

  function extractFindings(text: string): ExtractedFinding[] {
    const rs = getRules();
    const out: ExtractedFinding[] = [];
    for (const s of splitSentences(text)) {
      const found = symptomsInSentence(text, s);
      if (found.length === 0) continue;
      const ctx = applyContext(text, s, found.map((f) => f.target), rs);
      found.forEach((f, i) => {
        const r = ctx[i]!;
        out.push(...findingsFor(text, f.match, r.assertion, r.categories.includes('NEGATED_EXISTENCE')));
      });
    }
    out.sort((a, b) => a.start - b.start || a.end - b.end || a.feature.localeCompare(b.feature));
    return out;
  }

  async function recogniseEntities(text: string, opts: RecogniseOptions = {}): Promise<Entity[]> {
    const rs = getRules();
    const model = await getNer();
    const withSymptoms = opts.symptoms ?? true;
    const sentences = splitSentences(text);
    const total = sentences.length;
    const out: Entity[] = [];
    let last = Date.now();
    opts.onProgress?.(0, total);
    for (let i = 0; i < total; i++) {
      const s = sentences[i]!;
      const diseases = await model.tagSpan(text, s.start, s.end);
      const symptoms = withSymptoms ? symptomsInSentence(text, s) : [];
      const targets: ContextTarget[] = [...diseases.map((d) => ({ start: d.start, end: d.end })), ...symptoms.map((x) => x.target)];
      const ctx = applyContext(text, s, targets, rs);
      diseases.forEach((d, k) => {
        out.push({ start: d.start, end: d.end, label: 'Disease', text: text.slice(d.start, d.end), assertion: ctx[k]!.assertion });
      });
      symptoms.forEach((x, k) => {
        const r = ctx[diseases.length + k]!;
        // "afebrile"-type terms are mentions of an absent finding
        const assertion: Assertion = x.match.entry.features.length === 0 && r.assertion === 'present' ? 'absent' : r.assertion;
        out.push({ start: x.match.start, end: x.match.end, label: 'Symptom', text: text.slice(x.match.start, x.match.end), assertion });
      });
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

  function conceptAssertion(text: string, concept: string) {
    const span = findConcept(text, concept);
    if (span === null) return null;
    const s = splitSentences(text).find((x) => x.start <= span.start && span.start < x.end) ?? { start: 0, end: text.length };
    const r = applyContext(text, { start: s.start, end: Math.max(s.end, span.end) }, [span], getRules())[0]!;
    return { ...span, assertion: r.assertion, negated: r.categories.includes('NEGATED_EXISTENCE') };
  }

  return {
    recogniseEntities,
    negationStatus(text: string, concept: string) {
      return conceptAssertion(text, concept)?.negated === true ? 'negated' : 'affirmed';
    },
    conceptAssertion,
    extractFindings,
    async classifyComplaint(text: string) {
      return getSymptomText().classify(text);
    },
    async preload() {
      getRules();
      getLexicon();
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
 * Symptom-differential features mentioned in `text`, one finding per feature per mention, in text order.
 * state is the value to feed the symptom-differential model: 'present' only for assertion 'present'; every
 * other assertion (absent, possible, historical, hypothetical, other_experiencer) gives 'absent' — the model
 * encodes absent and unknown alike. Bare "fever" maps to high_fever; "mild / low-grade / slight fever" and
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
  for (const f of findings) if (out[f.feature] !== 'present') out[f.feature] = f.state;
  return out;
}
