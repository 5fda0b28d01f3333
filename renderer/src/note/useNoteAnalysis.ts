import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorPayload, NoteAnalysis } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { clearFeatureReady, markFeatureReady } from '../readiness';
import { chunksToAnalyse, type NoteChunk } from './chunkNote';
import { mergeAnalyses, type NoteResult } from './noteResults';

export type NoteAnalysisState =
  | { phase: 'idle' }
  | { phase: 'running'; done: number; total: number }
  | { phase: 'done'; result: NoteResult; run: number }
  | { phase: 'failed'; error: ErrorPayload; chunk: number; total: number };

/** Lets the browser paint (progress) and handle input between chunks. */
function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Sends a note to `analyseNote` chunk by chunk, one request at a time, reporting progress after
 * each; a newer run (or unmount) silently supersedes an older one.
 */
export function useNoteAnalysis() {
  const [state, setState] = useState<NoteAnalysisState>({ phase: 'idle' });
  const runId = useRef(0);

  useEffect(
    () => () => {
      runId.current += 1;
      clearFeatureReady('note');
    },
    [],
  );

  const analyse = useCallback(async (note: string) => {
    const run = ++runId.current;
    clearFeatureReady('note');
    const chunks = chunksToAnalyse(note);
    setState({ phase: 'running', done: 0, total: chunks.length });
    const answers: { chunk: NoteChunk; analysis: NoteAnalysis }[] = [];
    for (const [i, chunk] of chunks.entries()) {
      await yieldToBrowser();
      if (run !== runId.current) return;
      const result = await api.analyseNote({ text: chunk.text, offset: chunk.offset });
      if (run !== runId.current) return;
      if (!result.ok) {
        setState({ phase: 'failed', error: result.error, chunk: i + 1, total: chunks.length });
        return;
      }
      answers.push({ chunk, analysis: result.value });
      setState({ phase: 'running', done: i + 1, total: chunks.length });
    }
    await yieldToBrowser();
    if (run !== runId.current) return;
    setState({ phase: 'done', result: mergeAnalyses(note, answers), run });
  }, []);

  const cancel = useCallback(() => {
    runId.current += 1;
    setState({ phase: 'idle' });
  }, []);

  // Signal after the result is on screen (effects run after the commit that shows it).
  useEffect(() => {
    if (state.phase === 'done') markFeatureReady('note');
    else clearFeatureReady('note');
  }, [state]);

  return { state, analyse, cancel };
}
