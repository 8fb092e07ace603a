/**
 * `sift filters`: the stage types a config may use, with their options.
 */
import type { Command } from 'commander';
import { filters, globalStages } from '../../../filters/index.js';

export function registerFilters(program: Command): void {
  program
    .command('filters')
    .description('list the stage types a pipeline config may use, with their options')
    .action(() => {
      const lines: string[] = [];
      for (const f of [...filters, ...globalStages].sort((a, b) => a.type.localeCompare(b.type))) {
        lines.push(`${f.type}: ${f.summary}${f.kind === 'global' ? ' [corpus-wide: runs as steps between passes]' : ''}`);
        const keys = Object.keys(f.options.shape);
        lines.push(`    options: ${keys.length > 0 ? keys.join(', ') : '(none)'}; common: name, mode (drop|tag)`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
