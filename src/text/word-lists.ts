/**
 * Word and domain lists for the URL and bad-words filters: reading list files, and finding every
 * occurrence of many words in a text at once (Aho-Corasick), in time linear in the text plus the
 * occurrences found.
 */
import { readTextFile } from '../io/whole-file.js';
import { pyStrip } from './python.js';

/**
 * The entries of a list file: one per line, stripped; blank lines and lines starting with `#` are
 * skipped. `.gz` and `.zst` files are decompressed. Errors name the file and what it is for.
 */
export function readListFile(path: string, what: string): string[] {
  let text: string;
  try {
    text = readTextFile(path);
  } catch (e) {
    throw new Error(`${what}: cannot read ${path}: ${(e as Error).message}`);
  }
  const out: string[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = pyStrip(text.slice(start, end));
    start = end + 1;
    if (line !== '' && !line.startsWith('#')) out.push(line);
  }
  if (out.length === 0) throw new Error(`${what}: ${path} has no entries (only blank lines and # comments)`);
  return out;
}

/** Above this many table cells the ASCII transition table is not built (16 MiB of Int32). */
const MAX_ASCII_TABLE = 1 << 22;

/**
 * Finds every occurrence of a set of words (compared by UTF-16 code units, as given). Built once,
 * then `scan` any number of texts. ASCII characters step through a full transition table; other
 * characters follow the trie and its failure links.
 */
export class WordMatcher {
  /** The distinct non-empty words, in first-seen order; occurrences report an index into it. */
  readonly words: readonly string[];
  private readonly children: Map<number, number>[] = [];
  private readonly fail: Int32Array;
  /** The word that ends at a node (-1: none). */
  private readonly wordAt: Int32Array;
  /** The nearest node on the failure chain where a word ends (-1: none). */
  private readonly nextOut: Int32Array;
  private readonly ascii: Int32Array | null;

  constructor(words: Iterable<string>) {
    const distinct = [...new Set([...words].filter((w) => w !== ''))];
    this.words = distinct;
    const wordAt: number[] = [-1];
    this.children.push(new Map());
    distinct.forEach((w, index) => {
      let node = 0;
      for (let i = 0; i < w.length; i++) {
        const c = w.charCodeAt(i);
        let next = this.children[node]!.get(c);
        if (next === undefined) {
          next = this.children.length;
          this.children.push(new Map());
          wordAt.push(-1);
          this.children[node]!.set(c, next);
        }
        node = next;
      }
      wordAt[node] = index;
    });
    const n = this.children.length;
    this.wordAt = Int32Array.from(wordAt);
    this.fail = new Int32Array(n);
    this.nextOut = new Int32Array(n).fill(-1);
    const order: number[] = [0];
    for (let q = 0; q < order.length; q++) {
      const u = order[q]!;
      for (const [c, v] of this.children[u]!) {
        let f = u === 0 ? -1 : this.fail[u]!;
        while (f >= 0 && !this.children[f]!.has(c)) f = f === 0 ? -1 : this.fail[f]!;
        const target = f < 0 ? 0 : this.children[f]!.get(c)!;
        this.fail[v] = target === v ? 0 : target;
        const fv = this.fail[v]!;
        this.nextOut[v] = this.wordAt[fv]! >= 0 ? fv : this.nextOut[fv]!;
        order.push(v);
      }
    }
    this.ascii = n * 128 <= MAX_ASCII_TABLE ? this.asciiTable(order) : null;
  }

  private asciiTable(order: readonly number[]): Int32Array {
    const table = new Int32Array(this.children.length * 128);
    for (const u of order) {
      const kids = this.children[u]!;
      const base = u * 128;
      const failBase = this.fail[u]! * 128;
      for (let c = 0; c < 128; c++) {
        const next = kids.get(c);
        table[base + c] = next !== undefined ? next : u === 0 ? 0 : table[failBase + c]!;
      }
    }
    return table;
  }

  private step(node: number, c: number): number {
    if (c < 128 && this.ascii !== null) return this.ascii[node * 128 + c]!;
    for (;;) {
      const next = this.children[node]!.get(c);
      if (next !== undefined) return next;
      if (node === 0) return 0;
      node = this.fail[node]!;
    }
  }

  /**
   * Calls `found(start, end, word)` for every occurrence in `text` (overlapping ones included), in
   * order of their end; stops early when `found` returns true.
   */
  scan(text: string, found: (start: number, end: number, word: number) => boolean | void): void {
    if (this.words.length === 0) return;
    const { ascii, wordAt, nextOut, words } = this;
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      node = c < 128 && ascii !== null ? ascii[node * 128 + c]! : this.step(node, c);
      let out = wordAt[node]! >= 0 ? node : nextOut[node]!;
      while (out >= 0) {
        const w = wordAt[out]!;
        if (found(i + 1 - words[w]!.length, i + 1, w) === true) return;
        out = nextOut[out]!;
      }
    }
  }

  /** The first word found in `text` (by end position), or undefined. */
  find(text: string): string | undefined {
    let hit: string | undefined;
    this.scan(text, (_s, _e, w) => {
      hit = this.words[w];
      return true;
    });
    return hit;
  }
}
