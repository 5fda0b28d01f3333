/**
 * DDXPlus evidences and their encoding into the columns the `ddxplus-differential` forest reads.
 * Node built-ins only.
 *
 * Raw answers (what `lantern predict` and the app give, a missing key = unknown):
 *   binary       E_x: 1 | 0
 *   categorical  E_x: one of the release's values (a number 0–10, or a V_ code)
 *   multi-choice E_x: a list of V_ codes (["V_29", "V_101"])
 * Columns (every one uses -1 for unknown, so unknown differs from absent and from every value):
 *   AGE          years (0–120)
 *   SEX          0 female, 1 male
 *   binary       1 present, 0 absent
 *   categorical  numeric values as themselves; V_ codes as their index in the release's list
 *   multi-choice one column per option seen in training (`E_55@V_29`): 1 chosen, 0 not chosen
 * The release asks some questions only after a parent question (E_55 "where is the pain" after E_53
 * "any pain"): a child answered while its parent is unknown implies the parent is present; a parent
 * answered "no" means its children take the release's default (no pain → intensity 0, location
 * "nowhere"), which is how DDXPlus records them, so they are known, not imputed.
 */

export const EVIDENCES_FORMAT = 'lantern-ddxplus-evidences/1';

export type EvidenceType = 'binary' | 'categorical' | 'multi';
export type EvidenceValue = string | number;

export interface EvidenceInfo {
  name: string;
  type: EvidenceType;
  /** The question this one follows (asked only when that one is present). */
  parent?: string;
  /** History (antecedent) rather than a current symptom. */
  antecedent: boolean;
  question: { en: string; fr: string; zh?: string };
  /** Categorical and multi-choice: every value the release allows, in its order. */
  values?: EvidenceValue[];
  /** Per value (same order): its meaning, where the release gives one (V_ codes). */
  valueLabels?: ({ en: string; fr: string; zh?: string } | null)[];
  /** Categorical/multi: the release's default (what a record without the evidence means). */
  defaultValue?: EvidenceValue;
  /** Multi-choice: options that have their own column (those seen in training); others are accepted and carry no column. */
  columnOptions?: string[];
}

export interface EvidencesFile {
  format: typeof EVIDENCES_FORMAT;
  source: string;
  evidences: EvidenceInfo[];
}

export interface DdxPatient {
  ageYears?: number;
  sex?: 'female' | 'male';
}

/** Answers by evidence name: 1/0, a value, or a list of V_ codes. */
export type DdxFeatures = Record<string, number | string | string[]>;

/** A bad answer; `field` names it (`features.E_56`, `patient.sex`). */
export class DdxInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'DdxInputError';
    this.field = field;
  }
}

export const UNKNOWN = -1;
export const AGE_COLUMN = 'AGE';
export const SEX_COLUMN = 'SEX';
const MAX_AGE = 120;

export function validateEvidencesFile(json: unknown): EvidencesFile {
  const fail = (why: string): never => {
    throw new TypeError(`invalid DDXPlus evidences file: ${why}`);
  };
  const o = json as Partial<EvidencesFile> | null;
  if (o === null || typeof o !== 'object') return fail('not an object');
  if (o.format !== EVIDENCES_FORMAT) fail(`format ${String(o.format)}`);
  if (!Array.isArray(o.evidences) || o.evidences.length === 0) return fail('evidences');
  const names = new Set<string>();
  for (const e of o.evidences) {
    if (typeof e?.name !== 'string' || names.has(e.name)) fail(`evidence ${JSON.stringify(e?.name)}`);
    names.add(e.name);
    if (e.type !== 'binary' && e.type !== 'categorical' && e.type !== 'multi') fail(`${e.name}: type`);
    if (e.type !== 'binary' && (!Array.isArray(e.values) || e.values.length < 2)) fail(`${e.name}: values`);
    if (e.type === 'multi' && !Array.isArray(e.columnOptions)) fail(`${e.name}: columnOptions`);
    if (typeof e.question?.en !== 'string') fail(`${e.name}: question`);
  }
  for (const e of o.evidences) if (e.parent !== undefined && !names.has(e.parent)) fail(`${e.name}: parent ${e.parent}`);
  return o as EvidencesFile;
}

/** The column layout and encoder of one evidences file. */
export class DdxEncoder {
  readonly evidences: readonly EvidenceInfo[];
  readonly columns: readonly string[];
  private readonly byName: Map<string, EvidenceInfo>;
  /** Evidence name → first column and column count. */
  private readonly span: Map<string, { start: number; n: number }>;
  /** Parent name → its children. */
  readonly children: Map<string, EvidenceInfo[]>;

  constructor(file: EvidencesFile) {
    this.evidences = file.evidences;
    this.byName = new Map(file.evidences.map((e) => [e.name, e]));
    this.children = new Map();
    for (const e of file.evidences) {
      if (e.parent !== undefined) {
        const list = this.children.get(e.parent) ?? [];
        list.push(e);
        this.children.set(e.parent, list);
      }
    }
    const columns = [AGE_COLUMN, SEX_COLUMN];
    this.span = new Map();
    for (const e of file.evidences) {
      const start = columns.length;
      if (e.type === 'multi') for (const opt of e.columnOptions ?? []) columns.push(`${e.name}@${opt}`);
      else columns.push(e.name);
      this.span.set(e.name, { start, n: columns.length - start });
    }
    this.columns = columns;
  }

  evidence(name: string): EvidenceInfo | undefined {
    return this.byName.get(name);
  }

  columnSpan(name: string): { start: number; n: number } {
    const s = this.span.get(name);
    if (s === undefined) throw new RangeError(`no evidence ${name}`);
    return s;
  }

  /**
   * Validates raw answers (throws DdxInputError naming the field) and returns them normalised:
   * binary 0/1, categorical value, multi-choice a list in the release's option order, with children of an absent parent set
   * to their default and parents of an answered child set present.
   */
  normalise(features: unknown): DdxFeatures {
    if (typeof features !== 'object' || features === null || Array.isArray(features)) {
      throw new DdxInputError('features', '"features" must be an object of evidence code → answer');
    }
    const out: DdxFeatures = {};
    for (const [key, raw] of Object.entries(features as Record<string, unknown>)) {
      const e = this.byName.get(key);
      const field = `features.${key}`;
      if (e === undefined) throw new DdxInputError(field, `"${key}" is not a DDXPlus evidence code`);
      if (raw === null || raw === undefined) continue; // unknown
      out[key] = normaliseValue(e, raw, field);
    }
    for (const e of this.evidences) {
      if (e.parent === undefined) continue;
      const parent = out[e.parent];
      const mine = out[e.name];
      if (parent === 0 && mine !== undefined && !isDefault(e, mine)) {
        throw new DdxInputError(
          `features.${e.name}`,
          `${e.name} ("${e.question.en}") is answered but ${e.parent} ("${this.byName.get(e.parent)?.question.en}") is answered no`,
        );
      }
    }
    for (const e of this.evidences) {
      if (e.parent === undefined) continue;
      if (out[e.parent] === 0 && out[e.name] === undefined) out[e.name] = defaultAnswer(e);
      else if (out[e.parent] === undefined && out[e.name] !== undefined && !isDefault(e, out[e.name] as EvidenceValue | string[])) out[e.parent] = 1;
    }
    return out;
  }

  /** Validates the patient fields (age 0–120 years, sex female/male; either may be absent). */
  normalisePatient(patient: unknown): DdxPatient {
    if (patient === undefined || patient === null) return {};
    if (typeof patient !== 'object' || Array.isArray(patient)) throw new DdxInputError('patient', '"patient" must be an object');
    const p = patient as Record<string, unknown>;
    const out: DdxPatient = {};
    const age = p['ageYears'];
    if (age !== undefined && age !== null) {
      if (typeof age !== 'number' || !Number.isFinite(age) || age < 0 || age > MAX_AGE) {
        throw new DdxInputError('patient.ageYears', `"ageYears" must be a number of years from 0 to ${MAX_AGE}, got ${JSON.stringify(age)}`);
      }
      out.ageYears = age;
    }
    const sex = p['sex'];
    if (sex !== undefined && sex !== null) {
      if (sex !== 'female' && sex !== 'male') throw new DdxInputError('patient.sex', `"sex" must be "female" or "male", got ${JSON.stringify(sex)}`);
      out.sex = sex;
    }
    return out;
  }

  /** Normalised answers → columns (unknown = -1). */
  encode(patient: DdxPatient, features: DdxFeatures): Float64Array {
    const x = new Float64Array(this.columns.length).fill(UNKNOWN);
    if (patient.ageYears !== undefined) x[0] = patient.ageYears;
    if (patient.sex !== undefined) x[1] = patient.sex === 'male' ? 1 : 0;
    for (const [key, v] of Object.entries(features)) this.encodeInto(x, this.byName.get(key) as EvidenceInfo, v);
    return x;
  }

  /** Writes one evidence's answer into its columns (unknown = undefined). */
  encodeInto(x: Float64Array, e: EvidenceInfo, v: number | string | string[] | undefined): void {
    const { start, n } = this.columnSpan(e.name);
    if (v === undefined) {
      for (let i = 0; i < n; i++) x[start + i] = UNKNOWN;
      return;
    }
    if (e.type === 'binary') x[start] = v as number;
    else if (e.type === 'categorical') x[start] = typeof v === 'number' ? v : (e.values as EvidenceValue[]).indexOf(v as string);
    else {
      const chosen = new Set(v as string[]);
      const opts = e.columnOptions as string[];
      for (let i = 0; i < n; i++) x[start + i] = chosen.has(opts[i] as string) ? 1 : 0;
    }
  }

  /** Columns → answers (the inverse of encode for every value that has a column). */
  decode(x: ArrayLike<number>): { patient: DdxPatient; features: DdxFeatures } {
    const patient: DdxPatient = {};
    if ((x[0] as number) !== UNKNOWN) patient.ageYears = x[0] as number;
    if ((x[1] as number) !== UNKNOWN) patient.sex = x[1] === 1 ? 'male' : 'female';
    const features: DdxFeatures = {};
    for (const e of this.evidences) {
      const { start, n } = this.columnSpan(e.name);
      if ((x[start] as number) === UNKNOWN) continue;
      if (e.type === 'binary') features[e.name] = x[start] as number;
      else if (e.type === 'categorical') {
        const vals = e.values as EvidenceValue[];
        features[e.name] = typeof vals[0] === 'number' ? (x[start] as number) : (vals[x[start] as number] as string);
      } else {
        const opts = e.columnOptions as string[];
        const chosen: string[] = [];
        for (let i = 0; i < n; i++) if (x[start + i] === 1) chosen.push(opts[i] as string);
        features[e.name] = chosen;
      }
    }
    return { patient, features };
  }

  /**
   * A DDXPlus record (its EVIDENCES list, e.g. ["E_53", "E_56_@_7", "E_55_@_V_29"]) → answers for
   * every evidence: listed ones as given, the rest absent (binary) or the release's default.
   */
  completeRecord(evidenceCodes: readonly string[]): DdxFeatures {
    const given = parseEvidenceCodes(evidenceCodes, this.byName);
    const out: DdxFeatures = {};
    for (const e of this.evidences) out[e.name] = given[e.name] ?? defaultAnswer(e);
    return out;
  }
}

/** Parses the release's evidence codes into answers (only the listed evidences). */
export function parseEvidenceCodes(codes: readonly string[], byName: ReadonlyMap<string, EvidenceInfo>): DdxFeatures {
  const out: DdxFeatures = {};
  for (const code of codes) {
    const at = code.indexOf('_@_');
    const name = at < 0 ? code : code.slice(0, at);
    const e = byName.get(name);
    if (e === undefined) throw new RangeError(`unknown evidence code ${code}`);
    if (at < 0) {
      out[name] = 1;
      continue;
    }
    const rawValue = code.slice(at + 3);
    const value: EvidenceValue = /^-?\d+(\.\d+)?$/.test(rawValue) ? Number(rawValue) : rawValue;
    if (e.type === 'multi') {
      const list = (out[name] as string[] | undefined) ?? [];
      list.push(String(value));
      out[name] = list;
    } else out[name] = value;
  }
  for (const [name, v] of Object.entries(out)) if (Array.isArray(v)) out[name] = inReleaseOrder(byName.get(name) as EvidenceInfo, v);
  return out;
}

export function defaultAnswer(e: EvidenceInfo): number | string | string[] {
  if (e.type === 'binary') return 0;
  if (e.type === 'multi') return [String(e.defaultValue)];
  return e.defaultValue as EvidenceValue;
}

function isDefault(e: EvidenceInfo, v: number | string | string[]): boolean {
  return JSON.stringify(v) === JSON.stringify(defaultAnswer(e));
}

function normaliseValue(e: EvidenceInfo, raw: unknown, field: string): number | string | string[] {
  if (e.type === 'binary') {
    if (raw === 1 || raw === true) return 1;
    if (raw === 0 || raw === false) return 0;
    throw new DdxInputError(field, `${e.name} ("${e.question.en}") is yes/no: expected 1 or 0, got ${JSON.stringify(raw)}`);
  }
  const values = e.values as EvidenceValue[];
  if (e.type === 'categorical') {
    if ((typeof raw === 'number' || typeof raw === 'string') && values.includes(raw)) return raw;
    throw new DdxInputError(
      field,
      `${e.name} ("${e.question.en}") must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}; got ${JSON.stringify(raw)}`,
    );
  }
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new DdxInputError(field, `${e.name} ("${e.question.en}") is multiple choice: expected a non-empty list of V_ codes, got ${JSON.stringify(raw)}`);
  }
  const seen = new Set<string>();
  for (const v of raw) {
    if (typeof v !== 'string' || !values.includes(v))
      throw new DdxInputError(field, `${e.name}: ${JSON.stringify(v)} is not one of its options (${values.slice(0, 8).join(', ')}, ...)`);
    seen.add(v);
  }
  return inReleaseOrder(e, [...seen]);
}

/** Multiple-choice answers in the release's option order (one canonical form per answer set). */
function inReleaseOrder(e: EvidenceInfo, chosen: readonly string[]): string[] {
  const values = (e.values ?? []).map(String);
  return chosen.slice().sort((a, b) => values.indexOf(a) - values.indexOf(b));
}
