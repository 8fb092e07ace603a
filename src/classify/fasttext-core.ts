/**
 * The WebAssembly build of fastText that sift runs in-process: where the package keeps its files,
 * typed declarations for the parts of its Emscripten module we call, and model-file checks.
 *
 * The build is the `fasttext.wasm.js` package's Node target (`dist/core/fastText.node.js`), the
 * reference fastText C++ compiled with Emscripten and bound with embind. `fasttext.wasm` ships the
 * same bindings and the same `lid.176.ftz`; switching means changing the two paths below.
 *
 * Memory rules of the bindings: a JS string passed to a bound function is copied into the wasm heap
 * and freed by the binding; every returned `std::vector` is a heap object the caller must `delete()`;
 * objects made with `new` (FastText, Args) must be `delete()`d too. The heap grows on demand up to
 * 2 GiB and never shrinks. Each model gets a module instance of its own: a model's memory is
 * released with it, and a fatal error (an abort inside the C++ code) cannot take other models down.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const PACKAGE = 'fasttext.wasm.js';
const CORE_ENTRY = `${PACKAGE}/dist/core/fastText.node.js`;
const BUNDLED_LID_ENTRY = `${PACKAGE}/dist/models/language-identification/assets/lid.176.ftz`;

const require = createRequire(import.meta.url);

/** Absolute path of the `lid.176.ftz` language-ID model inside the installed package. */
export function bundledLidModelPath(): string {
  return require.resolve(BUNDLED_LID_ENTRY);
}

// ---- typed view of the Emscripten module ------------------------------------------------------

/** An embind `std::vector<T>` handle. */
export interface EmVector<T> {
  size(): number;
  get(index: number): T;
  delete(): void;
}

/** An embind enum value (opaque). */
export type EmEnumValue = { readonly value: number };

/** fastText's `Args` (see fastText `src/args.h`). */
export interface CoreArgs {
  input: string;
  output: string;
  lr: number;
  lrUpdateRate: number;
  dim: number;
  ws: number;
  epoch: number;
  minCount: number;
  minCountLabel: number;
  neg: number;
  wordNgrams: number;
  loss: EmEnumValue;
  model: EmEnumValue;
  bucket: number;
  minn: number;
  maxn: number;
  thread: number;
  t: number;
  label: string;
  verbose: number;
  pretrainedVectors: string;
  seed: number;
  delete(): void;
}

export type TrainCallback = (progress: number, loss: number, wordsPerSec: number, lr: number, eta: number) => void;

/** fastText's `FastText` class as bound by the wasm build. */
export interface CoreFastText {
  loadModel(path: string): void;
  /** Predicts the first line of `text`; returns (probability, label) pairs, best first. */
  predict(text: string, k: number, threshold: number): EmVector<[number, string]>;
  getLabels(): [EmVector<string>, EmVector<number>];
  train(args: CoreArgs, callback: TrainCallback): void;
  saveModel(path: string): void;
  readonly isQuant: boolean;
  delete(): void;
}

export interface CoreFS {
  writeFile(path: string, data: Uint8Array | string): void;
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
}

export interface CoreModule {
  FS: CoreFS;
  HEAPU8: Uint8Array;
  FastText: new () => CoreFastText;
  Args: new () => CoreArgs;
  ModelName: { cbow: EmEnumValue; skipgram: EmEnumValue; supervised: EmEnumValue };
  LossName: { hs: EmEnumValue; ns: EmEnumValue; softmax: EmEnumValue; ova: EmEnumValue };
}

type CoreFactory = (overrides: { print(s: string): void; printErr(s: string): void }) => Promise<CoreModule>;

let factory: Promise<CoreFactory> | undefined;

async function importFactory(): Promise<CoreFactory> {
  const mod = (await import(pathToFileURL(require.resolve(CORE_ENTRY)).href)) as { default: unknown };
  if (typeof mod.default !== 'function') throw new Error(`${CORE_ENTRY}: unexpected module shape (no default factory)`);
  return mod.default as CoreFactory;
}

/**
 * A new, independent instance of the wasm module (its own heap). Output from the C++ side (training
 * progress lines) is discarded.
 */
export async function instantiateCore(): Promise<CoreModule> {
  factory ??= importFactory();
  const create = await factory;
  return create({ print: () => {}, printErr: () => {} });
}

// ---- errors ------------------------------------------------------------------------------------

/**
 * Runs a call into the C++ side and turns a thrown C++ exception (which arrives as a bare number, the
 * exception object's address) or an abort (after which that module instance is unusable) into an
 * Error that says what was being done.
 */
export function callNative<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (typeof e === 'number') throw new Error(`${what}: fastText raised a native error (C++ exception at 0x${e.toString(16)})`);
    if (e instanceof Error && e.name === 'RuntimeError') throw new Error(`${what}: the WebAssembly module stopped (${e.message})`);
    throw e;
  }
}
