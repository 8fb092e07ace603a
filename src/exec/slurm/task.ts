/**
 * What a Slurm array task runs (`sift slurm task RUN --step S --index I --world N`): the tasks of one
 * step given to array index I, in this process, one after another, each leaving its completion
 * marker. Progress and errors go to the job's log.
 */
import { readManifest } from '../../core/manifest.js';
import { buildPlan, findStep, type TaskContext } from '../plan.js';
import { RunDir } from '../run-dir.js';
import { readMarker, runTask } from '../task.js';

const LOG_INTERVAL_MS = 10_000;

export async function runSlurmTask(runDir: string, stepName: string, index: number, world: number, log: (line: string) => void): Promise<number> {
  const run = new RunDir(runDir);
  const manifest = readManifest(run.manifest);
  const spec = manifest.config;
  const plan = buildPlan(spec, manifest);
  const step = findStep(plan, stepName);
  if (step.perShard && index >= world) throw new Error(`array index ${index} is not below the number of array tasks ${world}`);
  const mine = step.perShard ? Array.from({ length: step.tasks }, (_, t) => t).filter((t) => t % world === index) : [index];
  let docs = 0;
  let last = Date.now();
  const ctx: TaskContext = {
    spec,
    manifest,
    run,
    cache: new Map(),
    progress(d) {
      docs += d;
      if (Date.now() - last > LOG_INTERVAL_MS) {
        last = Date.now();
        log(`${step.name}: ${docs} documents so far`);
      }
    },
  };
  let ran = 0;
  try {
    for (const t of mine) {
      if (t >= step.tasks) throw new Error(`step ${step.name} has ${step.tasks} task(s); there is no task ${t}`);
      if (readMarker(run, step.name, t)) {
        log(`${step.name} task ${t}: already done`);
        continue;
      }
      const t0 = Date.now();
      log(`${step.name} task ${t}: started`);
      await runTask(step, t, ctx);
      log(`${step.name} task ${t}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      ran++;
    }
  } finally {
    await step.release?.(ctx);
  }
  return ran;
}
