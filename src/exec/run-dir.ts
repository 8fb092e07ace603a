/**
 * The layout of a run directory, in one place:
 *
 *   manifest.json    config and its hash, inputs with sizes, version, times, totals
 *   output/          kept documents, part-<shard>-<seq>.jsonl.zst
 *   rejected/        dropped documents with metadata.sift_reason (when `rejected: true`)
 *   stats/           stages.parquet, docs/*.parquet, errors/*.parquet
 *   work/            intermediate files of multi-step stages
 *   done/<step>/     one completion marker per finished task
 */
import { lstatSync, mkdirSync } from 'node:fs';

export class RunDirLinkError extends Error {
  override name = 'RunDirLinkError';
}
import { join } from 'node:path';

export class RunDir {
  readonly manifest: string;
  readonly lock: string;
  readonly output: string;
  readonly rejected: string;
  readonly stats: string;
  readonly statsDocs: string;
  readonly statsErrors: string;
  readonly work: string;
  readonly done: string;

  constructor(readonly root: string) {
    this.manifest = join(root, 'manifest.json');
    this.lock = join(root, '.lock');
    this.output = join(root, 'output');
    this.rejected = join(root, 'rejected');
    this.stats = join(root, 'stats');
    this.statsDocs = join(root, 'stats', 'docs');
    this.statsErrors = join(root, 'stats', 'errors');
    this.work = join(root, 'work');
    this.done = join(root, 'done');
  }

  /** Folders a run writes into, all of which `--force` clears. */
  get products(): string[] {
    return [this.output, this.rejected, this.stats, this.work, this.done];
  }

  stepDoneDir(step: string): string {
    return join(this.done, step);
  }

  marker(step: string, task: number): string {
    return join(this.done, step, `${String(task).padStart(5, '0')}.json`);
  }

  /**
   * Creates the run directory and its done/ folder; each step creates the folders it writes.
   * Refuses when one of the run's folders is a link: what a run writes stays inside its directory.
   */
  create(): void {
    mkdirSync(this.root, { recursive: true });
    for (const d of [...this.products, this.statsDocs, this.statsErrors, this.manifest]) {
      let st;
      try {
        st = lstatSync(d);
      } catch {
        continue;
      }
      if (st.isSymbolicLink()) throw new RunDirLinkError(`${d} is a symbolic link; a run writes only inside its run directory (${this.root}): replace the link with a folder`);
    }
    mkdirSync(this.done, { recursive: true });
  }
}
