/**
 * MinHash configuration (the reference `MinhashConfig` defaults) and the permutation parameters
 * a_i, b_i, drawn exactly as the reference does:
 *   gen = np.random.RandomState(seed)
 *   a = gen.randint(1, 2^61 - 1, dtype=np.uint64, size=(1, num_hashes))
 *   b = gen.randint(0, 2^61 - 1, dtype=np.uint64, size=(1, num_hashes))
 */
import { DEFAULT_TEXT_NORM, type TextNormOptions } from './normalize.js';
import { MT19937, randintUint64 } from './mt19937.js';

export const MERSENNE_PRIME = (1n << 61n) - 1n;

export interface MinhashConfig {
  /** Shingle length: words (default 5) or characters. */
  nGrams: number;
  /** 'word': n consecutive words joined by one space (the reference); 'char': n code points. */
  shingle: 'word' | 'char';
  /** Bands (the reference's buckets) and rows per band; their product is the number of hashes. */
  numBuckets: number;
  hashesPerBucket: number;
  seed: number;
  /**
   * 64: shingles hashed with XXH64, signature values below 2^61 - 1 (the reference default).
   * 32: shingles hashed with XXH32 and each permuted value masked to its low 32 bits.
   */
  precision: 32 | 64;
  norm: TextNormOptions;
}

export const DEFAULT_MINHASH_CONFIG: Readonly<MinhashConfig> = Object.freeze({
  nGrams: 5,
  shingle: 'word',
  numBuckets: 14,
  hashesPerBucket: 8,
  seed: 1,
  precision: 64,
  norm: DEFAULT_TEXT_NORM,
});

export type MinhashConfigInput = Partial<Omit<MinhashConfig, 'norm'>> & { norm?: Partial<TextNormOptions> };

export function resolveMinhashConfig(input: MinhashConfigInput = {}): MinhashConfig {
  const c: MinhashConfig = {
    ...DEFAULT_MINHASH_CONFIG,
    ...input,
    norm: { ...DEFAULT_TEXT_NORM, ...input.norm },
  };
  const positive = (name: string, v: number): void => {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`minhash: ${name} must be a positive integer, got ${v}`);
  };
  positive('nGrams', c.nGrams);
  positive('numBuckets', c.numBuckets);
  positive('hashesPerBucket', c.hashesPerBucket);
  if (c.precision !== 32 && c.precision !== 64) throw new RangeError(`minhash: precision must be 32 or 64`);
  if (c.shingle !== 'word' && c.shingle !== 'char') throw new RangeError(`minhash: shingle must be 'word' or 'char'`);
  return c;
}

export interface MinhashParameters {
  /** a_i and b_i, each below 2^61 - 1 (a_i >= 1). */
  a: BigUint64Array;
  b: BigUint64Array;
}

const cache = new Map<string, MinhashParameters>();

/** The permutation parameters for `seed` (an integer in [0, 2^32)), cached per (seed, count). */
export function minhashParameters(seed: number, numHashes: number): MinhashParameters {
  const key = `${seed}:${numHashes}`;
  let p = cache.get(key);
  if (!p) {
    const gen = new MT19937(seed);
    p = {
      a: BigUint64Array.from(randintUint64(gen, 1n, MERSENNE_PRIME, numHashes)),
      b: BigUint64Array.from(randintUint64(gen, 0n, MERSENNE_PRIME, numHashes)),
    };
    cache.set(key, p);
  }
  return p;
}
