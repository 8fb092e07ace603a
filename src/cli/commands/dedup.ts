/**
 * `sift dedup STEP CONFIG`: runs one step of a pipeline's deduplication (or one task of it) in this
 * process, for distributed runs under any scheduler. For a pipeline with a `minhash` stage the steps
 * are signatures (the pass that computes them), buckets, clusters and filter (the pass that drops the
 * duplicates); `dedup_exact` has keys, find and filter. `finalize` merges the stats at the end. Each
 * task leaves its completion marker; a task already done is skipped.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { configHash, readManifest, writeManifest } from '../../core/manifest.js';
import { prepareManifest, RunDirError } from '../../exec/local.js';
import { acquireLock } from '../../exec/lock.js';
import { buildPlan, type Step, type TaskContext } from '../../exec/plan.js';
import { RunDir } from '../../exec/run-dir.js';
import { readMarker, runTask } from '../../exec/task.js';
import { discoverShards } from '../../io/shards.js';
import { intOption, UsageError } from '../main.js';
import { existsSync } from 'node:fs';

/** The user-facing step names of a global stage, and the plan step each stands for. */
function stepAliases(plan: readonly Step[]): Map<string, Step> {
  const out = new Map<string, Step>();
  for (const [i, step] of plan.entries()) {
    out.set(step.name, step);
    const m = /^(.+)\.(buckets|clusters|find)$/.exec(step.name);
    if (!m) continue;
    out.set(m[2] === 'find' ? 'find' : m[2]!, step);
    // The pass before a stage's first step collects for it; the pass after its last step applies it.
    const before = plan.slice(0, i).reverse().find((s) => s.name.startsWith('pass-'));
    const after = plan.slice(i + 1).find((s) => s.name.startsWith('pass-'));
    if (before && (m[2] === 'buckets' || m[2] === 'find')) out.set(m[2] === 'buckets' ? 'signatures' : 'keys', before);
    if (after) out.set('filter', after);
  }
  return out;
}

export function registerDedup(program: Command): void {
  program
    .command('dedup')
    .description('run one step of deduplication (or one task of it) on its own: signatures, buckets, clusters, filter (minhash); keys, find, filter (dedup_exact); finalize')
    .argument('<step>', 'signatures | buckets | clusters | filter | keys | find | finalize, or any step name of the run (pass-0, minhash.buckets, ...)')
    .argument('<config>', 'pipeline config (YAML)')
    .option('--run-dir <dir>', 'the run directory (overrides run_dir in the config)')
    .option('--task <i>', 'run only task i of the step (per-shard steps: shard i; buckets: band i)', intOption('--task', 0))
    .option('--rank <r>', 'with --world: run the tasks t with t mod world = rank', intOption('--rank', 0))
    .option('--world <w>', 'number of processes sharing the step', intOption('--world'))
    .addHelpText(
      'after',
      `
Every process must see the same run directory (a shared file system). Run the steps in order; a step
refuses to start before the one it needs has finished. The first call creates the run directory;
later calls check that the config and inputs did not change.`,
    )
    .action(async (stepName: string, config: string, o: { runDir?: string; task?: number; rank?: number; world?: number }) => {
      if ((o.rank === undefined) !== (o.world === undefined)) throw new UsageError('--rank and --world go together');
      if (o.world !== undefined && o.rank! >= o.world) throw new UsageError(`--rank ${o.rank} must be below --world ${o.world}`);
      const spec = loadConfig(config, { runDir: o.runDir });
      const run = new RunDir(spec.runDir);
      run.create();
      // Creating or checking the manifest is done under the lock; the tasks themselves are not.
      const lock = acquireLock(run.lock, `run directory ${run.root}`);
      try {
        if (existsSync(run.manifest)) {
          const m = readManifest(run.manifest);
          if (m.config_hash !== configHash(spec)) throw new RunDirError(`${run.root} was started with another config; use the same config (or another --run-dir)`);
        } else {
          const shards = await discoverShards(spec.inputs);
          const { manifest } = prepareManifest(run, spec, shards, { resume: true });
          manifest.steps = buildPlan(spec, manifest).map((s) => ({ name: s.name, tasks: s.tasks }));
          writeManifest(run.manifest, manifest);
        }
      } finally {
        lock.release();
      }
      const manifest = readManifest(run.manifest);
      const plan = buildPlan(spec, manifest);
      const aliases = stepAliases(plan);
      const step = aliases.get(stepName);
      if (!step) throw new UsageError(`no step "${stepName}" in this pipeline; its steps: ${[...aliases.keys()].join(', ')}`);
      const index = plan.indexOf(step);
      const unfinished = plan.slice(0, index).find((s) => Array.from({ length: s.tasks }, (_, t) => t).some((t) => !readMarker(run, s.name, t)));
      if (unfinished) throw new RunDirError(`step ${step.name} needs step ${unfinished.name}, which has not finished`);
      const tasks = o.task !== undefined ? [o.task] : Array.from({ length: step.tasks }, (_, t) => t).filter((t) => o.world === undefined || t % o.world === o.rank);
      if (o.task !== undefined && o.task >= step.tasks) throw new UsageError(`step ${step.name} has ${step.tasks} task(s): --task must be below ${step.tasks}`);
      const log = (l: string): void => void process.stderr.write(`${l}\n`);
      const ctx: TaskContext = { spec, manifest, run, cache: new Map(), progress: () => {} };
      const t0 = performance.now();
      let ran = 0;
      try {
        for (const t of tasks) {
          if (readMarker(run, step.name, t)) continue;
          await runTask(step, t, ctx);
          ran++;
        }
      } finally {
        await step.release?.(ctx);
      }
      const seconds = (performance.now() - t0) / 1000;
      const peak = process.resourceUsage().maxRSS / 1024;
      log(`${step.name}: ${ran} task(s) run, ${tasks.length - ran} already done, in ${seconds.toFixed(2)} s; peak memory ${peak.toFixed(0)} MB`);
    });
}
