/**
 * DDXPlus data for the `ddxplus-differential` model: the release's evidences and conditions, the
 * patients CSV, the stratified split, and interview-like masking of training rows.
 * Shared by the training script and the data-dependent tests. Node built-ins only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseCsvRecords } from '../runtime/common/csv';
import { shuffled, type Rng } from '../runtime/common/rng';
import {
  EVIDENCES_FORMAT,
  parseEvidenceCodes,
  type DdxEncoder,
  type DdxFeatures,
  type EvidenceInfo,
  type EvidencesFile,
} from '../runtime/ddxplus/ddxplusEncoding';

export const DDXPLUS_SPLIT_SEED = 20221128;
export const DDXPLUS_VAL_FRACTION = 0.2;

export interface DdxRecord {
  /** Row number in patients.csv (0-based, header excluded). */
  row: number;
  age: number;
  sex: 'female' | 'male';
  pathology: string;
  /** The release's evidence codes ("E_53", "E_56_@_7", "E_55_@_V_29"). */
  evidences: string[];
  initialEvidence: string;
  /** Ground-truth differential: [condition, probability]. */
  differential: [string, number][];
  source: string;
}

interface ReleaseEvidence {
  name: string;
  code_question: string;
  question_fr: string;
  question_en: string;
  is_antecedent: boolean;
  default_value: string | number;
  value_meaning: Record<string, { fr: string; en: string }>;
  'possible-values': (string | number)[];
  data_type: 'B' | 'C' | 'M';
}

export interface ReleaseCondition {
  condition_name: string;
  'cond-name-fr': string;
  'cond-name-eng': string;
  'icd10-id': string;
  severity: number;
  symptoms?: Record<string, unknown>;
  antecedents?: Record<string, unknown>;
}

export function ddxplusDir(dataDir: string): string {
  return path.join(dataDir, 'knowledge', 'ddxplus');
}

export function loadReleaseEvidences(dir: string): ReleaseEvidence[] {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'release_evidences.json'), 'utf8')) as Record<string, ReleaseEvidence>;
  return Object.values(json);
}

export function loadReleaseConditions(dir: string): ReleaseCondition[] {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'release_conditions.json'), 'utf8')) as Record<string, ReleaseCondition>;
  return Object.values(json);
}

/** The release's Python-literal lists ("['E_53', 'E_54_@_V_161']") as JSON. */
function pyList<T>(s: string): T {
  return JSON.parse(s.replace(/'/g, '"')) as T;
}

export function loadPatients(dir: string): DdxRecord[] {
  const { records } = parseCsvRecords(fs.readFileSync(path.join(dir, 'patients.csv'), 'utf8'));
  return records.map((r, row) => {
    const sex = r['SEX'];
    if (sex !== 'F' && sex !== 'M') throw new Error(`patients.csv row ${row}: SEX ${sex}`);
    return {
      row,
      age: Number(r['AGE']),
      sex: sex === 'F' ? 'female' : 'male',
      pathology: r['PATHOLOGY'] as string,
      evidences: pyList<string[]>(r['EVIDENCES'] as string),
      initialEvidence: r['INITIAL_EVIDENCE'] as string,
      differential: pyList<[string, number][]>(r['DIFFERENTIAL_DIAGNOSIS'] as string),
      source: r['SOURCE'] ?? '',
    };
  });
}

/**
 * Stratified split by pathology: per pathology, a seeded shuffle and 20% (at least one where a
 * pathology has two or more patients) to validation. A pathology with one patient stays in training.
 */
export function splitByPathology(patients: readonly DdxRecord[], rng: Rng): { train: DdxRecord[]; validation: DdxRecord[] } {
  const by = new Map<string, DdxRecord[]>();
  for (const p of patients) {
    const list = by.get(p.pathology) ?? [];
    list.push(p);
    by.set(p.pathology, list);
  }
  const train: DdxRecord[] = [];
  const validation: DdxRecord[] = [];
  for (const name of [...by.keys()].sort()) {
    const rows = shuffled(by.get(name) as DdxRecord[], rng);
    const nVal = rows.length < 2 ? 0 : Math.max(1, Math.round(rows.length * DDXPLUS_VAL_FRACTION));
    validation.push(...rows.slice(0, nVal));
    train.push(...rows.slice(nVal));
  }
  return { train, validation };
}

/**
 * The evidences file from the release, ordered by code number; multi-choice options get a column
 * where some training patient chose them (an option nobody chose cannot be learnt from).
 */
export function buildEvidencesFile(release: readonly ReleaseEvidence[], train: readonly DdxRecord[]): EvidencesFile {
  const seen = new Map<string, Set<string>>();
  for (const p of train) {
    for (const code of p.evidences) {
      const at = code.indexOf('_@_');
      if (at < 0) continue;
      const name = code.slice(0, at);
      const set = seen.get(name) ?? new Set<string>();
      set.add(code.slice(at + 3));
      seen.set(name, set);
    }
  }
  const num = (s: string): number => Number(s.replace('E_', ''));
  const names = new Set(release.map((r) => r.name));
  const evidences: EvidenceInfo[] = release
    .slice()
    .sort((a, b) => num(a.name) - num(b.name))
    .map((r) => {
      const type = r.data_type === 'B' ? 'binary' : r.data_type === 'C' ? 'categorical' : 'multi';
      const e: EvidenceInfo = {
        name: r.name,
        type,
        // Five antecedents (E_37, E_69, E_87, E_118, E_123) name a code_question that is not in the
        // release; they are asked on their own.
        ...(r.code_question !== r.name && names.has(r.code_question) ? { parent: r.code_question } : {}),
        antecedent: r.is_antecedent,
        question: { en: r.question_en, fr: r.question_fr },
      };
      if (type !== 'binary') {
        e.values = r['possible-values'].slice();
        e.valueLabels = e.values.map((v) => {
          const m = typeof v === 'string' ? r.value_meaning[v] : undefined;
          return m === undefined ? null : { en: m.en, fr: m.fr };
        });
        e.defaultValue = r.default_value;
      }
      if (type === 'multi') {
        const s = seen.get(r.name) ?? new Set<string>();
        s.add(String(r.default_value));
        e.columnOptions = (e.values as (string | number)[]).map(String).filter((v) => s.has(v));
      }
      return e;
    });
  return { format: EVIDENCES_FORMAT, source: 'DDXPlus release_evidences.json (Fansi Tchango et al., NeurIPS 2022; CC BY 4.0)', evidences };
}

/**
 * An interview-like view of a record: age, sex and the initial complaint always known; each other
 * evidence the record lists as present kept with probability `keepPresent`, each other evidence
 * (absent or at its default) kept with probability `keepAbsent(name)`, the rest unknown. A follow-up
 * whose parent is unknown is unknown too (the interview asks it only after its parent).
 */
export function maskRecord(
  encoder: DdxEncoder,
  record: DdxRecord,
  complete: DdxFeatures,
  keepPresent: number,
  keepAbsent: (evidence: string) => number,
  rng: Rng,
): DdxFeatures {
  const listed = parseEvidenceCodes(record.evidences, new Map(encoder.evidences.map((e) => [e.name, e])));
  const out: DdxFeatures = {};
  for (const e of encoder.evidences) {
    if (e.name === record.initialEvidence) {
      out[e.name] = complete[e.name] as DdxFeatures[string];
      continue;
    }
    const keep = rng() < (listed[e.name] !== undefined ? keepPresent : keepAbsent(e.name));
    if (keep) out[e.name] = complete[e.name] as DdxFeatures[string];
  }
  for (const e of encoder.evidences) {
    if (e.parent === undefined) continue;
    if (out[e.parent] === undefined) delete out[e.name];
  }
  return out;
}

/**
 * Evidences an interview is likely to ask this patient about: those of the release's condition lists
 * (symptoms and antecedents) of the conditions in the record's differential and of its pathology.
 */
export function interviewPool(record: DdxRecord, conditions: ReadonlyMap<string, ReleaseCondition>): Set<string> {
  const pool = new Set<string>();
  for (const name of [record.pathology, ...record.differential.map((d) => d[0])]) {
    const c = conditions.get(name);
    if (c === undefined) continue;
    for (const e of Object.keys(c.symptoms ?? {})) pool.add(e);
    for (const e of Object.keys(c.antecedents ?? {})) pool.add(e);
  }
  return pool;
}
