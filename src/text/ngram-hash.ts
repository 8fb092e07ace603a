/**
 * The machinery of the word n-gram rules (see `ngrams.ts` and `word-table.ts`): the polynomial
 * hash (mod 2^32) behind the n-gram keys, exact n-gram comparison, bitmaps of keys seen more than
 * once, and open-addressing tables that need no clearing. Buffers are reused between calls (one
 * worker, synchronous use).
 */
import type { WordTable } from './word-table.js';

/** Odd multiplier of the polynomial hash (mod 2^32) and its inverse. */
export const BASE = 0x9e3779b1 | 0;
export const BASE_INV = inverseMod32(BASE);

function inverseMod32(a: number): number {
  let x = a; // Newton's iteration: each step doubles the number of correct low bits
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(a, x));
  return x;
}

/** BASE^-k for short lengths. */
export const POW_TABLE = 64;
export const INV_POW = new Int32Array(POW_TABLE);
INV_POW[0] = 1;
for (let k = 1; k < POW_TABLE; k++) INV_POW[k] = Math.imul(INV_POW[k - 1]!, BASE_INV);

export function power(base: number, k: number): number {
  let r = 1;
  while (k > 0) {
    if (k & 1) r = Math.imul(r, base);
    base = Math.imul(base, base);
    k >>>= 1;
  }
  return r;
}

/** Growable scratch buffers; very large ones are not kept after use. */
const KEEP_LIMIT = 1 << 21;
const scratch = new Map<string, Int32Array>();
export function buffer(name: string, size: number): Int32Array {
  const have = scratch.get(name);
  if (have !== undefined && have.length >= size) return have;
  const buf = new Int32Array(Math.max(size, 64));
  if (size <= KEEP_LIMIT) scratch.set(name, buf);
  return buf;
}

/** Compares the n-grams at word `a` and word `b` as joined strings (" "-joined when `spaced`). */
export function ngramsEqual(h: WordTable, a: number, b: number, n: number, spaced: boolean): boolean {
  const { ids, text, starts, ends } = h;
  let t = 0;
  while (t < n && ids[a + t] === ids[b + t]) t++;
  if (t === n) return true;
  if (spaced && !h.spaceInWord) return false; // " "-joined n-grams of words without " " are word tuples
  // word boundaries differ: walk both joined strings character by character
  let wa = a, oa = 0, wb = b, ob = 0;
  const endA = a + n, endB = b + n;
  for (;;) {
    let ca = -1;
    while (wa < endA) {
      if (oa < ends[wa]! - starts[wa]!) {
        ca = text.charCodeAt(starts[wa]! + oa++);
        break;
      }
      wa++;
      oa = 0;
      if (spaced && wa < endA) {
        ca = 0x20;
        break;
      }
    }
    let cb = -1;
    while (wb < endB) {
      if (ob < ends[wb]! - starts[wb]!) {
        cb = text.charCodeAt(starts[wb]! + ob++);
        break;
      }
      wb++;
      ob = 0;
      if (spaced && wb < endB) {
        cb = 0x20;
        break;
      }
    }
    if (ca !== cb) return false;
    if (ca < 0) return true;
  }
}

/** A bitmap of 16 bits per key or more (so about 1 in 16 unique keys shares a bit by chance). */
export function bitmapSize(count: number): { logBits: number; words: number } {
  let logBits = 6;
  while (1 << logBits < 16 * count) logBits++;
  return { logBits, words: 1 << (logBits - 5) };
}

/**
 * Open-addressing tables of `stride`-int slots, one of which holds a tag: the table's epoch (high
 * 8 bits) and a position or id + 1 (low 24 bits). A slot whose tag is of another epoch is empty,
 * so a new table costs no clearing (except once every 255 tables, or for positions of 2^24 or more,
 * where the table is cleared and the tag is the plain position + 1). The slot of a key is its top
 * bits. `entries`: at most this many keys go in (the table has twice as many slots or more);
 * `positions`: stored positions are below this.
 */
const POS_BITS = 24;
const POS_MASK = (1 << POS_BITS) - 1;

export interface SlotTable {
  table: Int32Array;
  shift: number;
  mask: number;
  tagHigh: number;
  posMask: number;
}

/** A reusable table buffer, its epoch, and how far it was written since it was last cleared. */
const tagged = new Map<number, { buf: Int32Array; epoch: number; used: number }>();

export function slotTable(entries: number, positions: number, stride: number): SlotTable {
  let bits = 4;
  while (1 << bits < 2 * entries) bits++;
  const size = 1 << bits;
  const shift = 32 - bits;
  const mask = size - 1;
  const length = stride * size;
  let tb = tagged.get(stride);
  if (tb === undefined || tb.buf.length < length) {
    tb = { buf: new Int32Array(Math.max(length, 1024)), epoch: 0, used: 0 }; // zeroed: empty in every epoch
    if (length <= KEEP_LIMIT) tagged.set(stride, tb);
  }
  if (positions >= POS_MASK) {
    tb.buf.fill(0, 0, length);
    tb.epoch = 255; // the next tagged use clears again
    tb.used = Math.max(tb.used, length);
    return { table: tb.buf, shift, mask, tagHigh: 0, posMask: 0x7fffffff };
  }
  if (++tb.epoch > 255) {
    tb.buf.fill(0, 0, tb.used);
    tb.epoch = 1;
    tb.used = 0;
  }
  tb.used = Math.max(tb.used, length);
  return { table: tb.buf, shift, mask, tagHigh: tb.epoch << POS_BITS, posMask: POS_MASK };
}
