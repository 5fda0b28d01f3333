/**
 * Splits a clinical note into pieces the app analyses one at a time. Cuts fall at a line break,
 * else after a sentence, else at a space, so that no phrase ("no fever") is cut in two unless a
 * single "sentence" is longer than the limit. Chunks tile the text exactly: chunk i starts where
 * chunk i-1 ended, and `offset` is its position in the whole note.
 */

export const NOTE_CHUNK_MAX = 4000;

export interface NoteChunk {
  offset: number;
  text: string;
}

const SENTENCE_END = /[.!?;:。！？；]/;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The best place to end a chunk that starts at `start` and may not pass `limit`. */
function cutPoint(text: string, start: number, limit: number): number {
  // Do not accept a boundary that would leave a uselessly small chunk.
  const floor = start + Math.floor((limit - start) / 2);
  let sentence = -1;
  let space = -1;
  for (let i = limit - 1; i >= floor; i--) {
    const ch = text[i]!;
    if (ch === '\n') return i + 1;
    if (sentence < 0 && SENTENCE_END.test(ch)) {
      // "3.5 mg" is not a sentence end: needs whitespace (or CJK punctuation, which needs none) after it.
      const next = text[i + 1];
      if (ch > '\u2e7f' || next === undefined) sentence = i + 1;
      // Keep the space after the full stop with its sentence.
      else if (/\s/.test(next)) sentence = i + 2 <= limit ? i + 2 : i + 1;
    }
    if (space < 0 && /\s/.test(ch)) space = i + 1;
  }
  if (sentence > start) return sentence;
  if (space > start) return space;
  return limit;
}

export function chunkNote(text: string, max: number = NOTE_CHUNK_MAX): NoteChunk[] {
  if (max < 2) throw new RangeError('chunk size too small');
  const chunks: NoteChunk[] = [];
  let start = 0;
  while (start < text.length) {
    let end = start + max >= text.length ? text.length : cutPoint(text, start, start + max);
    // Never split a surrogate pair (an emoji or a rare CJK character).
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    chunks.push({ offset: start, text: text.slice(start, end) });
    start = end;
  }
  return chunks;
}

/** Chunks worth sending: whitespace alone carries nothing to analyse. */
export function chunksToAnalyse(text: string, max: number = NOTE_CHUNK_MAX): NoteChunk[] {
  return chunkNote(text, max).filter((c) => c.text.trim() !== '');
}
