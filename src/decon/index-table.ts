/**
 * The decontamination index in memory: an open-addressing hash table over 64-bit n-gram keys, in
 * typed arrays, mapping each key to the benchmark texts that contain it.
 *
 * - A *text* is one part of an item (its question, its options, its solution: one `fields` entry
 *   of the benchmarks file), with identical texts stored once (a reading passage shared by ten
 *   questions is one text used by ten items). `occItem`/`occPart` (from `occStart[text]`) list
 *   the items and parts that use each text.
 * - A *long* text (at least n words) is indexed by its n-grams at positions 0, stride, 2 x stride,
 *   ... and its last (see `index-texts.ts`); `textTotal` counts the distinct ones that were kept
 *   (an n-gram found in more than `maxItemsPerNgram` distinct texts is boilerplate and dropped, as
 *   is one made only of counting numbers, see `isNoise`), which is what coverage is measured against.
 * - A *short* text (minWords .. n-1 words) is matched whole: it is indexed under the key of its
 *   first `minWords` words, and a document window with that key is then compared word by word with
 *   the text's word hashes (`shortWords`, from `shortStart[text]`, `textLen[text]` words). A short
 *   text used by more than `maxItemsPerNgram` items is boilerplate and not indexed.
 * - Parts shorter than `minWords` are not indexed; an item whose parts are all that short (or
 *   carry no evidence) is indexed whole: its parts' words in order, as part number `parts.length`,
 *   named WHOLE_ITEM in hits.
 * - Table slots: `keys[2s]`, `keys[2s+1]` the key halves ((0, 0) marks an empty slot); `vals[s]` the
 *   text id when one text has the key, else POSTINGS_FLAG | offset into `postings`, which holds the
 *   count and then the text ids. The slot of a key is `slotOf(lo)`, then linear probing.
 * - Blocked Bloom filters (one 32-bit word per key, two bits) answer most lookups of absent keys
 *   without touching the table: `bloom` for the n-gram keys, `shortBloom` (small, so it stays in
 *   cache) for the keys of short texts.
 */

export const POSTINGS_FLAG = 0x80000000;

/** Part name, in hits, of an item indexed whole (all its parts together, each being too short). */
export const WHOLE_ITEM = 'all parts';

export interface BenchmarkMeta {
  name: string;
  split: string | null;
  /** Part names (one per `fields` entry); part number parts.length is the whole item (WHOLE_ITEM). */
  parts: string[];
  items: number;
  /** Item ids, when the benchmark has an `id_field` (otherwise the id is the item's position). */
  ids: string[] | null;
}

export interface IndexSettings {
  /** Words per n-gram. */
  n: number;
  /** Parts shorter than this many words are not indexed; shorter than n, they are matched whole. */
  minWords: number;
  /** N-grams in more distinct texts than this (and short texts in more items) are dropped. */
  maxItemsPerNgram: number;
  /** Every stride-th n-gram of a text (and its last) is indexed. */
  stride: number;
  /** Version of the normalization rules (`ngrams.ts`). */
  normalization: number;
}

export interface IndexArrays {
  keys: Uint32Array;
  vals: Uint32Array;
  postings: Uint32Array;
  bloom: Uint32Array;
  shortBloom: Uint32Array;
  textTotal: Uint32Array;
  textLen: Uint32Array;
  shortStart: Uint32Array;
  shortWords: Uint32Array;
  occStart: Uint32Array;
  occItem: Uint32Array;
  occPart: Uint32Array;
  itemBench: Uint32Array;
  itemIndex: Uint32Array;
}

export class DeconIndex {
  readonly capacity: number;
  readonly bloomShift: number;
  readonly shortBloomShift: number;
  readonly textCount: number;
  readonly itemCount: number;
  readonly keyCount: number;

  constructor(
    readonly settings: IndexSettings,
    readonly arrays: IndexArrays,
    readonly benchmarks: BenchmarkMeta[],
  ) {
    this.capacity = arrays.vals.length;
    this.bloomShift = bloomShiftOf(arrays.bloom);
    this.shortBloomShift = bloomShiftOf(arrays.shortBloom);
    this.textCount = arrays.textTotal.length;
    this.itemCount = arrays.itemBench.length;
    let keys = 0;
    for (let s = 0; s < this.capacity; s++) if ((arrays.keys[2 * s]! | arrays.keys[2 * s + 1]!) !== 0) keys++;
    this.keyCount = keys;
  }

  /** The table slot holding the key, or -1. */
  find(k1: number, k2: number): number {
    const { keys } = this.arrays;
    const cap = this.capacity;
    let s = slotOf(k2, cap);
    for (;;) {
      const h = keys[2 * s]!;
      const l = keys[2 * s + 1]!;
      if (h === k1 && l === k2) return s;
      if ((h | l) === 0) return -1;
      s = s + 1 === cap ? 0 : s + 1;
    }
  }

  /** Whether the Bloom filter of n-gram keys (or of short-text keys) admits the key (false: certainly absent). */
  mayHave(k1: number, short = false): boolean {
    const m = (1 << (k1 & 31)) | (1 << ((k1 >>> 5) & 31));
    const bloom = short ? this.arrays.shortBloom : this.arrays.bloom;
    return (bloom[k1 >>> (short ? this.shortBloomShift : this.bloomShift)]! & m) === m;
  }

  /** The texts that hold the key in `slot`, appended to `out`; returns how many. */
  textsOf(slot: number, out: number[]): number {
    const v = this.arrays.vals[slot]!;
    if ((v & POSTINGS_FLAG) === 0) {
      out.push(v);
      return 1;
    }
    const p = this.arrays.postings;
    const off = v & ~POSTINGS_FLAG;
    const count = p[off]!;
    for (let i = 1; i <= count; i++) out.push(p[off + i]!);
    return count;
  }

  /** Benchmark name, split, position and id of an item. */
  item(item: number): { benchmark: string; split: string | null; index: number; id: string } {
    const b = this.benchmarks[this.arrays.itemBench[item]!]!;
    const index = this.arrays.itemIndex[item]!;
    return { benchmark: b.name, split: b.split, index, id: b.ids ? b.ids[index]! : String(index) };
  }
}

/** The home slot of a key in a table of `cap` slots (any size): its low half scaled to [0, cap). */
export function slotOf(k2: number, cap: number): number {
  return Math.floor((k2 >>> 0) * (cap / 4294967296));
}

function bloomShiftOf(bloom: Uint32Array): number {
  const words = bloom.length;
  if (words < 2 || words > 1 << 22 || (words & (words - 1)) !== 0) throw new Error(`Bloom filter size must be a power of two from 2 to 2^22 words, not ${words}`);
  return 32 - Math.log2(words);
}

/** Words of a Bloom filter for `keys` keys: a power of two giving 10 to 20 bits per key. */
export function bloomWordsFor(keys: number): number {
  let words = 64;
  while (words < (keys * 10) / 32 && words < 1 << 22) words *= 2;
  return words;
}

/** Sets the key's two bits in a Bloom filter of 2^(32 - shift) words. */
export function bloomAdd(bloom: Uint32Array, shift: number, k1: number): void {
  bloom[k1 >>> shift] = bloom[k1 >>> shift]! | (1 << (k1 & 31)) | (1 << ((k1 >>> 5) & 31));
}
