/**
 * MinHash signatures of documents, bit-exact with the reference `MinhashDedupSignature`:
 * normalize (`simplifyText`), split into words, hash every n-word shingle (the words joined by
 * one space, UTF-8) with XXH64 seed 0, and keep per hash function the minimum of
 * ((x * a_i + b_i) mod 2^64) mod (2^61 - 1). A document with fewer than n words has no shingle
 * and no signature. Repeated shingles are hashed again, as in the reference (no set is built);
 * they cannot change a minimum.
 *
 * A signature is a Uint32Array of 2 * numHashes values: value i is
 * `sig[2i] * 2^32 + sig[2i + 1]` (high half first, so comparing the u32 sequence compares values).
 *
 * Words come from `splitWords` (the English word tokenizer of the reference); without it the
 * normalized text is split on whitespace, which after normalization (no punctuation, lowercase,
 * numbers collapsed) differs from the tokenizer only on contractions written without apostrophe
 * ("dont" -> do nt), units after numbers ("0km") and a few symbols.
 *
 * With the default normalization, the text is lowercased and NFD-normalized by the JS engine and
 * everything else (punctuation, numbers, marks, word splitting, shingle hashing, minima) runs in a
 * WebAssembly kernel (`kernel.ts`) over the UTF-8 bytes written straight into its memory; the few
 * texts the kernel cannot take (see `unicode-tables.ts`) go through `simplifyText`. One signer is
 * single-threaded; use one per worker.
 */
import { createKernel, type MinhashKernel } from './kernel.js';
import { simdScratchBytes } from './kernel-simd.js';
import { DEFAULT_TEXT_NORM, joinWhitespaceWords, simplifyText, type TextNormOptions } from './normalize.js';
import { minhashParameters, resolveMinhashConfig, type MinhashConfig, type MinhashConfigInput } from './params.js';
import { normalizationTable, nfdUnsafe } from './unicode-tables.js';
import { xxh32Range } from './xxh64.js';

export type WordSplitter = (normalizedText: string) => readonly string[];

export interface MinhashSignerOptions extends MinhashConfigInput {
  /**
   * Word tokenizer applied to the normalized text (default: whitespace split). With the default
   * normalization it receives the text with runs of spaces collapsed to one; tokens are stripped
   * and must not contain spaces.
   */
  splitWords?: WordSplitter;
}

const PAGE = 65536;
const SPACE = 0x20;
/** Kernel memory: the character class table, then a_i, b_i, the signature, then per-document data. */
const TABLE_PTR = 0;
const TABLE_BYTES = 0x10000;

/** Where a document's units (words or characters) were laid out in kernel memory. */
interface Units {
  /** Byte length of the text at `textPtr`. */
  length: number;
  /** Number of units; `starts[units]` closes the last one. */
  units: number;
  /** 1 when units are separated by one space (words), 0 when adjacent (characters). */
  gap: 0 | 1;
}

export class MinhashSigner {
  readonly config: Readonly<MinhashConfig>;
  readonly numHashes: number;
  private readonly splitWords: WordSplitter | undefined;
  private readonly defaultNorm: boolean;
  private readonly kernel: MinhashKernel;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private readonly aPtr: number;
  private readonly bPtr: number;
  private readonly outPtr: number;
  private readonly textPtr: number;
  private startsPtr = 0;
  private bytes = new Uint8Array(0);
  private words32 = new Int32Array(0);

  constructor(options: MinhashSignerOptions = {}) {
    const { splitWords, ...config } = options;
    this.config = resolveMinhashConfig(config);
    this.splitWords = splitWords;
    this.defaultNorm = (Object.keys(DEFAULT_TEXT_NORM) as (keyof TextNormOptions)[]).every(
      (k) => this.config.norm[k] === DEFAULT_TEXT_NORM[k],
    );
    this.numHashes = this.config.numBuckets * this.config.hashesPerBucket;
    this.kernel = createKernel();
    const h = this.numHashes;
    this.aPtr = TABLE_BYTES;
    this.bPtr = this.aPtr + 8 * h;
    this.outPtr = this.bPtr + 8 * h;
    this.textPtr = align8(this.outPtr + 8 * h);
    this.reserve(PAGE, 16);
    this.bytes.set(normalizationTable(), TABLE_PTR);
    const params = minhashParameters(this.config.seed, h);
    new BigUint64Array(this.kernel.memory.buffer, this.aPtr, h).set(params.a);
    new BigUint64Array(this.kernel.memory.buffer, this.bPtr, h).set(params.b);
  }

  /**
   * The signature of a document's text, or null when it has fewer than n words (characters).
   * Written to `out` (2 * numHashes values) when given, else to a new array.
   */
  sign(text: string, out?: Uint32Array): Uint32Array | null {
    return this.signUnits(this.layout(text), out);
  }

  /** The signature of already normalized, tokenized words (none may contain a space). */
  signWords(words: readonly string[], out?: Uint32Array): Uint32Array | null {
    return this.signUnits(this.layoutWords(words), out);
  }

  /**
   * The shingled units of a text as the signer sees them: the words joined by single spaces, or
   * the normalized text in character mode (for inspection and tests).
   */
  shingleText(text: string): string {
    const u = this.layout(text);
    return this.decoder.decode(new Uint8Array(this.kernel.memory.buffer, this.textPtr, u.length));
  }

  /** The shingle hashes of a text, in shingle order (for inspection and tests). */
  shingleHashes(text: string): BigUint64Array {
    const xsPtr = this.hashShingles(this.layout(text));
    return xsPtr === null ? new BigUint64Array(0) : new BigUint64Array(this.kernel.memory.buffer, xsPtr.ptr, xsPtr.count).slice();
  }

  /** The words (or characters) of the normalized text, laid out in kernel memory. */
  private layout(text: string): Units {
    const norm = this.config.norm;
    if (this.config.shingle === 'char') return this.layoutString(simplifyText(text, norm), 0);
    if (!this.defaultNorm) {
      const normalized = simplifyText(text, norm);
      return this.splitWords ? this.layoutWords(this.splitWords(normalized)) : this.layoutString(joinWhitespaceWords(normalized), 1);
    }
    const u = this.layoutNormalizedWords(text);
    if (!this.splitWords) return u;
    // The tokenizer gets the whitespace words joined by single spaces: the reference's normalized
    // text up to runs of spaces (left where marks were dropped), which tokenize the same.
    const normalized = this.decoder.decode(new Uint8Array(this.kernel.memory.buffer, this.textPtr, u.length));
    return this.layoutWords(this.splitWords(normalized));
  }

  /** Lays out tokens joined by single spaces (a shingle is its tokens joined); none may contain a space. */
  private layoutWords(words: readonly string[]): Units {
    const u = this.layoutString(words.join(' '), 1);
    if (u.units !== words.length && words.length > 0) throw new Error('minhash: word tokens must not contain a space');
    return u;
  }

  /** Default normalization and whitespace words, in the kernel where possible. */
  private layoutNormalizedWords(text: string): Units {
    // The kernel normalizes lowercased NFD text in place, ASCII text as it is (UTF-8 as long as
    // UTF-16 means ASCII). Texts with a character it cannot order like the reference, or with
    // astral characters, take the string path.
    this.reserve(3 * text.length, ((3 * text.length) >> 1) + 2);
    let length = this.encoder.encodeInto(text, this.bytes.subarray(this.textPtr, this.textPtr + 3 * text.length)).written;
    if (length !== text.length) {
      const lower = text.toLowerCase();
      if (nfdUnsafe().test(lower)) return this.layoutString(joinWhitespaceWords(simplifyText(text)), 1);
      const t = lower.normalize('NFD');
      this.reserve(3 * t.length, ((3 * t.length) >> 1) + 2);
      length = this.encoder.encodeInto(t, this.bytes.subarray(this.textPtr, this.textPtr + 3 * t.length)).written;
    }
    const words = this.kernel.normalizeWords(this.textPtr, length, this.startsPtr, TABLE_PTR);
    if (words < 0) return this.layoutString(joinWhitespaceWords(simplifyText(text)), 1);
    return { length: this.words32[(this.startsPtr >> 2) + words]! - 1, units: words, gap: 1 };
  }

  /** Lays out a joined string: words separated by single spaces (gap 1) or characters (gap 0). */
  private layoutString(joined: string, gap: 0 | 1): Units {
    this.reserve(3 * joined.length, joined.length + 2);
    const textPtr = this.textPtr;
    const length = this.encoder.encodeInto(joined, this.bytes.subarray(textPtr, textPtr + 3 * joined.length)).written;
    const starts = new Int32Array(this.kernel.memory.buffer, this.startsPtr, joined.length + 2);
    const bytes = this.bytes;
    let units = 0;
    if (length === 0) return { length, units, gap };
    if (gap === 1) {
      starts[units++] = 0;
      for (let i = 0; i < length; i++) if (bytes[textPtr + i] === SPACE) starts[units++] = i + 1;
      starts[units] = length + 1;
    } else {
      for (let i = 0; i < length; i++) if ((bytes[textPtr + i]! & 0xc0) !== 0x80) starts[units++] = i;
      starts[units] = length;
    }
    return { length, units, gap };
  }

  /** Hashes every shingle of the laid-out units; null when there are fewer units than n. */
  private hashShingles(u: Units): { ptr: number; count: number } | null {
    const n = this.config.nGrams;
    const count = u.units - n + 1;
    if (count <= 0) return null;
    const xsPtr = align8(this.startsPtr + 4 * (u.units + 1));
    this.ensure(xsPtr + 8 * count + 16 + simdScratchBytes(count));
    if (this.config.precision === 64) {
      this.kernel.shingleHashes(this.textPtr, this.startsPtr, count, n, u.gap, xsPtr, 0n);
    } else {
      const starts = new Int32Array(this.kernel.memory.buffer, this.startsPtr, u.units + 1);
      const xs = new Uint32Array(this.kernel.memory.buffer, xsPtr, 2 * count);
      for (let j = 0; j < count; j++) {
        xs[2 * j] = xxh32Range(this.bytes, this.textPtr + starts[j]!, this.textPtr + starts[j + n]! - u.gap);
        xs[2 * j + 1] = 0;
      }
    }
    return { ptr: xsPtr, count };
  }

  private signUnits(u: Units, out?: Uint32Array): Uint32Array | null {
    const xs = this.hashShingles(u);
    if (xs === null) return null;
    const h = this.numHashes;
    if (this.config.precision === 64) {
      const scratch = (xs.ptr + 8 * xs.count + 15) & ~15;
      this.kernel.minhashSimd(xs.ptr, xs.count, this.aPtr, this.bPtr, h, this.outPtr, scratch);
    } else this.kernel.minhash32(xs.ptr, xs.count, this.aPtr, this.bPtr, h, this.outPtr);
    const mem = new Uint32Array(this.kernel.memory.buffer, this.outPtr, 2 * h);
    if (out && out.length !== 2 * h) throw new RangeError(`minhash: signature array needs ${2 * h} values`);
    const sig = out ?? new Uint32Array(2 * h);
    for (let i = 0; i < h; i++) {
      sig[2 * i] = mem[2 * i + 1]!; // memory is little-endian: low half first
      sig[2 * i + 1] = mem[2 * i]!;
    }
    return sig;
  }

  /**
   * Places the unit starts after `byteCapacity` bytes of text and makes room for `unitCapacity`
   * of them; the shingle hashes that follow are made room for once their number is known.
   */
  private reserve(byteCapacity: number, unitCapacity: number): void {
    this.startsPtr = align8(this.textPtr + byteCapacity + 8);
    this.ensure(this.startsPtr + 4 * unitCapacity);
  }

  /**
   * Grows kernel memory to at least `size` bytes. It fits the largest document seen and is kept
   * (about 12 bytes per character of English text); views are renewed when it grows.
   */
  private ensure(size: number): void {
    const mem = this.kernel.memory;
    if (mem.buffer.byteLength < size) mem.grow(Math.ceil((size - mem.buffer.byteLength) / PAGE));
    if (this.bytes.buffer !== mem.buffer) {
      this.bytes = new Uint8Array(mem.buffer);
      this.words32 = new Int32Array(mem.buffer);
    }
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
