/**
 * Speed of the clinical-text pipeline (not a test; no assertions). Reports median and p95 in milliseconds for:
 *   - disease-ner per sentence (tokenise + ONNX + Viterbi), on short clinical-style sentences and on the
 *     PubMed sentences of the parity fixture,
 *   - assertion per sentence (symptom lexicon + ConText; extractFindings),
 *   - recogniseEntities / extractFindings per 1,000-word note,
 *   - the whole note analysis (entities + findings + complaint), per statement and per 200- and 1,000-word note,
 *     English and Chinese (goal: a typical 200-word note in <= 300 ms);
 *   - negation on one 200,000-character sentence (linear ConText);
 *   - a ~25,000-word note (about 50 pages): total time and the longest event-loop stall while it runs.
 * Sentences are synthetic clinical-style text built from a seeded generator, so runs are comparable.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

import { mulberry32, type Rng } from '../common/rng';
import { createClinicalText } from './clinicalText';
import { loadDiseaseNer } from './diseaseNer';
import { defaultModelsDir } from './nlpModels';
import { tokenise } from './tokenise';

const SUBJECTS = ['The patient', 'She', 'He', 'Patient', 'The child', 'This 54-year-old man'];
const PRESENT = [
  'reports fever and productive cough for three days',
  'complains of chest pain radiating to the left arm',
  'has had nausea, vomiting and abdominal pain since yesterday',
  'presents with headache, neck stiffness and photophobia',
  'describes joint pain and swelling of both knees',
  'notes fatigue, weight loss and night sweats over two months',
  'has a history of type 2 diabetes mellitus and hypertension',
  'was diagnosed with cystic fibrosis as a child',
  'reports burning micturition and frequent urination',
  'has a red itchy rash on both forearms',
];
const NEGATED = [
  'denies shortness of breath, palpitations or syncope',
  'has no history of asthma or tuberculosis',
  'is afebrile with no rash',
  'has not had any seizures',
  'denies diarrhoea, constipation and blood in stool',
];
const OTHER = [
  'Her mother had breast cancer and her father has Huntington disease.',
  'Return if fever or breathlessness develops.',
  'Possible early pneumonia in the right lower lobe; rule out pulmonary embolism.',
  'Examination shows mild hepatomegaly without jaundice.',
  'Mutations in the BRCA1 gene were not found.',
  'Chest x-ray shows no evidence of consolidation or effusion.',
  'Blood pressure 150/95, pulse 104, temperature 38.6 C.',
  'Duchenne muscular dystrophy and myotonic dystrophy were considered.',
];

/** Chinese note statements in the same mix (present, denied, history / family / hypothetical / possible). */
const ZH_PRESENT = [
  '患者3天前无明显诱因出现发热、咳嗽，伴咳痰。',
  '诉胸痛2小时，向左肩放射。',
  '恶心、呕吐伴腹痛1天。',
  '头痛、颈项强直，伴畏光。',
  '双膝关节疼痛、肿胀。',
  '近2月乏力、消瘦、盗汗。',
  '尿频、尿急、尿痛3天。',
  '双前臂皮疹伴瘙痒。',
];
const ZH_NEGATED = ['否认胸闷、心悸、晕厥。', '无发热，无咳嗽。', '未见皮疹。', '不伴腹泻、便血。', '否认肝炎、结核病史。'];
const ZH_OTHER = [
  '既往史：高血压病史10年，2型糖尿病5年。',
  '家族史：母亲患乳腺癌，父亲有冠心病。',
  '如出现胸痛、呼吸困难，及时就诊。',
  '考虑社区获得性肺炎，肺栓塞待排。',
  '胸痛已缓解。',
  '查体：双肺未闻及干湿啰音。',
];

export function syntheticZhSentence(rng: Rng): string {
  const r = rng();
  if (r < 0.45) return pick(rng, ZH_PRESENT);
  if (r < 0.7) return pick(rng, ZH_NEGATED);
  return pick(rng, ZH_OTHER);
}

/** A Chinese note of about `chars` Han characters (about two characters per English word). */
export function syntheticZhNote(rng: Rng, chars: number): string {
  let out = '';
  while (out.length < chars) out += syntheticZhSentence(rng) + (rng() < 0.15 ? '\n' : '');
  return out;
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

export function syntheticSentence(rng: Rng): string {
  const r = rng();
  if (r < 0.45) return `${pick(rng, SUBJECTS)} ${pick(rng, PRESENT)}.`;
  if (r < 0.7) return `${pick(rng, SUBJECTS)} ${pick(rng, NEGATED)}.`;
  return pick(rng, OTHER);
}

export function syntheticNote(rng: Rng, words: number): string {
  const parts: string[] = [];
  let n = 0;
  while (n < words) {
    const s = syntheticSentence(rng);
    parts.push(s);
    n += s.split(/\s+/).length;
    if (rng() < 0.15) parts.push('\n');
  }
  return parts.join(' ');
}

function stats(ms: number[]): { n: number; median: number; p95: number; mean: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? 0;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { n: s.length, median: r(q(0.5)), p95: r(q(0.95)), mean: r(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)), max: r(s.at(-1) ?? 0) };
}

export interface NlpBenchOptions {
  sentences?: number;
  notes?: number;
  longNoteWords?: number;
  modelsDir?: string;
  seed?: number;
}

export async function runNlpBench(opts: NlpBenchOptions = {}): Promise<object> {
  const rng = mulberry32(opts.seed ?? 20240611);
  const nSent = opts.sentences ?? 300;
  const nNotes = opts.notes ?? 10;
  const longWords = opts.longNoteWords ?? 25_000;
  const ct = createClinicalText(opts.modelsDir);
  const tLoad = performance.now();
  await ct.preload();
  const loadMs = performance.now() - tLoad;
  const ner = await loadDiseaseNer(opts.modelsDir);

  const sentences = Array.from({ length: nSent }, () => syntheticSentence(rng));
  for (const s of sentences.slice(0, 20)) {
    await ner.tagSpan(s, 0, s.length);
    ct.extractFindings(s);
  }
  const nerMs: number[] = [];
  const assertMs: number[] = [];
  let tokens = 0;
  for (const s of sentences) {
    let t = performance.now();
    await ner.tagSpan(s, 0, s.length);
    nerMs.push(performance.now() - t);
    t = performance.now();
    ct.extractFindings(s);
    assertMs.push(performance.now() - t);
    tokens += s.split(/\s+/).length;
  }

  // PubMed-style sentences (the NCBI devel sentences of the parity fixture, ~25-30 tokens each)
  const fixtureFile = path.join(opts.modelsDir ?? defaultModelsDir(), 'disease-ner', 'fixture.json');
  const fixtureTexts = (JSON.parse(fs.readFileSync(fixtureFile, 'utf8')) as { sentences: { text: string }[] }).sentences.map((x) => x.text);
  const pubmedMs: number[] = [];
  let pubmedTokens = 0;
  for (let r = 0; r < 10; r++) {
    for (const s of fixtureTexts) {
      const t = performance.now();
      await ner.tagSpan(s, 0, s.length);
      pubmedMs.push(performance.now() - t);
      if (r === 0) pubmedTokens += tokenise(s).length;
    }
  }

  const noteMs: number[] = [];
  const noteFindingsMs: number[] = [];
  let noteSentences = 0;
  for (let i = 0; i < nNotes; i++) {
    const note = syntheticNote(rng, 1000);
    let t = performance.now();
    let total = 0;
    await ct.recogniseEntities(note, { onProgress: (_d, n) => (total = n) });
    noteMs.push(performance.now() - t);
    noteSentences += total;
    t = performance.now();
    ct.extractFindings(note);
    noteFindingsMs.push(performance.now() - t);
  }

  // the whole note analysis a clinician waits for (entities + findings + complaint classifier), per statement and
  // on a typical 200-word note and a 1,000-word note, English and Chinese (Chinese: ~2 characters per word)
  const analyse = async (text: string): Promise<number> => {
    const t = performance.now();
    await ct.recogniseEntities(text);
    ct.extractFindings(text);
    await ct.classifyComplaint(text);
    return performance.now() - t;
  };
  const enSentenceMs: number[] = [];
  const zhSentenceMs: number[] = [];
  for (let i = 0; i < 100; i++) {
    enSentenceMs.push(await analyse(syntheticSentence(rng)));
    zhSentenceMs.push(await analyse(syntheticZhSentence(rng)));
  }
  const note200En: number[] = [];
  const note200Zh: number[] = [];
  const note1000En: number[] = [];
  const note1000Zh: number[] = [];
  for (let i = 0; i < nNotes; i++) {
    note200En.push(await analyse(syntheticNote(rng, 200)));
    note200Zh.push(await analyse(syntheticZhNote(rng, 400)));
    note1000En.push(await analyse(syntheticNote(rng, 1000)));
    note1000Zh.push(await analyse(syntheticZhNote(rng, 2000)));
  }
  // negation on a 200,000-character note (ConText is linear; issue 14 measured 46 s before)
  const huge = `${syntheticNote(rng, 36_000).replace(/[.\n]/g, ',')} but no sepsis`.slice(-200_000);
  const tHuge = performance.now();
  const hugeStatus = ct.conceptStatus(huge, 'sepsis');
  const negation200kMs = performance.now() - tHuge;

  // responsiveness on a ~50-page note: the longest gap between 5 ms timer ticks while it is processed
  const long = syntheticNote(rng, longWords);
  let lastTick = performance.now();
  let maxStall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxStall = Math.max(maxStall, now - lastTick);
    lastTick = now;
  }, 5);
  const tLong = performance.now();
  let progressCalls = 0;
  const ents = await ct.recogniseEntities(long, { onProgress: () => progressCalls++ });
  const longMs = performance.now() - tLong;
  clearInterval(timer);

  await ner.release();
  await ct.release();
  const cpus = os.cpus();
  return {
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      logicalCores: cpus.length,
      node: process.version,
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    },
    onnxruntime: { intraOpNumThreads: 1, interOpNumThreads: 1 },
    loadAndVerifyMs: Math.round(loadMs),
    nerPerSentenceMs: { ...stats(nerMs), meanWordsPerSentence: Math.round((tokens / nSent) * 10) / 10 },
    nerPerPubmedSentenceMs: { ...stats(pubmedMs), meanTokensPerSentence: Math.round((pubmedTokens / fixtureTexts.length) * 10) / 10 },
    assertionPerSentenceMs: stats(assertMs),
    recogniseEntitiesPer1000WordNoteMs: { ...stats(noteMs), meanSentencesPerNote: Math.round(noteSentences / nNotes) },
    extractFindingsPer1000WordNoteMs: stats(noteFindingsMs),
    noteAnalysisPerStatementMs: { en: stats(enSentenceMs), zh: stats(zhSentenceMs) },
    noteAnalysis200WordNoteMs: { en: stats(note200En), zh: stats(note200Zh), goalMs: 300 },
    noteAnalysis1000WordNoteMs: { en: stats(note1000En), zh: stats(note1000Zh) },
    negationOn200kCharacterSentence: { characters: huge.length, ms: Math.round(negation200kMs), status: hugeStatus },
    longNote: { words: longWords, totalMs: Math.round(longMs), entities: ents.length, progressCalls, maxEventLoopStallMs: Math.round(maxStall) },
  };
}
