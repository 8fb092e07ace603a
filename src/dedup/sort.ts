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
 */
export function sortRecords(src: Uint32Array, recordWords: number, keyWords: number, radixWords = Math.min(keyWords, 2)): Uint32Array {
  const n = src.length / recordWords;
  if (n < 2) return src;
  let a: Uint32Array = src;
  let b: Uint32Array = new Uint32Array(src.length);
  const counts = new Uint32Array(65537);
  for (let k = radixWords - 1; k >= 0; k--) {
    for (let shift = 0; shift <= 16; shift += 16) {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[((a[i * recordWords + k]! >>> shift) & 0xffff) + 1]!++;
      if (counts.some((c) => c === n)) continue; // every record has the same digit: nothing to do
      for (let d = 1; d <= 65536; d++) counts[d]! += counts[d - 1]!;
      for (let i = 0; i < n; i++) {
        const base = i * recordWords;
        const dst = counts[(a[base + k]! >>> shift) & 0xffff]!++ * recordWords;
        for (let j = 0; j < recordWords; j++) b[dst + j] = a[base + j]!;
      }
      [a, b] = [b, a];
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
}

/**
 * Merges sorted runs; calls `emit(block, offset, run)` for each record in key order, equal keys in
 * run order. Every run is read to its end, so each one's checksum is verified.
 */
export function mergeRuns(runs: readonly RecordReader[], keyWords: number, emit: (block: Uint32Array, offset: number, run: number) => void): void {
  const w = runs[0]?.recordWords ?? 0;
  const heap: Cursor[] = [];
  const less = (x: Cursor, y: Cursor): boolean => {
    const c = compareKeys(x.block, x.pos, y.block, y.pos, keyWords);
    return c < 0 || (c === 0 && x.run < y.run);
  };
  const up = (i: number): void => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  runs.forEach((reader, run) => {
    const block = reader.next();
    if (block !== null && block.length > 0) {
      heap.push({ run, block, pos: 0 });
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
    down(0);
  }
}
