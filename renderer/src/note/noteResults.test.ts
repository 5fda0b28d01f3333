import { describe, expect, it } from 'vitest';
import type { NoteAnalysis, NoteFinding } from '../../../electron/contract/ipcContract';
import { blocksOf, combineComplaints, groupFindings, mergeAnalyses, placeSpan, segmentText } from './noteResults';

const note = 'Cough for a week.\nNo fever. Cough worse at night.';

describe('placeSpan', () => {
  const second = { offset: 18, text: note.slice(18) };
  it('keeps spans already in note coordinates', () => {
    const s = { start: 21, end: 26, text: 'fever' };
    expect(placeSpan(note, second, s)).toEqual(s);
  });
  it('shifts spans given relative to their chunk', () => {
    expect(placeSpan(note, second, { start: 3, end: 8, text: 'fever' })).toEqual({ start: 21, end: 26, text: 'fever' });
  });
  it('drops a span that matches nowhere', () => {
    expect(placeSpan(note, second, { start: 0, end: 4, text: 'rash' })).toBeNull();
  });
});

describe('mergeAnalyses', () => {
  it('merges chunks, combines the classifier', () => {
    const a: NoteAnalysis = {
      offset: 0,
      entities: [{ start: 0, end: 5, label: 'SYMPTOM', text: 'Cough', assertion: 'present' }],
      findings: [{ feature: 'cough', state: 'present', start: 0, end: 5, text: 'Cough', assertion: 'present' }],
      complaint: [
        { label: 'Bronchitis', probability: 0.6 },
        { label: 'Pneumonia', probability: 0.4 },
      ],
    };
    const b: NoteAnalysis = {
      offset: 18,
      entities: [{ start: 21, end: 26, label: 'SYMPTOM', text: 'fever', assertion: 'absent' }],
      findings: [{ feature: 'high_fever', state: 'absent', start: 21, end: 26, text: 'fever', assertion: 'absent' }],
      complaint: [{ label: 'Pneumonia', probability: 1 }],
    };
    const r = mergeAnalyses(note, [
      { chunk: { offset: 0, text: note.slice(0, 18) }, analysis: a },
      { chunk: { offset: 18, text: note.slice(18) }, analysis: b },
    ]);
    expect(r.entities.map((e) => e.text)).toEqual(['Cough', 'fever']);
    expect(r.findings).toHaveLength(2);
    expect(r.complaint[0]!.label).toBe('Pneumonia');
    expect(r.complaint.reduce((s, c) => s + c.probability, 0)).toBeCloseTo(1);
  });
});

describe('groupFindings', () => {
  it('groups repeated mentions and flags contradictions', () => {
    const f = (feature: string, state: 'present' | 'absent', start: number): NoteFinding => ({
      feature,
      state,
      start,
      end: start + 1,
      text: 'x',
      assertion: state,
    });
    const g = groupFindings([f('cough', 'present', 10), f('cough', 'present', 0), f('fever', 'absent', 5), f('fever', 'present', 7)]);
    expect(g.map((x) => [x.key, x.mentions, x.conflict])).toEqual([
      ['cough|present', 2, false],
      ['fever|absent', 1, true],
      ['fever|present', 1, true],
    ]);
    expect(g[0]!.first.start).toBe(0);
  });
});

describe('combineComplaints', () => {
  it('returns nothing without scores', () => {
    expect(combineComplaints([{ weight: 10, complaint: [] }])).toEqual([]);
  });
});

describe('segmentText', () => {
  it('covers the text, skipping overlaps', () => {
    const segs = segmentText('abcdefgh', [
      { start: 2, end: 4 },
      { start: 3, end: 6 },
      { start: 6, end: 8 },
    ]);
    expect(segs.map((s) => [s.text, s.span !== null])).toEqual([
      ['ab', false],
      ['cd', true],
      ['ef', false],
      ['gh', true],
    ]);
    expect(segs.map((s) => s.text).join('')).toBe('abcdefgh');
  });
});

describe('blocksOf', () => {
  it('cuts after line breaks, keeps every character once, marks spans inside blocks', () => {
    const text = 'cough here\n'.repeat(50);
    const spans = Array.from({ length: 50 }, (_, i) => ({ start: i * 11, end: i * 11 + 5 }));
    const blocks = blocksOf(text, spans, 100);
    expect(blocks.length).toBeGreaterThan(3);
    expect(blocks.map((b) => b.segments.map((s) => s.text).join('')).join('')).toBe(text);
    for (const b of blocks.slice(0, -1)) expect(text[b.end - 1]).toBe('\n');
    expect(blocks.flatMap((b) => b.segments).filter((s) => s.span).length).toBe(50);
  });
});
