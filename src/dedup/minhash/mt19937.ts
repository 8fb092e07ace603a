/**
 * The Mersenne Twister MT19937 as numpy's legacy `np.random.RandomState(seed)` runs it, and
 * `RandomState.randint(low, high, size, dtype=np.uint64)`, so MinHash permutation parameters can
 * be reproduced for any seed.
 *
 * numpy's rules, as used here:
 * - an integer seed in [0, 2^32) initialises the state with the standard `init_genrand`;
 * - a 64-bit draw is two 32-bit outputs, the first one the high half;
 * - randint with a uint64 dtype draws from the closed range [low, high - 1] by masked rejection:
 *   rng = high - 1 - low, mask = the smallest 2^k - 1 >= rng, draw (next64 & mask) until <= rng,
 *   add low. Ranges that fit 32 bits draw 32-bit values with a 32-bit buffer instead (not needed
 *   for MinHash and not supported here).
 */

const N = 624;
const M = 397;

export class MT19937 {
  private readonly mt = new Uint32Array(N);
  private index = N;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`MT19937 seed must be an integer in [0, 2^32 - 1], got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      // 1812433253 * prev + i (mod 2^32), the product split to stay exact
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % N]! & 0x7fffffff);
      let v = mt[(i + M) % N]! ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }

  /** The next 32-bit output (numpy `random_uint32`, the reference `genrand_int32`). */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A 64-bit output: two 32-bit outputs, the first one the high half. */
  nextUint64(): bigint {
    const hi = this.nextUint32();
    const lo = this.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
}

/** numpy `RandomState.randint(low, high, size, dtype=np.uint64)` for a range wider than 32 bits. */
export function randintUint64(rng: MT19937, low: bigint, high: bigint, size: number): bigint[] {
  const range = high - 1n - low;
  if (low < 0n || high > 1n << 64n || range < 0n) throw new RangeError(`randint: bad range [${low}, ${high})`);
  if (range <= 0xffffffffn) throw new RangeError('randint: ranges of 32 bits or less are not supported');
  const out: bigint[] = [];
  if (range === (1n << 64n) - 1n) {
    for (let i = 0; i < size; i++) out.push(low + rng.nextUint64());
    return out;
  }
  let mask = range;
  for (let s = 1n; s <= 32n; s <<= 1n) mask |= mask >> s;
  for (let i = 0; i < size; i++) {
    let v: bigint;
    do v = rng.nextUint64() & mask;
    while (v > range);
    out.push(low + v);
  }
  return out;
}
