/**
 * Duplicate lines and paragraphs for the repetition rules: Python `find_duplicates` over strings or
 * ranges of one string. Every occurrence after the first counts, with its length in code points.
 */
import { fmix32 } from './hash.js';
import * as hashing from './ngram-hash.js';
import * as python from './python.js';

// module-local copies for the hot loops (some loaders put accessors in front of imported bindings)
const { bitmapSize, buffer } = hashing;
const { codePointLength, codePointLengthRange } = python;

export interface DuplicateStats {
  /** Elements equal to an earlier element. */
  count: number;
  /** Their total length in code points. */
  chars: number;
}

/**
 * Strings longer than this get no content hash from the engine (their hash derives from the length
 * alone, so many long pieces of one length would all collide); such strings are hashed here.
 */
const ENGINE_HASH_LIMIT = 16383;

function hashString(s: string): number {
  let h = 0x811c9dc5 ^ s.length;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/**
 * Python `find_duplicates` one string at a time: `seen(s)` is true when an equal string was seen
 * before (and records `s` otherwise).
 */
class SeenStrings {
  private readonly set = new Set<string>();
  private long: Map<number, string[]> | null = null;

  seen(s: string): boolean {
    if (s.length <= ENGINE_HASH_LIMIT) {
      const size = this.set.size;
      return this.set.add(s).size === size; // one look-up: add changes nothing for a string seen
    }
    this.long ??= new Map();
    const h = hashString(s);
    const list = this.long.get(h);
    if (list === undefined) this.long.set(h, [s]);
    else if (list.includes(s)) return true;
    else list.push(s);
    return false;
  }
}

/**
 * A screen of the pieces' shapes (length, first and last UTF-16 unit): after `add` for every
 * piece, a piece whose shape bit `repeats` is false equals no other piece, so only the others need
 * comparing (most lines and paragraphs of a text have a shape of their own).
 */
class ShapeScreen {
  private readonly shift: number;
  private readonly once: Int32Array;
  private readonly hot: Int32Array;
  any = false;

  constructor(count: number) {
    const { logBits, words } = bitmapSize(count);
    this.shift = 32 - logBits;
    this.once = buffer('shapeOnce', words).fill(0, 0, words);
    this.hot = buffer('shapeHot', words).fill(0, 0, words);
  }

  private bit(s: string, start: number, end: number): number {
    const len = end - start;
    const h = len === 0 ? 0 : Math.imul(len, 0x9e3779b1) ^ Math.imul(s.charCodeAt(start), 0x85ebca77) ^ Math.imul(s.charCodeAt(end - 1), 0xc2b2ae3d);
    return fmix32(h) >>> this.shift;
  }

  add(s: string, start: number, end: number): void {
    const b = this.bit(s, start, end);
    const bit = 1 << (b & 31);
    if ((this.once[b >>> 5]! & bit) === 0) this.once[b >>> 5]! |= bit;
    else {
      this.hot[b >>> 5]! |= bit;
      this.any = true;
    }
  }

  repeats(s: string, start: number, end: number): boolean {
    const b = this.bit(s, start, end);
    return (this.hot[b >>> 5]! & (1 << (b & 31))) !== 0;
  }
}

/**
 * Duplicates among `count` ranges of `s`, given as `[start0, end0, start1, end1, ...]` in `bounds`.
 * `astral`: whether `s` may hold surrogates (false: code points = UTF-16 units).
 */
export function rangeDuplicates(s: string, bounds: ArrayLike<number>, count: number, astral = true): DuplicateStats {
  const screen = new ShapeScreen(count);
  for (let r = 0; r < count; r++) screen.add(s, bounds[2 * r]!, bounds[2 * r + 1]!);
  let dups = 0;
  let chars = 0;
  if (!screen.any) return { count: dups, chars };
  const seen = new SeenStrings();
  for (let r = 0; r < count; r++) {
    const start = bounds[2 * r]!;
    const end = bounds[2 * r + 1]!;
    if (screen.repeats(s, start, end) && seen.seen(s.slice(start, end))) {
      dups++;
      chars += astral ? codePointLengthRange(s, start, end) : end - start;
    }
  }
  return { count: dups, chars };
}

/** Duplicates among `pieces` (see `rangeDuplicates`). */
export function stringDuplicates(pieces: readonly string[], astral = true): DuplicateStats {
  const screen = new ShapeScreen(pieces.length);
  for (const p of pieces) screen.add(p, 0, p.length);
  let dups = 0;
  let chars = 0;
  if (!screen.any) return { count: dups, chars };
  const seen = new SeenStrings();
  for (const p of pieces) {
    if (screen.repeats(p, 0, p.length) && seen.seen(p)) {
      dups++;
      chars += astral ? codePointLength(p) : p.length;
    }
  }
  return { count: dups, chars };
}
