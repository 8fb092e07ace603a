/**
 * `sift slurm submit|status|cancel` (and `task`, which the batch scripts run).
 */
import { Option, type Command } from 'commander';
import { loadRunConfig } from '../../config/run-config.js';
import { slurmCancel, slurmStatus } from '../../exec/slurm/status.js';
import { submitSlurm } from '../../exec/slurm/submit.js';
import { runSlurmTask } from '../../exec/slurm/task.js';
import { intOption } from '../main.js';
import { renderTable } from '../table.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerSlurm(program: Command): void {
  const slurm = program.command('slurm').description('run a pipeline as Slurm job arrays, and follow or cancel it');

  slurm
    .command('submit')
    .description('write one sbatch script per step to RUN/slurm/ and submit them, each step after the one before')
    .argument('<config>', 'pipeline config (YAML)')
    .option('--run-dir <dir>', 'where the run writes (overrides run_dir in the config)')
    .requiredOption('--tasks <n>', 'array tasks for per-shard steps; task t takes the shards i with i mod n = t', intOption('--tasks'))
    .option('--parallel <w>', 'at most w tasks of an array at once', intOption('--parallel'))
    .option('--partition <p>', 'Slurm partition')
    .option('--time <t>', 'time limit per task (Slurm format, e.g. 2:00:00)')
    .option('--mem <m>', 'memory per task (e.g. 8G)')
    .option('--cpus-per-task <c>', 'CPUs per task', intOption('--cpus-per-task'))
    .option('--max-array-size <k>', "split arrays into chunks of at most k (default: the cluster's MaxArraySize)", intOption('--max-array-size'))
    .option('--sbatch-arg <arg>', 'extra sbatch argument (repeatable), e.g. --sbatch-arg=--qos=high', collect)
    .option('--dry-run', 'write the scripts and print what would be submitted, submit nothing')
    .option('--force', 'delete what an earlier run wrote into the run directory and start over')
    .addHelpText(
      'after',
      `
Only unfinished tasks are submitted: submitting a partly finished run (after a failure) completes it.
Steps depend on each other with --dependency=afterok and --kill-on-invalid-dep=yes, so when a task
fails, the steps after it are cancelled instead of waiting forever. Job logs: RUN/slurm/logs/.`,
    )
    .action(
      async (
        config: string,
        o: { runDir?: string; tasks: number; parallel?: number; partition?: string; time?: string; mem?: string; cpusPerTask?: number; maxArraySize?: number; sbatchArg?: string[]; dryRun?: boolean; force?: boolean },
      ) => {
        const spec = loadRunConfig(config, { runDir: o.runDir });
        const out = (l: string): void => void process.stdout.write(`${l}\n`);
        const r = await submitSlurm(
          spec,
          {
            tasks: o.tasks,
            parallel: o.parallel,
            partition: o.partition,
            time: o.time,
            mem: o.mem,
            cpusPerTask: o.cpusPerTask,
            maxArraySize: o.maxArraySize,
            sbatchArgs: o.sbatchArg,
            dryRun: o.dryRun,
            force: o.force,
          },
          out,
        );
        if (r.jobs.length === 0) out('nothing to submit: every task is done');
        else out(`${o.dryRun ? 'scripts written to' : 'follow it with: sift slurm status'} ${o.dryRun ? `${r.run.root}/slurm/` : r.run.root}`);
      },
    );

  slurm
    .command('status')
    .description('per step: tasks done, and array elements running, pending, failed or cancelled')
    .argument('<run>', 'run directory')
    .action((runDir: string) => {
      const s = slurmStatus(runDir);
      const rows = s.steps.map((x) => [x.step, `${x.done}/${x.tasks}`, x.running, x.pending, x.failed.length, x.cancelled, x.jobs.join(' ') || '-']);
      process.stdout.write(`${renderTable(['step', 'tasks done', 'running', 'pending', 'failed', 'cancelled', 'jobs'], rows)}\n`);
      for (const x of s.steps) for (const f of x.failed) process.stdout.write(`failed: ${x.step} job ${f.id} (${f.state}${f.reason && f.reason !== 'None' ? `, ${f.reason}` : ''}); log in ${runDir}/slurm/logs/\n`);
      process.stdout.write(s.complete ? 'the run is complete\n' : 'the run is not complete; after a failure, fix the cause and submit again to run what is left\n');
    });

  slurm
    .command('cancel')
    .description("cancel the jobs of a run's last submission")
    .argument('<run>', 'run directory')
    .action((runDir: string) => {
      const ids = slurmCancel(runDir);
      process.stdout.write(ids.length > 0 ? `cancelled ${ids.join(' ')}\n` : 'no jobs to cancel\n');
    });

  slurm
    .command('task', { hidden: true })
    .description('run the tasks of one array element (used by the batch scripts)')
    .argument('<run>', 'run directory')
    .requiredOption('--step <name>', 'step')
    .addOption(new Option('--index <i>', 'array index').argParser(intOption('--index', 0)).makeOptionMandatory())
    .requiredOption('--world <n>', 'array tasks of per-shard steps', intOption('--world'))
    .action(async (runDir: string, o: { step: string; index: number; world: number }) => {
      const log = (l: string): void => void process.stdout.write(`[${new Date().toISOString()}] ${l}\n`);
      const ran = await runSlurmTask(runDir, o.step, o.index, o.world, log);
      log(`${ran} task(s) run; peak memory ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
    });
}
