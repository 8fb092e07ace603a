import { describe, expect, it } from 'vitest';
import { bandDigestHex, bandKey, bandKeys, signatureValue } from '../../src/dedup/minhash/bands.js';
import { joinWhitespaceWords, simplifyText } from '../../src/dedup/minhash/normalize.js';
import { MERSENNE_PRIME, minhashParameters } from '../../src/dedup/minhash/params.js';
import { MinhashSigner } from '../../src/dedup/minhash/signature.js';
import { xxh32, xxh64 } from '../../src/dedup/minhash/xxh64.js';

const VOCAB = (
  'the of and to in is was for on that with as by at from his her it an were are which this be or has had ' +
  'not but first one their its new after who they have two been other when there all during into school time ' +
  'may years more most only over city some world would where later up such used many can state about national ' +
  'out known university united then made team season since well also under people year between both three'
).split(' ');

/** Deterministic pseudo-text of `n` words. */
function text(n: number, seed: number): string {
  let s = seed;
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    words.push(VOCAB[(s >>> 8) % VOCAB.length]!);
  }
  return words.join(' ');
}

/** The reference signature in BigInt, from shingle hashes. */
function referenceSignature(shingleHashes: bigint[], numHashes = 112, mask = false): bigint[] {
  const { a, b } = minhashParameters(1, numHashes);
  return Array.from({ length: numHashes }, (_, i) => {
    let m = -1n;
    for (const x of shingleHashes) {
      let h = ((x * a[i]! + b[i]!) % (1n << 64n)) % MERSENNE_PRIME;
      if (mask) h &= 0xffffffffn;
      if (m < 0n || h < m) m = h;
    }
    return m;
  });
}

function values(sig: Uint32Array): bigint[] {
  return Array.from({ length: sig.length / 2 }, (_, i) => signatureValue(sig, i));
}

function shareBand(x: Uint32Array, y: Uint32Array, bands = 14, rows = 8): boolean {
  for (let b = 0; b < bands; b++) if (bandKey(x, b, rows).equals(bandKey(y, b, rows))) return true;
  return false;
}

describe('MinhashSigner', () => {
  const signer = new MinhashSigner();

  it('computes the reference formula over XXH64 of the 5-word shingles', () => {
    const t = 'The Quick, brown fox -- jumps over 3 lazy dogs; the quick brown fox jumps again!';
    const words = joinWhitespaceWords(simplifyText(t)).split(' ');
    const hashes = Array.from({ length: words.length - 4 }, (_, j) => xxh64(words.slice(j, j + 5).join(' ')));
    expect([...signer.shingleHashes(t)]).toEqual(hashes);
    expect(values(signer.sign(t)!)).toEqual(referenceSignature(hashes));
  });

  it('gives no signature to documents with fewer than 5 words', () => {
    expect(signer.sign('')).toBeNull();
    expect(signer.sign('one two three four')).toBeNull();
    expect(signer.sign('... --- !!! ???')).toBeNull();
    expect(signer.sign('one, two, three, four, five')).not.toBeNull();
    expect(signer.shingleHashes('one two three four five')).toHaveLength(1);
  });

  it('puts near-identical texts in a common band and unrelated texts in none', () => {
    const base = text(300, 1);
    const words = base.split(' ');
    words[150] = 'changed';
    const near = words.join(' ');
    const other = text(300, 2);
    const s0 = signer.sign(base)!;
    expect(shareBand(s0, signer.sign(near)!)).toBe(true);
    expect(shareBand(s0, signer.sign(base.toUpperCase().replace(/ /g, ',  '))!)).toBe(true);
    expect(shareBand(s0, signer.sign(other)!)).toBe(false);
    // identical normalized texts have identical signatures
    expect(signer.sign(`${base}!!!`)).toEqual(s0);
  });

  it('does not depend on the documents signed before (memory is reused)', () => {
    const small = text(20, 5);
    const expected = new MinhashSigner().sign(small);
    signer.sign(text(20000, 6));
    signer.sign('한국어 텍스트 '.repeat(500));
    expect(signer.sign(small)).toEqual(expected);
  });

  it('writes into a given array and rejects tokens with spaces', () => {
    const t = text(50, 11);
    const out = new Uint32Array(224);
    expect(signer.sign(t, out)).toBe(out);
    expect(out).toEqual(signer.sign(t));
    expect(() => signer.sign(t, new Uint32Array(10))).toThrow(RangeError);
    expect(() => signer.signWords(['a b', 'c', 'd', 'e', 'f'])).toThrow(/must not contain a space/);
  });

  it('uses a word splitter on the normalized text when given one', () => {
    const seen: string[] = [];
    const custom = new MinhashSigner({
      splitWords: (normalized) => {
        seen.push(normalized);
        return normalized.split(' ').flatMap((w) => (w === 'dont' ? ['do', 'nt'] : [w]));
      },
    });
    const t = "I dont know, don't you? We really dont.";
    const sig = custom.sign(t)!;
    expect(seen).toEqual([simplifyText(t)]);
    expect(sig).toEqual(custom.signWords(['i', 'do', 'nt', 'know', 'don', 't', 'you', 'we', 'really', 'do', 'nt']));
    expect(sig).not.toEqual(signer.sign(t));
  });

  it('supports 32-bit precision (XXH32 shingles, values masked to 32 bits)', () => {
    const s32 = new MinhashSigner({ precision: 32 });
    const t = text(40, 3);
    const words = t.split(' ');
    const hashes = Array.from({ length: words.length - 4 }, (_, j) => BigInt(xxh32(words.slice(j, j + 5).join(' '))));
    const sig = s32.sign(t)!;
    expect(values(sig)).toEqual(referenceSignature(hashes, 112, true));
    expect(values(sig).every((v) => v < 1n << 32n)).toBe(true);
  });

  it('supports character shingles and other band layouts', () => {
    const chars = new MinhashSigner({ shingle: 'char', nGrams: 3, numBuckets: 4, hashesPerBucket: 5 });
    const sig = chars.sign('Ab-cdé!')!; // normalized "ab cde": 4 shingles of 3 characters
    const norm = 'ab cde';
    const hashes = [0, 1, 2, 3].map((j) => xxh64(norm.slice(j, j + 3)));
    expect(sig).toHaveLength(40);
    expect(values(sig)).toEqual(referenceSignature(hashes, 20));
    expect(chars.sign('ab')).toBeNull();
  });
});

describe('band keys', () => {
  const signer = new MinhashSigner();
  const sig = signer.sign(text(100, 9))!;

  it('are 8 bytes per value, big-endian, so byte order is value order', () => {
    const keys = bandKeys(sig, 8);
    expect(keys).toHaveLength(14);
    expect(keys[0]).toHaveLength(64);
    expect(BigInt(`0x${keys[2]!.subarray(8, 16).toString('hex')}`)).toBe(signatureValue(sig, 17));
    const fake = (vals: bigint[]): Uint32Array => {
      const s = new Uint32Array(2 * vals.length);
      vals.forEach((v, i) => {
        s[2 * i] = Number(v >> 32n);
        s[2 * i + 1] = Number(v & 0xffffffffn);
      });
      return s;
    };
    const tuples = [[5n, 1n], [1n << 40n, 0n], [5n, 0n], [1n, 1n << 60n], [(1n << 40n) + 1n, 0n]];
    const sorted = [...tuples].sort((x, y) => (x[0]! < y[0]! ? -1 : x[0]! > y[0]! ? 1 : x[1]! < y[1]! ? -1 : x[1]! > y[1]! ? 1 : 0));
    const byKey = [...tuples].sort((x, y) => Buffer.compare(bandKey(fake(x), 0, 2), bandKey(fake(y), 0, 2)));
    expect(byKey).toEqual(sorted);
  });

  it('have a 128-bit digest that is equal exactly for equal bands', () => {
    const copy = sig.slice();
    expect(bandDigestHex(sig, 3, 8)).toBe(bandDigestHex(copy, 3, 8));
    copy[2 * 3 * 8 + 5] ^= 1;
    expect(bandDigestHex(sig, 3, 8)).not.toBe(bandDigestHex(copy, 3, 8));
    expect(bandDigestHex(sig, 4, 8)).toBe(bandDigestHex(copy, 4, 8));
    expect(bandDigestHex(sig, 3, 8)).toMatch(/^[0-9a-f]{32}$/);
  });
});
