/**
 * Every model card answers what a clinician or an auditor asks before trusting a number: the data and
 * its licence, the split, held-out and external results, subgroups, calibration, scope and limits
 * (the product's clinical-safety rules). A card may say a part cannot be measured, but it must have
 * the section that says so. Rule and word-list artefacts (no learned number) share one README and need
 * only their own card section there.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveModelsDir } from './common/paths';
import { readManifest } from './modelFiles';

const modelsDir = resolveModelsDir(__dirname);

/** Each topic and the heading words that count for it (cards word their headings differently). */
const requiredTopics: Record<string, RegExp> = {
  licence: /licen[cs]e/i,
  split: /split/i,
  'held-out results': /held-out|validation|devel/i,
  'external results': /external|other hospitals|out-of-corpus/i,
  subgroups: /subgroup/i,
  calibration: /calibrat/i,
  scope: /scope/i,
  limits: /limit/i,
};

function headingsOf(card: string): string[] {
  return card.split('\n').filter((line) => /^#{2,4} /.test(line));
}

describe('model cards', () => {
  const { entries } = readManifest(modelsDir);
  const withCards = entries.filter((e) => typeof (e as { card?: unknown }).card === 'string');

  it('every model in the manifest has a card', () => {
    expect(withCards.map((e) => e.id).sort()).toEqual(entries.map((e) => e.id).sort());
  });

  const ruleKinds = new Set(['lexicon', 'context-rules']);
  for (const entry of withCards.filter((e) => ruleKinds.has(e.kind))) {
    it(`${entry.id}: rules and word lists have a card section of their own`, () => {
      const card = fs.readFileSync(path.join(modelsDir, (entry as { card?: string }).card!), 'utf8');
      expect(headingsOf(card).some((h) => h.startsWith(`## Card: \`${entry.id}\``))).toBe(true);
    });
  }

  for (const entry of withCards.filter((e) => !ruleKinds.has(e.kind))) {
    it(`${entry.id}: has a section for each part a reviewer needs`, () => {
      const card = fs.readFileSync(path.join(modelsDir, (entry as { card?: string }).card!), 'utf8');
      const headings = headingsOf(card);
      const missing = Object.entries(requiredTopics)
        .filter(([, pattern]) => !headings.some((h) => pattern.test(h)))
        .map(([topic]) => topic);
      expect(missing).toEqual([]);
    });
  }
});
