import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MT19937, randintUint64 } from '../../src/dedup/minhash/mt19937.js';
import { MERSENNE_PRIME, minhashParameters, resolveMinhashConfig } from '../../src/dedup/minhash/params.js';
import { describeWithSharedData, sharedPath } from '../helpers/shared-data.js';

describe('MT19937', () => {
  it('produces the reference outputs of init_genrand(5489)', () => {
    const mt = new MT19937(5489);
    const first = Array.from({ length: 3 }, () => mt.nextUint32());
    expect(first).toEqual([3499211612, 581869302, 3890346734]);
    // the 10000th output of the default-seeded generator (C++ std::mt19937 requirement)
    const g = new MT19937(5489);
    let v = 0;
    for (let i = 0; i < 10000; i++) v = g.nextUint32();
    expect(v).toBe(4123659995);
  });

  it('draws 64-bit values as two outputs, the first one high', () => {
    const a = new MT19937(1);
    const b = new MT19937(1);
    const hi = b.nextUint32();
    const lo = b.nextUint32();
    expect(a.nextUint64()).toBe((BigInt(hi) << 32n) | BigInt(lo));
  });

  it('rejects seeds outside [0, 2^32)', () => {
    expect(() => new MT19937(-1)).toThrow(RangeError);
    expect(() => new MT19937(2 ** 32)).toThrow(RangeError);
    expect(() => new MT19937(1.5)).toThrow(RangeError);
  });

  it('randint stays in [low, high) and is deterministic', () => {
    const a = randintUint64(new MT19937(123), 1n, MERSENNE_PRIME, 500);
    const b = randintUint64(new MT19937(123), 1n, MERSENNE_PRIME, 500);
    expect(a).toEqual(b);
    for (const v of a) {
      expect(v >= 1n && v < MERSENNE_PRIME).toBe(true);
    }
    expect(() => randintUint64(new MT19937(1), 0n, 100n, 1)).toThrow(RangeError);
  });
});

describe('MinHash parameters', () => {
  it('are a_i in [1, P) and b_i in [0, P), different per seed', () => {
    const p1 = minhashParameters(1, 112);
    const p2 = minhashParameters(2, 112);
    expect(p1.a.length).toBe(112);
    expect([...p1.a].every((v) => v >= 1n && v < MERSENNE_PRIME)).toBe(true);
    expect([...p1.b].every((v) => v < MERSENNE_PRIME)).toBe(true);
    expect(p1.a[0]).not.toBe(p2.a[0]);
    // the first a of seed 1, as the reference draws it
    expect(p1.a[0]).toBe(775169054918279404n);
  });

  it('resolves the reference defaults and validates options', () => {
    const c = resolveMinhashConfig();
    expect(c).toMatchObject({ nGrams: 5, numBuckets: 14, hashesPerBucket: 8, seed: 1, precision: 64, shingle: 'word' });
    expect(resolveMinhashConfig({ norm: { normNumbers: false } }).norm.lowercase).toBe(true);
    expect(() => resolveMinhashConfig({ nGrams: 0 })).toThrow(RangeError);
    expect(() => resolveMinhashConfig({ precision: 16 as 32 })).toThrow(RangeError);
  });
});

describeWithSharedData('MinHash parameters against the reference (seed 1)', ['parity', 'dev', 'minhash_params_seed1.json'], () => {
  it('reproduces every a_i and b_i bit for bit', () => {
    const ref = JSON.parse(readFileSync(sharedPath('parity', 'dev', 'minhash_params_seed1.json'), 'utf8')) as {
      seed: number;
      num_hashes: number;
      mersenne_prime: string;
      a: string[];
      b: string[];
    };
    expect(BigInt(ref.mersenne_prime)).toBe(MERSENNE_PRIME);
    const p = minhashParameters(ref.seed, ref.num_hashes);
    expect([...p.a].map(String)).toEqual(ref.a);
    expect([...p.b].map(String)).toEqual(ref.b);
  });
});
