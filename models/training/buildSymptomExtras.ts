/**
 * Generates the symptom model's side files and records them (with their SHA-256) in the model's
 * manifest entry, so the registry verifies them at load:
 *
 *   models/artefacts/symptom-differential/conditions.json              display name, ICD-10-CM, severity, can't-miss, summary per label
 *   models/artefacts/symptom-differential/label-symptom-frequencies.json  per-label symptom counts over the training patterns (ask-next)
 *
 *   npm run build:symptom-extras     (also run at the end of npm run train:symptom-differential)
 *
 * Reads ../shared/data (or $LANTERN_DATA_DIR): symptoms/training.csv, knowledge/ddxplus/release_conditions.json,
 * vocab/icd10cm-categories.csv; judgement calls come from symptomConditionTable.ts. Deterministic.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseCsv } from '../runtime/common/csv';
import { findProjectRoot, resolveDataDir } from '../runtime/common/paths';
import { LABEL_FEATURE_FREQUENCIES_FORMAT, validateLabelFeatureFrequencies, type LabelFeatureFrequencies } from '../runtime/forest/askNext';
import {
  CANT_MISS_MIN_SEVERITY,
  CONDITIONS_FORMAT,
  validateConditionsFile,
  type ConditionInfo,
  type ConditionsFile,
  type Severity,
} from '../runtime/forest/conditions';
import { CONDITION_TABLE } from './symptomConditionTable';
import { loadSymptomCsv, type SymptomDataset } from './symptomData';
import { writeCardSection } from './modelCardSection';

export const MODEL_ID = 'symptom-differential';
export const CONDITIONS_FILE = `${MODEL_ID}/conditions.json`;
export const FREQUENCIES_FILE = `${MODEL_ID}/label-symptom-frequencies.json`;
/**
 * Smoothing of the frequencies (Laplace α, pooling β within each disease's symptom list): the best
 * leave-one-pattern-out likelihood over the training patterns (chooseFrequencySmoothing in
 * frequencySmoothing.ts; calibrateSymptomDifferential.ts re-checks both on every run).
 */
export const FREQUENCY_ALPHA = 0.01;
export const FREQUENCY_LIST_POOLING = 1000;

/** Per-label symptom counts over the unique (pattern, label) pairs — the patterns the shipped forest is trained on. */
export function labelFeatureFrequencies(ds: SymptomDataset): LabelFeatureFrequencies {
  const nF = ds.features.length;
  const patterns = new Array<number>(ds.labels.length).fill(0);
  const counts = ds.labels.map(() => new Array<number>(nF).fill(0));
  for (const p of ds.patterns) {
    patterns[p.label]! += 1;
    const row = counts[p.label] as number[];
    p.x.forEach((v, f) => {
      if (v === 1) row[f]! += 1;
    });
  }
  return {
    format: LABEL_FEATURE_FREQUENCIES_FORMAT,
    modelId: MODEL_ID,
    source: 'symptoms/training.csv: unique (symptom pattern, disease) pairs, as used to train the shipped forest (before augmentation)',
    features: ds.features.slice(),
    labels: ds.labels.slice(),
    patterns,
    counts,
    alpha: FREQUENCY_ALPHA,
    listPooling: FREQUENCY_LIST_POOLING,
  };
}

interface DdxCondition {
  name: string;
  severity: number;
  icd10: string;
}

export function loadDdxplus(file: string): DdxCondition[] {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<
    string,
    { 'cond-name-eng'?: string; condition_name?: string; severity?: number; 'icd10-id'?: string }
  >;
  return Object.values(json).map((c) => {
    const name = (c['cond-name-eng'] ?? c.condition_name ?? '').trim();
    if (name === '' || !Number.isInteger(c.severity)) throw new Error(`${file}: condition without name or severity`);
    return { name, severity: c.severity as number, icd10: (c['icd10-id'] ?? '').trim() };
  });
}

/** ICD-10-CM categories file: code (no dot) → title. */
export function loadIcd10(file: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of parseCsv(fs.readFileSync(file, 'utf8'))) {
    const code = (r[0] ?? '').trim();
    if (code !== '') m.set(code, (r[1] ?? '').trim());
  }
  return m;
}

const withDot = (c: string): string => (c.length > 3 ? `${c.slice(0, 3)}.${c.slice(3)}` : c);

/** The code asked for, or its nearest parent category present in the file. */
export function lookupIcd10(icd: ReadonlyMap<string, string>, dotted: string): { code: string; title: string } | null {
  let c = dotted.replace('.', '').toUpperCase();
  while (c.length >= 3) {
    const title = icd.get(c);
    if (title !== undefined) return { code: withDot(c), title };
    c = c.slice(0, -1);
  }
  return null;
}

export function buildConditions(labels: readonly string[], ddx: readonly DdxCondition[], icd: ReadonlyMap<string, string>): ConditionsFile {
  const byName = new Map(ddx.map((d) => [d.name.toLowerCase(), d]));
  const conditions: ConditionInfo[] = labels.map((label) => {
    const row = CONDITION_TABLE[label];
    if (row === undefined) throw new Error(`no row for label ${JSON.stringify(label)} in symptomConditionTable.ts`);
    const exact = byName.get(label.trim().toLowerCase());
    const judged = row.ddxplus !== undefined ? byName.get(row.ddxplus.toLowerCase()) : undefined;
    if (row.ddxplus !== undefined && judged === undefined) throw new Error(`${label}: DDXPlus has no condition "${row.ddxplus}"`);
    const match = exact ?? judged;
    let severity: Severity;
    if (match !== undefined) {
      if (match.severity < 1 || match.severity > 5) throw new Error(`${label}: DDXPlus severity ${match.severity}`);
      severity = (6 - match.severity) as Severity;
    } else {
      if (row.teamSeverity === undefined) throw new Error(`${label}: no DDXPlus match and no team severity`);
      severity = row.teamSeverity;
    }
    let icd10: ConditionInfo['icd10'] = null;
    let icd10Requested: string | undefined;
    if (row.icd10 !== null) {
      icd10 = lookupIcd10(icd, row.icd10);
      if (icd10 === null) throw new Error(`${label}: ICD-10-CM ${row.icd10} and its parents are not in the categories file`);
      if (icd10.code !== row.icd10) icd10Requested = row.icd10;
    }
    return {
      label,
      displayName: row.displayName,
      icd10,
      ...(icd10Requested !== undefined ? { icd10Requested } : {}),
      severity,
      severitySource: match !== undefined ? 'ddxplus' : 'team',
      ...(match !== undefined
        ? {
            ddxplusCondition: match.name,
            ddxplusSeverity: match.severity,
            ddxplusMatch: exact !== undefined ? 'same name' : 'judged (symptomConditionTable.ts)',
          }
        : {}),
      cantMiss: severity >= CANT_MISS_MIN_SEVERITY,
      summary: row.summary,
    };
  });
  return {
    format: CONDITIONS_FORMAT,
    modelId: MODEL_ID,
    severityScale:
      '1 mild, self-limiting; 2 needs routine care; 3 needs prompt treatment, can cause lasting harm; 4 serious, can be life-threatening; 5 immediately life-threatening. DDXPlus severities s (1 = most severe) are stored as 6 - s.',
    cantMissRule: `severity >= ${CANT_MISS_MIN_SEVERITY}; flag when such a condition is among the top 10 suggestions`,
    sources: {
      ddxplus: 'knowledge/ddxplus/release_conditions.json (Fansi Tchango et al., NeurIPS 2022; CC BY per paper): severity where a condition matches',
      icd10cm: 'vocab/icd10cm-categories.csv (CMS/NCHS, public domain): code titles',
      table: 'models/training/symptomConditionTable.ts: display names, codes, judged matches, team severities, summaries (our own text)',
    },
    conditions,
  };
}

export const CARD_BEGIN = '<!-- generated by buildSymptomExtras.ts: conditions and ask-next -->';
export const CARD_END = '<!-- end of generated conditions section -->';

/** The model card section on conditions, severities and ask-next (replaced on every run). */
export function cardSection(cond: ConditionsFile, freq: LabelFeatureFrequencies): string {
  const rows = cond.conditions
    .map((c) => {
      const icd = c.icd10 ? `${c.icd10.code} ${c.icd10.title}${c.icd10Requested ? ` (asked: ${c.icd10Requested})` : ''}` : '–';
      const src = c.severitySource === 'ddxplus' ? `DDXPlus “${c.ddxplusCondition}” (${c.ddxplusSeverity}; ${c.ddxplusMatch})` : 'team';
      return `| ${c.label} | ${c.displayName} | ${icd} | ${c.severity} | ${src} | ${c.cantMiss ? '**yes**' : ''} |`;
    })
    .join('\n');
  const total = freq.patterns.reduce((a, b) => a + b, 0);
  return `${CARD_BEGIN}
## Conditions: names, ICD-10-CM, severity, can't-miss

\`conditions.json\` (generated by \`models/training/buildSymptomExtras.ts\` from the hand-written table
\`models/training/symptomConditionTable.ts\`, DDXPlus's conditions and the ICD-10-CM categories file; sha-checked by the
registry through the manifest) gives each label a display name, an ICD-10-CM code with its title, a severity, a
can't-miss flag and a one-line summary written by the team (no dataset prose).

- **Severity scale (ours):** ${cond.severityScale}
- **Severity source:** DDXPlus where a DDXPlus condition has the same name (GERD, Tuberculosis, Pneumonia) or is judged to be the
  same disease under another name (listed in the table file with the reason); otherwise **assigned by the team** (\`team\` below).
- **Can't-miss:** ${cond.cantMissRule}.
- **ICD-10-CM:** the categories file lacks some codes (N39.0, K83.1, E16.2, …); the nearest parent category it has is shown,
  and the code asked for is kept in \`icd10Requested\`.

| label | display name | ICD-10-CM | severity | source | can't-miss |
|---|---|---|---|---|---|
${rows}

## Ask next

\`label-symptom-frequencies.json\` records, per disease, how many of its ${total} unique training patterns show each symptom
(θ smoothed: a symptom none of the disease's patterns shows gets Laplace α = ${freq.alpha}; a listed one is pooled towards the
disease's mean share of its list with β = ${freq.listPooling ?? 'none'}; both chosen by leave-one-pattern-out likelihood over the
training patterns, see the calibration section). \`models/runtime/forest/askNext.ts\` ranks the unasked symptoms by expected information gain over the
leading candidates (default top 5): P(symptom | evidence) is the candidates' vote-weighted mixture of these frequencies,
and the forest itself is re-run with the symptom present and absent to get the candidates' new distribution.
Because this forest cannot tell "absent" from "not asked" (see Encoding), a "no" answer does not move it: the expected
gain is P(yes) × (entropy now − entropy if yes). Symptoms seen in none of the candidates' patterns are not proposed
(they cannot separate the candidates) unless fewer than three others remain.
${CARD_END}`;
}

/** Writes both files and points the symptom model's manifest entry at them. */
export function writeSymptomExtras(root: string, dataDir: string): { conditions: string; frequencies: string } {
  const ds = loadSymptomCsv(path.join(dataDir, 'symptoms', 'training.csv'));
  const ddx = loadDdxplus(path.join(dataDir, 'knowledge', 'ddxplus', 'release_conditions.json'));
  const icd = loadIcd10(path.join(dataDir, 'vocab', 'icd10cm-categories.csv'));
  const modelsDir = path.join(root, 'models', 'artefacts');

  const freq = labelFeatureFrequencies(ds);
  validateLabelFeatureFrequencies(freq, ds.features, ds.labels);
  const cond = buildConditions(ds.labels, ddx, icd);
  validateConditionsFile(cond, ds.labels);

  const write = (rel: string, value: unknown): string => {
    const bytes = Buffer.from(JSON.stringify(value, null, 1) + '\n', 'utf8');
    fs.writeFileSync(path.join(modelsDir, rel), bytes);
    return createHash('sha256').update(bytes).digest('hex');
  };
  const condSha = write(CONDITIONS_FILE, cond);
  const freqSha = write(FREQUENCIES_FILE, freq);
  writeCardSection(path.join(modelsDir, MODEL_ID, 'model-card.md'), cardSection(cond, freq), CARD_BEGIN, CARD_END);

  const manifestFile = path.join(modelsDir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { models: Record<string, unknown>[] };
  const entry = manifest.models.find((m) => m['id'] === MODEL_ID);
  if (entry === undefined) throw new Error(`manifest has no ${MODEL_ID} entry: train the model first`);
  entry['task'] = 'differential';
  entry['title'] = 'Differential diagnosis from symptoms (41 diseases, 131 symptoms)';
  entry['minInputs'] = 1;
  // Files other scripts add (the calibration) stay.
  const others = ((entry['files'] ?? []) as { role: string }[]).filter((f) => f.role !== 'conditions' && f.role !== 'label-feature-frequencies');
  entry['files'] = [
    { role: 'conditions', path: CONDITIONS_FILE, sha256: condSha },
    { role: 'label-feature-frequencies', path: FREQUENCIES_FILE, sha256: freqSha },
    ...others,
  ];
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  const summary = cond.conditions;
  console.log(
    `wrote models/${CONDITIONS_FILE} (${summary.length} labels; ${summary.filter((c) => c.severitySource === 'ddxplus').length} severities from DDXPlus; ` +
      `can't-miss: ${summary
        .filter((c) => c.cantMiss)
        .map((c) => c.displayName)
        .join(', ')}) and models/${FREQUENCIES_FILE}`,
  );
  return { conditions: condSha, frequencies: freqSha };
}

function main(): void {
  const root = findProjectRoot(__dirname);
  const dataDir = resolveDataDir(__dirname);
  if (!fs.existsSync(path.join(dataDir, 'symptoms', 'training.csv'))) {
    console.error(`data not found under ${dataDir} (set LANTERN_DATA_DIR or place ../shared/data beside the project)`);
    process.exit(2);
  }
  writeSymptomExtras(root, dataDir);
}

if (require.main === module) main();
