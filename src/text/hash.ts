/**
 * Small, fast, deterministic string hashes for sampling and bucketing (not for MinHash, which has
 * its own bit-exact hashes). Stable across runs, machines and Node versions.
 */

/** murmur3's 32-bit finalizer: every input bit affects every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 53-bit hash of the UTF-16 code units of `s`, keyed by an integer seed. */
export function hash53(s: string, seed = 0): number {
  let a = (0x9e3779b9 ^ seed) >>> 0;
  let b = (0x7f4a7c15 ^ Math.imul(seed | 0, 0x27d4eb2f)) >>> 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a = fmix32(a ^ Math.imul(s.length, 0xcc9e2d51));
  b = fmix32(b ^ a);
  a = fmix32(a ^ b);
  return (b >>> 11) * 0x100000000 + a;
}

/** A uniform draw in [0, 1) determined by `s` and `seed`. */
export function unitHash(s: string, seed = 0): number {
  return hash53(s, seed) / 2 ** 53;
}
