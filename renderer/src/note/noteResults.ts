/**
 * Turns the per-chunk answers of `analyseNote` into one result for the whole note: spans placed
 * in the note's coordinates, findings grouped, the complaint classifier's scores combined.
 */
import type { NoteAnalysis, NoteEntity, NoteFinding } from '../../../electron/contract/ipcContract';
import type { NoteChunk } from './chunkNote';

interface Span {
  start: number;
  end: number;
  text: string;
}

/**
 * The contract says offsets come back "shifted by `offset`", i.e. already in note coordinates. A
 * span is trusted only where the note holds its text; a span that matches only when read relative
 * to its chunk is shifted; anything else is dropped rather than highlighted in the wrong place.
 */
export function placeSpan<T extends Span>(note: string, chunk: NoteChunk, span: T): T | null {
  const fits = (s: number, e: number) => s >= 0 && e > s && e <= note.length;
  const matches = (s: number, e: number) => fits(s, e) && (span.text === '' || note.slice(s, e) === span.text);
  if (matches(span.start, span.end)) return span;
  const shifted = { start: chunk.offset + span.start, end: chunk.offset + span.end };
  if (matches(shifted.start, shifted.end)) return { ...span, ...shifted };
  return null;
}

export interface GroupedFinding {
  /** feature|state: one row per distinct claim. */
  key: string;
  feature: string;
  /** 'unknown': possible, hypothetical, historical or family mentions: listed, never entered into the case. */
  state: 'present' | 'absent' | 'unknown';
  /** The first mention, quoted in the list. */
  first: NoteFinding;
  mentions: number;
  /** The note also states the opposite for this feature. */
  conflict: boolean;
}

export function groupFindings(findings: readonly NoteFinding[]): GroupedFinding[] {
  const groups = new Map<string, GroupedFinding>();
  for (const f of [...findings].sort((a, b) => a.start - b.start)) {
    const key = `${f.feature}|${f.state}`;
    const g = groups.get(key);
    if (g) g.mentions += 1;
    else groups.set(key, { key, feature: f.feature, state: f.state, first: f, mentions: 1, conflict: false });
  }
  const states = new Map<string, Set<string>>();
  for (const g of groups.values()) {
    if (g.state === 'unknown') continue; // only a present and an absent claim conflict
    const s = states.get(g.feature) ?? new Set<string>();
    s.add(g.state);
    states.set(g.feature, s);
  }
  for (const g of groups.values()) g.conflict = g.state !== 'unknown' && (states.get(g.feature)?.size ?? 0) > 1;
  return [...groups.values()];
}

export interface ComplaintScore {
  label: string;
  probability: number;
}

/** Scores averaged over chunks, each weighted by its length; a label a chunk did not list counts 0 there. */
export function combineComplaints(parts: readonly { weight: number; complaint: readonly ComplaintScore[] }[], top = 3): ComplaintScore[] {
  const total = parts.reduce((s, p) => s + (p.complaint.length > 0 ? p.weight : 0), 0);
  if (total <= 0) return [];
  const sums = new Map<string, number>();
  for (const p of parts) {
    if (p.complaint.length === 0) continue;
    for (const c of p.complaint) sums.set(c.label, (sums.get(c.label) ?? 0) + c.probability * p.weight);
  }
  return [...sums.entries()]
    .map(([label, s]) => ({ label, probability: s / total }))
    .sort((a, b) => b.probability - a.probability || a.label.localeCompare(b.label))
    .slice(0, top);
}

export interface NoteResult {
  /** The exact text analysed: highlighting stays correct if the note is edited afterwards. */
  text: string;
  entities: NoteEntity[];
  findings: NoteFinding[];
  complaint: ComplaintScore[];
}

export function mergeAnalyses(note: string, answers: readonly { chunk: NoteChunk; analysis: NoteAnalysis }[]): NoteResult {
  const entities: NoteEntity[] = [];
  const findings: NoteFinding[] = [];
  for (const { chunk, analysis } of answers) {
    for (const e of analysis.entities) {
      const placed = placeSpan(note, chunk, e);
      if (placed) entities.push(placed);
    }
    for (const f of analysis.findings) {
      const placed = placeSpan(note, chunk, f);
      if (placed) findings.push(placed);
    }
  }
  entities.sort((a, b) => a.start - b.start || b.end - a.end);
  const complaint = combineComplaints(answers.map(({ chunk, analysis }) => ({ weight: chunk.text.length, complaint: analysis.complaint })));
  return { text: note, entities, findings, complaint };
}

export interface TextSegment<T> {
  start: number;
  end: number;
  text: string;
  span: T | null;
}

/** The note cut into plain runs and highlighted spans; overlapping spans keep the earlier (then longer) one. */
export function segmentText<T extends { start: number; end: number }>(text: string, spans: readonly T[]): TextSegment<T>[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: TextSegment<T>[] = [];
  let pos = 0;
  for (const span of sorted) {
    if (span.start < pos || span.end > text.length || span.end <= span.start) continue;
    if (span.start > pos) out.push({ start: pos, end: span.start, text: text.slice(pos, span.start), span: null });
    out.push({ start: span.start, end: span.end, text: text.slice(span.start, span.end), span });
    pos = span.end;
  }
  if (pos < text.length) out.push({ start: pos, end: text.length, text: text.slice(pos), span: null });
  return out;
}

export interface TextBlock<T> {
  start: number;
  end: number;
  /** Segments of the block, positions in the whole note. */
  segments: TextSegment<T>[];
}

/**
 * The note cut into blocks of about `target` characters, each ending after a line break where
 * there is one, with its segments. Each block is laid out on its own, so marking up one block does
 * not make the browser re-flow the whole 50-page note. A span crossing a block boundary (it would
 * cross a line break) or overlapping an earlier span is left unmarked.
 */
export function blocksOf<T extends { start: number; end: number }>(text: string, spans: readonly T[], target = 3000): TextBlock<T>[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const blocks: TextBlock<T>[] = [];
  let start = 0;
  let k = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + target);
    if (end < text.length) {
      const nl = text.indexOf('\n', end);
      end = nl >= 0 && nl - start < target * 2 ? nl + 1 : Math.min(text.length, start + target * 2);
    }
    const segments: TextSegment<T>[] = [];
    let pos = start;
    for (; k < sorted.length && sorted[k]!.start < end; k++) {
      const span = sorted[k]!;
      if (span.start < pos || span.end > end || span.end <= span.start) continue;
      if (span.start > pos) segments.push({ start: pos, end: span.start, text: text.slice(pos, span.start), span: null });
      segments.push({ start: span.start, end: span.end, text: text.slice(span.start, span.end), span });
      pos = span.end;
    }
    if (pos < end) segments.push({ start: pos, end, text: text.slice(pos, end), span: null });
    blocks.push({ start, end, segments });
    start = end;
  }
  return blocks;
}
