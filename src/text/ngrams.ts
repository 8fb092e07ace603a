/**
 * Word n-gram repetition for the Gopher rules, where an n-gram is its words joined by " " (top
 * n-grams) or by "" (duplicated n-grams), compared as strings, without building them. Keys come
 * in O(1) from the prefix hashes of `wordHashes`; only n-grams that may repeat go through an
 * open-addressing table, where equal keys are confirmed by comparing characters, so results are
 * exact ("ab"+"c" and "a"+"bc" are the same ""-joined n-gram, as in the reference).
 *
 * - Top n-grams: words hold no " " (a tokenizer's never do), so " "-joined n-grams are equal
 *   exactly when their words are (otherwise they are counted from the joined strings). For
 *   ascending n, an n-gram can only repeat where the (n-1)-grams at its first and second word both
 *   repeat (for the first n: where both words repeat); a bitmap of the keys seen more than once
 *   then sends only those n-grams to the table.
 * - Duplicated n-grams: a window of the first characters screens the word starts once for all n
 *   (see `screenStarts`); each n's scan visits only the starts that may hold a repeat.
 */
import * as hashing from './ngram-hash.js';
import type { WordHashes } from './ngram-hash.js';
import * as python from './python.js';

// module-local copies for the hot loops (some loaders put accessors in front of imported bindings)
const { bitmapSize, buffer, bytes, hashPass, ngramsEqual, slotTable } = hashing;
const { codePointLength } = python;

export { wordHashes, type WordHashes } from './ngram-hash.js';

/**
 * The top n-gram scores of the reference for each n of `ns`: len(ngram) * count for the most
 * frequent n-gram (words joined by " "; ties go to the first seen), in code points; 0 when there
 * are fewer than n words.
 */
export function topNgramScores(h: WordHashes, ns: readonly number[]): number[] {
  if (h.spaceInWord) return ns.map((n) => topNgramByStrings(h, n));
  const order = ns.map((_n, k) => k).sort((x, y) => ns[x]! - ns[y]!);
  const scores = new Array<number>(ns.length).fill(0);
  // the words that may occur twice: a first screen for the smallest n
  let prevN = 1;
  let prevRep: Uint8Array | null = repeatedWords(h);
  let flip = 0;
  order.forEach((k, idx) => {
    const n = ns[k]!;
    const total = h.words.length - n + 1;
    if (n < 1 || total <= 0) {
      prevN = -1;
      return;
    }
    const visit = prevRep !== null && prevN === n - 1 ? prevRep : null;
    const last = idx === order.length - 1 || ns[order[idx + 1]!] !== n + 1;
    const rep = last ? null : bytes(flip === 0 ? 'repA' : 'repB', total);
    flip ^= 1;
    scores[k] = n === 1 ? topNgramPass(h, 1, total, null, rep) : topNgramPass(h, n, total, visit, rep);
    prevRep = rep;
    prevN = n;
  });
  return scores;
}

/** Per word: 1 when its fingerprint's bit is seen at another word too (a superset of repeated words). */
function repeatedWords(h: WordHashes): Uint8Array {
  const w = h.words.length;
  const keys = buffer('keys', w);
  const { hot, shift } = hashPass(h.tuple, h.tupleInv, 1, w, null, keys);
  const rep = bytes('repB', w);
  if (shift < 0) return rep.fill(0, 0, w);
  for (let i = 0; i < w; i++) {
    const b = keys[i]! >>> shift;
    rep[i] = (hot[b >>> 5]! >>> (b & 31)) & 1;
  }
  return rep;
}

/**
 * One top n-gram pass, visiting position i only where `visit[i] & visit[i + 1]` (when given);
 * marks in `rep` (when given) the positions whose n-gram occurs more than once.
 */
function topNgramPass(h: WordHashes, n: number, total: number, visit: Uint8Array | null, rep: Uint8Array | null): number {
  rep?.fill(0, 0, total);
  const keys = buffer('keys', total);
  const { hot, shift: hotShift, repeats } = hashPass(h.tuple, h.tupleInv, n, total, visit, keys);
  // with no repeated key, every n-gram is unique and the first one (count 1) is the top one
  if (hotShift < 0) return h.cp[n]! - h.cp[0]! + (n - 1);
  // slot: key, tag (epoch and first position + 1), count
  // the hot n-grams: first occurrences of hot bits plus repeats, so no more than 2 * repeats
  const { table, shift, mask, tagHigh, posMask } = slotTable(Math.min(total, 2 * repeats), total, 3);
  let bestPos = 0;
  let bestCount = 1;
  for (let i = 0; i < total; i++) {
    if (visit !== null && (visit[i]! & visit[i + 1]!) === 0) continue;
    const key = keys[i]!;
    const b = key >>> hotShift;
    if ((hot[b >>> 5]! & (1 << (b & 31))) === 0) continue; // a key of its own: count 1
    let slot = key >>> shift;
    for (;;) {
      const at = 3 * slot;
      const tag = table[at + 1]!;
      if ((tag & ~posMask) !== tagHigh || tag === 0) {
        table[at] = key;
        table[at + 1] = tagHigh | (i + 1);
        table[at + 2] = 1;
        break;
      }
      const pos = (tag & posMask) - 1;
      if (table[at] === key && ngramsEqual(h, pos, i, n, true)) {
        const c = ++table[at + 2]!;
        if (rep !== null) {
          rep[i] = 1;
          if (c === 2) rep[pos] = 1;
        }
        // ties go to the n-gram seen first
        if (c > bestCount || (c === bestCount && pos < bestPos)) {
          bestCount = c;
          bestPos = pos;
        }
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return (h.cp[bestPos + n]! - h.cp[bestPos]! + (n - 1)) * bestCount;
}

/** The top n-gram score built from the " "-joined strings (for words that hold a " "). */
function topNgramByStrings(h: WordHashes, n: number): number {
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
export function topNgramChars(h: WordHashes, n: number): number {
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
function screenStarts(h: WordHashes, ns: readonly number[]): Int32Array {
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
export function duplicatedNgramScores(h: WordHashes, ns: readonly number[]): number[] {
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
function duplicateScan(h: WordHashes, n: number, maybe: Int32Array): number {
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
export function duplicatedNgramChars(h: WordHashes, n: number): number {
  return duplicatedNgramScores(h, [n])[0]!;
}
