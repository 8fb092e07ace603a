/**
 * `npm run torture`: kills a run with SIGKILL (the whole process group, workers included) at 20
 * moments spread over its duration, resumes each with --resume, and checks that the final output is
 * byte-identical to an uninterrupted run and that read = kept + dropped + unreadable. Prints
 * `N/20 identical`. Uses the dev corpus in ../shared/data when present, else the bundled sample.
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

/** Starts a run in its own process group and kills the whole group after `ms`. */
async function runAndKill(dir: string, runDir: string, ms: number, extra: string[]): Promise<'killed' | 'finished'> {
  const child = spawn(process.execPath, [SIFT, 'run', 'pipe.yaml', '--run-dir', runDir, '--workers', String(workers), '-q', ...extra], { cwd: dir, detached: true, stdio: 'ignore' });
  return new Promise((resolvePromise, reject) => {
    let finished = false;
    const timer = setTimeout(() => {
      if (finished) return;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, ms);
    child.on('exit', (code, signal) => {
      finished = true;
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolvePromise('killed');
      else if (code === 0) resolvePromise('finished');
      else reject(new Error(`sift run exited with ${code}`));
    });
  });
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
  const duration = Date.now() - t0;
  const reference = { output: files(join(dir, 'reference', 'output')), rejected: files(join(dir, 'reference', 'rejected')) };
  console.log(`uninterrupted run: ${(duration / 1000).toFixed(1)} s, ${reference.output.size} output shard(s); now ${trials} runs killed at spread-out moments`);
  let identical = 0;
  for (let i = 0; i < trials; i++) {
    const runDir = `trial-${i}`;
    // Moments spread over the whole run (plus start-up), each jittered.
    const at = Math.round(((i + Math.random()) / trials) * duration * 1.05);
    const outcome = await runAndKill(dir, runDir, at, ['--force']);
    const doneBefore = existsSync(join(dir, runDir, 'done')) ? readdirSync(join(dir, runDir, 'done')).map((s) => `${s}:${readdirSync(join(dir, runDir, 'done', s)).length}`).join(' ') : '';
    runSync(dir, runDir, ['--resume']);
    const totals = (JSON.parse(readFileSync(join(dir, runDir, 'manifest.json'), 'utf8')) as { totals: Totals }).totals;
    const diff = sameFiles(reference.output, files(join(dir, runDir, 'output'))) ?? sameFiles(reference.rejected, files(join(dir, runDir, 'rejected')));
    const ok = diff === null && totals.conserved && totals.read === totals.kept + totals.dropped + totals.unreadable;
    if (ok) identical++;
    console.log(
      `trial ${String(i + 1).padStart(2)}: ${outcome === 'killed' ? `killed at ${(at / 1000).toFixed(2)} s` : 'finished before the kill'} [done: ${doneBefore || 'nothing'}] -> resumed: ${ok ? 'identical' : `DIFFERENT (${diff ?? 'totals do not add up'})`}, read ${totals.read} = kept ${totals.kept} + dropped ${totals.dropped} + unreadable ${totals.unreadable}`,
    );
    if (!keep) rmSync(join(dir, runDir), { recursive: true, force: true });
  }
  console.log(`\n${identical}/${trials} identical`);
  if (!keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`runs kept in ${dir}`);
  if (identical !== trials) process.exitCode = 1;
}

await main();
