/**
 * Worker thread entry: builds the run's plan once, then runs the tasks the pool sends, one at a time,
 * keeping loaded models and built stages between tasks of the same step.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RunSpec } from '../config/schema.js';
import { readManifest } from '../core/manifest.js';
import { buildPlan, findStep, type TaskContext } from './plan.js';
import type { FromWorker, ToWorker } from './pool.js';
import { RunDir } from './run-dir.js';
import { runTask } from './task.js';

const PROGRESS_INTERVAL_MS = 200;

const port = parentPort!;
const { spec, runDir } = workerData as { spec: RunSpec; runDir: string };
const run = new RunDir(runDir);
const manifest = readManifest(run.manifest);
const plan = buildPlan(spec, manifest);
const send = (m: FromWorker): void => port.postMessage(m);

let pendingDocs = 0;
let pendingBytes = 0;
let lastSent = 0;
const flushProgress = (force: boolean): void => {
  const now = Date.now();
  if (!force && now - lastSent < PROGRESS_INTERVAL_MS) return;
  if (pendingDocs > 0 || pendingBytes > 0) send({ type: 'progress', docs: pendingDocs, bytes: pendingBytes });
  pendingDocs = 0;
  pendingBytes = 0;
  lastSent = now;
};

const ctx: TaskContext = {
  spec,
  manifest,
  run,
  cache: new Map(),
  progress(docs, bytes) {
    pendingDocs += docs;
    pendingBytes += bytes;
    flushProgress(false);
  },
};

let currentStep: string | null = null;

port.on('message', (msg: ToWorker) => {
  void (async () => {
    try {
      const step = findStep(plan, msg.step);
      if (currentStep !== null && currentStep !== msg.step) await findStep(plan, currentStep).release?.(ctx);
      currentStep = msg.step;
      if (msg.type === 'release') {
        await step.release?.(ctx);
        currentStep = null;
        send({ type: 'released', step: msg.step });
        return;
      }
      const marker = await runTask(step, msg.task, ctx);
      flushProgress(true);
      send({ type: 'done', step: msg.step, task: msg.task, marker });
    } catch (e) {
      flushProgress(true);
      const err = e as Error;
      send({ type: 'error', step: msg.step, task: msg.type === 'task' ? msg.task : -1, message: err.message, stack: err.stack ?? '' });
    }
  })();
});
