/**
 * The `sift` command line: each command parses its arguments, calls the library, and prints.
 */
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config/load.js';
import { MixBudgetError } from '../mix/budget.js';
import { IndexFileError } from '../decon/index.js';
import { RunDirError } from '../exec/local.js';
import { LockError } from '../exec/lock.js';
import { RunDirLinkError } from '../exec/run-dir.js';
import { SlurmError } from '../exec/slurm/commands.js';
import { InputError } from '../io/shards.js';
import { SIFT_VERSION } from '../version.js';
import { registerRun, registerValidate } from './commands/run.js';
import { registerSql, registerStats } from './commands/stats.js';
import { registerDecon } from './commands/decon.js';
import { registerDedup } from './commands/dedup.js';
import { registerExplain } from './commands/explain.js';
import { registerReport } from './commands/report.js';
import { registerFilters } from './commands/filters.js';
import { registerMix } from './commands/mix.js';
import { registerTokenize } from './commands/tokenize.js';
import { registerSlurm } from './commands/slurm.js';
import { registerTrainClassifier } from './commands/train.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export function buildProgram(): Command {
  const program = new Command('sift')
    .description('Curate pretraining data: filter, deduplicate, decontaminate and mix JSONL shards, with stats you can query.')
    .version(SIFT_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false });
  registerRun(program);
  registerValidate(program);
  registerStats(program);
  registerSql(program);
  registerReport(program);
  registerExplain(program);
  registerMix(program);
  registerTokenize(program);
  registerDedup(program);
  registerDecon(program);
  registerTrainClassifier(program);
  registerSlurm(program);
  registerFilters(program);
  return program;
}

/** Parses an integer option value, with an error naming the option. */
export function intOption(name: string, min = 1): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer ≥ ${min}, got "${v}"`);
    return n;
  };
}

export { Option };

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  // bad usage anywhere (unknown option, missing argument) exits with 2, as documented
  const override = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ConfigError || e instanceof UsageError || e instanceof RunDirError || e instanceof LockError || e instanceof InputError || e instanceof SlurmError || e instanceof MixBudgetError || e instanceof RunDirLinkError || e instanceof IndexFileError) {
      process.stderr.write(`sift: ${e.message}\n`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`sift: ${err.message}\n`);
    if (process.env.SIFT_DEBUG) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
