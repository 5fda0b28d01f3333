/**
 * Scores recogniseEntities on models/runtime/nlp/noteStatements.json (short note statements written for Lantern, English
 * and Chinese): per language, the share of statements whose mention is found (an entity with the same label whose
 * span covers the mention's first occurrence) and the share whose assertion is right (not found counts as wrong).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ClinicalText } from './clinicalText';
import type { Assertion } from './contextAlgorithm';

export interface NoteStatement {
  lang: 'en' | 'zh';
  text: string;
  mention: string;
  label: 'Disease' | 'Symptom';
  assertion: Assertion;
  /**
   * 'dev': written while building the rules; 'fresh': written after they were frozen, scored once; 'fresh2': written
   * in session 6, scored once (its two misses then fixed, so now a development set too); 'fresh3': the same, after
   * those fixes
   */
  split: 'dev' | 'fresh' | 'fresh2' | 'fresh3';
}

export interface LanguageScore {
  n: number;
  found: number;
  assertionRight: number;
  foundRate: number;
  assertionRate: number;
}

export interface NoteStatementReport {
  byLanguage: Record<'en' | 'zh', LanguageScore>;
  errors: { text: string; mention: string; expected: Assertion; got: Assertion | 'not found' }[];
}

export function loadNoteStatements(file = path.join(__dirname, 'noteStatements.json')): NoteStatement[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { items: NoteStatement[] }).items;
}

export async function evaluateNoteStatements(items: readonly NoteStatement[], ct: ClinicalText): Promise<NoteStatementReport> {
  const empty = (): LanguageScore => ({ n: 0, found: 0, assertionRight: 0, foundRate: 0, assertionRate: 0 });
  const byLanguage = { en: empty(), zh: empty() };
  const errors: NoteStatementReport['errors'] = [];
  for (const it of items) {
    const start = it.text.indexOf(it.mention);
    if (start < 0) throw new Error(`"${it.mention}" is not in "${it.text}"`);
    const end = start + it.mention.length;
    const ents = await ct.recogniseEntities(it.text);
    const hit = ents.find((e) => e.label === it.label && e.start <= start && end <= e.end && e.end - e.start <= 2 * it.mention.length + 8);
    const s = byLanguage[it.lang];
    s.n++;
    if (hit !== undefined) s.found++;
    if (hit?.assertion === it.assertion) s.assertionRight++;
    else errors.push({ text: it.text, mention: it.mention, expected: it.assertion, got: hit?.assertion ?? 'not found' });
  }
  for (const s of Object.values(byLanguage)) {
    s.foundRate = s.n === 0 ? 0 : Math.round((s.found / s.n) * 1000) / 1000;
    s.assertionRate = s.n === 0 ? 0 : Math.round((s.assertionRight / s.n) * 1000) / 1000;
  }
  return { byLanguage, errors };
}
