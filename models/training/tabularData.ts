/**
 * Loaders for the tabular datasets (../shared/data): UCI heart disease (Cleveland), UCI chronic
 * kidney disease (ARFF), Pima Indians diabetes. Each row becomes a RAW record — values as a
 * clinician or `lantern predict` would give them (numbers, the source's nominal strings, null for
 * unknown) — so that training encodes rows through exactly the validation/encoding the runtime uses
 * (forest/inputSpec.ts).
 */
import * as fs from 'node:fs';

import { encodeRawValue, InputValueError, type InputSpec } from '../runtime/forest/inputSpec';

export type RawRecord = Record<string, number | string | null>;

export interface RawDataset {
  records: RawRecord[];
  /** Label index per record (index into the model's labels). */
  y: number[];
  /** Data lines read. */
  rowCount: number;
  /** Repairs made while parsing (row, what). */
  repairs: string[];
}

const num = (s: string): number | null => {
  const t = s.trim();
  if (t === '' || t === '?') return null;
  const v = Number(t);
  if (!Number.isFinite(v)) throw new Error(`not a number: "${s}"`);
  return v;
};

/**
 * Comma-separated numbers, one record per non-blank line: the columns, then a target that `label`
 * turns into a label index (or rejects, naming the line). A first line that is not a number is a
 * header where `tolerateHeader` says so.
 */
function loadNumberRows(file: string, columns: readonly string[], label: (target: number | null, where: string) => number, tolerateHeader = false): RawDataset {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const fields = columns.length + 1;
  const records: RawRecord[] = [];
  const y: number[] = [];
  lines.forEach((line, i) => {
    const f = line.split(',');
    const where = `${file} line ${i + 1}`;
    if (f.length !== fields) throw new Error(`${where}: ${f.length} fields, expected ${fields}`);
    if (tolerateHeader && i === 0 && Number.isNaN(Number(f[0]))) return;
    const rec: RawRecord = {};
    columns.forEach((c, j) => {
      rec[c] = num(f[j] as string);
    });
    y.push(label(num(f[columns.length] as string), where));
    records.push(rec);
  });
  return { records, y, rowCount: records.length, repairs: [] };
}

export const HEART_COLUMNS = ['age', 'sex', 'cp', 'trestbps', 'chol', 'fbs', 'restecg', 'thalach', 'exang', 'oldpeak', 'slope', 'ca', 'thal'] as const;

/**
 * processed.cleveland.data: 14 comma-separated numbers per line (`?` = missing); last = num 0–4.
 * Label 0 = `disease` (num > 0), 1 = `no_disease`.
 */
export function loadHeart(file: string): RawDataset {
  return loadNumberRows(file, HEART_COLUMNS, (target, where) => {
    if (target === null) throw new Error(`${where}: no target`);
    return target > 0 ? 0 : 1;
  });
}

export const PIMA_COLUMNS = ['pregnancies', 'plasma_glucose', 'diastolic_bp', 'triceps_skinfold', 'serum_insulin', 'bmi', 'diabetes_pedigree', 'age'] as const;

/**
 * pima_train.csv: 9 numbers per line, no header; last = class (1 = onset within 5 years).
 * Zeros are kept as they are: the input specs declare which zeros mean "not measured".
 * Label 0 = `diabetes`, 1 = `no_diabetes`.
 */
export function loadPima(file: string): RawDataset {
  return loadNumberRows(
    file,
    PIMA_COLUMNS,
    (cls, where) => {
      if (cls !== 0 && cls !== 1) throw new Error(`${where}: class ${String(cls)}`);
      return cls === 1 ? 0 : 1;
    },
    true,
  );
}

export interface ArffAttribute {
  name: string;
  /** null for numeric; the nominal values (as written) otherwise. */
  nominal: string[] | null;
}

/**
 * ckd_train.arff. Cells are trimmed (the file has stray spaces and tabs). Two kinds of malformed
 * row are repaired, each recorded in `repairs`: a trailing comma (26 cells, last empty) and one
 * doubled comma (26 cells, one empty cell in the middle); anything else throws.
 * Nominal cells whose declared values are numbers (sg, al, su) become numbers; `?` → null.
 * Label 0 = `ckd`, 1 = `notckd`.
 */
export function loadCkd(file: string): RawDataset & { attributes: ArffAttribute[] } {
  const text = fs.readFileSync(file, 'utf8');
  const attributes: ArffAttribute[] = [];
  const records: RawRecord[] = [];
  const y: number[] = [];
  const repairs: string[] = [];
  let inData = false;
  let rowCount = 0;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('%')) continue;
    if (!inData) {
      const m = /^@attribute\s+'?([^'\s]+)'?\s+(.*)$/i.exec(line);
      if (m) {
        const spec = (m[2] as string).trim();
        const nominal = spec.startsWith('{')
          ? spec
              .replace(/[{}]/g, '')
              .split(',')
              .map((s) => s.trim())
          : null;
        attributes.push({ name: m[1] as string, nominal });
      } else if (/^@data/i.test(line)) {
        inData = true;
      }
      continue;
    }
    rowCount++;
    let cells = line.split(',').map((c) => c.replace(/\t/g, '').trim());
    if (cells.length === attributes.length + 1) {
      if (cells[cells.length - 1] === '') {
        cells = cells.slice(0, -1);
        repairs.push(`row ${rowCount}: trailing comma removed`);
      } else {
        const empty = cells.findIndex((c) => c === '');
        if (empty < 0) throw new Error(`${file} data row ${rowCount}: ${cells.length} cells`);
        cells.splice(empty, 1);
        repairs.push(`row ${rowCount}: empty cell ${empty + 1} (doubled comma) removed`);
      }
    }
    if (cells.length !== attributes.length) throw new Error(`${file} data row ${rowCount}: ${cells.length} cells, expected ${attributes.length}`);
    const rec: RawRecord = {};
    let label: number | null = null;
    attributes.forEach((a, j) => {
      const c = cells[j] as string;
      if (a.name === 'class') {
        label = c === 'ckd' ? 0 : c === 'notckd' ? 1 : null;
        if (label === null) throw new Error(`${file} data row ${rowCount}: class "${c}"`);
        return;
      }
      if (c === '?' || c === '') {
        rec[a.name] = null;
      } else if (a.nominal === null || a.nominal.every((v) => Number.isFinite(Number(v)))) {
        rec[a.name] = num(c);
      } else {
        rec[a.name] = c;
      }
    });
    records.push(rec);
    y.push(label as unknown as number);
  }
  return { records, y, rowCount, repairs, attributes };
}

export interface EncodedDataset {
  /** Encoded value per feature (spec order); null = unknown. */
  X: (number | null)[][];
  y: number[];
  /** Source values outside an input's physiological range or allowed values: treated as unknown. */
  rejected: { row: number; feature: string; value: unknown; problem: string }[];
}

/** Encodes raw records through the runtime's own validation; impossible source values become unknown. */
export function encodeDataset(specs: readonly InputSpec[], ds: RawDataset, modelId: string): EncodedDataset {
  const rejected: EncodedDataset['rejected'] = [];
  const X = ds.records.map((rec, row) =>
    specs.map((s) => {
      try {
        return encodeRawValue(s, rec[s.name], modelId);
      } catch (e) {
        if (!(e instanceof InputValueError)) throw e;
        rejected.push({ row: row + 1, feature: s.name, value: rec[s.name], problem: e.problem });
        return null;
      }
    }),
  );
  return { X, y: ds.y.slice(), rejected };
}
