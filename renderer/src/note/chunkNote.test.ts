import { describe, expect, it } from 'vitest';
import { chunkNote, chunksToAnalyse } from './chunkNote';

function rejoin(chunks: { offset: number; text: string }[]): string {
  let pos = 0;
  for (const c of chunks) {
    expect(c.offset).toBe(pos);
    pos += c.text.length;
  }
  return chunks.map((c) => c.text).join('');
}

describe('chunkNote', () => {
  it('keeps a short note whole', () => {
    expect(chunkNote('Cough for 3 days. No fever.')).toEqual([{ offset: 0, text: 'Cough for 3 days. No fever.' }]);
    expect(chunkNote('')).toEqual([]);
  });

  it('tiles a 50-page note exactly, every chunk within the limit', () => {
    const page = 'Patient reports cough and fatigue. Denies chest pain; no fever.\nExam: chest clear. 3.5 mg given.\n';
    const note = page.repeat(1500);
    const chunks = chunkNote(note);
    expect(chunks.length).toBeGreaterThan(30);
    expect(rejoin(chunks)).toBe(note);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(4000);
    // Line breaks are preferred: every chunk but the last ends with one.
    for (const c of chunks.slice(0, -1)) expect(c.text.endsWith('\n')).toBe(true);
  });

  it('cuts after a sentence when there is no line break, never inside "3.5"', () => {
    const note = 'Dose 3.5 mg daily. No fever. '.repeat(20);
    const chunks = chunkNote(note, 100);
    expect(rejoin(chunks)).toBe(note);
    for (const c of chunks.slice(0, -1)) expect(c.text).toMatch(/\. $/);
  });

  it('cuts after Chinese sentence punctuation', () => {
    const note = '患者咳嗽三天。无发热。'.repeat(30);
    const chunks = chunkNote(note, 50);
    expect(rejoin(chunks)).toBe(note);
    for (const c of chunks.slice(0, -1)) expect(c.text.endsWith('。')).toBe(true);
  });

  it('hard-cuts a run with no boundary, without splitting a surrogate pair', () => {
    const note = 'a'.repeat(9) + '😀'.repeat(10);
    const chunks = chunkNote(note, 10);
    expect(rejoin(chunks)).toBe(note);
    for (const c of chunks) expect(/[\ud800-\udbff]$/.test(c.text)).toBe(false);
  });

  it('does not send whitespace-only chunks', () => {
    const note = 'Cough.\n' + ' '.repeat(50) + '\nFever.';
    const sent = chunksToAnalyse(note, 20);
    expect(sent.every((c) => c.text.trim() !== '')).toBe(true);
    expect(sent.map((c) => note.slice(c.offset, c.offset + c.text.length))).toEqual(sent.map((c) => c.text));
  });
});
