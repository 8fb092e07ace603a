/**
 * `sift run CONFIG` and `sift validate CONFIG`.
 */
import type { Command } from 'commander';
import { loadRunConfig } from '../../config/run-config.js';
import { closeStages, createStages, filterStageSpecs } from '../../core/stages.js';
import { buildPlan } from '../../exec/plan.js';
import { runLocal } from '../../exec/local.js';
import { TaskFailure } from '../../exec/pool.js';
import type { TaskMarker } from '../../exec/task.js';
import type { ShardPassResult } from '../../core/shard-pass.js';
import { discoverRunShards } from '../../io/shards.js';
import { intOption } from '../main.js';
import { formatCount, progressSink } from '../progress.js';
import { printFunnel } from './stats.js';

const MAX_ERRORS_SHOWN = 10;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a pipeline config (or a mix config) on this machine: read shards, apply the stages, write output shards and stats')
    .argument('<config>', 'pipeline config (YAML); a config with sources: is a mix (see sift mix)')
    .option('--run-dir <dir>', 'where the run writes (overrides run_dir in the config)')
    .option('--input <glob>', 'input shards (repeatable; overrides inputs in the config)', collect)
    .option('--workers <n>', 'worker threads (default: the number of cores)', intOption('--workers'))
    .option('--resume', 'continue an unfinished run, skipping shards already done')
    .option('--force', 'delete what an earlier run in the run directory wrote, and start over')
    .option('-q, --quiet', 'print only the summary')
    .addHelpText(
      'after',
      `
Relative paths inside the config resolve against the config file's folder; --run-dir and --input
resolve against the current directory. A run directory holds manifest.json, output/, rejected/,
stats/ and done/ (completion markers). Exit status: 0 done, 1 failed, 2 bad usage or config.`,
    )
    .action(async (config: string, o: { runDir?: string; input?: string[]; workers?: number; resume?: boolean; force?: boolean; quiet?: boolean }) => {
      const spec = loadRunConfig(config, { runDir: o.runDir, inputs: o.input, workers: o.workers });
      const out = (line: string): void => void process.stderr.write(`${line}\n`);
      const errors: string[] = [];
      let errorCount = 0;
      const onTaskDone = (marker: TaskMarker): void => {
        const r = marker.result as Partial<ShardPassResult> | undefined;
        if (!r?.errorCount) return;
        errorCount += r.errorCount;
        for (const e of r.errors ?? []) if (errors.length < MAX_ERRORS_SHOWN) errors.push(`${e.shard}:${e.line}: ${e.kind}: ${e.message}`);
      };
      const sink = progressSink({ tty: Boolean(process.stderr.isTTY), quiet: Boolean(o.quiet), write: out, onTaskDone });
      let outcome;
      try {
        outcome = await runLocal(spec, { resume: o.resume, force: o.force, workers: o.workers, sink });
      } catch (e) {
        if (e instanceof TaskFailure) throw new Error(`step ${e.step}, task ${e.task} failed: ${e.message}`);
        throw e;
      }
      if (outcome.alreadyComplete) out(`${spec.runDir}: this run had already finished; nothing to do`);
      if (errorCount > 0) {
        out(`\n${formatCount(errorCount)} unreadable record(s) skipped${errorCount > errors.length ? `; the first ${errors.length}` : ''}:`);
        for (const e of errors) out(`  ${e}`);
        out(`  all of them: sift sql ${spec.runDir} "SELECT * FROM errors"`);
      }
      const totals = outcome.manifest.totals;
      process.stdout.write('\n');
      await printFunnel(spec.runDir);
      if (totals && !totals.conserved) {
        out(`error: documents unaccounted for: read ${totals.read} != kept ${totals.kept} + dropped ${totals.dropped} + unreadable ${totals.unreadable}`);
        process.exitCode = 1;
      }
      out(`\noutput: ${outcome.run.output} (${totals?.outputFiles ?? 0} shard(s))`);
    });
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a pipeline or mix config: keys, values, stage options, inputs and model files; runs nothing')
    .argument('<config>', 'pipeline or mix config (YAML)')
    .option('--input <glob>', 'input shards (repeatable; overrides inputs in the config)', collect)
    .action(async (config: string, o: { input?: string[] }) => {
      const spec = loadRunConfig(config, { inputs: o.input });
      const shards = await discoverRunShards(spec);
      // Builds every stage (loading models, word lists, indexes) and the plan, as a run would.
      const plan = buildPlan(spec, { inputs: shards });
      const what: string[] = [];
      if (spec.kind === 'pipeline') {
        const stages = await createStages(spec, filterStageSpecs(spec), shards);
        await closeStages(stages);
        what.push(`  stages: ${spec.stages.length === 0 ? '(none)' : spec.stages.map((s) => `${s.name}${s.name !== s.type ? ` (${s.type})` : ''}${s.mode === 'tag' ? ' [tag]' : ''}`).join(' > ')}`);
      } else if (spec.kind === 'mix') {
        what.push(`  sources: ${spec.sources.map((s) => `${s.name} (${shards.filter((x) => x.source === s.name).length} shard(s), ${s.tokens !== null ? `${s.tokens} tokens` : s.weight !== null ? `weight ${s.weight}` : 'all'})`).join(', ')}`);
      }
      const bytes = shards.reduce((s, x) => s + x.bytes, 0);
      process.stdout.write(
        [
          `${config}: valid`,
          `  inputs: ${shards.length} shard(s), ${(bytes / 1e6).toFixed(1)} MB`,
          ...what,
          `  steps: ${plan.map((p) => `${p.name} (${p.tasks} task${p.tasks === 1 ? '' : 's'})`).join(', ')}`,
          `  output: ${spec.runDir}`,
          '',
        ].join('\n'),
      );
    });
}
