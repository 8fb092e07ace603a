/**
 * `sift train-classifier`: a fastText quality classifier from positive and negative JSONL documents.
 */
import type { Command } from 'commander';
import { trainClassifier } from '../../classify/train.js';
import { intOption, UsageError } from '../main.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function numberOption(name: string, min: number, max: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${name} must be a number in [${min}, ${max}], got "${v}"`);
    return n;
  };
}

export function registerTrainClassifier(program: Command): void {
  program
    .command('train-classifier')
    .description('train a fastText quality classifier (DCLM style) from positive and negative documents; prints held-out accuracy')
    .requiredOption('--positive <file>', 'JSONL of positive (high-quality) documents (.jsonl, .gz, .zst; repeatable)', collect)
    .requiredOption('--negative <file>', 'JSONL of negative documents (repeatable)', collect)
    .requiredOption('-o, --output <model.bin>', 'where to write the model')
    .option('--text-field <path>', 'dotted path of the text', 'text')
    .option('--labels <pos,neg>', 'label names', 'pos,neg')
    .option('--validation <share>', 'share of each set held out to measure the model', numberOption('--validation', 0, 0.99), 0.1)
    .option('--max-docs <n>', 'use at most n documents of each set', intOption('--max-docs'))
    .option('--seed <n>', 'seed of the split, the shuffle and training', intOption('--seed', 0), 0)
    .option('--epochs <n>', 'training epochs (fastText default 5)', intOption('--epochs'))
    .option('--lr <rate>', 'learning rate (fastText default 0.1)', numberOption('--lr', 0, 10))
    .option('--word-ngrams <n>', 'word n-grams (default 2)', intOption('--word-ngrams'))
    .option('--dim <n>', 'vector size (fastText default 100)', intOption('--dim'))
    .option('--bucket <n>', 'hash buckets for word n-grams (default 200000; bucket x dim x 4 bytes must stay under 512 MiB)', intOption('--bucket'))
    .addHelpText('after', '\nThen use the model in a pipeline: a stage of type fasttext_classifier with model: PATH and label: pos.')
    .action(
      async (o: { positive: string[]; negative: string[]; output: string; textField: string; labels: string; validation: number; maxDocs?: number; seed: number; epochs?: number; lr?: number; wordNgrams?: number; dim?: number; bucket?: number }) => {
        const [positiveLabel, negativeLabel, extra] = o.labels.split(',');
        if (!positiveLabel || !negativeLabel || extra !== undefined) throw new UsageError(`--labels takes two names separated by a comma, got "${o.labels}"`);
        const r = await trainClassifier({
          positive: o.positive,
          negative: o.negative,
          output: o.output,
          textField: o.textField,
          positiveLabel,
          negativeLabel,
          validation: o.validation,
          maxDocsPerClass: o.maxDocs,
          seed: o.seed,
          epochs: o.epochs,
          lr: o.lr,
          wordNgrams: o.wordNgrams,
          dim: o.dim,
          bucket: o.bucket,
        });
        const out = (l: string): void => void process.stdout.write(`${l}\n`);
        out(`model: ${r.output} (labels ${r.labels.positive} / ${r.labels.negative}), trained in ${r.seconds.toFixed(1)} s`);
        out(`trained on ${r.trained.positive} positive + ${r.trained.negative} negative documents; held out ${r.heldOut.positive} + ${r.heldOut.negative}`);
        if (r.skipped.positive + r.skipped.negative > 0) out(`skipped (no text): ${r.skipped.positive} positive, ${r.skipped.negative} negative`);
        const v = r.validation;
        if (v) {
          out(`held-out accuracy ${(100 * v.accuracy).toFixed(2)}%  precision ${(100 * v.precision).toFixed(2)}%  recall ${(100 * v.recall).toFixed(2)}%  F1 ${(100 * v.f1).toFixed(2)}%`);
          out(`  (true positives ${v.truePositives}, false positives ${v.falsePositives}, true negatives ${v.trueNegatives}, false negatives ${v.falseNegatives})`);
        } else out('nothing held out (--validation 0): no accuracy to report');
      },
    );
}
