/**
 * Runs note analysis in a worker thread with a time budget per request, so the main thread (the
 * Electron main process, the loopback host) keeps answering while a 200,000-character note is
 * read. One worker, started on first use and reused (its models stay loaded); a request over its
 * budget ends the worker (the only way to stop CPU-bound work) and is answered TIMED_OUT, and the
 * next request starts a fresh one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { NoteAnalysis } from '../../contract/ipcContract';
import { LanternError } from '../serviceErrors';

export interface NoteAnalysisJob {
  id: number;
  text: string;
}

export type NoteAnalysisResult = Omit<NoteAnalysis, 'offset'>;

export type NoteAnalysisReply = { id: number; ok: true; result: NoteAnalysisResult } | { id: number; ok: false; error: { name: string; message: string } };

/** A generous budget: a full-length chunk takes well under this once negation is linear. */
export const defaultNoteBudgetMs = 60_000;

export class NoteAnalysisRunner {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: NoteAnalysisResult) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(private readonly budgetMs = defaultNoteBudgetMs) {}

  private start(): Worker {
    const built = join(__dirname, 'noteAnalysisWorker.js');
    // From the TypeScript sources (a test runner) there is no .js: load the .ts through the test hook.
    const source = existsSync(built)
      ? `require(${JSON.stringify(built)});`
      : `require(${JSON.stringify(join(__dirname, '..', '..', '..', 'db', 'testing', 'tsRequireHook.cjs'))}); require(${JSON.stringify(join(__dirname, 'noteAnalysisWorker.ts'))});`;
    const worker = new Worker(source, { eval: true });
    worker.unref();
    worker.on('message', (reply: NoteAnalysisReply) => {
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      clearTimeout(job.timer);
      if (reply.ok) job.resolve(reply.result);
      else job.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
    });
    const failAll = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, job] of this.pending) {
        clearTimeout(job.timer);
        job.reject(err);
        this.pending.delete(id);
      }
    };
    worker.on('error', (err) => failAll(err));
    worker.on('exit', (code) => failAll(new Error(`the note analysis worker stopped (exit code ${code})`)));
    return worker;
  }

  analyse(text: string): Promise<NoteAnalysisResult> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise<NoteAnalysisResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new LanternError(
            'TIMED_OUT',
            `Analysing this note took longer than ${Math.round(this.budgetMs / 1000)} s and was stopped. Analyse a shorter part of it.`,
          ),
        );
        // CPU-bound work cannot be interrupted: the worker goes, and with it anything queued behind.
        if (this.worker === worker) this.worker = null;
        void worker.terminate();
      }, this.budgetMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, text } satisfies NoteAnalysisJob);
    });
  }

  close(): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
  }
}
