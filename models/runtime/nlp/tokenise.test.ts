import { describe, expect, it } from 'vitest';

import { porterStem } from './porterStemmer';
import { splitSentences } from './sentences';
import { caseClass, tokenise, wordKey } from './tokenise';

describe('tokeniser (lantern-word-punct/1)', () => {
  it('splits letter/digit runs from every other symbol, with offsets into the text', () => {
    const text = 'APC-related (FAP) tumours, 3beta\u00a0x\u2013y 😀日本 naïve β-cells';
    const toks = tokenise(text);
    expect(toks.map((t) => t.text)).toEqual([
      'APC',
      '-',
      'related',
      '(',
      'FAP',
      ')',
      'tumours',
      ',',
      '3beta',
      'x',
      '\u2013',
      'y',
      '😀',
      '日',
      '本',
      'naïve',
      'β',
      '-',
      'cells',
    ]);
    for (const t of toks) expect(text.slice(t.start, t.end)).toBe(t.text);
  });

  it('keys words by ASCII lower case with digits as 0, and classes case as in training', () => {
    expect(wordKey('BRCA1')).toBe('brca0');
    expect(wordKey('İstanbul')).toBe('İstanbul'); // non-ASCII untouched, as in Python
    expect(['cancer', 'DNA', 'Cancer', 'mRNA', '1999', 'p53', '-', 'β'].map(caseClass)).toEqual([1, 2, 3, 4, 5, 6, 7, 1]);
  });
});

describe('sentence splitter', () => {
  function sentences(text: string): string[] {
    return splitSentences(text).map((s) => text.slice(s.start, s.end));
  }
  it('splits on end punctuation and line structure, not on abbreviations or decimals', () => {
    expect(sentences('Seen by Dr. Smith, e.g. for fever. Temp 38.5 today! Is it flu? Maybe.')).toEqual([
      'Seen by Dr. Smith, e.g. for fever.',
      'Temp 38.5 today!',
      'Is it flu?',
      'Maybe.',
    ]);
    // a templated question answered at once stays with its answer
    expect(sentences('Fever? No. Cough? yes. 发热？无。咳嗽？有。')).toEqual(['Fever? No.', 'Cough? yes.', '发热？无。', '咳嗽？有。']);
    expect(sentences('HPI: cough\nfor three days\n\nPMH:\n- asthma\n- eczema')).toEqual(['HPI: cough\nfor three days', 'PMH:', '- asthma', '- eczema']);
    // a query mark that opens its clause is not a sentence end
    expect(sentences('? pneumonia. Impression: ? PE, ? pneumonia; review.')).toEqual(['? pneumonia.', 'Impression: ? PE, ? pneumonia; review.']);
    expect(sentences('')).toEqual([]);
    expect(sentences('   \n  ')).toEqual([]);
  });
});

describe('Porter stemmer', () => {
  it('reduces inflections to shared stems', () => {
    expect(['coughing', 'coughs', 'coughed'].map(porterStem)).toEqual(['cough', 'cough', 'cough']);
    expect(['vomiting', 'vomited', 'vomits'].map(porterStem)).toEqual(['vomit', 'vomit', 'vomit']);
    expect(porterStem('headaches')).toBe(porterStem('headache'));
    expect(porterStem('painful')).toBe('pain');
    expect(['caresses', 'ponies', 'relational', 'generalization', 'hopeful', 'adjustment'].map(porterStem)).toEqual([
      'caress',
      'poni',
      'relat',
      'gener',
      'hope',
      'adjust',
    ]);
  });
});
