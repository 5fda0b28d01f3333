/**
 * ConText and negation are linear in the text length (issue 14: a 180,000-character note took 46 s): the work
 * counter (steps) of applyContext grows in proportion to the input, for one huge sentence with many triggers and
 * targets, and for a long note. Work done is asserted, not wall time (speed goes in `npm run bench`).
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { createClinicalText } from './clinicalText';
import { applyContext, contextTokens, loadContextRulesFile, type ContextTarget, type ContextWork } from './contextAlgorithm';

const rules = loadContextRulesFile(path.join(__dirname, '..', '..', 'artefacts', 'nlp', 'contextRules.json'));

/** One sentence with no full stop: triggers, lists and targets repeated to `chars` characters. */
function hugeSentence(chars: number): string {
  const unit = 'no fever, chills or cough and denies chest pain, possible pneumonia, history of asthma, ';
  return unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);
}

function workFor(text: string, targetEvery: number): number {
  const work: ContextWork = { steps: 0 };
  const toks = contextTokens(text);
  const targets: ContextTarget[] = toks.filter((_, i) => i % targetEvery === 0).map((t) => ({ start: t.start, end: t.end }));
  applyContext(text, { start: 0, end: text.length }, targets, rules, work);
  return work.steps;
}

describe('linear ConText (issue 14)', () => {
  it('does work proportional to the length of one 200,000-character sentence, with a target every 5 tokens', () => {
    const small = workFor(hugeSentence(20_000), 5);
    const big = workFor(hugeSentence(200_000), 5);
    const tokens = contextTokens(hugeSentence(200_000)).length;
    // ten times the text: about ten times the work (quadratic would be a hundred times)
    expect(big / small).toBeLessThan(12);
    expect(big / small).toBeGreaterThan(8);
    expect(big).toBeLessThan(200 * tokens);
  });

  it('answers negation on a 200,000-character note with work linear in its length', () => {
    const ct = createClinicalText(path.resolve(__dirname, '..', '..', 'artefacts'));
    const text = `${hugeSentence(200_000)} but no rash`;
    const work: ContextWork = { steps: 0 };
    expect(ct.conceptAssertion(text, 'rash', work)).toMatchObject({ negated: true });
    const half: ContextWork = { steps: 0 };
    ct.conceptAssertion(`${hugeSentence(100_000)} but no rash`, 'rash', half);
    expect(work.steps / half.steps).toBeLessThan(2.4);
    expect(ct.conceptStatus(text, 'sepsis')).toBe('not-found');
  });
});
