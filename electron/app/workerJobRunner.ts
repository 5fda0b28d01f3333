/**
 * One worker thread for a kind of CPU-bound job (note analysis, imaging models), started on first
 * use and reused (its models stay loaded), with a time budget per job; a job over its budget ends
 * the worker (the only way to stop CPU-bound work) and is answered TIMED_OUT, and the next job
 * starts a fresh one. The worker side is serveWorkerJobs below.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, Worker } from 'node:worker_threads';
import { LanternError } from './serviceErrors';

interface JobMessage<J> {
  id: number;
  job: J;
}

type ReplyMessage<R> = { id: number; ok: true; result: R } | { id: number; ok: false; error: { name: string; message: string } & Record<string, unknown> };

/** Error classes a job may end in, rebuilt as themselves on this side (error codes depend on instanceof). */
export type RebuildableErrors = readonly (abstract new (...args: never[]) => Error)[];

export class WorkerJobRunner<J, R> {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: R) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  /** `workerModule`: the worker file relative to this folder (electron/app), without its extension (`.js` built, `.ts` under a test runner). */
  constructor(
    private readonly workerModule: string,
    private readonly budgetMs: number,
    private readonly timedOutMessage: (budgetMs: number) => string,
    private readonly errors: RebuildableErrors = [],
  ) {}

  private start(): Worker {
    const built = join(__dirname, `${this.workerModule}.js`);
    const source = existsSync(built)
      ? `require(${JSON.stringify(built)});`
      : `require(${JSON.stringify(join(__dirname, '..', '..', 'db', 'testing', 'tsRequireHook.cjs'))}); require(${JSON.stringify(join(__dirname, `${this.workerModule}.ts`))});`;
    const worker = new Worker(source, { eval: true });
    worker.unref();
    worker.on('message', (reply: ReplyMessage<R>) => {
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      clearTimeout(job.timer);
      if (reply.ok) job.resolve(reply.result);
      else job.reject(this.rebuild(reply.error));
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
    worker.on('exit', (code) => failAll(new Error(`the ${this.workerModule} thread stopped (exit code ${code})`)));
    return worker;
  }

  private rebuild(e: { name: string; message: string } & Record<string, unknown>): Error {
    const className = typeof e['className'] === 'string' ? e['className'] : e.name;
    const cls = this.errors.find((c) => c.name === className);
    const err = cls ? (Object.create(cls.prototype) as Error) : new Error(e.message);
    return Object.assign(err, e, { stack: `${e.name}: ${e.message}\n    at ${this.workerModule} thread` });
  }

  run(job: J, transfer: readonly ArrayBuffer[] = []): Promise<R> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new LanternError('TIMED_OUT', this.timedOutMessage(this.budgetMs)));
        // CPU-bound work cannot be interrupted: the worker goes, and with it anything queued behind.
        if (this.worker === worker) this.worker = null;
        void worker.terminate();
      }, this.budgetMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, job } satisfies JobMessage<J>, [...transfer]);
    });
  }

  close(): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
  }
}

/** The worker side: answers each job with `handle`'s result, or its error's name, message and own fields. */
export function serveWorkerJobs<J, R>(handle: (job: J) => Promise<R>): void {
  parentPort?.on('message', (message: JobMessage<J>) => {
    void handle(message.job).then(
      (result) => parentPort?.postMessage({ id: message.id, ok: true, result } satisfies ReplyMessage<R>),
      (err: unknown) => {
        const e = (err ?? {}) as Error & Record<string, unknown>;
        const fields = Object.fromEntries(Object.entries(e).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v)));
        // The class's own name too: subclasses that keep `name` = 'Error' are still told apart.
        const className = typeof e === 'object' && e.constructor ? e.constructor.name : 'Error';
        parentPort?.postMessage({
          id: message.id,
          ok: false,
          error: { ...fields, className, name: String(e.name ?? 'Error'), message: String(e.message ?? err) },
        } satisfies ReplyMessage<R>);
      },
    );
  });
}
