/**
 * First step of the index build: scans every part of every item once, stores each distinct text
 * once, and records for each text its n-gram keys as (key id, text, sampled) pairs. `index-build.ts`
 * then drops boilerplate and lays out the table.
 *
 * Sampling: a long text's n-grams are all counted (to recognise boilerplate shared by many texts)
 * but only those at positions 0, stride, 2 x stride, ... and the last one are indexed. A document
 * that holds a run of at least n + stride - 1 consecutive words of a text therefore holds an
 * indexed n-gram of it, and a document holding the whole text holds all of them. This keeps the
 * table and its Bloom filter small enough to stay in cache while every window of the document is
 * still looked up.
 */
import type { LoadedBenchmarks } from './benchmarks.js';
import { CJK, HIGH, WORD, charTables } from './chars.js';
import { WordScanner, windowKeys } from './ngrams.js';
import { slotOf } from './index-table.js';

export class Growable {
  data: Uint32Array;
  length = 0;
  constructor(cap = 1024) {
    this.data = new Uint32Array(cap);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Uint32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
  view(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}

/** Key -> key id, growing; ids in order of first appearance. */
export class KeyTable {
  private slots = new Int32Array(1 << 16).fill(-1);
  readonly hi = new Growable(1 << 16);
  readonly lo = new Growable(1 << 16);
  /** The last text that recorded each key (to record a key once per text). */
  readonly lastText = new Growable(1 << 16);

  idOf(k1: number, k2: number): number {
    if (this.hi.length * 2 >= this.slots.length) this.rehash();
    const cap = this.slots.length;
    let s = slotOf(k2, cap);
    for (;;) {
      const id = this.slots[s]!;
      if (id < 0) {
        const nid = this.hi.length;
        this.slots[s] = nid;
        this.hi.push(k1);
        this.lo.push(k2);
        this.lastText.push(0xffffffff);
        return nid;
      }
      if (this.hi.data[id] === k1 && this.lo.data[id] === k2) return id;
      s = s + 1 === cap ? 0 : s + 1;
    }
  }

  private rehash(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap).fill(-1);
    for (let id = 0; id < this.hi.length; id++) {
      let s = slotOf(this.lo.data[id]!, cap);
      while (slots[s]! >= 0) s = s + 1 === cap ? 0 : s + 1;
      slots[s] = id;
    }
    this.slots = slots;
  }
}

/** Per benchmark: what its parts became. */
export interface PartCounts {
  long: number;
  short: number;
  tooShort: number;
  empty: number;
  /** Items indexed whole (all parts together), because each part alone is too short. */
  whole: number;
}

export interface CollectedTexts {
  keys: KeyTable;
  pairKey: Growable;
  pairText: Growable;
  /** 1 when the pair's key is indexed for that text (sampled position), 0 when only counted. */
  pairSampled: Uint8Array;
  /** Words of each short text (0 for long texts), and the word hashes of short texts. */
  textLen: Growable;
  shortStart: Growable;
  shortWords: Growable;
  /** Occurrences: which item and part uses which text, in item order. */
  occText: Growable;
  occItem: Growable;
  occPart: Growable;
  parts: PartCounts[];
}

export function collectTexts(loaded: LoadedBenchmarks, n: number, minWords: number, stride: number): CollectedTexts {
  const scanner = new WordScanner();
  let wHi = new Uint32Array(4096);
  let wLo = new Uint32Array(4096);
  let kHi = new Uint32Array(4096);
  let kLo = new Uint32Array(4096);
  let triv = new Uint8Array(4096); // word kinds: CONTENT, LETTER, NUMBER
  let vals = new Float64Array(4096); // values of NUMBER words
  const sampled = new Growable(1 << 20);
  const out: CollectedTexts = {
    keys: new KeyTable(),
    pairKey: new Growable(1 << 20),
    pairText: new Growable(1 << 20),
    pairSampled: new Uint8Array(0),
    textLen: new Growable(),
    shortStart: new Growable(),
    shortWords: new Growable(),
    occText: new Growable(),
    occItem: new Growable(),
    occPart: new Growable(),
    parts: loaded.benchmarks.map(() => ({ long: 0, short: 0, tooShort: 0, empty: 0, whole: 0 })),
  };
  const textIds = new Map<string, number>();
  const keyed: number[] = []; // per text: 1 when it has a key
  const record = (k1: number, k2: number, text: number, isSampled: boolean): void => {
    const id = out.keys.idOf(k1, k2);
    if (out.keys.lastText.data[id] === text) {
      // repeated within this text: indexed if any of its positions is sampled
      if (isSampled) for (let i = out.pairKey.length - 1; i >= 0 && out.pairText.data[i] === text; i--) if (out.pairKey.data[i] === id) sampled.data[i] = 1;
      return;
    }
    out.keys.lastText.data[id] = text;
    out.pairKey.push(id);
    out.pairText.push(text);
    sampled.push(isSampled ? 1 : 0);
  };

  /** The id of the text made of words [from, to) of the buffers, added when new. */
  const textOf = (from: number, to: number): number => {
    const m = to - from;
    const hi = wHi.subarray(from, to);
    const lo = wLo.subarray(from, to);
    const tr = triv.subarray(from, to);
    const vs = vals.subarray(from, to);
    const sig = textSignature(hi, lo, m);
    let text = textIds.get(sig);
    if (text !== undefined) return text;
    text = out.textLen.length;
    textIds.set(sig, text);
    const pairsBefore = out.pairKey.length;
    const short = m < n;
    out.textLen.push(short ? m : 0);
    out.shortStart.push(out.shortWords.length);
    if (short) {
      for (let i = 0; i < m; i++) (out.shortWords.push(hi[i]!), out.shortWords.push(lo[i]!));
      // a short text is found by the key of its first minWords words
      if (!isNoise(tr, vs, 0, m)) {
        windowKeys(hi, lo, minWords, minWords, kHi, kLo);
        record(kHi[0]!, kLo[0]!, text, true);
      }
    } else {
      const windows = windowKeys(hi, lo, m, n, kHi, kLo);
      let plain = 0; // letters and numbers in the current window
      for (let i = 0; i < n; i++) if (tr[i] !== CONTENT) plain++;
      for (let j = 0; j < windows; j++) {
        if (j > 0) plain += (tr[j + n - 1] !== CONTENT ? 1 : 0) - (tr[j - 1] !== CONTENT ? 1 : 0);
        if (plain === n && isNoise(tr, vs, j, j + n)) continue;
        record(kHi[j]!, kLo[j]!, text, j % stride === 0 || j === windows - 1);
      }
    }
    keyed.push(out.pairKey.length > pairsBefore ? 1 : 0);
    return text;
  };
  const use = (text: number, itemId: number, part: number): void => {
    out.occText.push(text);
    out.occItem.push(itemId);
    out.occPart.push(part);
  };

  loaded.items.forEach((item, itemId) => {
    const pc = out.parts[item.bench]!;
    // the words of all parts, one after the other
    let m = 0;
    const bounds: number[] = [0];
    for (const strings of item.parts) {
      for (const s of strings) {
        const w = scanner.scan(s);
        if (m + w > wHi.length) {
          const cap = Math.max(2 * wHi.length, m + w);
          wHi = growTo(wHi, m, cap);
          wLo = growTo(wLo, m, cap);
          const t = new Uint8Array(cap);
          t.set(triv.subarray(0, m));
          triv = t;
          const v = new Float64Array(cap);
          v.set(vals.subarray(0, m));
          vals = v;
          kHi = new Uint32Array(cap);
          kLo = new Uint32Array(cap);
        }
        wHi.set(scanner.hi.subarray(0, w), m);
        wLo.set(scanner.lo.subarray(0, w), m);
        wordKinds(s, scanner, triv.subarray(m, m + w), vals.subarray(m, m + w));
        m += w;
      }
      bounds.push(m);
    }
    let indexed = 0;
    item.parts.forEach((_, part) => {
      const words = bounds[part + 1]! - bounds[part]!;
      if (words === 0) return void pc.empty++;
      if (words < minWords) return void pc.tooShort++;
      if (words < n) pc.short++;
      else pc.long++;
      const text = textOf(bounds[part]!, bounds[part + 1]!);
      indexed += keyed[text]!;
      use(text, itemId, part);
    });
    // An item whose parts are each too short (or without evidence) is matched whole, all parts in order.
    if (indexed === 0 && m >= minWords && bounds.filter((b, i) => i > 0 && b > bounds[i - 1]!).length > 1) {
      pc.whole++;
      use(textOf(0, m), itemId, item.parts.length);
    }
  });
  out.pairSampled = Uint8Array.from(sampled.view());
  return out;
}

const CONTENT = 0;
const LETTER = 1;
const NUMBER = 2;

/**
 * Kinds of the words of the last scan of `text`: NUMBER (digits and separators only; its value in
 * `values`), LETTER (a single letter outside CJK), or CONTENT.
 */
function wordKinds(text: string, scanner: WordScanner, kinds: Uint8Array, values: Float64Array): void {
  const { cls } = charTables();
  for (let w = 0; w < scanner.count; w++) {
    const s = scanner.start[w]!;
    const e = scanner.end[w]!;
    let letters = 0;
    let cjk = false;
    for (let i = s; i < e; i++) {
      const k = cls[text.charCodeAt(i)]!;
      if (k === WORD || k === HIGH) letters++;
      else if (k === CJK) cjk = true;
    }
    kinds[w] = cjk ? CONTENT : letters === 0 ? NUMBER : letters === 1 && e - s === 1 ? LETTER : CONTENT;
    values[w] = letters === 0 ? Number(text.slice(s, e).replaceAll(',', '')) : NaN;
  }
}

/**
 * Whether words [from, to) carry no evidence: they are all single letters and numbers, and either
 * some are letters ("a b c d ...") or the numbers mostly step by one same difference ("1 2 3 4
 * ...", "0 0 0 ..."). Other number sequences (an arithmetic exercise) are evidence.
 */
function isNoise(kinds: Uint8Array, values: Float64Array, from: number, to: number): boolean {
  let letters = false;
  for (let i = from; i < to; i++) {
    if (kinds[i] === CONTENT) return false;
    if (kinds[i] === LETTER) letters = true;
  }
  if (letters || to - from < 3) return true;
  const steps = new Map<number, number>();
  let most = 0;
  for (let i = from + 1; i < to; i++) {
    const d = values[i]! - values[i - 1]!;
    const c = (steps.get(d) ?? 0) + 1;
    steps.set(d, c);
    most = Math.max(most, c);
  }
  return 2 * most >= to - from - 1;
}

function growTo(a: Uint32Array, keep: number, cap: number): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(cap);
  b.set(a.subarray(0, keep));
  return b;
}

/** Identity of a word sequence: its length and two independent 32-bit chains over its word hashes. */
function textSignature(hi: Uint32Array, lo: Uint32Array, m: number): string {
  let a = 0x6a09e667;
  let b = 0xbb67ae85;
  for (let i = 0; i < m; i++) {
    a = Math.imul(a ^ hi[i]!, 0x01000193) ^ lo[i]!;
    a ^= a >>> 13;
    b = Math.imul(b ^ lo[i]!, 0x5bd1e995) ^ hi[i]!;
    b ^= b >>> 15;
  }
  return `${m}:${a >>> 0}:${b >>> 0}:${hi[0]}:${lo[m - 1]}`;
}
