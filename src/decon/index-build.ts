/**
 * Builds a DeconIndex from benchmark items (see `index-table.ts` for what it holds): the texts and
 * their keys are collected (`index-texts.ts`), boilerplate is dropped, then the final table, the
 * postings and the Bloom filters are laid out.
 */
import type { LoadedBenchmarks } from './benchmarks.js';
import { bloomAdd, bloomWordsFor, DeconIndex, POSTINGS_FLAG, slotOf, type BenchmarkMeta, type IndexSettings } from './index-table.js';
import { collectTexts, type PartCounts } from './index-texts.js';
import { DEFAULT_N, NORMALIZATION_VERSION } from './ngrams.js';

export interface BuildOptions {
  /** Words per n-gram (default 13). */
  n?: number;
  /** Parts with fewer words are not indexed (default 6); parts of minWords .. n-1 words are matched whole. */
  minWords?: number;
  /** N-grams found in more distinct texts, and short texts used by more items, are dropped (default 10). */
  maxItemsPerNgram?: number;
  /** Every stride-th n-gram of a text (and its last) is indexed (default 4; 1: all). */
  stride?: number;
}

export const DEFAULT_MIN_WORDS = 6;
export const DEFAULT_MAX_ITEMS_PER_NGRAM = 10;
export const DEFAULT_STRIDE = 4;

/** Per benchmark: what went into the index. */
export interface BenchmarkBuildCounts {
  name: string;
  split: string | null;
  items: number;
  /** Items with at least one part that can match. */
  indexedItems: number;
  /** Parts (item x field) of at least n words, of minWords .. n-1 words (matched whole), shorter, empty. */
  partsLong: number;
  partsShort: number;
  partsTooShort: number;
  partsEmpty: number;
  /** Items whose parts are each too short, indexed whole (all parts in order). */
  itemsWhole: number;
  /** Parts left without any key: all their n-grams were boilerplate, numbers or single letters. */
  partsDropped: number;
  /** Indexed n-grams of this benchmark's texts (a key shared by two benchmarks counts in both). */
  ngrams: number;
}

export function buildIndexFromItems(loaded: LoadedBenchmarks, opts: BuildOptions = {}): { index: DeconIndex; counts: BenchmarkBuildCounts[] } {
  const n = opts.n ?? DEFAULT_N;
  const minWords = Math.min(opts.minWords ?? DEFAULT_MIN_WORDS, n);
  const cap = opts.maxItemsPerNgram ?? DEFAULT_MAX_ITEMS_PER_NGRAM;
  const stride = opts.stride ?? DEFAULT_STRIDE;
  for (const [name, v, max] of [['n', n, 64], ['minWords', minWords, 64], ['maxItemsPerNgram', cap, 2 ** 31], ['stride', stride, 64]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > max) throw new Error(`${name} must be an integer from 1 to ${max}, not ${v}`);
  }
  const settings: IndexSettings = { n, minWords, maxItemsPerNgram: cap, stride, normalization: NORMALIZATION_VERSION };
  const c = collectTexts(loaded, n, minWords, stride);
  const texts = c.textLen.length;
  const textLen = c.textLen.view();
  const pairs = c.pairKey.length;
  const pairKey = c.pairKey.data;
  const pairText = c.pairText.data;
  const pairSampled = c.pairSampled;

  // A short text used by more than `cap` items is boilerplate.
  const textItems = new Uint32Array(texts);
  const lastItem = new Int32Array(texts).fill(-1);
  for (let i = 0; i < c.occText.length; i++) {
    const t = c.occText.data[i]!;
    if (lastItem[t] !== c.occItem.data[i]) (textItems[t]!++, (lastItem[t] = c.occItem.data[i]!));
  }
  const textDropped = new Uint8Array(texts);
  for (let t = 0; t < texts; t++) if (textLen[t]! > 0 && textItems[t]! > cap) textDropped[t] = 1;

  // An n-gram in more than `cap` distinct texts is boilerplate; prefix keys of short texts are not
  // (the word-by-word check tells those texts apart).
  const keys = c.keys.hi.length;
  const keyTexts = new Uint32Array(keys); // texts containing the key
  const keyIndexed = new Uint32Array(keys); // texts indexing it
  const isPrefix = new Uint8Array(keys);
  for (let i = 0; i < pairs; i++) {
    const t = pairText[i]!;
    if (textDropped[t]) continue;
    keyTexts[pairKey[i]!]!++;
    if (pairSampled[i]) keyIndexed[pairKey[i]!]!++;
    if (textLen[t]! > 0) isPrefix[pairKey[i]!] = 1;
  }
  const kept = new Uint8Array(keys);
  let keptKeys = 0;
  let prefixKeys = 0;
  for (let k = 0; k < keys; k++) {
    if (keyIndexed[k]! > 0 && (isPrefix[k] || keyTexts[k]! <= cap)) {
      kept[k] = 1;
      keptKeys++;
      if (isPrefix[k]) prefixKeys++;
    }
  }
  const live = (i: number): boolean => pairSampled[i] === 1 && kept[pairKey[i]!] === 1 && textDropped[pairText[i]!] === 0;
  const textTotal = new Uint32Array(texts);
  for (let i = 0; i < pairs; i++) if (live(i)) textTotal[pairText[i]!]!++;

  // Postings (count, then texts) for keys indexed by several texts.
  const postStart = new Uint32Array(keys + 1);
  for (let k = 0; k < keys; k++) postStart[k + 1] = postStart[k]! + (kept[k] && keyIndexed[k]! > 1 ? keyIndexed[k]! + 1 : 0);
  const postings = new Uint32Array(postStart[keys]!);
  const postFill = new Uint32Array(keys);
  const singleText = new Uint32Array(keys);
  for (let i = 0; i < pairs; i++) {
    if (!live(i)) continue;
    const k = pairKey[i]!;
    if (keyIndexed[k] === 1) singleText[k] = pairText[i]!;
    else {
      postings[postStart[k]!] = keyIndexed[k]!;
      postings[postStart[k]! + 1 + postFill[k]!++] = pairText[i]!;
    }
  }

  // The table (load factor at most 0.7) and the Bloom filters.
  const capacity = Math.max(16, Math.ceil(keptKeys / 0.7));
  const slotKeys = new Uint32Array(2 * capacity);
  const vals = new Uint32Array(capacity);
  const bloom = new Uint32Array(bloomWordsFor(keptKeys - prefixKeys));
  const shortBloom = new Uint32Array(bloomWordsFor(prefixKeys));
  const shift = 32 - Math.log2(bloom.length);
  const shortShift = 32 - Math.log2(shortBloom.length);
  for (let k = 0; k < keys; k++) {
    if (!kept[k]) continue;
    const k1 = c.keys.hi.data[k]!;
    const k2 = c.keys.lo.data[k]!;
    let s = slotOf(k2, capacity);
    while ((slotKeys[2 * s]! | slotKeys[2 * s + 1]!) !== 0) s = s + 1 === capacity ? 0 : s + 1;
    slotKeys[2 * s] = k1;
    slotKeys[2 * s + 1] = k2;
    vals[s] = keyIndexed[k] === 1 ? singleText[k]! : (POSTINGS_FLAG | postStart[k]!) >>> 0;
    if (isPrefix[k]) bloomAdd(shortBloom, shortShift, k1);
    else bloomAdd(bloom, shift, k1);
  }

  // Occurrences grouped by text.
  const occStart = new Uint32Array(texts + 1);
  for (let i = 0; i < c.occText.length; i++) occStart[c.occText.data[i]! + 1]!++;
  for (let t = 0; t < texts; t++) occStart[t + 1]! += occStart[t]!;
  const fill = occStart.slice(0, texts);
  const occItem = new Uint32Array(c.occText.length);
  const occPart = new Uint32Array(c.occText.length);
  for (let i = 0; i < c.occText.length; i++) {
    const at = fill[c.occText.data[i]!]!++;
    occItem[at] = c.occItem.data[i]!;
    occPart[at] = c.occPart.data[i]!;
  }

  const itemBench = Uint32Array.from(loaded.items, (it) => it.bench);
  const itemIndex = Uint32Array.from(loaded.items, (it) => it.index);
  const counts = countPerBenchmark(loaded, c.parts, { textTotal, textLen, occStart, occItem, itemBench });
  const arrays = {
    keys: slotKeys,
    vals,
    postings,
    bloom,
    shortBloom,
    textTotal,
    textLen: textLen.slice(),
    shortStart: c.shortStart.view().slice(),
    shortWords: c.shortWords.view().slice(),
    occStart,
    occItem,
    occPart,
    itemBench,
    itemIndex,
  };
  return { index: new DeconIndex(settings, arrays, benchmarkMeta(loaded)), counts };
}

function countPerBenchmark(
  loaded: LoadedBenchmarks,
  parts: PartCounts[],
  a: { textTotal: Uint32Array; textLen: Uint32Array; occStart: Uint32Array; occItem: Uint32Array; itemBench: Uint32Array },
): BenchmarkBuildCounts[] {
  const counts = loaded.benchmarks.map((b, i) => ({
    name: b.name,
    split: b.split,
    items: b.items,
    indexedItems: 0,
    partsLong: parts[i]!.long,
    partsShort: parts[i]!.short,
    partsTooShort: parts[i]!.tooShort,
    partsEmpty: parts[i]!.empty,
    itemsWhole: parts[i]!.whole,
    partsDropped: 0,
    ngrams: 0,
  }));
  const itemOk = new Uint8Array(loaded.items.length);
  for (let t = 0; t + 1 < a.occStart.length; t++) {
    const benches = new Set<number>();
    for (let o = a.occStart[t]!; o < a.occStart[t + 1]!; o++) {
      const item = a.occItem[o]!;
      benches.add(a.itemBench[item]!);
      if (a.textTotal[t]! > 0) itemOk[item] = 1;
      else counts[a.itemBench[item]!]!.partsDropped++;
    }
    if (a.textLen[t] === 0) for (const b of benches) counts[b]!.ngrams += a.textTotal[t]!;
  }
  for (let it = 0; it < itemOk.length; it++) if (itemOk[it]) counts[a.itemBench[it]!]!.indexedItems++;
  return counts;
}

/** Names, parts and counts of the benchmarks; item ids for those whose ids are not positions. */
function benchmarkMeta(loaded: LoadedBenchmarks): BenchmarkMeta[] {
  const ids = loaded.benchmarks.map((): string[] => []);
  const own = loaded.benchmarks.map(() => false);
  for (const item of loaded.items) {
    ids[item.bench]!.push(item.id);
    if (item.id !== String(item.index)) own[item.bench] = true;
  }
  return loaded.benchmarks.map((b, i) => ({ name: b.name, split: b.split, parts: b.parts, items: b.items, ids: own[i] ? ids[i]! : null }));
}
