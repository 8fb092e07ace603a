/**
 * Trains a binary fastText quality classifier in the manner of DCLM: documents from a positive and a
 * negative set become lines `__label__pos <text>` / `__label__neg <text>` (newlines replaced by
 * spaces, as at prediction time), a seeded share of each set is held out, the rest is shuffled and
 * trained on, and the held-out documents measure the model. `sift train-classifier` is a thin
 * wrapper over `trainClassifier`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getPath, parsePath } from '../core/document.js';
import { readJsonlFile } from '../io/whole-file.js';
import { pyStrip } from '../text/python.js';
import { LABEL_PREFIX, toFastTextLine, trainSupervised, type FastTextLoss, type TrainProgress } from './fasttext.js';

/** Hash buckets for word n-grams: fastText's 2,000,000 does not fit in WebAssembly memory at dim 100. */
export const DEFAULT_BUCKET = 200_000;
const MAX_MATRIX_BYTES = 512 * 2 ** 20;

export interface TrainClassifierOptions {
  /** JSONL files (.jsonl, .jsonl.gz, .jsonl.zst) of positive and negative documents. */
  positive: string | readonly string[];
  negative: string | readonly string[];
  /** Where to write the model (.bin). */
  output: string;
  /** Field holding the text (dotted path); default `text`. */
  textField?: string;
  /** Label names written after `__label__`; default `pos` and `neg`. */
  positiveLabel?: string;
  negativeLabel?: string;
  /** Share of each set held out for validation, 0 ≤ share < 1; default 0.1. */
  validation?: number;
  /** Seed for the hold-out split, the shuffle and fastText; default 0. */
  seed?: number;
  /** Use at most this many documents of each set (after the shuffle); default all. */
  maxDocsPerClass?: number;
  /** Also keep the fastText training file here (otherwise it is written to a temporary folder). */
  trainFile?: string;
  epochs?: number;
  lr?: number;
  wordNgrams?: number;
  dim?: number;
  minCount?: number;
  bucket?: number;
  loss?: FastTextLoss;
  onProgress?: (p: TrainProgress) => void;
}

export interface ClassifierMetrics {
  /** Held-out documents (positive + negative). */
  examples: number;
  accuracy: number;
  /** Of the held-out documents predicted positive, the share that is positive. */
  precision: number;
  /** Of the held-out positive documents, the share predicted positive. */
  recall: number;
  f1: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

export interface TrainClassifierReport {
  output: string;
  labels: { positive: string; negative: string };
  trained: { positive: number; negative: number };
  heldOut: { positive: number; negative: number };
  /** Documents without text (missing field, empty or whitespace only), not used. */
  skipped: { positive: number; negative: number };
  /** Null when nothing was held out. */
  validation: ClassifierMetrics | null;
  seconds: number;
}

export async function trainClassifier(o: TrainClassifierOptions): Promise<TrainClassifierReport> {
  const started = performance.now();
  const share = o.validation ?? 0.1;
  if (!(share >= 0 && share < 1)) throw new Error(`validation share must be in [0, 1), got ${share}`);
  const seed = o.seed ?? 0;
  const posLabel = o.positiveLabel ?? 'pos';
  const negLabel = o.negativeLabel ?? 'neg';
  if (!/^\S+$/.test(posLabel) || !/^\S+$/.test(negLabel) || posLabel === negLabel) {
    throw new Error(`labels must be two different words without spaces, got "${posLabel}" and "${negLabel}"`);
  }
  const field = parsePath(o.textField ?? 'text');
  const rng = mulberry32(seed);

  const pos = readTexts(o.positive, field);
  const neg = readTexts(o.negative, field);
  for (const [name, set] of [['positive', pos], ['negative', neg]] as const) {
    if (set.texts.length === 0) throw new Error(`no ${name} documents with text in ${[o[name]].flat().join(', ')}`);
  }
  const posSplit = split(shuffle(pos.texts, rng), share, o.maxDocsPerClass);
  const negSplit = split(shuffle(neg.texts, rng), share, o.maxDocsPerClass);

  const lines = [
    ...posSplit.train.map((t) => `${LABEL_PREFIX}${posLabel} ${t}`),
    ...negSplit.train.map((t) => `${LABEL_PREFIX}${negLabel} ${t}`),
  ];
  const body = shuffle(lines, rng).join('\n') + '\n';

  // WebAssembly fastText has at most 2 GiB of memory, and saving copies the model once more:
  // the n-gram matrix (bucket x dim floats) must stay well below half of that.
  const dim = o.dim ?? 100;
  const bucket = o.bucket ?? DEFAULT_BUCKET;
  if (bucket * dim * 4 > MAX_MATRIX_BYTES) {
    throw new Error(`bucket x dim = ${bucket} x ${dim} needs ${Math.round((bucket * dim * 4) / 2 ** 20)} MiB, more than the ${MAX_MATRIX_BYTES / 2 ** 20} MiB fastText can hold in WebAssembly; lower bucket or dim`);
  }
  const tmp = await mkdtemp(join(tmpdir(), 'sift-train-'));
  const output = resolve(o.output);
  try {
    const trainPath = o.trainFile !== undefined ? resolve(o.trainFile) : join(tmp, 'train.txt');
    await writeFile(trainPath, body);
    const model = await trainSupervised(trainPath, {
      output,
      epoch: o.epochs ?? 5,
      lr: o.lr ?? 0.1,
      wordNgrams: o.wordNgrams ?? 2,
      dim,
      minCount: o.minCount ?? 1,
      bucket,
      ...(o.loss !== undefined ? { loss: o.loss } : {}),
      seed,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
    let validation: ClassifierMetrics | null = null;
    if (posSplit.heldOut.length + negSplit.heldOut.length > 0) {
      const predictPositive = (t: string) => model.predict(t, 1, 0)[0]?.label === posLabel;
      validation = measure(posSplit.heldOut.map(predictPositive), negSplit.heldOut.map(predictPositive));
    }
    model.dispose();
    return {
      output,
      labels: { positive: posLabel, negative: negLabel },
      trained: { positive: posSplit.train.length, negative: negSplit.train.length },
      heldOut: { positive: posSplit.heldOut.length, negative: negSplit.heldOut.length },
      skipped: { positive: pos.skipped, negative: neg.skipped },
      validation,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Texts of every record, on one line each; records without text are counted, not used. */
function readTexts(files: string | readonly string[], field: readonly (string | number)[]): { texts: string[]; skipped: number } {
  const texts: string[] = [];
  let skipped = 0;
  for (const file of [files].flat()) {
    for (const rec of readJsonlFile(file)) {
      const v = getPath(rec, field);
      if (typeof v !== 'string' || pyStrip(v) === '') {
        skipped++;
        continue;
      }
      texts.push(toFastTextLine(v));
    }
  }
  return { texts, skipped };
}

/** The first `share` of an already shuffled list is held out; `max` caps the documents used. */
function split(items: string[], share: number, max?: number): { train: string[]; heldOut: string[] } {
  const used = max !== undefined ? items.slice(0, max) : items;
  const n = Math.round(used.length * share);
  return { heldOut: used.slice(0, n), train: used.slice(n) };
}

function measure(positives: boolean[], negatives: boolean[]): ClassifierMetrics {
  const tp = positives.filter(Boolean).length;
  const fn = positives.length - tp;
  const fp = negatives.filter(Boolean).length;
  const tn = negatives.length - fp;
  const examples = tp + fn + fp + tn;
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return {
    examples,
    accuracy: (tp + tn) / examples,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
  };
}

/** Fisher–Yates with a seeded generator; returns a new array. */
function shuffle<T>(items: readonly T[], rng: () => number): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Small seeded PRNG (mulberry32): the split and order depend only on the seed. */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
