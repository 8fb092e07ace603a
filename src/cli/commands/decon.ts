/**
 * `sift decon index BENCHMARKS.yaml -o INDEX`: the index the `decon` stage matches documents with.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { buildDeconIndex } from '../../decon/index.js';
import { intOption } from '../main.js';
import { renderTable } from '../table.js';

export function registerDecon(program: Command): void {
  const decon = program.command('decon').description('decontamination against evaluation benchmarks');
  decon
    .command('index')
    .description('build the n-gram index of benchmark items that the decon stage uses')
    .argument('<benchmarks>', 'benchmarks file (YAML: per benchmark, its files and the fields that hold text)')
    .requiredOption('-o, --output <index>', 'index file to write (a .json summary is written beside it)')
    .option('--ngram <n>', 'words per n-gram (13; 8 is the setting of Tulu 3)', intOption('--ngram'), 13)
    .option('--min-words <n>', 'parts with fewer words are not indexed; parts shorter than --ngram are matched whole', intOption('--min-words'), 6)
    .option('--max-items-per-ngram <n>', 'drop n-grams found in more distinct benchmark texts than this (boilerplate)', intOption('--max-items-per-ngram'), 10)
    .option('--stride <n>', 'index every n-th n-gram of each text (4; 1 indexes all)', intOption('--stride'), 4)
    .addHelpText(
      'after',
      `
Benchmarks file:
  benchmarks:
    - name: gsm8k
      files: [gsm8k/test.jsonl]          # JSONL, JSON, CSV or Parquet (.gz/.zst too), globs
      fields: [question, answer]         # dotted paths; lists are flattened (choices.text)
      split: test                        # optional
      id_field: id                       # optional
Text is normalized (case, accents, punctuation and whitespace folded, "1,000" = "1000"). Then use
the index in a pipeline: a stage of type decon with index: PATH.`,
    )
    .action(async (benchmarks: string, o: { output: string; ngram: number; minWords: number; maxItemsPerNgram: number; stride: number }) => {
      const r = await buildDeconIndex(resolve(benchmarks), resolve(o.output), { n: o.ngram, minWords: o.minWords, maxItemsPerNgram: o.maxItemsPerNgram, stride: o.stride });
      process.stdout.write(
        `${renderTable(
          ['benchmark', 'split', 'items', 'indexed', 'matched whole', 'too short'],
          r.benchmarks.map((b) => [b.name, b.split ?? '', b.items, b.indexedItems, b.partsShort, b.partsTooShort]),
        )}\n\nindex ${r.index}: ${r.items.toLocaleString('en-US')} items, ${r.keys.toLocaleString('en-US')} n-gram keys, ${(r.bytes / 1e6).toFixed(1)} MB; read in ${r.loadSeconds.toFixed(1)} s, built in ${r.buildSeconds.toFixed(1)} s\n`,
      );
    });
}
