/**
 * `sift mix MIX.yaml`: mixes sources by weight or token budget into shuffled output shards.
 */
import type { Command } from 'commander';
import { UsageError, intOption } from '../main.js';
import { loadRunConfig } from '../../config/run-config.js';
import { runLocal } from '../../exec/local.js';
import { TaskFailure } from '../../exec/pool.js';
import { progressSink } from '../progress.js';
import { printMix } from './stats.js';

export function registerMix(program: Command): void {
  program
    .command('mix')
    .description('mix sources (e.g. earlier runs\' outputs) by weight or token budget into shuffled output shards')
    .argument('<config>', 'mix config (YAML with sources:)')
    .option('--run-dir <dir>', 'where the mix writes (overrides run_dir in the config)')
    .option('--workers <n>', 'worker threads (default: the number of cores)', intOption('--workers'))
    .option('--resume', 'continue an unfinished mix')
    .option('--force', 'delete what an earlier run wrote into the run directory and start over')
    .option('-q, --quiet', 'print only the summary')
    .addHelpText(
      'after',
      `
Each source is taken at the rate its budget asks (requested tokens / available tokens): every
document floor(rate) times, and once more if its draw (a hash of source, id and seed) falls below a
cutoff set so that the source's tokens hit the request. Copies are shuffled across sources through
hash buckets. stats/mix.parquet (sift sql RUN "SELECT * FROM mix") records per source the tokens
available, requested and taken, the repetition and the achieved share.`,
    )
    .action(async (config: string, o: { runDir?: string; workers?: number; resume?: boolean; force?: boolean; quiet?: boolean }) => {
      const spec = loadRunConfig(config, { runDir: o.runDir, workers: o.workers });
      if (spec.kind !== 'mix') throw new UsageError(`${config} is a pipeline config (no sources:); run it with sift run`);
      const sink = progressSink({ tty: Boolean(process.stderr.isTTY), quiet: Boolean(o.quiet), write: (l) => void process.stderr.write(`${l}\n`) });
      try {
        await runLocal(spec, { resume: o.resume, force: o.force, workers: o.workers, sink });
      } catch (e) {
        if (e instanceof TaskFailure) throw new Error(`step ${e.step}, task ${e.task} failed: ${e.message}`);
        throw e;
      }
      await printMix(spec.runDir);
    });
}
