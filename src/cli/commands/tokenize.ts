/**
 * `sift tokenize`: token ids for training, in the memmap layout Dolma's tokenizer writes.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_MAX_LINE_BYTES } from '../../config/schema.js';
import { runLocal } from '../../exec/local.js';
import { TaskFailure } from '../../exec/pool.js';
import type { TokenizeSpec } from '../../mix/tokenize.js';
import { TOKENIZER_NAMES, type TokenizerName } from '../../mix/tokens.js';
import { intOption, UsageError } from '../main.js';
import { progressSink } from '../progress.js';

export function registerTokenize(program: Command): void {
  program
    .command('tokenize')
    .description('write token ids of documents as .npy memmaps with .csv.gz metadata (the layout of Dolma\'s tokenizer), for training')
    .argument('<inputs...>', 'input shards (globs, files or folders), e.g. a mix\'s output: runs/mix/output')
    .requiredOption('-o, --output <dir>', 'output folder')
    .option('--tokenizer <name>', `${TOKENIZER_NAMES.filter((t) => t !== 'whitespace').join(' | ')}`, 'cl100k_base')
    .option('--max-tokens-per-file <n>', 'start a new .npy file before this many tokens', intOption('--max-tokens-per-file'), 512 * 1024 * 1024)
    .option('--text-field <path>', 'dotted path of the text', 'text')
    .option('--id-field <path>', 'dotted path of the id', 'id')
    .option('--workers <n>', 'worker threads (default: the number of cores)', intOption('--workers'))
    .option('--resume', 'continue an unfinished run')
    .option('--force', 'start over, deleting what an earlier run wrote')
    .option('-q, --quiet', 'print only the summary')
    .addHelpText(
      'after',
      `
Output per input shard: part-<shard>-<seq>.npy (token ids, each document followed by the end-of-text
token; uint16 when the vocabulary has at most 65,536 ids, else uint32; little-endian, no header) and
part-<shard>-<seq>.csv.gz (start,end,id,src,loc per document; end exclusive). meta.json names the
tokenizer, dtype and end-of-text id. Read a file with numpy.memmap(path, dtype=..., mode="r").`,
    )
    .action(async (inputs: string[], o: { output: string; tokenizer: string; maxTokensPerFile: number; textField: string; idField: string; workers?: number; resume?: boolean; force?: boolean; quiet?: boolean }) => {
      if (!(TOKENIZER_NAMES as readonly string[]).includes(o.tokenizer) || o.tokenizer === 'whitespace') {
        throw new UsageError(`--tokenizer must be one of ${TOKENIZER_NAMES.filter((t) => t !== 'whitespace').join(', ')}, got "${o.tokenizer}"`);
      }
      const spec: TokenizeSpec = {
        kind: 'tokenize',
        configPath: '(command line)',
        configDir: process.cwd(),
        runDir: resolve(o.output),
        inputs: inputs.map((i) => resolve(i)),
        tokenizer: o.tokenizer as TokenizerName,
        maxTokensPerFile: o.maxTokensPerFile,
        document: { idField: o.idField, textFields: [o.textField], messageFields: [], roles: null },
        maxLineBytes: DEFAULT_MAX_LINE_BYTES,
        onError: 'skip',
        workers: o.workers ?? null,
      };
      const sink = progressSink({ tty: Boolean(process.stderr.isTTY), quiet: Boolean(o.quiet), write: (l) => void process.stderr.write(`${l}\n`) });
      let out;
      try {
        out = await runLocal(spec, { resume: o.resume, force: o.force, workers: o.workers, sink });
      } catch (e) {
        if (e instanceof TaskFailure) throw new Error(`step ${e.step}, task ${e.task} failed: ${e.message}`);
        throw e;
      }
      const t = out.manifest.totals!;
      process.stdout.write(`${t.kept.toLocaleString('en-US')} documents tokenized into ${t.outputFiles} file(s) in ${spec.runDir}${t.unreadable > 0 ? `; ${t.unreadable} unreadable record(s) skipped` : ''}\n`);
    });
}
