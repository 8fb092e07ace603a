/**
 * A pool of worker threads that runs the tasks of a step. Each worker takes the next task when it is
 * free; the first failure stops the pool and is reported with its task.
 */
import { Worker } from 'node:worker_threads';
import type { RunSpec } from '../config/schema.js';
import type { TaskMarker } from './task.js';

export type ToWorker = { type: 'task'; step: string; task: number } | { type: 'release'; step: string };
export type FromWorker =
  | { type: 'progress'; docs: number; bytes: number }
  | { type: 'done'; step: string; task: number; marker: TaskMarker }
  | { type: 'released'; step: string }
  | { type: 'error'; step: string; task: number; message: string; stack: string };

export class TaskFailure extends Error {
  override name = 'TaskFailure';
  constructor(
    readonly step: string,
    readonly task: number,
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}

export interface PoolEvents {
  progress(docs: number, bytes: number): void;
  taskDone(marker: TaskMarker): void;
}

/** Starts a worker: the compiled entry, or from TypeScript sources through tsx (tests, development). */
function startWorker(workerData: object): Worker {
  if (import.meta.url.endsWith('.ts')) {
    const entry = new URL('./worker.ts', import.meta.url).href;
    return new Worker(new URL('./worker-dev.mjs', import.meta.url), { workerData: { ...workerData, entry } });
  }
  return new Worker(new URL('./worker.js', import.meta.url), { workerData });
}

export class WorkerPool {
  private readonly workers: Worker[] = [];

  constructor(
    readonly size: number,
    private readonly init: { spec: RunSpec; runDir: string },
  ) {}

  private ensureWorkers(n: number): void {
    while (this.workers.length < Math.min(n, this.size)) this.workers.push(startWorker(this.init));
  }

  /** Runs the given tasks of a step; resolves when all are done, rejects at the first failure. */
  runStep(step: string, tasks: readonly number[], events: PoolEvents): Promise<void> {
    this.ensureWorkers(tasks.length);
    const queue = [...tasks];
    let running = 0;
    let failed = false;
    return new Promise<void>((resolve, reject) => {
      const cleanups: (() => void)[] = [];
      let settled = false;
      const finish = (err?: Error): void => {
        if (settled) return;
        settled = true;
        for (const c of cleanups) c();
        if (err) reject(err);
        else resolve();
      };
      const fail = (err: Error): void => {
        if (failed) return;
        failed = true;
        finish(err);
      };
      const next = (w: Worker): void => {
        const task = queue.shift();
        if (task === undefined) {
          if (running === 0 && !failed) finish();
          return;
        }
        running++;
        w.postMessage({ type: 'task', step, task } satisfies ToWorker);
      };
      for (const w of this.workers) {
        const onMessage = (m: FromWorker): void => {
          if (failed) return;
          if (m.type === 'progress') events.progress(m.docs, m.bytes);
          else if (m.type === 'done') {
            running--;
            events.taskDone(m.marker);
            next(w);
          } else if (m.type === 'error') fail(new TaskFailure(m.step, m.task, m.message, m.stack));
        };
        const onError = (e: Error): void => fail(new TaskFailure(step, -1, `worker crashed: ${e.message}`, e.stack ?? ''));
        const onExit = (code: number): void => fail(new TaskFailure(step, -1, `worker exited unexpectedly (code ${code})`, ''));
        w.on('message', onMessage);
        w.on('error', onError);
        w.on('exit', onExit);
        cleanups.push(() => {
          w.off('message', onMessage);
          w.off('error', onError);
          w.off('exit', onExit);
        });
      }
      if (queue.length === 0) return finish();
      for (const w of this.workers) next(w);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
