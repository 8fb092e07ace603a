/**
 * `npm run torture`: kills a run with SIGKILL (the whole process group, workers included) 20 times,
 * resumes each with --resume, and checks that the final output is byte-identical to an
 * uninterrupted run and that read = kept + dropped + unreadable. Prints `N/20 identical`.
 *
 * Half of the kills come at moments spread over the duration of an uninterrupted run; the other
 * half when the run directory shows a given moment: a step's first task done, a step complete
 * (between steps), an output or rejected shard being written (its temporary file present). The
 * steps and their task counts are read from the uninterrupted run's completion markers.
 * Uses the dev corpus in ../shared/data when present, else the bundled sample.
 *
 *   npm run torture [-- --trials 20 --workers 2 --keep]
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SIFT = join(ROOT, 'bin', 'sift.js');
const DEV = resolve(ROOT, '..', 'shared', 'data', 'corpus', 'dev');

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const trials = opt('trials', 20);
const workers = opt('workers', 2);
const keep = args.includes('--keep');

/** Filters, a corpus-wide stage between passes, and small output shards: many moments to be killed in. */
const PIPELINE = `stages:
  - type: length
    min_words: 5
  - type: gopher_repetition
  - type: gopher_quality
  - type: c4_quality
    filter_no_terminal_punct: false
  - type: fineweb_quality
  - type: pii
  - type: minhash
  - type: sample
    rate: 0.9
    seed: 3
rejected: true
output:
  max_docs_per_shard: 700
`;

function setup(dir: string): void {
  const inputs = join(dir, 'inputs');
  mkdirSync(inputs, { recursive: true });
  if (existsSync(DEV)) {
    for (const f of readdirSync(DEV).filter((x) => x.endsWith('.jsonl.zst'))) cpSync(join(DEV, f), join(inputs, f));
    console.log(`corpus: ${DEV}`);
  } else {
    console.warn(`*** ${DEV} is missing: using the bundled sample (smaller, fewer kill points) ***`);
    for (const f of readdirSync(join(ROOT, 'examples', 'sample')).filter((x) => x.endsWith('.jsonl.zst'))) cpSync(join(ROOT, 'examples', 'sample', f), join(inputs, f));
  }
  writeFileSync(join(dir, 'pipe.yaml'), `inputs: ["inputs/*.jsonl.zst"]\nrun_dir: run\n${PIPELINE}`);
}

function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir).sort()) if (statSync(join(dir, f)).isFile()) out.set(f, readFileSync(join(dir, f)));
  return out;
}

function sameFiles(a: Map<string, Buffer>, b: Map<string, Buffer>): string | null {
  const ka = [...a.keys()].join(',');
  const kb = [...b.keys()].join(',');
  if (ka !== kb) return `different files: [${ka}] vs [${kb}]`;
  for (const [k, v] of a) if (!v.equals(b.get(k)!)) return `${k} differs`;
  return null;
}

function runSync(dir: string, runDir: string, extra: string[]): void {
  const r = spawnSync(process.execPath, [SIFT, 'run', 'pipe.yaml', '--run-dir', runDir, '--workers', String(workers), '-q', ...extra], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sift run ${extra.join(' ')} failed (${r.status}): ${r.stderr}`);
}

/** When to kill: after `ms` milliseconds, or as soon as `when` holds for the run directory. */
interface Trigger {
  label: string;
  ms?: number;
  when?: (runDir: string) => boolean;
}

const count = (dir: string): number => (existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.')).length : 0);

/** Starts a run in its own process group and kills the whole group at the trigger. */
async function runAndKill(dir: string, runDir: string, trigger: Trigger, extra: string[]): Promise<'killed' | 'finished'> {
  const child = spawn(process.execPath, [SIFT, 'run', 'pipe.yaml', '--run-dir', runDir, '--workers', String(workers), '-q', ...extra], { cwd: dir, detached: true, stdio: 'ignore' });
  const abs = join(dir, runDir);
  return new Promise((resolvePromise, reject) => {
    let finished = false;
    const kill = (): void => {
      if (finished) return;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    let timer: NodeJS.Timeout;
    if (trigger.when) {
      const poll = (): void => {
        if (finished) return;
        if (trigger.when!(abs)) kill();
        else timer = setTimeout(poll, 1);
      };
      timer = setTimeout(poll, 1);
    } else timer = setTimeout(kill, trigger.ms ?? 0);
    child.on('exit', (code, signal) => {
      finished = true;
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolvePromise('killed');
      else if (code === 0) resolvePromise('finished');
      else reject(new Error(`sift run exited with ${code}`));
    });
  });
}

/** Steps of a finished run in the order they completed, with their task counts. */
function stepsOf(runDir: string): { step: string; tasks: number }[] {
  const done = join(runDir, 'done');
  return readdirSync(done)
    .map((step) => {
      const markers = readdirSync(join(done, step));
      return { step, tasks: markers.length, first: Math.min(...markers.map((m) => statSync(join(done, step, m)).mtimeMs)) };
    })
    .sort((a, b) => a.first - b.first)
    .map(({ step, tasks }) => ({ step, tasks }));
}

/** The k-th distinct temporary file seen in `sub` of the run directory. */
function tempFile(sub: string, k: number): (runDir: string) => boolean {
  const seen = new Set<string>();
  return (runDir) => {
    const d = join(runDir, sub);
    if (existsSync(d)) for (const f of readdirSync(d)) if (f.endsWith('.tmp')) seen.add(f);
    return seen.size >= k;
  };
}

/** Kill moments tied to what the run is doing, as many as `n`, spread over the steps. */
function eventTriggers(steps: readonly { step: string; tasks: number }[], n: number): Trigger[] {
  const out: Trigger[] = [];
  for (const { step, tasks } of steps.slice(0, -1)) {
    out.push({ label: `${step} complete, next step not started`, when: (r) => count(join(r, 'done', step)) >= tasks });
    if (tasks > 1) out.push({ label: `${step}: first task done`, when: (r) => count(join(r, 'done', step)) >= 1 });
  }
  out.push({ label: 'writing an output shard (1st)', when: tempFile('output', 1) });
  out.push({ label: 'writing a rejected shard (1st)', when: tempFile('rejected', 1) });
  out.push({ label: 'writing an output shard (3rd)', when: tempFile('output', 3) });
  out.push({ label: 'writing a rejected shard (3rd)', when: tempFile('rejected', 3) });
  // interleave so that any n of them cover both kinds
  const writes = out.splice(out.length - 4);
  const mixed: Trigger[] = [];
  while (mixed.length < n && (out.length > 0 || writes.length > 0)) {
    if (writes.length > 0) mixed.push(writes.shift()!);
    if (out.length > 0 && mixed.length < n) mixed.push(out.shift()!);
  }
  return mixed;
}

interface Totals {
  read: number;
  kept: number;
  dropped: number;
  unreadable: number;
  conserved: boolean;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sift-torture-'));
  setup(dir);
  const t0 = Date.now();
  runSync(dir, 'reference', []);
  const first = Date.now() - t0;
  const reference = { output: files(join(dir, 'reference', 'output')), rejected: files(join(dir, 'reference', 'rejected')) };
  const steps = stepsOf(join(dir, 'reference'));
  // the duration as the trials see it: started the same way
  const t1 = Date.now();
  await runAndKill(dir, 'timing', { label: 'never', when: () => false }, ['--force']);
  const duration = Math.max(first, Date.now() - t1);
  rmSync(join(dir, 'timing'), { recursive: true, force: true });
  const events = eventTriggers(steps, Math.floor(trials / 2));
  const timed = trials - events.length;
  const triggers: Trigger[] = [];
  for (let i = 0; i < timed; i++) {
    // moments spread over the whole run (start-up included), each jittered; the end of the run
    // is covered by the event triggers
    const ms = Math.round(((i + Math.random()) / timed) * duration * 0.95);
    triggers.push({ label: `at ${(ms / 1000).toFixed(2)} s`, ms });
  }
  triggers.push(...events);
  console.log(`uninterrupted run: ${(duration / 1000).toFixed(1)} s, ${reference.output.size} output shard(s); steps ${steps.map((s) => `${s.step} (${s.tasks})`).join(', ')}`);
  console.log(`now ${trials} runs killed: ${timed} at moments spread over the run, ${events.length} at moments of the run's work\n`);
  let identical = 0;
  for (let i = 0; i < trials; i++) {
    const runDir = `trial-${i}`;
    const trigger = triggers[i]!;
    const outcome = await runAndKill(dir, runDir, trigger, ['--force']);
    const doneBefore = existsSync(join(dir, runDir, 'done')) ? readdirSync(join(dir, runDir, 'done')).map((s) => `${s}:${readdirSync(join(dir, runDir, 'done', s)).length}`).join(' ') : '';
    runSync(dir, runDir, ['--resume']);
    const totals = (JSON.parse(readFileSync(join(dir, runDir, 'manifest.json'), 'utf8')) as { totals: Totals }).totals;
    const diff = sameFiles(reference.output, files(join(dir, runDir, 'output'))) ?? sameFiles(reference.rejected, files(join(dir, runDir, 'rejected')));
    const ok = diff === null && totals.conserved && totals.read === totals.kept + totals.dropped + totals.unreadable;
    if (ok) identical++;
    console.log(
      `trial ${String(i + 1).padStart(2)}: ${outcome === 'killed' ? `killed ${trigger.label}` : `finished before the kill (${trigger.label})`} [done: ${doneBefore || 'nothing'}] -> resumed: ${ok ? 'identical' : `DIFFERENT (${diff ?? 'totals do not add up'})`}, read ${totals.read} = kept ${totals.kept} + dropped ${totals.dropped} + unreadable ${totals.unreadable}`,
    );
    if (!keep) rmSync(join(dir, runDir), { recursive: true, force: true });
  }
  console.log(`\n${identical}/${trials} identical`);
  if (!keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`runs kept in ${dir}`);
  if (identical !== trials) process.exitCode = 1;
}

await main();
