/**
 * XXH64 and XXH32 (seeded, over a byte range) in plain JS, bit-exact with the reference xxHash:
 * for tests, band digests and one-off hashing. Shingles are hashed in bulk by the WebAssembly
 * kernel (`kernel.ts`), about 15 times faster.
 *
 * 64-bit values are two 32-bit halves. The low half of a 32x32 product comes from `Math.imul`;
 * the high half from the float product: `fl(a*b) - lo` is within 2^12 of `hi * 2^32`, so
 * rounding `(fl(a*b) - lo) / 2^32` gives `hi` exactly. No BigInt, no allocation.
 */

const TWO32 = 4294967296;
const INV32 = 1 / TWO32;

// XXH64 primes as (high, low) halves.
const P1H = 0x9e3779b1, P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d, P2L = 0x27d4eb4f;
const P3H = 0x165667b1, P3L = 0x9e3779f9;
const P4H = 0x85ebca77, P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f, P5L = 0x165667c5;

/** Result of the helpers below: R[0] the high half, R[1] the low half (a typed array, so that
 * storing a half never allocates). */
const R = new Int32Array(2);

/** (ah:al) * (bh:bl) mod 2^64 -> R. Inputs are 32-bit halves, signed or unsigned. */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  const lo = Math.imul(al, bl);
  const hiLL = Math.round(((al >>> 0) * (bl >>> 0) - (lo >>> 0)) * INV32);
  R[0] = (hiLL + Math.imul(ah, bl) + Math.imul(al, bh)) | 0;
  R[1] = lo;
}

/** XXH64 round: rotl(acc + input * P2, 31) * P1 -> R. */
function round64(acch: number, accl: number, inh: number, inl: number): void {
  mul64(inh, inl, P2H, P2L);
  const sl = (accl >>> 0) + (R[1]! >>> 0);
  const l = sl | 0;
  const h = (acch + R[0]! + (sl >= TWO32 ? 1 : 0)) | 0;
  mul64((h << 31) | (l >>> 1), (l << 31) | (h >>> 1), P1H, P1L); // rotl 31
}

/** XXH64 merge round: (h ^ round(0, v)) * P1 + P4 -> R. */
function mergeRound(hh: number, hl: number, vh: number, vl: number): void {
  round64(0, 0, vh, vl);
  mul64(hh ^ R[0]!, hl ^ R[1]!, P1H, P1L);
  add64(R[0]!, R[1]!, P4H, P4L);
}

/** (ah:al) + (bh:bl) mod 2^64 -> R */
function add64(ah: number, al: number, bh: number, bl: number): void {
  const sl = (al >>> 0) + (bl >>> 0);
  R[1] = sl | 0;
  R[0] = (ah + bh + (sl >= TWO32 ? 1 : 0)) | 0;
}

/** (ah:al) - (bh:bl) mod 2^64 -> R */
function sub64(ah: number, al: number, bh: number, bl: number): void {
  const sl = (al >>> 0) - (bl >>> 0);
  R[1] = sl | 0;
  R[0] = (ah - bh - (sl < 0 ? 1 : 0)) | 0;
}

/** rotl(h:l, r) for 0 < r < 32, added to R. */
function addRotl(h: number, l: number, r: number): void {
  add64(R[0]!, R[1]!, (h << r) | (l >>> (32 - r)), (l << r) | (h >>> (32 - r)));
}

function readU32(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
}

/**
 * XXH64 of `buf[start, end)` with a 64-bit seed given as halves (default 0). Writes the high half
 * to `out[outIndex]` and the low half to `out[outIndex + 1]`.
 */
export function xxh64Into(
  buf: Uint8Array,
  start: number,
  end: number,
  out: Uint32Array,
  outIndex: number,
  seedHi = 0,
  seedLo = 0,
): void {
  const len = end - start;
  let p = start;
  let hh: number;
  let hl: number;
  if (len >= 32) {
    // v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1
    add64(seedHi, seedLo, P1H, P1L);
    add64(R[0]!, R[1]!, P2H, P2L);
    let v1h = R[0]!, v1l = R[1]!;
    add64(seedHi, seedLo, P2H, P2L);
    let v2h = R[0]!, v2l = R[1]!;
    let v3h = seedHi | 0, v3l = seedLo | 0;
    sub64(seedHi, seedLo, P1H, P1L);
    let v4h = R[0]!, v4l = R[1]!;
    for (const limit = end - 32; p <= limit; p += 32) {
      round64(v1h, v1l, readU32(buf, p + 4), readU32(buf, p));
      v1h = R[0]!; v1l = R[1]!;
      round64(v2h, v2l, readU32(buf, p + 12), readU32(buf, p + 8));
      v2h = R[0]!; v2l = R[1]!;
      round64(v3h, v3l, readU32(buf, p + 20), readU32(buf, p + 16));
      v3h = R[0]!; v3l = R[1]!;
      round64(v4h, v4l, readU32(buf, p + 28), readU32(buf, p + 24));
      v4h = R[0]!; v4l = R[1]!;
    }
    // h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18), then the merge rounds
    R[0] = 0;
    R[1] = 0;
    addRotl(v1h, v1l, 1);
    addRotl(v2h, v2l, 7);
    addRotl(v3h, v3l, 12);
    addRotl(v4h, v4l, 18);
    mergeRound(R[0]!, R[1]!, v1h, v1l);
    mergeRound(R[0]!, R[1]!, v2h, v2l);
    mergeRound(R[0]!, R[1]!, v3h, v3l);
    mergeRound(R[0]!, R[1]!, v4h, v4l);
  } else {
    add64(seedHi, seedLo, P5H, P5L);
  }
  add64(R[0]!, R[1]!, 0, len);
  hh = R[0]!;
  hl = R[1]!;
  for (; p + 8 <= end; p += 8) {
    round64(0, 0, readU32(buf, p + 4), readU32(buf, p));
    const xh = hh ^ R[0]!;
    const xl = hl ^ R[1]!;
    // rotl 27, * P1, + P4
    mul64((xh << 27) | (xl >>> 5), (xl << 27) | (xh >>> 5), P1H, P1L);
    add64(R[0]!, R[1]!, P4H, P4L);
    hh = R[0]!;
    hl = R[1]!;
  }
  if (p + 4 <= end) {
    mul64(0, readU32(buf, p), P1H, P1L);
    const xh = hh ^ R[0]!;
    const xl = hl ^ R[1]!;
    // rotl 23, * P2, + P3
    mul64((xh << 23) | (xl >>> 9), (xl << 23) | (xh >>> 9), P2H, P2L);
    add64(R[0]!, R[1]!, P3H, P3L);
    hh = R[0]!;
    hl = R[1]!;
    p += 4;
  }
  for (; p < end; p++) {
    mul64(0, buf[p]!, P5H, P5L);
    const xh = hh ^ R[0]!;
    const xl = hl ^ R[1]!;
    // rotl 11, * P1
    mul64((xh << 11) | (xl >>> 21), (xl << 11) | (xh >>> 21), P1H, P1L);
    hh = R[0]!;
    hl = R[1]!;
  }
  // avalanche
  hl ^= hh >>> 1; // h ^= h >> 33
  mul64(hh, hl, P2H, P2L);
  hl = R[1]! ^ ((R[1]! >>> 29) | (R[0]! << 3)); // h ^= h >> 29
  hh = R[0]! ^ (R[0]! >>> 29);
  mul64(hh, hl, P3H, P3L);
  out[outIndex] = R[0]!;
  out[outIndex + 1] = R[1]! ^ R[0]!; // h ^= h >> 32
}

const scratch = new Uint32Array(2);

/** XXH64 of bytes or of a string's UTF-8 encoding, as a BigInt (for tests and one-off use). */
export function xxh64(data: Uint8Array | string, seed: bigint = 0n): bigint {
  const buf = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const s = BigInt.asUintN(64, seed);
  xxh64Into(buf, 0, buf.length, scratch, 0, Number(s >> 32n), Number(s & 0xffffffffn));
  return (BigInt(scratch[0]!) << 32n) | BigInt(scratch[1]!);
}

// XXH32 primes.
const Q1 = 0x9e3779b1, Q2 = 0x85ebca77, Q3 = 0xc2b2ae3d, Q4 = 0x27d4eb2f, Q5 = 0x165667b1;

function rotl32(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** XXH32 of `buf[start, end)` with a 32-bit seed, as an unsigned 32-bit number. */
export function xxh32Range(buf: Uint8Array, start: number, end: number, seed = 0): number {
  const len = end - start;
  let p = start;
  let h: number;
  if (len >= 16) {
    let v1 = (seed + Q1 + Q2) | 0;
    let v2 = (seed + Q2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - Q1) | 0;
    const limit = end - 16;
    while (p <= limit) {
      v1 = Math.imul(rotl32((v1 + Math.imul(readU32(buf, p), Q2)) | 0, 13), Q1);
      v2 = Math.imul(rotl32((v2 + Math.imul(readU32(buf, p + 4), Q2)) | 0, 13), Q1);
      v3 = Math.imul(rotl32((v3 + Math.imul(readU32(buf, p + 8), Q2)) | 0, 13), Q1);
      v4 = Math.imul(rotl32((v4 + Math.imul(readU32(buf, p + 12), Q2)) | 0, 13), Q1);
      p += 16;
    }
    h = (rotl32(v1, 1) + rotl32(v2, 7) + rotl32(v3, 12) + rotl32(v4, 18)) | 0;
  } else {
    h = (seed + Q5) | 0;
  }
  h = (h + len) | 0;
  while (p + 4 <= end) {
    h = Math.imul(rotl32((h + Math.imul(readU32(buf, p), Q3)) | 0, 17), Q4);
    p += 4;
  }
  while (p < end) {
    h = Math.imul(rotl32((h + Math.imul(buf[p]!, Q5)) | 0, 11), Q1);
    p++;
  }
  h ^= h >>> 15;
  h = Math.imul(h, Q2);
  h ^= h >>> 13;
  h = Math.imul(h, Q3);
  h ^= h >>> 16;
  return h >>> 0;
}

/** XXH32 of bytes or of a string's UTF-8 encoding. */
export function xxh32(data: Uint8Array | string, seed = 0): number {
  const buf = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return xxh32Range(buf, 0, buf.length, seed);
}
