/**
 * The machinery of the word n-gram rules (see `ngrams.ts`): polynomial prefix hashes (mod 2^32) of
 * the ""-joined words and of word tuples, so that any n-gram's hash ("key") follows in O(1); exact
 * n-gram comparison; bitmaps of keys seen more than once; and open-addressing tables that need no
 * clearing. When the words are the tokens of a given text, their characters are read from the
 * text (one flat string) rather than from the many word strings, which is several times faster.
 * Buffers are reused between calls (one worker, synchronous use).
 */
import * as python from './python.js';

// module-local copies for the hot loops (some loaders put accessors in front of imported bindings)
const { codePointLength, isPyWhitespace } = python;

/** Odd multiplier of the polynomial hash (mod 2^32) and its inverse. */
const BASE = 0x9e3779b1 | 0;
const BASE_INV = inverseMod32(BASE);

function inverseMod32(a: number): number {
  let x = a; // Newton's iteration: each step doubles the number of correct low bits
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(a, x));
  return x;
}

/** BASE^k and BASE^-k for short lengths. */
const POW_TABLE = 64;
const POW = new Int32Array(POW_TABLE);
const INV_POW = new Int32Array(POW_TABLE);
POW[0] = 1;
INV_POW[0] = 1;
for (let k = 1; k < POW_TABLE; k++) {
  POW[k] = Math.imul(POW[k - 1]!, BASE);
  INV_POW[k] = Math.imul(INV_POW[k - 1]!, BASE_INV);
}

function power(base: number, k: number): number {
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

export function bytes(name: string, size: number): Uint8Array {
  const b = buffer(name, (size + 3) >> 2);
  return new Uint8Array(b.buffer, b.byteOffset, size);
}

/** Per-word prefix data from which any n-gram's key and length follow in O(1). */
export interface WordHashes {
  readonly words: readonly string[];
  /** Prefix sums of word lengths: code points and UTF-16 units (length: words + 1). */
  readonly cp: Int32Array;
  readonly units: Int32Array;
  /**
   * Polynomial hash of the ""-joined words up to every character (length: units + 1), and the
   * inverse power at each word's start: the key of the ""-joined n-gram at i, or of any m
   * characters from word i, is (chars[units[i] + m] - chars[units[i]]) * joinedInv[i].
   */
  readonly chars: Int32Array;
  readonly joinedInv: Int32Array;
  /**
   * The same over word fingerprints (a hash of each word and its length), for word tuples: the key
   * of the n-gram at i as a tuple of words is (tuple[i + n] - tuple[i]) * tupleInv[i].
   */
  readonly tuple: Int32Array;
  readonly tupleInv: Int32Array;
  /** True when a word contains " " (then " "-joined n-grams are not word tuples). */
  readonly spaceInWord: boolean;
  /** The text the words were read from, and each word's offset in it (null: read from the words). */
  readonly text: string | null;
  readonly starts: Int32Array | null;
}

/** Odd multiplier of the word-tuple hash and its inverse. */
const TUPLE_BASE = 0x85ebca77 | 0;
const TUPLE_INV = inverseMod32(TUPLE_BASE);

/**
 * Prefix hashes of `words` (valid until the next call: the arrays are shared scratch space).
 * `astral`: whether the words may hold surrogates (false: code points = UTF-16 units).
 *
 * With `text`, when the words are the text's tokens in order (whitespace-free pieces that cover
 * it, as a tokenizer makes them), the characters are read from the text, which is much faster
 * than visiting every word string; each word's length and first and last characters are checked
 * against the text, and any mismatch falls back to reading the words.
 */
export function wordHashes(words: readonly string[], astral = true, text?: string): WordHashes {
  const n = words.length;
  const units = buffer('units', n + 1);
  let chars = buffer('chars', (text?.length ?? 0) + 1);
  let starts: Int32Array | null = text !== undefined ? buffer('starts', n) : null;
  let spaceInWord = text !== undefined ? hashChars(words, text, chars, units, starts) : null;
  if (spaceInWord === null) {
    let total = 0;
    for (let w = 0; w < n; w++) total += words[w]!.length;
    chars = buffer('chars', total + 1);
    starts = null;
    spaceInWord = hashChars(words, null, chars, units, null)!;
  }
  const cp = astral ? buffer('cp', n + 1) : units;
  const joinedInv = buffer('joinedInv', n);
  const tuple = buffer('tuple', n + 1);
  const tupleInv = buffer('tupleInv', n);
  let inv = 1; // BASE^-units[w]
  let t = 0, q = 1, qInv = 1; // tuples: hash sum, TUPLE_BASE^index, TUPLE_BASE^-index
  tuple[0] = 0;
  if (astral) cp[0] = 0;
  for (let w = 0; w < n; w++) {
    const u = units[w]!;
    const len = units[w + 1]! - u;
    joinedInv[w] = inv;
    const h = Math.imul((chars[u + len]! - chars[u]!) | 0, inv); // the word's own hash
    const pw = len < POW_TABLE ? POW[len]! : power(BASE, len);
    inv = Math.imul(inv, len < POW_TABLE ? INV_POW[len]! : power(BASE_INV, len));
    if (astral) cp[w + 1] = cp[w]! + codePointLength(words[w]!);
    // fingerprint: the word's hash with its length mixed in
    tupleInv[w] = qInv;
    t = (t + Math.imul((h + pw) ^ Math.imul(len, 0x27d4eb2d), q)) | 0;
    q = Math.imul(q, TUPLE_BASE);
    qInv = Math.imul(qInv, TUPLE_INV);
    tuple[w + 1] = t;
  }
  return { words, cp, units, chars, joinedInv, tuple, tupleInv, spaceInWord, text: starts === null ? null : text!, starts };
}

/**
 * Fills `out` with the prefix hash of the ""-joined words at every character and `units` with the
 * words' length prefix sums, reading the characters from `text` (null: from the words; `starts`
 * gets each word's offset in the text). Returns whether a word holds " ", or null when the words
 * are not the text's tokens.
 */
function hashChars(
  words: readonly string[],
  text: string | null,
  out: Int32Array,
  units: Int32Array,
  starts: Int32Array | null,
): boolean | null {
  let space = false;
  let g = 0;
  let p = 1;
  let k = 0;
  let pos = 0;
  out[0] = 0;
  units[0] = 0;
  for (let w = 0; w < words.length; w++) {
    const word = words[w]!;
    const len = word.length;
    let src: string = word;
    let at = 0;
    if (text !== null) {
      while (pos < text.length && isPyWhitespace(text.charCodeAt(pos))) pos++;
      if (len === 0 || pos + len > text.length) return null;
      if (text.charCodeAt(pos) !== word.charCodeAt(0) || text.charCodeAt(pos + len - 1) !== word.charCodeAt(len - 1)) return null;
      src = text;
      at = pos;
      starts![w] = pos;
      pos += len;
    }
    for (let j = 0; j < len; j++) {
      const c = src.charCodeAt(at + j);
      space ||= c === 0x20;
      g = (g + Math.imul(c, p)) | 0;
      p = Math.imul(p, BASE);
      out[++k] = g;
    }
    units[w + 1] = k;
  }
  return space;
}

/** True when the words at a.. and b.. are equal one by one, compared in the text they were read from. */
function sameWordsInText(text: string, starts: Int32Array, units: Int32Array, a: number, b: number, n: number): boolean {
  for (let t = 0; t < n; t++) {
    const len = units[a + t + 1]! - units[a + t]!;
    if (units[b + t + 1]! - units[b + t]! !== len) return false;
    const sa = starts[a + t]!;
    const sb = starts[b + t]!;
    if (sa === sb) continue;
    for (let k = 0; k < len; k++) if (text.charCodeAt(sa + k) !== text.charCodeAt(sb + k)) return false;
  }
  return true;
}

/** Compares the n-grams at word `a` and word `b` as joined strings (" "-joined when `spaced`). */
export function ngramsEqual(h: WordHashes, a: number, b: number, n: number, spaced: boolean): boolean {
  const words = h.words;
  if (h.starts !== null) {
    if (sameWordsInText(h.text!, h.starts, h.units, a, b, n)) return true;
  } else {
    let t = 0;
    while (t < n && words[a + t] === words[b + t]) t++;
    if (t === n) return true;
  }
  // word boundaries differ (or a hash collision): walk both joined strings character by character
  let wa = a, oa = 0, wb = b, ob = 0;
  const endA = a + n, endB = b + n;
  for (;;) {
    let ca = -1;
    while (wa < endA) {
      const s = words[wa]!;
      if (oa < s.length) {
        ca = s.charCodeAt(oa++);
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
      const s = words[wb]!;
      if (ob < s.length) {
        cb = s.charCodeAt(ob++);
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
 * The n-gram keys of one pass in `keys[i]` (for every i, or where `visit[i] & visit[i + 1]`), from
 * prefix hashes (`prefix`, `inv`: see WordHashes), and a bitmap `hot` of the keys' top bits that
 * occur more than once. A key whose bit is not hot is unique among the visited n-grams. Returns the
 * bitmap shift (bit = key >>> shift), or -1 when no bit is hot, and how many keys found their bit
 * already set.
 */
export function hashPass(
  prefix: Int32Array,
  inv: Int32Array,
  n: number,
  total: number,
  visit: Uint8Array | null,
  keys: Int32Array,
): { hot: Int32Array; shift: number; repeats: number } {
  const { logBits, words } = bitmapSize(total);
  const shift = 32 - logBits;
  const once = buffer('once', words);
  const hot = buffer('hot', words);
  once.fill(0, 0, words);
  hot.fill(0, 0, words);
  let repeats = 0;
  for (let i = 0; i < total; i++) {
    if (visit !== null && (visit[i]! & visit[i + 1]!) === 0) continue;
    const key = Math.imul((prefix[i + n]! - prefix[i]!) | 0, inv[i]!);
    keys[i] = key;
    const b = key >>> shift;
    const bit = 1 << (b & 31);
    if ((once[b >>> 5]! & bit) === 0) once[b >>> 5]! |= bit;
    else {
      hot[b >>> 5]! |= bit;
      repeats++;
    }
  }
  return { hot, shift: repeats > 0 ? shift : -1, repeats };
}

/**
 * Open-addressing tables of `stride`-int slots: key, tag, and for top n-grams a count. The tag is
 * the table's epoch (high 8 bits) and position + 1 (low 24 bits): a slot of another epoch is empty,
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
