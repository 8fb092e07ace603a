/**
 * Duplicate lines and paragraphs for the repetition rules: Python `find_duplicates` over ranges of
 * one string, without building more strings than the engine needs to hash them. Every occurrence
 * after the first counts, with its length in code points.
 */
import * as python from './python.js';

// a module-local copy for the hot loops (some loaders put accessors in front of imported bindings)
const { codePointLengthRange } = python;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export interface DuplicateStats {
  /** Elements equal to an earlier element. */
  count: number;
  /** Their total length in code points. */
  chars: number;
}

/**
 * Strings longer than this get no content hash from the engine (their hash derives from the length
 * alone, so many long pieces of one length would all collide); such ranges are hashed here.
 */
const ENGINE_HASH_LIMIT = 16383;

function hashRange(s: string, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start);
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

function rangesEqual(s: string, a: number, b: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (s.charCodeAt(a + k) !== s.charCodeAt(b + k)) return false;
  return true;
}

/**
 * Duplicates among `count` ranges of `s`, given as `[start0, end0, start1, end1, ...]` in `bounds`.
 * `astral`: whether `s` may hold surrogates (false: code points = UTF-16 units).
 */
export function rangeDuplicates(s: string, bounds: ArrayLike<number>, count: number, astral = true): DuplicateStats {
  const seen = new Set<string>();
  let long: Map<number, number[]> | null = null; // hash -> [start, length, start, length, ...]
  let dups = 0;
  let chars = 0;
  for (let r = 0; r < count; r++) {
    const start = bounds[2 * r]!;
    const end = bounds[2 * r + 1]!;
    const len = end - start;
    let dup = false;
    if (len <= ENGINE_HASH_LIMIT) {
      const piece = s.slice(start, end);
      if (seen.has(piece)) dup = true;
      else seen.add(piece);
    } else {
      long ??= new Map();
      const h = hashRange(s, start, end);
      let list = long.get(h);
      if (list === undefined) long.set(h, (list = []));
      for (let k = 0; k < list.length && !dup; k += 2) dup = list[k + 1] === len && rangesEqual(s, list[k]!, start, len);
      if (!dup) list.push(start, len);
    }
    if (dup) {
      dups++;
      chars += astral ? codePointLengthRange(s, start, end) : len;
    }
  }
  return { count: dups, chars };
}
