/**
 * The final pass of spaCy's tokenizer (`_apply_special_cases`): exceptions that contain a prefix,
 * suffix or infix (":)", "e.g.", "Mt.", "'s"...) are also looked for as token sequences, because
 * the affix rules may have cut them out of a longer chunk ("word:)" -> "word" ":" ")").
 *
 * Each such exception gives a pattern: its tokenization without exceptions. Matches are found over
 * the whole document (tokens separated by exactly one space count as adjacent, as in spaCy's
 * token array), overlapping matches are filtered longest first (then leftmost; a match is kept
 * when its first and last token are still free, and all its tokens are marked taken either way),
 * and a kept match is replaced by the exception's pieces only when its text has no space inside.
 */
import * as chunks from './tokenizer-chunk.js';
import * as exceptions from './tokenizer-exceptions.js';
import * as rules from './tokenizer-rules.js';

// Imports are copied into module-local constants: the hot loops then never go through the
// export accessors that some TypeScript loaders and test runners put in front of live bindings.
const { splitChunk } = chunks;
const { EXCEPTIONS } = exceptions;
const { findInfixes, findPrefix, findSuffix } = rules;

interface Pattern {
  readonly tokens: readonly string[];
  /** Whether the exception's pieces differ from the pattern (else a match changes nothing). */
  readonly effective: boolean;
}

/** Patterns by their first and second token (all patterns have at least two). */
interface PatternIndex {
  readonly byPair: Map<string, Map<string, Pattern[]>>;
  /** Filter on first tokens: bit (1 << min(length - 1, 7)) at their first UTF-16 unit. */
  readonly firstShape: Uint8Array;
}

function newIndex(): PatternIndex {
  return { byPair: new Map(), firstShape: new Uint8Array(0x10000) };
}

function shapeBit(token: string): number {
  return 1 << Math.min(token.length - 1, 7);
}

function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

function addPattern(index: PatternIndex, pattern: Pattern): void {
  const [first, second] = pattern.tokens as [string, string];
  index.firstShape[first.charCodeAt(0)] |= shapeBit(first);
  const bySecond = index.byPair.get(first) ?? new Map<string, Pattern[]>();
  index.byPair.set(first, bySecond);
  const list = bySecond.get(second) ?? [];
  list.push(pattern);
  bySecond.set(second, list);
}

function buildPatterns(): { all: PatternIndex; effective: PatternIndex; longest: number } {
  const all = newIndex();
  const effective = newIndex();
  let longest = 0;
  const scratch: number[] = [];
  for (const [key, pieces] of EXCEPTIONS) {
    const n = key.length;
    // Keys with whitespace (" ", "\t"...) tokenize to themselves and can never change a token.
    if (/\s/.test(key)) continue;
    scratch.length = 0;
    if (findPrefix(key, 0, n) === 0 && findSuffix(key, 0, n) === 0 && findInfixes(key, 0, n, scratch) === 0) continue;
    const tokens: string[] = [];
    splitChunk(key, 0, n, false, tokens);
    const pattern = { tokens, effective: !sameTokens(tokens, pieces) };
    if (tokens.length === 1) {
      // A one-token pattern could only replace a token by itself ("'" -> "'").
      if (pattern.effective) throw new Error(`tokenizer exception ${JSON.stringify(key)} needs a one-token pattern`);
      continue;
    }
    addPattern(all, pattern);
    if (pattern.effective) addPattern(effective, pattern);
    longest = Math.max(longest, tokens.length);
  }
  return { all, effective, longest };
}

const PATTERNS = buildPatterns();

/** Patterns of `index` whose first two tokens are `tokens[i]` and `tokens[i + 1]`. */
function patternsAt(index: PatternIndex, tokens: readonly string[], i: number): Pattern[] | undefined {
  if (i + 1 >= tokens.length) return undefined;
  const first = tokens[i] as string;
  if ((index.firstShape[first.charCodeAt(0)] & shapeBit(first)) === 0) return undefined;
  return index.byPair.get(first)?.get(tokens[i + 1] as string);
}

/**
 * Whether `tokens[from..]`, the tokens of one chunk (no space between them), contain a match that
 * would change them. Only then can the document-wide pass change anything: a match across a space
 * is never applied, it can only keep another match from being applied.
 */
export function hasEffectiveMatch(tokens: readonly string[], from: number): boolean {
  for (let i = from; i + 1 < tokens.length; i++) {
    const candidates = patternsAt(PATTERNS.effective, tokens, i);
    if (candidates === undefined) continue;
    for (const { tokens: p } of candidates) {
      if (i + p.length > tokens.length) continue;
      let j = 2;
      while (j < p.length && tokens[i + j] === p[j]) j++;
      if (j === p.length) return true;
    }
  }
  return false;
}

/** Tokens with their bounds in the text: `tokens[k]` is `text.slice(starts[k], ends[k])`. */
export interface TokenRun {
  tokens: string[];
  starts: number[];
  ends: number[];
}

/** How token j follows token j-1: 0 directly, 1 after one space (still adjacent), 2 not adjacent. */
function gapBefore(text: string, run: TokenRun, j: number): number {
  const prevEnd = run.ends[j - 1] as number;
  const start = run.starts[j] as number;
  if (start === prevEnd) return 0;
  if (start === prevEnd + 1 && text.charCodeAt(prevEnd) === 0x20) return 1;
  return 2;
}

/** Match starts by match length (index = length), each list in increasing order. */
function findMatches(text: string, run: TokenRun): number[][] {
  const { tokens } = run;
  const byLength: number[][] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const candidates = patternsAt(PATTERNS.all, tokens, i);
    if (candidates === undefined || gapBefore(text, run, i + 1) === 2) continue;
    for (const { tokens: p } of candidates) {
      if (i + p.length > tokens.length) continue;
      let j = 2;
      while (j < p.length && tokens[i + j] === p[j] && gapBefore(text, run, i + j) < 2) j++;
      if (j === p.length) (byLength[p.length] ??= []).push(i);
    }
  }
  return byLength;
}

/** Applies the special-case pass to `run` in place. */
export function applySpecialCases(text: string, run: TokenRun): void {
  const byLength = findMatches(text, run);
  const n = run.tokens.length;
  const taken = new Uint8Array(n);
  const kept = new Uint8Array(n); // length of the kept match starting at each token
  for (let length = PATTERNS.longest; length >= 2; length--) {
    for (const start of byLength[length] ?? []) {
      if (taken[start] === 0 && taken[start + length - 1] === 0) kept[start] = length;
      taken.fill(1, start, start + length);
    }
  }
  const tokens: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < n; ) {
    const length = kept[i] as number;
    let contiguous = length > 0;
    for (let j = i + 1; j < i + length && contiguous; j++) contiguous = gapBefore(text, run, j) === 0;
    const pieces = contiguous ? EXCEPTIONS.get(run.tokens.slice(i, i + length).join('')) : undefined;
    if (pieces === undefined) {
      tokens.push(run.tokens[i] as string);
      starts.push(run.starts[i] as number);
      ends.push(run.ends[i] as number);
      i++;
      continue;
    }
    let offset = run.starts[i] as number;
    for (const piece of pieces) {
      tokens.push(piece);
      starts.push(offset);
      offset += piece.length;
      ends.push(offset);
    }
    i += length;
  }
  run.tokens = tokens;
  run.starts = starts;
  run.ends = ends;
}
