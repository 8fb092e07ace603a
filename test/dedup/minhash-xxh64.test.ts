import { xxh32 as nativeXxh32, xxh64 as nativeXxh64 } from '@node-rs/xxhash';
import { describe, expect, it } from 'vitest';
import { createKernel } from '../../src/dedup/minhash/kernel.js';
import { xxh32, xxh64, xxh64Into } from '../../src/dedup/minhash/xxh64.js';

/** Deterministic pseudo-random bytes. */
function bytes(len: number, seed: number): Uint8Array {
  const out = new Uint8Array(len);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 0xff;
  }
  return out;
}

describe('xxh64', () => {
  it('matches the published test vectors', () => {
    expect(xxh64('')).toBe(0xef46db3751d8e999n);
    expect(xxh64('a')).toBe(0xd24ec4f1a98c6e5bn);
    expect(xxh64('abc')).toBe(0x44bc2cf5ad770999n);
    expect(xxh64('Nobody inspects the spammish repetition')).toBe(0xfbcea83c8a378bf1n);
  });

  it('matches the native implementation for every length up to 100 and several seeds', () => {
    for (let len = 0; len <= 100; len++) {
      for (const seed of [0n, 1n, 0x9e3779b97f4a7c15n, 0xffffffffffffffffn]) {
        const b = bytes(len, len * 31 + Number(seed & 0xffn));
        expect(xxh64(b, seed)).toBe(nativeXxh64(b, seed));
      }
    }
  });

  it('hashes ranges of a buffer into an output array (high half first)', () => {
    const b = bytes(64, 7);
    const out = new Uint32Array(4);
    xxh64Into(b, 10, 40, out, 2);
    const expected = nativeXxh64(b.subarray(10, 40));
    expect((BigInt(out[2]!) << 32n) | BigInt(out[3]!)).toBe(expected);
  });

  it('hashes strings as UTF-8, astral characters included', () => {
    for (const s of ['héllo wörld', '日本語のテキスト', 'emoji 😀 and 𝟏', 'a\u0301']) {
      expect(xxh64(s)).toBe(nativeXxh64(Buffer.from(s, 'utf8')));
    }
  });

  it('the kernel hashes word and character shingles of any length exactly as the JS implementation', () => {
    const k = createKernel();
    const textPtr = 1024;
    const startsPtr = 32768;
    const outPtr = 49152;
    const r = bytes(400, 3);
    // words of 1 to 24 letters: 5-word shingles from 9 to well over 32 bytes (both XXH64 paths)
    const words = Array.from({ length: 120 }, (_, i) =>
      Array.from({ length: 1 + (r[i]! % 24) }, (_, j) => String.fromCharCode(97 + (r[i + j]! % 26))).join(''),
    );
    const text = words.join(' ');
    const enc = new TextEncoder().encode(text);
    new Uint8Array(k.memory.buffer).set(enc, textPtr);
    const starts = [0];
    enc.forEach((b, i) => {
      if (b === 0x20) starts.push(i + 1);
    });
    starts.push(enc.length + 1);
    new Int32Array(k.memory.buffer, startsPtr, starts.length).set(starts);
    const count = words.length - 4;
    k.shingleHashes(textPtr, startsPtr, count, 5, 1, outPtr, 0n);
    const got = new BigUint64Array(k.memory.buffer, outPtr, count);
    for (let j = 0; j < count; j++) expect(got[j]).toBe(xxh64(words.slice(j, j + 5).join(' ')));
    // character shingles of 40 bytes, with a seed
    const chars = Array.from({ length: 60 }, (_, i) => i);
    new Int32Array(k.memory.buffer, startsPtr, chars.length).set(chars);
    k.shingleHashes(textPtr, startsPtr, 20, 40, 0, outPtr, 99n);
    const got2 = new BigUint64Array(k.memory.buffer, outPtr, 20);
    for (let j = 0; j < 20; j++) expect(got2[j]).toBe(xxh64(enc.subarray(j, j + 40), 99n));
  });
});

describe('xxh32', () => {
  it('matches the published test vectors', () => {
    expect(xxh32('')).toBe(0x02cc5d05);
    expect(xxh32('abc')).toBe(0x32d153ff);
  });

  it('matches the native implementation for every length up to 64 and several seeds', () => {
    for (let len = 0; len <= 64; len++) {
      for (const seed of [0, 1, 0x9e3779b1, 0xffffffff]) {
        const b = bytes(len, len * 17 + seed);
        expect(xxh32(b, seed)).toBe(nativeXxh32(b, seed));
      }
    }
  });
});
