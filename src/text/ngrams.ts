/**
 * Word n-gram repetition for the Gopher rules, where an n-gram is its words joined by " " (top
 * n-grams) or by "" (duplicated n-grams), compared as strings, without building them. Both work
 * on the document's word table (`word-table.ts`), so results are exact.
 *
 * - Top n-grams: words hold no " " (a tokenizer's never do), so " "-joined n-grams are equal
 *   exactly when their words are (otherwise they are counted from the joined strings). The
 *   n-grams get type ids as words do, n by n: the n-gram at i is the pair of the (n-1)-gram at i
 *   and the word at i + n - 1, looked up in a table of pairs. An n-gram can only repeat where the
 *   (n-1)-grams at i and i + 1 both repeat; elsewhere it occurs once and gets no id.
 * - Duplicated n-grams: ""-joined n-grams may be equal with other words ("ab"+"c", "a"+"bc"), so
 *   their keys come in O(1) from the prefix hashes of the joined characters, and an open-addressing
 *   table confirms equal keys by comparing the words' types, then the characters. A window of the
 *   first characters screens the word starts once for all n (see `screenStarts`); each n's scan
 *   visits only the starts that may hold a repeat.
 */
import * as hashing from './ngram-hash.js';
import * as python from './python.js';
import type { WordTable } from './word-table.js';

// module-local copies for the hot loops (some loaders put accessors in front of imported bindings)
const { bitmapSize, buffer, ngramsEqual, slotTable } = hashing;
const { codePointLength } = python;

export { wordTable, type WordTable } from './word-table.js';

/** The n-grams of one length: per position an id (-1: the n-gram occurs once); per id its count and first position. */
interface Level {
  readonly ids: Int32Array;
  readonly count: Int32Array;
  readonly first: Int32Array;
  /** Number of ids. */
  readonly kinds: number;
}

/**
 * The top n-gram scores of the reference for each n of `ns`: len(ngram) * count for the most
 * frequent n-gram (words joined by " "; ties go to the first seen), in code points; 0 when there
 * are fewer than n words. The n-grams of a length are pairs of shorter ones: of the (n-1)-grams and
 * words when the (n-1)-grams are known (as for consecutive lengths), else of a power of two and the
 * rest, so each n of `ns` takes O(words) times at most O(log n) lengths.
 */
export function topNgramScores(h: WordTable, ns: readonly number[]): number[] {
  if (h.spaceInWord) return ns.map((n) => topNgramByStrings(h, n));
  const w = h.words.length;
  const levels = new Map<number, Level>([[1, { ids: h.ids, count: h.typeCount, first: h.typeFirst, kinds: h.types }]]);
  const level = (n: number): Level => {
    let l = levels.get(n);
    if (l === undefined) {
      const p = levels.has(n - 1) ? n - 1 : 1 << (31 - Math.clz32(n - 1));
      l = pairLevel(h, n, p, level(p), level(n - p));
      levels.set(n, l);
    }
    return l;
  };
  const scores = new Map<number, number>();
  let unique = Infinity; // from this length on, every n-gram occurs once
  for (const n of [...ns].sort((x, y) => x - y)) {
    if (n < 1 || n > w || scores.has(n)) continue;
    // with no repeat, the first n-gram (count 1) is the top one
    let score = h.cp[n]! - h.cp[0]! + (n - 1);
    if (n < unique) {
      const top = topOf(level(n));
      if (top.count > 1) score = (h.cp[top.first + n]! - h.cp[top.first]! + (n - 1)) * top.count;
      else unique = n;
    }
    scores.set(n, score);
  }
  return ns.map((n) => scores.get(n) ?? 0);
}

/** Names of the scratch buffers for the levels of short n-grams (longer ones are rare and get their own). */
const LEVEL_BUFFERS = Array.from({ length: 9 }, (_, n) => ['ids', 'count', 'first'].map((part) => `top${n}${part}`));

function levelBuffer(n: number, part: 0 | 1 | 2, size: number): Int32Array {
  return n < LEVEL_BUFFERS.length ? buffer(LEVEL_BUFFERS[n]![part]!, size) : new Int32Array(size);
}

/**
 * The n-grams of length n as pairs (the p-gram at i, the (n - p)-gram at i + p) of the levels `a`
 * and `b`. Only pairs of repeated parts can repeat; when b is the words (p = n - 1), the screen
 * asks the same of the (n-1)-grams at i and i + 1 (a repeated n-gram has both repeated). Ids count
 * in order of first occurrence, and every n-gram that repeats gets one.
 */
function pairLevel(h: WordTable, n: number, p: number, a: Level, b: Level): Level {
  const total = h.words.length - n + 1;
  const ids = levelBuffer(n, 0, total);
  const count = levelBuffer(n, 1, total);
  const first = levelBuffer(n, 2, total);
  const { ids: aIds, count: aCount } = a;
  const { ids: bIds, count: bCount } = b;
  // with b the words (p = n - 1), the (n-1)-gram at i + 1 stands for the last word in the screen
  const seq = p === n - 1;
  const screenIds = seq ? aIds : bIds;
  const screenCount = seq ? aCount : bCount;
  const at2 = seq ? 1 : p;
  // slot: the first part's id, the second part's id, tag (epoch and id + 1)
  const { table, shift, mask, tagHigh, posMask } = slotTable(total, total, 3);
  let kinds = 0;
  for (let i = 0; i < total; i++) {
    const x = aIds[i]!;
    const z = screenIds[i + at2]!;
    if (x < 0 || z < 0 || aCount[x]! < 2 || screenCount[z]! < 2) {
      ids[i] = -1;
      continue;
    }
    const y = bIds[i + p]!;
    let slot = (Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca77)) >>> shift;
    for (;;) {
      const at = 3 * slot;
      const tag = table[at + 2]!;
      if ((tag & ~posMask) !== tagHigh || tag === 0) {
        const id = kinds++;
        table[at] = x;
        table[at + 1] = y;
        table[at + 2] = tagHigh | (id + 1);
        count[id] = 1;
        first[id] = i;
        ids[i] = id;
        break;
      }
      if (table[at] === x && table[at + 1] === y) {
        const id = (tag & posMask) - 1;
        count[id]!++;
        ids[i] = id;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { ids, count, first, kinds };
}

/** The most frequent n-gram of a level: its count and first position (ties: the first seen). */
function topOf(l: Level): { count: number; first: number } {
  let best = { count: 1, first: 0 };
  for (let id = 0; id < l.kinds; id++) {
    // ids are in order of first occurrence, so the first of equal counts wins
    if (l.count[id]! > best.count) best = { count: l.count[id]!, first: l.first[id]! };
  }
  return best;
}

/** The top n-gram score built from the " "-joined strings (for words that hold a " "). */
function topNgramByStrings(h: WordTable, n: number): number {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= h.words.length; i++) {
    const gram = h.words.slice(i, i + n).join(' ');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  let best = '';
  let bestCount = 0;
  for (const [gram, c] of counts) if (c > bestCount) [best, bestCount] = [gram, c]; // in first-seen order
  return codePointLength(best) * bestCount;
}

/** The top n-gram score for one n (see `topNgramScores`). */
export function topNgramChars(h: WordTable, n: number): number {
  return topNgramScores(h, [n])[0]!;
}

/**
 * The window that screens duplicated n-grams: two equal ""-joined n-grams of WINDOW characters or
 * more begin with equal WINDOW-character windows at their first words, so such an n-gram whose
 * window occurs at no other word start is unique, whatever n. Shorter n-grams go to the table.
 */
const WINDOW = 12;

/**
 * The word starts where the n-gram of some n of `ns` may repeat: its window's key bit is seen at
 * another word start too, or the window runs past the end, or the shortest n-gram is shorter than
 * the window. Positions not listed hold unique n-grams of WINDOW characters or more, for every n.
 */
function screenStarts(h: WordTable, ns: readonly number[]): Int32Array {
  const w = h.words.length;
  const { units, chars, joinedInv } = h;
  const end = units[w]!;
  const { logBits, words: bitWords } = bitmapSize(w);
  const shift = 32 - logBits;
  const once = buffer('once', bitWords).fill(0, 0, bitWords);
  const hot = buffer('hot', bitWords).fill(0, 0, bitWords);
  const keys = buffer('windowKeys', w);
  let full = 0; // word starts from here on have no full window
  while (full < w && units[full]! + WINDOW <= end) {
    const u = units[full]!;
    const key = Math.imul((chars[u + WINDOW]! - chars[u]!) | 0, joinedInv[full]!);
    keys[full++] = key;
    const b = key >>> shift;
    const bit = 1 << (b & 31);
    if ((once[b >>> 5]! & bit) === 0) once[b >>> 5]! |= bit;
    else hot[b >>> 5]! |= bit;
  }
  let nMin = Infinity;
  for (const n of ns) if (n >= 1 && n < nMin) nMin = n;
  const maybe = buffer('maybe', w);
  let count = 0;
  for (let i = 0; i < w; i++) {
    if (i >= full || i + nMin > w || units[i + nMin]! - units[i]! < WINDOW) maybe[count++] = i;
    else {
      const b = keys[i]! >>> shift;
      if ((hot[b >>> 5]! >>> (b & 31)) & 1) maybe[count++] = i;
    }
  }
  return maybe.subarray(0, count);
}

/**
 * The duplicated n-gram characters of the reference for each n of `ns` (words joined by ""):
 * scanning from the start, an n-gram seen before adds its length and jumps n words; otherwise it is
 * recorded and the scan moves one word. In code points; 0 when there are fewer than n words.
 */
export function duplicatedNgramScores(h: WordTable, ns: readonly number[]): number[] {
  const w = h.words.length;
  if (!ns.some((n) => n >= 1 && n <= w)) return ns.map(() => 0);
  const maybe = screenStarts(h, ns);
  return ns.map((n) => (n >= 1 && w - n + 1 > 0 ? duplicateScan(h, n, maybe) : 0));
}

/**
 * The scan of one n. Only the word starts of `maybe` can hold an n-gram seen elsewhere; at any other
 * start the reference records a unique n-gram and moves on, which changes nothing, so the scan
 * visits `maybe` only, in order, skipping the starts that a repeat jumps over.
 */
function duplicateScan(h: WordTable, n: number, maybe: Int32Array): number {
  const total = h.words.length - n + 1;
  // slot: key, tag (epoch and position + 1)
  const { table, shift, mask, tagHigh, posMask } = slotTable(Math.min(total, maybe.length), total, 2);
  const { cp, units, chars, joinedInv } = h;
  let repeated = 0;
  let next = 0; // the scan's position: starts before it were jumped over
  for (let k = 0; k < maybe.length; k++) {
    const i = maybe[k]!;
    if (i >= total) break;
    if (i < next) continue;
    const key = Math.imul((chars[units[i + n]!]! - chars[units[i]!]!) | 0, joinedInv[i]!);
    let slot = key >>> shift;
    for (;;) {
      const tag = table[2 * slot + 1]!;
      if ((tag & ~posMask) !== tagHigh || tag === 0) {
        table[2 * slot] = key;
        table[2 * slot + 1] = tagHigh | (i + 1);
        break;
      }
      if (table[2 * slot] === key && ngramsEqual(h, (tag & posMask) - 1, i, n, false)) {
        repeated += cp[i + n]! - cp[i]!;
        next = i + n;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return repeated;
}

/** The duplicated n-gram characters for one n (see `duplicatedNgramScores`). */
export function duplicatedNgramChars(h: WordTable, n: number): number {
  return duplicatedNgramScores(h, [n])[0]!;
}
