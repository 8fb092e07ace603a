import { describe, expect, it } from 'vitest';
import { simdScratchBytes } from '../../src/dedup/minhash/kernel-simd.js';
import { createKernel, type MinhashKernel } from '../../src/dedup/minhash/kernel.js';

const P = (1n << 61n) - 1n;
const U64 = 1n << 64n;

/** The reference formula in BigInt. */
function permuted(x: bigint, a: bigint, b: bigint): bigint {
  return ((x * a + b) % U64) % P;
}

function rng(seed: number): () => bigint {
  let s = BigInt(seed) | 1n;
  return () => {
    // splitmix64
    s = (s + 0x9e3779b97f4a7c15n) % U64;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) % U64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) % U64;
    return z ^ (z >> 31n);
  };
}

const XS = 4096;
const AP = 65536;
const BP = AP + 2048;
const OUT = BP + 2048;
const SCRATCH = 131072;

function run(k: MinhashKernel, xs: bigint[], a: bigint[], b: bigint[]): { scalar: bigint[]; simd: bigint[]; masked: bigint[] } {
  k.memory.grow(Math.max(0, Math.ceil((SCRATCH + simdScratchBytes(xs.length) - k.memory.buffer.byteLength) / 65536)));
  new BigUint64Array(k.memory.buffer, XS, xs.length).set(xs);
  new BigUint64Array(k.memory.buffer, AP, a.length).set(a);
  new BigUint64Array(k.memory.buffer, BP, b.length).set(b);
  const read = (): bigint[] => [...new BigUint64Array(k.memory.buffer, OUT, a.length)];
  k.minhash(XS, xs.length, AP, BP, a.length, OUT);
  const scalar = read();
  k.minhashSimd(XS, xs.length, AP, BP, a.length, OUT, SCRATCH);
  const simd = read();
  k.minhash32(XS, xs.length, AP, BP, a.length, OUT);
  return { scalar, simd, masked: read() };
}

function expected(xs: bigint[], a: bigint[], b: bigint[], mask = false): bigint[] {
  return a.map((ai, i) => {
    let m = -1n;
    for (const x of xs) {
      let h = permuted(x, ai, b[i]!);
      if (mask) h &= 0xffffffffn;
      if (m < 0n || h < m) m = h;
    }
    return m;
  });
}

describe('MinHash kernel arithmetic', () => {
  const k = createKernel();

  it('takes per-function minima of ((x * a + b) mod 2^64) mod (2^61 - 1) for random inputs', () => {
    const next = rng(42);
    for (const n of [1, 2, 3, 4, 5, 7, 8, 33, 431, 1000]) {
      const xs = Array.from({ length: n }, next);
      const a = Array.from({ length: 13 }, () => 1n + (next() % (P - 1n)));
      const b = Array.from({ length: 13 }, () => next() % P);
      const r = run(k, xs, a, b);
      expect(r.scalar).toEqual(expected(xs, a, b));
      expect(r.simd).toEqual(expected(xs, a, b));
      expect(r.masked).toEqual(expected(xs, a, b, true));
    }
  });

  it('wraps the product modulo 2^64 before reducing', () => {
    // a * x overflows 64 bits by far: the wrap decides the result
    const x = 0xffffffffffffffffn;
    const a = P - 1n;
    const b = 12345n;
    expect(permuted(x, a, b)).not.toBe(((x * a + b) % P));
    expect(run(k, [x], [a], [b]).scalar).toEqual([permuted(x, a, b)]);
    expect(run(k, [x], [a], [b]).simd).toEqual([permuted(x, a, b)]);
  });

  it('handles the reduction edge cases: values at and just above multiples of 2^61 - 1', () => {
    // with a = 1, b = 0 the permuted value is x mod P (x below 2^64)
    const edge = [P - 1n, P, P + 1n, P + 6n, P + 7n, 2n * P, 2n * P + 3n, 8n * P, U64 - 1n, U64 - 8n, 0n, 1n];
    for (const x of edge) {
      const r = run(k, [x, x], [1n], [0n]);
      expect(r.scalar).toEqual([x % P]);
      expect(r.simd).toEqual([x % P]);
    }
    // b pushes v just past 2^61 * k so that (v & P) + (v >> 61) >= P
    const next = rng(7);
    const xs = [...edge, ...Array.from({ length: 40 }, next)];
    const a = [1n, 2n, 3n, P - 1n, 1n << 60n];
    const b = [P - 1n, P - 7n, 0n, 1n, P - 2n];
    const r = run(k, xs, a, b);
    expect(r.scalar).toEqual(expected(xs, a, b));
    expect(r.simd).toEqual(expected(xs, a, b));
    expect(r.masked).toEqual(expected(xs, a, b, true));
  });

  it('ignores repeated shingles (the padding of the SIMD path repeats the last one)', () => {
    const next = rng(9);
    const xs = Array.from({ length: 9 }, next);
    const a = [5n, 1n + (next() % (P - 1n))];
    const b = [7n, next() % P];
    expect(run(k, [...xs, ...xs], a, b).simd).toEqual(expected(xs, a, b));
  });
});
