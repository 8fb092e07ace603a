/**
 * fastText in-process: load a model once per worker thread and predict, or train a supervised
 * classifier. Runs the reference fastText C++ compiled to WebAssembly (see `fasttext-core.ts`).
 *
 *   const lid = await loadFastTextModel();            // the bundled lid.176.ftz
 *   lid.predict('Bonjour à tous', 1)                  // [{ label: 'fr', score: 0.97 }]
 *
 * fastText predicts one line: like datatrove and Dolma, `predict` replaces every "\n" by a space
 * first (fastText itself would stop at the first newline). Scores are probabilities; labels come
 * without the `__label__` prefix. Text without any word (empty, whitespace only) still gets
 * fastText's answer for an empty line, as in the reference tools; filters decide what that means.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { bundledLidModelPath, callNative, instantiateCore, type CoreFastText, type CoreModule } from './fasttext-core.js';
import { checkModelBytes, checkModelPath } from './model-file.js';

export { bundledLidModelPath } from './fasttext-core.js';

export const LABEL_PREFIX = '__label__';

export interface Prediction {
  /** The label without `__label__` (`en`, `hq`). */
  label: string;
  /** Probability in [0, 1]. */
  score: number;
}

/** `__label__hq` → `hq`; other strings unchanged. */
export function stripLabelPrefix(label: string): string {
  return label.startsWith(LABEL_PREFIX) ? label.slice(LABEL_PREFIX.length) : label;
}

/** The one-line form fastText is given: every "\n" replaced by a space (datatrove, Dolma, DCLM). */
export function toFastTextLine(text: string): string {
  return text.indexOf('\n') < 0 ? text : text.replaceAll('\n', ' ');
}

export class FastTextModel {
  /** Absolute path the model was loaded from or saved to; null for an unsaved trained model. */
  readonly path: string | null;
  /** Every label the model can predict, without `__label__`, in the model's order. */
  readonly labels: readonly string[];
  /** True for quantized (.ftz) models. */
  readonly quantized: boolean;
  // private fields (#): formatters and loggers that walk an object never touch the wasm handle
  #ft: CoreFastText | null;
  readonly #heap: () => number;

  constructor(core: CoreModule, ft: CoreFastText, path: string | null) {
    this.#ft = ft;
    this.path = path;
    this.#heap = () => core.HEAPU8.byteLength;
    this.quantized = ft.isQuant;
    const [names, counts] = ft.getLabels();
    try {
      const labels: string[] = [];
      for (let i = 0, n = names.size(); i < n; i++) labels.push(stripLabelPrefix(names.get(i)));
      this.labels = labels;
    } finally {
      names.delete();
      counts.delete();
    }
  }

  /**
   * The `k` most probable labels (k = -1: all that fastText returns) with probability ≥ `threshold`,
   * best first. Newlines in `text` are replaced by spaces.
   */
  predict(text: string, k = 1, threshold = 0): Prediction[] {
    const ft = this.live();
    if (!(Number.isInteger(k) && (k >= 1 || k === -1))) throw new Error(`predict: k must be a positive integer or -1, got ${k}`);
    const vec = ft.predict(toFastTextLine(text), k, threshold);
    try {
      const n = vec.size();
      const out: Prediction[] = new Array<Prediction>(n);
      for (let i = 0; i < n; i++) {
        const [score, label] = vec.get(i);
        out[i] = { label: stripLabelPrefix(label), score };
      }
      return out;
    } finally {
      vec.delete();
    }
  }

  /** The probability of one label (without `__label__`); 0 when fastText ranks it as impossible. */
  scoreOf(text: string, label: string): number {
    for (const p of this.predict(text, -1, 0)) if (p.label === label) return p.score;
    return 0;
  }

  hasLabel(label: string): boolean {
    return this.labels.includes(label);
  }

  /** Size of the wasm memory the model lives in (it grows on demand and never shrinks). */
  get wasmMemoryBytes(): number {
    return this.#heap();
  }

  /** Frees the model's memory in the wasm heap. Models from `loadFastTextModel` are shared: use `unloadFastTextModel`. */
  dispose(): void {
    this.#ft?.delete();
    this.#ft = null;
  }

  private live(): CoreFastText {
    if (this.#ft === null) throw new Error(`fastText model ${this.path ?? '(trained in memory)'} was disposed`);
    return this.#ft;
  }
}

// ---- loading, once per thread -----------------------------------------------------------------

const cache = new Map<string, Promise<FastTextModel>>();

/**
 * Loads a fastText model (.bin or .ftz); without a path, the `lid.176.ftz` bundled with the
 * package. Models are cached per thread by absolute path: every stage that asks for the same file
 * gets the same instance, loaded once. Each model runs in a wasm instance of its own.
 */
export function loadFastTextModel(path?: string): Promise<FastTextModel> {
  const abs = resolve(path ?? bundledLidModelPath());
  let p = cache.get(abs);
  if (p === undefined) {
    p = loadUncached(abs);
    cache.set(abs, p);
    p.catch(() => cache.delete(abs));
  }
  return p;
}

/** Drops a cached model and frees its memory (for long-lived processes and tests). */
export async function unloadFastTextModel(path?: string): Promise<void> {
  const abs = resolve(path ?? bundledLidModelPath());
  const p = cache.get(abs);
  if (p === undefined) return;
  cache.delete(abs);
  const model = await p.catch(() => null);
  model?.dispose();
}

async function loadUncached(abs: string): Promise<FastTextModel> {
  await checkModelPath(abs);
  const bytes = await readFile(abs);
  checkModelBytes(bytes, abs);
  return loadInto(await instantiateCore(), bytes, abs);
}

function loadInto(core: CoreModule, bytes: Uint8Array, abs: string): FastTextModel {
  const memPath = '/model.bin';
  core.FS.writeFile(memPath, bytes);
  const ft = new core.FastText();
  try {
    callNative(`cannot load fastText model ${abs} (truncated or corrupt?)`, () => ft.loadModel(memPath));
    return new FastTextModel(core, ft, abs);
  } catch (e) {
    ft.delete();
    throw e;
  } finally {
    core.FS.unlink(memPath);
  }
}

// ---- training ---------------------------------------------------------------------------------

export type FastTextLoss = 'softmax' | 'hs' | 'ns' | 'ova';

export interface TrainProgress {
  /** Share of the training done, 0..1. */
  progress: number;
  loss: number;
  lr: number;
  /** Estimated seconds left. */
  eta: number;
}

/** fastText's supervised options; defaults are those of `fasttext supervised` and Python `train_supervised`. */
export interface SupervisedOptions {
  /** Where to save the trained model (.bin); the parent folder is created. */
  output?: string;
  lr?: number;
  epoch?: number;
  wordNgrams?: number;
  dim?: number;
  ws?: number;
  minCount?: number;
  minCountLabel?: number;
  neg?: number;
  loss?: FastTextLoss;
  /** Hash buckets for word n-grams and subwords; 0 when neither is used (as fastText does). */
  bucket?: number;
  minn?: number;
  maxn?: number;
  lrUpdateRate?: number;
  t?: number;
  label?: string;
  seed?: number;
  onProgress?: (p: TrainProgress) => void;
}

/**
 * Trains a supervised fastText model on a file of lines `__label__<name> <text>`. Runs on one thread
 * (the wasm build has none) and blocks it while training. The model lives in a wasm instance of its
 * own, so its memory is released once the returned model is no longer referenced.
 */
export async function trainSupervised(inputFile: string, options: SupervisedOptions = {}): Promise<FastTextModel> {
  const input = resolve(inputFile);
  let data: Buffer;
  try {
    data = await readFile(input);
  } catch (e) {
    throw new Error(`cannot read fastText training file ${input}: ${(e as Error).message}`);
  }
  const labelPrefix = options.label ?? LABEL_PREFIX;
  if (!data.includes(labelPrefix)) {
    throw new Error(`fastText training file ${input} has no labels: each line needs a ${labelPrefix}<name> word`);
  }
  const core = await instantiateCore();
  core.FS.writeFile('/train.txt', data);
  const args = new core.Args();
  const ft = new core.FastText();
  try {
    args.input = '/train.txt';
    args.output = '/trained';
    args.model = core.ModelName.supervised;
    args.loss = core.LossName[options.loss ?? 'softmax'];
    args.lr = options.lr ?? 0.1;
    args.epoch = options.epoch ?? 5;
    args.wordNgrams = options.wordNgrams ?? 1;
    args.dim = options.dim ?? 100;
    args.ws = options.ws ?? 5;
    args.minCount = options.minCount ?? 1;
    args.minCountLabel = options.minCountLabel ?? 0;
    args.neg = options.neg ?? 5;
    args.minn = options.minn ?? 0;
    args.maxn = options.maxn ?? 0;
    args.bucket = args.wordNgrams <= 1 && args.maxn === 0 ? 0 : (options.bucket ?? 2_000_000);
    args.lrUpdateRate = options.lrUpdateRate ?? 100;
    args.t = options.t ?? 1e-4;
    args.label = labelPrefix;
    args.seed = options.seed ?? 0;
    args.thread = 1;
    args.verbose = 0;
    const onProgress = options.onProgress;
    const callback = onProgress
      ? (progress: number, loss: number, _wst: number, lr: number, eta: number) => onProgress({ progress, loss, lr, eta })
      : () => {};
    callNative(`fastText training on ${input} failed (does every line start with a ${args.label} label?)`, () =>
      ft.train(args, callback),
    );
  } catch (e) {
    ft.delete();
    throw e;
  } finally {
    args.delete();
    core.FS.unlink('/train.txt');
  }
  if (options.output === undefined) return new FastTextModel(core, ft, null);
  const out = resolve(options.output);
  await saveModelFile(core, ft, out);
  return new FastTextModel(core, ft, out);
}

/** Saves through the wasm file system, then writes the file atomically (temporary name, rename). */
async function saveModelFile(core: CoreModule, ft: CoreFastText, out: string): Promise<void> {
  callNative(`saving fastText model to ${out}`, () => ft.saveModel('/trained.bin'));
  const bytes = core.FS.readFile('/trained.bin');
  core.FS.unlink('/trained.bin');
  await mkdir(dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
