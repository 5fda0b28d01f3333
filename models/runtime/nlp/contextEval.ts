/**
 * Evaluation of the ConText implementation on models/runtime/nlp/contextEvalSet.json (a hand-written development
 * check set — see its description; the negation data folder has no annotated test set).
 * Reports negation PPV / sensitivity / specificity and assertion accuracy, with every error listed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Assertion } from './contextAlgorithm';
import { createClinicalText, type ClinicalText } from './clinicalText';

export interface ContextEvalItem {
  text: string;
  concept: string;
  assertion: Assertion;
  negated?: boolean;
}

export interface ContextEvalReport {
  items: number;
  negation: { tp: number; fp: number; fn: number; tn: number; ppv: number; sensitivity: number; specificity: number };
  assertionAccuracy: number;
  perAssertion: Record<string, { n: number; correct: number }>;
  errors: { text: string; concept: string; expected: Assertion; got: Assertion | 'not found'; expectedNegated: boolean; gotNegated: boolean }[];
}

export function loadContextEvalSet(file = path.join(__dirname, 'contextEvalSet.json')): ContextEvalItem[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { items: ContextEvalItem[] }).items;
}

export function evaluateContext(items: readonly ContextEvalItem[], ct: ClinicalText = createClinicalText()): ContextEvalReport {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let correct = 0;
  const per: Record<string, { n: number; correct: number }> = {};
  const errors: ContextEvalReport['errors'] = [];
  for (const it of items) {
    const r = ct.conceptAssertion(it.text, it.concept);
    const expNeg = it.negated ?? it.assertion === 'absent';
    const gotNeg = r?.negated ?? false;
    const got = r?.assertion ?? 'not found';
    if (expNeg && gotNeg) tp++;
    else if (!expNeg && gotNeg) fp++;
    else if (expNeg && !gotNeg) fn++;
    else tn++;
    const p = (per[it.assertion] ??= { n: 0, correct: 0 });
    p.n++;
    if (got === it.assertion) {
      correct++;
      p.correct++;
    }
    if (got !== it.assertion || expNeg !== gotNeg) {
      errors.push({ text: it.text, concept: it.concept, expected: it.assertion, got, expectedNegated: expNeg, gotNegated: gotNeg });
    }
  }
  const div = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10000) / 10000);
  return {
    items: items.length,
    negation: { tp, fp, fn, tn, ppv: div(tp, tp + fp), sensitivity: div(tp, tp + fn), specificity: div(tn, tn + fp) },
    assertionAccuracy: div(correct, items.length),
    perAssertion: per,
    errors,
  };
}
