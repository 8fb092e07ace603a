/**
 * The word table of a document: one pass over its words that gives both Gopher filters what they
 * ask of them (`doc.memo('wordTable')`).
 *
 * - Types: equal words share a type id (ids count from 0 in order of first occurrence), found
 *   through a hash of the word's characters and confirmed by comparing them, so they are exact.
 *   Per type: its number of occurrences, its first position and its class (`wordClass`); what
 *   depends only on a word's characters is computed once per type.
 * - Lengths: prefix sums of the word lengths in UTF-16 units and in code points.
 * - Hashes: the polynomial prefix hash of the ""-joined words at every character, from which the
 *   key of any ""-joined n-gram follows in O(1) (see `ngrams.ts`).
 *
 * When the words are the tokens of the text (the usual case, see `areTextTokens`), the characters
 * are read from the text, one flat string, where each word is found after the whitespace before
 * it; other words are read from their "" join.
 */
import * as hashing from './ngram-hash.js';
import * as punctuation from './punctuation.js';
import * as python from './python.js';
import * as tokenizer from './tokenizer.js';

// module-local copies for the hot loops (some loaders put accessors in front of imported bindings)
const { BASE, INV_POW, POW_TABLE, BASE_INV, buffer, power } = hashing;
const { wordClassRange } = punctuation;
const { codePointLengthRange, hasSurrogates, isPyWhitespace } = python;
const { areTextTokens, rememberSpans } = tokenizer;

export interface WordTable {
  readonly words: readonly string[];
  /**
   * Where the characters were read from: the text, or (when the words are not its tokens) the
   * words joined by "". Word w is `text.slice(starts[w], ends[w])`.
   */
  readonly text: string;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** True when the characters were read from the text given. */
  readonly fromText: boolean;
  /** Per word: its type. */
  readonly ids: Int32Array;
  /** Number of types; per type: occurrences, first position, `wordClass` flags. */
  readonly types: number;
  readonly typeCount: Int32Array;
  readonly typeFirst: Int32Array;
  readonly typeClass: Int32Array;
  /** Prefix sums of the word lengths in UTF-16 units and in code points (length: words + 1). */
  readonly units: Int32Array;
  readonly cp: Int32Array;
  /**
   * Polynomial hash (mod 2^32) of the ""-joined words up to every character (length: units + 1),
   * and the inverse power at each word's start: the key of the ""-joined n-gram at i, or of any m
   * characters from word i, is (chars[units[i] + m] - chars[units[i]]) * joinedInv[i].
   */
  readonly chars: Int32Array;
  readonly joinedInv: Int32Array;
  /** True when a word contains " " (then " "-joined n-grams are not word tuples). */
  readonly spaceInWord: boolean;
}

/**
 * The word table of `words`, read from `text` when they are its tokens (see `areTextTokens`),
 * otherwise from the words themselves.
 */
export function wordTable(words: readonly string[], text?: string): WordTable {
  const n = words.length;
  const fromText = text !== undefined && areTextTokens(text, words);
  // words of the text hold no whitespace; others may
  let spaceInWord = false;
  if (!fromText) for (let w = 0; w < n && !spaceInWord; w++) spaceInWord = words[w]!.includes(' ');
  const s = fromText ? text! : words.join('');
  const astralText = hasSurrogates(s);

  const ints = new Int32Array(9 * n + 2 + s.length);
  const ids = ints.subarray(0, n);
  const starts = ints.subarray(n, 2 * n);
  const ends = ints.subarray(2 * n, 3 * n);
  const typeCount = ints.subarray(3 * n, 4 * n);
  const typeFirst = ints.subarray(4 * n, 5 * n);
  const typeClass = ints.subarray(5 * n, 6 * n);
  const typeCp = ints.subarray(6 * n, 7 * n);
  const joinedInv = ints.subarray(7 * n, 8 * n);
  const units = ints.subarray(8 * n, 9 * n + 1);
  const chars = ints.subarray(9 * n + 1);

  // intern table: per slot a word key and its type + 1 (0: empty), at twice as many slots as words
  let bits = 4;
  while (1 << bits < 2 * n) bits++;
  const shift = 32 - bits;
  const mask = (1 << bits) - 1;
  const table = buffer('intern', 2 << bits).fill(0, 0, 2 << bits);
  let types = 0;
  let astral = false;
  let g = 0; // prefix hash
  let p = 1; // BASE^k
  let inv = 1; // BASE^-k at the word's start
  let k = 0;
  let pos = 0; // where the next word is looked for
  for (let w = 0; w < n; w++) {
    if (fromText) while (isPyWhitespace(s.charCodeAt(pos))) pos++;
    const at = pos;
    const len = words[w]!.length;
    const end = at + len;
    pos = end;
    starts[w] = at;
    ends[w] = end;
    const g0 = g;
    for (let j = at; j < end; j++) {
      g = (g + Math.imul(s.charCodeAt(j), p)) | 0;
      p = Math.imul(p, BASE);
      chars[++k] = g;
    }
    units[w + 1] = k;
    joinedInv[w] = inv;
    const key = Math.imul((g - g0) | 0, inv) ^ Math.imul(len, 0x27d4eb2d); // the word's hash and length
    inv = Math.imul(inv, len < POW_TABLE ? INV_POW[len]! : power(BASE_INV, len));
    let slot = Math.imul(key, 0x9e3779b1) >>> shift;
    let type: number;
    for (;;) {
      const held = table[2 * slot + 1]!;
      if (held === 0) {
        type = types++;
        table[2 * slot] = key;
        table[2 * slot + 1] = type + 1;
        typeFirst[type] = w;
        typeClass[type] = wordClassRange(s, at, end);
        const cps = astralText ? codePointLengthRange(s, at, end) : len;
        typeCp[type] = cps;
        if (cps !== len) astral = true;
        break;
      }
      if (table[2 * slot] === key) {
        // the same word when the characters are
        const first = typeFirst[held - 1]!;
        const b = starts[first]!;
        let same = ends[first]! - b === len;
        for (let j = 0; same && j < len; j++) same = s.charCodeAt(b + j) === s.charCodeAt(at + j);
        if (same) {
          type = held - 1;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
    ids[w] = type;
    typeCount[type]!++;
  }
  if (fromText) rememberSpans(s, words, { starts, ends });
  let cp = units;
  if (astral) {
    cp = new Int32Array(n + 1);
    for (let w = 0; w < n; w++) cp[w + 1] = cp[w]! + typeCp[ids[w]!]!;
  }
  return {
    words,
    text: s,
    starts,
    ends,
    fromText,
    ids,
    types,
    typeCount: typeCount.subarray(0, types),
    typeFirst: typeFirst.subarray(0, types),
    typeClass: typeClass.subarray(0, types),
    units,
    cp,
    chars: chars.subarray(0, k + 1),
    joinedInv,
    spaceInWord,
  };
}
