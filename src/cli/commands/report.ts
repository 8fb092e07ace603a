/**
 * `sift report RUN [-o FILE]`: writes one self-contained HTML page showing what a run did.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RunDir } from '../../exec/run-dir.js';
import { UsageError } from '../main.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write an HTML page showing what a run did: funnel, drop reasons, metric histograms with thresholds, languages, duplicates, decontamination, mix')
    .argument('<run>', 'run directory')
    .option('-o, --output <file>', 'where to write the page ("-": standard output)', '')
    .addHelpText(
      'after',
      `
The page is a single file with inline CSS and SVG charts: it loads nothing and runs no script, so it
can be mailed, attached or archived as it is. Default output: RUN/report.html.`,
    )
    .action(async (runDir: string, o: { output: string }) => {
      const run = new RunDir(runDir);
      if (!existsSync(run.manifest)) throw new UsageError(`${runDir} is not a run directory (no manifest.json)`);
      const start = performance.now();
      // Loaded here, not at start-up: the charting library is only needed by this command.
      const { buildReport, writeReport } = await import('../../stats/report/index.js');
      if (o.output === '-') {
        process.stdout.write(await buildReport(runDir));
        return;
      }
      const file = resolve(o.output === '' ? join(runDir, 'report.html') : o.output);
      const bytes = await writeReport(runDir, file);
      const seconds = (performance.now() - start) / 1000;
      process.stdout.write(`report: ${file} (${(bytes / 1024).toFixed(0)} KiB, ${seconds.toFixed(2)} s)\n`);
    });
}
