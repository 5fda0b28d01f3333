import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { resolveModelsDir } from '../common/paths';
import { DDXPLUS_QUESTIONS_ZH, questionTexts } from './ddxplusQuestionsZh';

const evidences = (
  JSON.parse(fs.readFileSync(path.join(resolveModelsDir(__dirname), 'ddxplus-differential', 'evidences.json'), 'utf8')) as {
    evidences: { name: string; question: { en: string } }[];
  }
).evidences;

describe('Chinese DDXPlus question texts', () => {
  it('every evidence of the committed model has one, and no text names an evidence the model lacks', () => {
    const names = new Set(evidences.map((e) => e.name));
    expect(evidences.filter((e) => DDXPLUS_QUESTIONS_ZH[e.name] === undefined).map((e) => e.name)).toEqual([]);
    expect(Object.keys(DDXPLUS_QUESTIONS_ZH).filter((n) => !names.has(n))).toEqual([]);
  });

  it('texts are Chinese, and questions stay questions (a prompt ending in a colon stays one)', () => {
    for (const e of evidences) {
      const zh = DDXPLUS_QUESTIONS_ZH[e.name] as string;
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      if (e.question.en.trim().endsWith('?')) expect(zh.endsWith('？')).toBe(true);
    }
  });

  it('questionTexts keeps the English and adds the Chinese', () => {
    expect(questionTexts('E_66', { en: 'Short of breath?' })).toEqual({ en: 'Short of breath?', zh: '您是否有明显的气短或呼吸困难？' });
    expect(questionTexts('E_9999', { en: 'x' })).toEqual({ en: 'x' });
  });
});
