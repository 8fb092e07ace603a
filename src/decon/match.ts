/**
 * Finds benchmark items in a document.
 *
 * The document's words are hashed once (`WordScanner`); every window of n words is looked up
 * (first half of its key rolled along the text, Bloom filter, then the table with the second
 * half), and, when the index holds short parts, every window of `minWords` words too: a short part
 * matches where the document holds its whole word sequence, contiguously (found by the key of its
 * first `minWords` words, then compared word by word with the part's word hashes). Per part,
 * `matched` counts its distinct indexed n-grams present in the document (1 for a short part found
 * whole) and `coverage` is matched / total. An item's coverage is that of its best part.
 *
 * - mode `any`: every item with at least one matched n-gram (or short part) is a hit;
 * - mode `coverage`: items whose coverage reaches `threshold` (default 0.5).
 *
 * Each hit carries the character spans (UTF-16 offsets, merged) of its matched n-grams, and the
 * result the union of the spans of all hits, for `cutSpans`. Since only every stride-th n-gram of
 * a text is indexed, a partial copy may extend up to stride - 1 words beyond the spans: cut with
 * `contextWords` of at least stride - 1 to remove it whole. Nothing is allocated for a document
 * without any match; a matcher reuses its buffers, so use one per thread.
 */
import { WHOLE_ITEM, type DeconIndex } from './index-table.js';
import { B1, keyTag, WordScanner, windowKeyLo, windowPowers } from './ngrams.js';

export type MatchMode = 'any' | 'coverage';
export const DEFAULT_COVERAGE = 0.5;

export interface MatchOptions {
  mode?: MatchMode;
  /** Coverage an item needs in mode `coverage` (default 0.5). */
  threshold?: number;
}

/** [start, end) in UTF-16 code units. */
export type Span = [start: number, end: number];

export interface Hit {
  benchmark: string;
  split: string | null;
  /** Position of the item in its benchmark, and its id. */
  item: number;
  id: string;
  /** The part with the best coverage, its distinct n-grams found and kept in the index. */
  part: string;
  matched: number;
  total: number;
  coverage: number;
  /** Merged spans of everything of this item that was found. */
  spans: Span[];
}

export interface MatchResult {
  /** Hits, best coverage first. */
  hits: Hit[];
  /** Union of the hits' spans, sorted and merged. */
  spans: Span[];
  /** Words in the document. */
  words: number;
}

interface TextFind {
  slots: Set<number>;
  spans: number[];
}

export class DeconMatcher {
  private readonly scanner = new WordScanner(4096);
  private readonly powN: number;
  private readonly powS: number;
  private readonly tagN: number;
  private readonly tagS: number;
  private fSlot = new Int32Array(256);
  private fPos = new Int32Array(256);
  private fShort = new Uint8Array(256);
  private found = 0;
  private readonly textBuf: number[] = [];

  constructor(readonly index: DeconIndex) {
    const { n, minWords } = index.settings;
    this.powN = windowPowers(n)[0];
    this.powS = windowPowers(minWords)[0];
    this.tagN = keyTag(n);
    this.tagS = keyTag(minWords);
  }

  match(text: string, opts: MatchOptions = {}): MatchResult {
    const mode = opts.mode ?? 'coverage';
    const threshold = opts.threshold ?? DEFAULT_COVERAGE;
    const words = this.scanner.scan(text);
    this.found = 0;
    this.lookup(words);
    if (this.found === 0) return { hits: [], spans: [], words };
    return this.collect(words, mode, threshold);
  }

  /**
   * Rolls the keys of the windows of n words (and of minWords words, when the index has short
   * texts) along the document, in one pass; records the windows whose key is in the table. The
   * keys are those of `windowKeys` (the index build uses it; a test checks they agree).
   */
  private lookup(words: number): void {
    const idx = this.index;
    const { n, minWords } = idx.settings;
    if (minWords < n && idx.arrays.shortBloom.length > 0 && words >= n) this.passBoth(words, n, minWords);
    else {
      this.pass(words, n, this.powN, this.tagN, idx.arrays.bloom, idx.bloomShift, 0);
      if (minWords < n && idx.arrays.shortBloom.length > 0) this.pass(words, minWords, this.powS, this.tagS, idx.arrays.shortBloom, idx.shortBloomShift, 1);
    }
  }

  /**
   * Both passes in one loop (the document has at least n words): windows of n and of `short`
   * words ending at the same word are checked together.
   */
  private passBoth(words: number, n: number, short: number): void {
    const hi = this.scanner.hi;
    const { bloom, shortBloom } = this.index.arrays;
    const shiftN = this.index.bloomShift;
    const shiftS = this.index.shortBloomShift;
    const powN = this.powN;
    const powS = this.powS;
    const tagN = this.tagN;
    const tagS = this.tagS;
    let hN = 0;
    let hS = 0;
    // windows of `short` words ending before word n - 1
    for (let i = 0; i < n - 1; i++) {
      const x = hi[i]!;
      hN = (Math.imul(hN, B1) + x) | 0;
      hS = (Math.imul(hS, B1) + x - (i >= short ? Math.imul(hi[i - short]!, powS) : 0)) | 0;
      if (i >= short - 1) {
        const k = hS ^ tagS;
        const m = (1 << (k & 31)) | (1 << ((k >>> 5) & 31));
        if ((shortBloom[k >>> shiftS]! & m) === m) this.probe(k >>> 0, i - short + 1, short, 1);
      }
    }
    for (let i = n - 1; i < words; i++) {
      const x = hi[i]!;
      hN = (Math.imul(hN, B1) + x - (i >= n ? Math.imul(hi[i - n]!, powN) : 0)) | 0;
      hS = (Math.imul(hS, B1) + x - Math.imul(hi[i - short]!, powS)) | 0;
      const k1 = hN ^ tagN;
      const m1 = (1 << (k1 & 31)) | (1 << ((k1 >>> 5) & 31));
      if ((bloom[k1 >>> shiftN]! & m1) === m1) this.probe(k1 >>> 0, i - n + 1, n, 0);
      const k2 = hS ^ tagS;
      const m2 = (1 << (k2 & 31)) | (1 << ((k2 >>> 5) & 31));
      if ((shortBloom[k2 >>> shiftS]! & m2) === m2) this.probe(k2 >>> 0, i - short + 1, short, 1);
    }
  }

  /** One pass of windows of `len` words: rolling first key half, Bloom filter, then the table. */
  private pass(words: number, len: number, pow: number, tag: number, bloom: Uint32Array, shift: number, short: number): void {
    if (words < len) return;
    const hi = this.scanner.hi;
    let h = 0;
    for (let i = 0; i < len - 1; i++) h = (Math.imul(h, B1) + hi[i]!) | 0;
    h = (Math.imul(h, B1) + hi[len - 1]!) | 0;
    for (let i = len - 1; ; ) {
      const k1 = h ^ tag;
      const m = (1 << (k1 & 31)) | (1 << ((k1 >>> 5) & 31));
      if ((bloom[k1 >>> shift]! & m) === m) this.probe(k1 >>> 0, i - len + 1, len, short);
      if (++i >= words) break;
      h = (Math.imul(h, B1) + hi[i]! - Math.imul(hi[i - len]!, pow)) | 0;
    }
  }

  private probe(k1: number, pos: number, len: number, short: number): void {
    const slot = this.index.find(k1, windowKeyLo(this.scanner.lo, pos, len, k1));
    if (slot < 0) return;
    if (this.found === this.fSlot.length) this.growFound();
    this.fSlot[this.found] = slot;
    this.fPos[this.found] = pos;
    this.fShort[this.found] = short;
    this.found++;
  }

  private growFound(): void {
    const cap = this.fSlot.length * 2;
    const s = new Int32Array(cap);
    s.set(this.fSlot);
    const p = new Int32Array(cap);
    p.set(this.fPos);
    const f = new Uint8Array(cap);
    f.set(this.fShort);
    this.fSlot = s;
    this.fPos = p;
    this.fShort = f;
  }

  private collect(words: number, mode: MatchMode, threshold: number): MatchResult {
    const idx = this.index;
    const { textLen, textTotal, occStart, occItem, occPart } = idx.arrays;
    const { n } = idx.settings;
    const sc = this.scanner;
    const byText = new Map<number, TextFind>();
    for (let f = 0; f < this.found; f++) {
      const slot = this.fSlot[f]!;
      const pos = this.fPos[f]!;
      const short = this.fShort[f] === 1;
      this.textBuf.length = 0;
      idx.textsOf(slot, this.textBuf);
      for (const t of this.textBuf) {
        const len = textLen[t]!;
        if (short !== len > 0) continue; // a key of the other length (hash collision)
        if (short && !this.verify(t, pos, words)) continue;
        let tf = byText.get(t);
        if (!tf) byText.set(t, (tf = { slots: new Set(), spans: [] }));
        tf.slots.add(short ? -1 : slot);
        tf.spans.push(sc.start[pos]!, sc.end[pos + (short ? len : n) - 1]!);
      }
    }
    // Per item: the best part, and all spans.
    const items = new Map<number, { part: number; matched: number; total: number; coverage: number; spans: number[] }>();
    for (const [t, tf] of byText) {
      const matched = tf.slots.size;
      const total = textTotal[t]!;
      const coverage = total > 0 ? Math.min(1, matched / total) : 0;
      for (let o = occStart[t]!; o < occStart[t + 1]!; o++) {
        const item = occItem[o]!;
        const agg = items.get(item);
        if (!agg) items.set(item, { part: occPart[o]!, matched, total, coverage, spans: tf.spans.slice() });
        else {
          if (coverage > agg.coverage || (coverage === agg.coverage && matched > agg.matched)) {
            Object.assign(agg, { part: occPart[o]!, matched, total, coverage });
          }
          for (const s of tf.spans) agg.spans.push(s);
        }
      }
    }
    const hits: Hit[] = [];
    const all: number[] = [];
    for (const [item, agg] of items) {
      if (mode === 'coverage' && agg.coverage < threshold) continue;
      const info = idx.item(item);
      const bench = idx.benchmarks[idx.arrays.itemBench[item]!]!;
      const spans = mergeSpans(agg.spans);
      for (const s of spans) all.push(s[0], s[1]);
      hits.push({
        benchmark: info.benchmark,
        split: info.split,
        item: info.index,
        id: info.id,
        part: bench.parts[agg.part] ?? WHOLE_ITEM,
        matched: agg.matched,
        total: agg.total,
        coverage: agg.coverage,
        spans,
      });
    }
    hits.sort((a, b) => b.coverage - a.coverage || b.matched - a.matched || a.benchmark.localeCompare(b.benchmark) || a.item - b.item);
    return { hits, spans: mergeSpans(all), words };
  }

  /** Whether the document's words from `pos` are exactly the short text `t`. */
  private verify(t: number, pos: number, words: number): boolean {
    const { textLen, shortStart, shortWords } = this.index.arrays;
    const len = textLen[t]!;
    if (pos + len > words) return false;
    const hi = this.scanner.hi;
    const lo = this.scanner.lo;
    let w = shortStart[t]!;
    for (let i = 0; i < len; i++, w += 2) {
      if (hi[pos + i] !== shortWords[w] || lo[pos + i] !== shortWords[w + 1]) return false;
    }
    return true;
  }
}

/** Sorts flat [start, end, start, end, ...] pairs and merges overlapping or touching ones. */
export function mergeSpans(flat: readonly number[]): Span[] {
  const pairs: Span[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Span[] = [];
  for (const p of pairs) {
    const last = out[out.length - 1];
    if (last && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
    else out.push([p[0], p[1]]);
  }
  return out;
}

const matchers = new WeakMap<DeconIndex, DeconMatcher>();

/** Matches one text with a matcher kept per index (one per thread: matchers reuse buffers). */
export function matchText(index: DeconIndex, text: string, opts: MatchOptions = {}): MatchResult {
  let m = matchers.get(index);
  if (!m) matchers.set(index, (m = new DeconMatcher(index)));
  return m.match(text, opts);
}
