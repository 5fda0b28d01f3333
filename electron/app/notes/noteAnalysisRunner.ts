/**
 * Runs note analysis in a worker thread with a time budget per request, so the main thread (the
 * Electron main process, the loopback host) keeps answering while a 200,000-character note is
 * read: the shared WorkerJobRunner (one worker, started on first use and reused so its models stay
 * loaded; a request over its budget ends the worker and is answered TIMED_OUT).
 */
import type { NoteAnalysis } from '../../contract/ipcContract';
import { ModelIntegrityError, UnknownModelError } from '../../../models/runtime/modelFiles';
import { WorkerJobRunner } from '../workerJobRunner';

export type NoteAnalysisResult = Omit<NoteAnalysis, 'offset'>;

/** A generous budget: a full-length chunk takes well under this once negation is linear. */
export const defaultNoteBudgetMs = 60_000;

export class NoteAnalysisRunner {
  private readonly jobs: WorkerJobRunner<string, NoteAnalysisResult>;

  constructor(budgetMs = defaultNoteBudgetMs) {
    this.jobs = new WorkerJobRunner<string, NoteAnalysisResult>(
      'notes/noteAnalysisWorker',
      budgetMs,
      (ms) => `Analysing this note took longer than ${Math.round(ms / 1000)} s and was stopped. Analyse a shorter part of it.`,
      // A note model that fails its check reaches the app as MODEL_INTEGRITY (which file, which model), not INTERNAL.
      [ModelIntegrityError, UnknownModelError],
    );
  }

  analyse(text: string): Promise<NoteAnalysisResult> {
    return this.jobs.run(text);
  }

  close(): void {
    this.jobs.close();
  }
}
