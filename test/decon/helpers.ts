/** Benchmarks built in memory for the decontamination tests. */
import type { BenchmarkItem, LoadedBenchmarks } from '../../src/decon/benchmarks.js';

export interface TestBenchmark {
  name: string;
  split?: string;
  parts: string[];
  /** Per item, per part, its texts (a string stands for one text). */
  items: (string | string[])[][];
}

export function benchmarks(...list: TestBenchmark[]): LoadedBenchmarks {
  const items: BenchmarkItem[] = [];
  list.forEach((b, bench) => {
    b.items.forEach((parts, index) => items.push({ bench, index, id: `${b.name}-${index}`, parts: parts.map((p) => (typeof p === 'string' ? [p] : p)) }));
  });
  return {
    file: '/test/benchmarks.yaml',
    benchmarks: list.map((b) => ({ name: b.name, split: b.split ?? null, files: [], parts: b.parts, items: b.items.length, missing: b.parts.map(() => 0) })),
    items,
  };
}

/** `count` distinct words: w0 w1 ... (as letters only, so none is a number). */
export function wordsText(prefix: string, count: number, from = 0): string {
  const out: string[] = [];
  for (let i = from; i < from + count; i++) out.push(`${prefix}${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
  return out.join(' ');
}
