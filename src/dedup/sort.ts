/**
 * Sorting and merging fixed-size records (uint32 words) by their first key words, most significant
 * first: a stable LSD radix sort for runs in memory, and a k-way merge of sorted runs on disk in
 * which equal keys come out in the order of the runs (so in input order when runs are listed so).
 */
import type { RecordReader } from './record-file.js';

/**
 * Sorts records (stable) by their first `keyWords` words; returns the sorted array (maybe `src`).
 * Radix passes cover the first `radixWords` words (at most 2 by default); records that tie there
 * are then ordered by the rest of the key, which is cheap when such ties are rare or true repeats.
 * The passes move the radix words and record numbers in small arrays of their own; each record is
 * then copied once, in input order, to its place (memory traffic, not arithmetic, is the cost here).
 */
export function sortRecords(src: Uint32Array, recordWords: number, keyWords: number, radixWords = Math.min(keyWords, 2)): Uint32Array {
  const w = recordWords;
  const n = src.length / w;
  if (n < 2) return src;
  const keys = Array.from({ length: radixWords }, (_, k) => {
    const a = new Uint32Array(n);
    for (let i = 0; i < n; i++) a[i] = src[i * w + k]!;
    return a;
  });
  const spare = keys.map(() => new Uint32Array(n));
  let order = new Uint32Array(n);
  let orderNext = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const counts = new Uint32Array(65537);
  let moved = false;
  for (let k = radixWords - 1; k >= 0; k--) {
    for (let shift = 0; shift <= 16; shift += 16) {
      const cur = keys[k]!;
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[((cur[i]! >>> shift) & 0xffff) + 1]!++;
      let same = false; // every record has the same digit: nothing to do
      for (let d = 1; d <= 65536 && !same; d++) same = counts[d] === n;
      if (same) continue;
      for (let d = 1; d <= 65536; d++) counts[d]! += counts[d - 1]!;
      // Words after k are done with; words before k move along with the records.
      const curNext = spare[k]!;
      for (let i = 0; i < n; i++) {
        const key = cur[i]!;
        const dst = counts[(key >>> shift) & 0xffff]!++;
        curNext[dst] = key;
        orderNext[dst] = order[i]!;
        for (let j = 0; j < k; j++) spare[j]![dst] = keys[j]![i]!;
      }
      for (let j = 0; j <= k; j++) [keys[j], spare[j]] = [spare[j]!, keys[j]!];
      [order, orderNext] = [orderNext, order];
      moved = true;
    }
  }
  let a = src;
  if (moved) {
    const rank = orderNext;
    for (let i = 0; i < n; i++) rank[order[i]!] = i;
    a = new Uint32Array(src.length);
    for (let i = 0; i < n; i++) {
      const from = i * w;
      const to = rank[i]! * w;
      for (let j = 0; j < w; j++) a[to + j] = src[from + j]!;
    }
  }
  if (keyWords > radixWords) refineTies(a, recordWords, radixWords, keyWords);
  return a;
}

/** Within each run of records equal on the first `from` words, stable-sorts by words from..keyWords. */
function refineTies(a: Uint32Array, w: number, from: number, keyWords: number): void {
  const n = a.length / w;
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && compareKeys(a, start * w, a, end * w, from) === 0) end++;
    if (end - start > 1) {
      const order = Array.from({ length: end - start }, (_, i) => start + i);
      let sorted = true;
      for (let i = 1; i < order.length && sorted; i++) sorted = compareRange(a, order[i - 1]! * w, order[i]! * w, from, keyWords) <= 0;
      if (!sorted) {
        order.sort((x, y) => compareRange(a, x * w, y * w, from, keyWords) || x - y);
        const copy = a.slice(start * w, end * w);
        order.forEach((src, i) => a.set(copy.subarray((src - start) * w, (src - start + 1) * w), (start + i) * w));
      }
    }
    start = end;
  }
}

function compareRange(a: Uint32Array, ai: number, bi: number, from: number, to: number): number {
  for (let k = from; k < to; k++) {
    const x = a[ai + k]!;
    const y = a[bi + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Compares the first `keyWords` words of two records. */
export function compareKeys(a: Uint32Array, ai: number, b: Uint32Array, bi: number, keyWords: number): number {
  for (let k = 0; k < keyWords; k++) {
    const x = a[ai + k]!;
    const y = b[bi + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

interface Cursor {
  run: number;
  block: Uint32Array;
  pos: number;
  /** The first key word of the record at `pos`: most comparisons are settled by it alone. */
  head: number;
}

/**
 * Merges sorted runs; calls `emit(block, offset, run)` for each record in key order, equal keys in
 * run order. Every run is read to its end, so each one's checksum is verified.
 */
export function mergeRuns(runs: readonly RecordReader[], keyWords: number, emit: (block: Uint32Array, offset: number, run: number) => void): void {
  const w = runs[0]?.recordWords ?? 0;
  const heap: Cursor[] = [];
  const less = (x: Cursor, y: Cursor): boolean => {
    if (x.head !== y.head) return x.head < y.head;
    const c = compareKeys(x.block, x.pos, y.block, y.pos, keyWords);
    return c < 0 || (c === 0 && x.run < y.run);
  };
  const up = (i: number): void => {
    const item = heap[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(item, heap[p]!)) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = item;
  };
  const down = (i: number): void => {
    const item = heap[i]!;
    const size = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const c = r < size && less(heap[r]!, heap[l]!) ? r : l;
      if (!less(heap[c]!, item)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = item;
  };
  runs.forEach((reader, run) => {
    const block = reader.next();
    if (block !== null && block.length > 0) {
      heap.push({ run, block, pos: 0, head: keyWords > 0 ? block[0]! : 0 });
      up(heap.length - 1);
    }
  });
  while (heap.length > 0) {
    const top = heap[0]!;
    emit(top.block, top.pos, top.run);
    top.pos += w;
    if (top.pos >= top.block.length) {
      const next = runs[top.run]!.next();
      if (next === null || next.length === 0) {
        const last = heap.pop()!;
        if (heap.length > 0 && last !== top) {
          heap[0] = last;
          down(0);
        }
        continue;
      }
      top.block = next;
      top.pos = 0;
    }
    top.head = keyWords > 0 ? top.block[top.pos]! : 0;
    down(0);
  }
}
