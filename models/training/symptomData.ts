/**
 * Loading, de-duplication, pattern-level split and augmentation of the symptom → disease data
 * (../shared/data/symptoms/training.csv: 132 binary symptom columns + `prognosis`).
 */
import * as fs from 'node:fs';

import { parseCsv } from '../runtime/common/csv';
import { type Rng, shuffled, sampleIndices } from '../runtime/common/rng';

export interface SymptomDataset {
  features: string[];
  labels: string[];
  /** Rows in the file (before de-duplication). */
  rowCount: number;
  /** Feature names that appeared in more than one column (merged with OR). */
  mergedColumns: string[];
  /** Symptom columns in the file (before merging). */
  symptomColumns: number;
  /** Unique (pattern, label) pairs, in first-seen order. */
  patterns: Pattern[];
}

export interface Pattern {
  x: Uint8Array;
  label: number;
}

export function loadSymptomCsv(file: string): SymptomDataset {
  const rows = parseCsv(fs.readFileSync(file, 'utf8')).filter((r) => r.some((c) => c.trim() !== ''));
  const header = rows[0];
  if (header === undefined) throw new Error(`${file} is empty`);
  const labelCol = header.findIndex((h) => h.trim() === 'prognosis');
  if (labelCol < 0) throw new Error(`${file} has no "prognosis" column`);
  const featureCols = header.map((_, i) => i).filter((i) => i !== labelCol && (header[i] as string).trim() !== '');
  // Trimmed names; a name appearing in several columns (the CSV has `fluid_overload` twice) becomes
  // ONE feature, present when any of its columns is 1.
  const features: string[] = [];
  const featureOf = new Map<string, number>();
  const colFeature = featureCols.map((c) => {
    const name = (header[c] as string).trim();
    let f = featureOf.get(name);
    if (f === undefined) {
      f = features.length;
      features.push(name);
      featureOf.set(name, f);
    }
    return f;
  });
  const mergedColumns = features.filter((_, f) => colFeature.filter((g) => g === f).length > 1);

  const labelIndex = new Map<string, number>();
  const labels: string[] = [];
  const seen = new Map<string, number>();
  const patterns: Pattern[] = [];
  for (const r of rows.slice(1)) {
    const label = (r[labelCol] ?? '').trim();
    if (label === '') throw new Error('row without a prognosis');
    let li = labelIndex.get(label);
    if (li === undefined) {
      li = labels.length;
      labels.push(label);
      labelIndex.set(label, li);
    }
    const x = new Uint8Array(features.length);
    featureCols.forEach((c, j) => {
      const v = (r[c] ?? '').trim();
      if (v !== '0' && v !== '1') throw new Error(`non-binary value "${v}" in column ${(header[c] as string).trim()}`);
      if (v === '1') x[colFeature[j] as number] = 1;
    });
    const key = `${x.join('')}|${li}`;
    if (!seen.has(key)) {
      seen.set(key, patterns.length);
      patterns.push({ x, label: li });
    }
  }
  return { features, labels, rowCount: rows.length - 1, patterns, mergedColumns, symptomColumns: featureCols.length };
}

/** Patterns that occur with more than one label (the same symptoms, different diseases). */
export function conflictingPatterns(patterns: readonly Pattern[]): number {
  const byX = new Map<string, Set<number>>();
  for (const p of patterns) {
    const k = p.x.join('');
    const s = byX.get(k) ?? new Set<number>();
    s.add(p.label);
    byX.set(k, s);
  }
  return [...byX.values()].filter((s) => s.size > 1).length;
}

export interface PatternSplit {
  train: Pattern[];
  validation: Pattern[];
  /** Labels with a single unique pattern: kept in train only, so not validated. */
  trainOnlyLabels: number[];
}

/**
 * Split BY UNIQUE PATTERN, stratified by label: per label, round(valFraction × n) patterns (at least
 * one, and leaving at least one for training) go to validation.
 */
export function splitByPattern(patterns: readonly Pattern[], nLabels: number, valFraction: number, rng: Rng): PatternSplit {
  const byLabel: Pattern[][] = Array.from({ length: nLabels }, () => []);
  for (const p of patterns) byLabel[p.label]!.push(p);
  const train: Pattern[] = [];
  const validation: Pattern[] = [];
  const trainOnlyLabels: number[] = [];
  byLabel.forEach((ps, label) => {
    const order = shuffled(ps, rng);
    if (order.length < 2) {
      trainOnlyLabels.push(label);
      train.push(...order);
      return;
    }
    const nVal = Math.min(order.length - 1, Math.max(1, Math.round(valFraction * order.length)));
    validation.push(...order.slice(0, nVal));
    train.push(...order.slice(nVal));
  });
  return { train, validation, trainOnlyLabels };
}

export function presentIndices(x: Uint8Array): number[] {
  const out: number[] = [];
  x.forEach((v, i) => {
    if (v === 1) out.push(i);
  });
  return out;
}

/** A copy of x with `k` randomly chosen present symptoms set to 0 (absent/unknown). */
export function dropPresent(x: Uint8Array, k: number, rng: Rng): Uint8Array {
  const present = presentIndices(x);
  const out = x.slice();
  for (const j of sampleIndices(present.length, k, rng)) out[present[j] as number] = 0;
  return out;
}

export interface AugmentOptions {
  /** Extra copies per pattern. */
  copies: number;
  /** Each copy drops a fraction of the present symptoms drawn uniformly from [minDrop, maxDrop]. */
  minDrop: number;
  maxDrop: number;
  /** Symptoms always left present. */
  keepAtLeast: number;
}

/** Each pattern, plus `copies` variants with random present symptoms removed (partial presentations). */
export function augment(patterns: readonly Pattern[], opts: AugmentOptions, rng: Rng): Pattern[] {
  const out: Pattern[] = [];
  for (const p of patterns) {
    out.push({ x: p.x, label: p.label });
    const nPresent = presentIndices(p.x).length;
    for (let c = 0; c < opts.copies; c++) {
      const frac = opts.minDrop + rng() * (opts.maxDrop - opts.minDrop);
      const k = Math.min(Math.round(frac * nPresent), Math.max(0, nPresent - opts.keepAtLeast));
      out.push({ x: dropPresent(p.x, k, rng), label: p.label });
    }
  }
  return out;
}
