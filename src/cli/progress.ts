/**
 * Progress of a run: a bar with docs/s, MB/s and ETA on a terminal; on anything else (a log file, a
 * Slurm job's output) a plain line every few seconds.
 */
import cliProgress from 'cli-progress';
import type { ProgressSink } from '../exec/local.js';
import type { Step } from '../exec/plan.js';
import type { TaskMarker } from '../exec/task.js';

const PLAIN_INTERVAL_MS = 5000;

interface Rates {
  docs: number;
  bytes: number;
  startedAt: number;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

function describe(r: Rates, totalBytes: number): { docsPerSec: string; mbPerSec: string; eta: string; pct: number } {
  const elapsed = Math.max((Date.now() - r.startedAt) / 1000, 1e-3);
  const bps = r.bytes / elapsed;
  const eta = totalBytes > 0 && bps > 0 ? (totalBytes - r.bytes) / bps : NaN;
  return {
    docsPerSec: formatCount(r.docs / elapsed),
    mbPerSec: (bps / 1e6).toFixed(1),
    eta: formatDuration(eta),
    pct: totalBytes > 0 ? Math.min(100, (100 * r.bytes) / totalBytes) : 0,
  };
}

export interface ProgressOptions {
  tty: boolean;
  quiet: boolean;
  write: (line: string) => void;
  /** Called with each finished task's marker (to gather read errors, say). */
  onTaskDone?: (marker: TaskMarker) => void;
}

export function progressSink(opts: ProgressOptions): ProgressSink {
  let current: { step: Step; totalBytes: number; tasks: number; tasksDone: number; rates: Rates } | null = null;
  let bar: cliProgress.SingleBar | null = null;
  let lastLine = 0;

  const plainLine = (force: boolean): void => {
    if (!current || opts.quiet) return;
    const now = Date.now();
    if (!force && now - lastLine < PLAIN_INTERVAL_MS) return;
    lastLine = now;
    const d = describe(current.rates, current.totalBytes);
    opts.write(
      `${current.step.name}: ${d.pct.toFixed(0)}% | tasks ${current.tasksDone}/${current.tasks} | ${formatCount(current.rates.docs)} docs | ${d.docsPerSec} docs/s | ${d.mbPerSec} MB/s | ETA ${d.eta}`,
    );
  };

  return {
    step(step, pending, done, bytes) {
      current = { step, totalBytes: bytes, tasks: pending + done, tasksDone: done, rates: { docs: 0, bytes: 0, startedAt: Date.now() } };
      if (opts.quiet || pending === 0) return;
      if (opts.tty && bytes > 0) {
        bar = new cliProgress.SingleBar(
          {
            format: `${step.name.padEnd(10)} [{bar}] {percentage}% | tasks {tasksDone}/{tasks} | {docs} docs | {docsPerSec} docs/s | {mbPerSec} MB/s | ETA {etaText}`,
            hideCursor: true,
            clearOnComplete: false,
            barsize: 24,
            etaBuffer: 50,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(bytes, 0, { tasksDone: done, tasks: pending + done, docs: '0', docsPerSec: '0', mbPerSec: '0.0', etaText: '?' });
      } else {
        opts.write(`${step.name}: ${pending} task(s) to run${done > 0 ? `, ${done} already done` : ''} (${step.title})`);
      }
    },
    progress(docs, bytes) {
      if (!current) return;
      current.rates.docs += docs;
      current.rates.bytes += bytes;
      if (bar) {
        const d = describe(current.rates, current.totalBytes);
        bar.update(Math.min(current.rates.bytes, current.totalBytes), { tasksDone: current.tasksDone, tasks: current.tasks, docs: formatCount(current.rates.docs), docsPerSec: d.docsPerSec, mbPerSec: d.mbPerSec, etaText: d.eta });
      } else plainLine(false);
    },
    taskDone(_step, marker) {
      opts.onTaskDone?.(marker);
      if (!current) return;
      current.tasksDone++;
      bar?.update({ tasksDone: current.tasksDone });
    },
    stepDone(step) {
      if (bar) {
        bar.update(current?.totalBytes ?? 0);
        bar.stop();
        bar = null;
      } else if (current && current.rates.docs > 0) plainLine(true);
      else if (!opts.quiet && current?.step === step && step.name !== 'finalize') opts.write(`${step.name}: done`);
    },
    log(line) {
      opts.write(line);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
