/**
 * Cutting matched benchmark text out of a document, as NeMo Curator's task decontamination does:
 * each matched span is widened by some context (characters and/or words on each side, then to
 * whole words), overlapping or adjacent cuts are merged, and what remains between them is kept,
 * in pieces. Pieces shorter than `minPieceChars` go too. The result tells how much of the text is
 * left, so that a stage can drop a document when too little remains.
 */
import type { Span } from './match.js';

export interface CutOptions {
  /** Characters removed on each side of a matched span, beyond it (default 0; NeMo Curator uses 200). */
  contextChars?: number;
  /** Whitespace-separated words removed on each side, beyond the characters (default 0). */
  contextWords?: number;
  /** Remaining pieces with fewer characters (after trimming) are removed too (default 0). */
  minPieceChars?: number;
  /** Put between the remaining pieces (default "\n"). */
  joiner?: string;
}

export interface CutResult {
  /** The remaining pieces, trimmed, joined by `joiner`. */
  text: string;
  /** Number of remaining pieces. */
  pieces: number;
  /** The cuts made (widened and merged spans of the original text). */
  cuts: Span[];
  /** Characters (UTF-16 code units) of the original text, and of the remaining pieces. */
  originalChars: number;
  keptChars: number;
  /** keptChars / originalChars (1 for an empty text). */
  keptShare: number;
}

const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x85 || c === 0x2028 || c === 0x2029 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a);

export function cutSpans(text: string, spans: readonly Span[], opts: CutOptions = {}): CutResult {
  const contextChars = opts.contextChars ?? 0;
  const contextWords = opts.contextWords ?? 0;
  const minPiece = opts.minPieceChars ?? 0;
  const joiner = opts.joiner ?? '\n';
  const n = text.length;
  const widened: Span[] = spans
    .filter(([s, e]) => e > s)
    .map(([s, e]) => {
      let a = Math.max(0, s - contextChars);
      let b = Math.min(n, e + contextChars);
      a = wordStart(text, a);
      b = wordEnd(text, b);
      for (let w = 0; w < contextWords; w++) {
        a = previousWord(text, a);
        b = nextWord(text, b);
      }
      return [a, b];
    });
  widened.sort((x, y) => x[0] - y[0]);
  const cuts: Span[] = [];
  for (const [a, b] of widened) {
    const last = cuts[cuts.length - 1];
    // merge overlapping cuts, and cuts separated by whitespace only
    if (last && (a <= last[1] || text.slice(last[1], a).trim() === '')) last[1] = Math.max(last[1], b);
    else cuts.push([a, b]);
  }
  const kept: string[] = [];
  let from = 0;
  for (const [a, b] of [...cuts, [n, n] as Span]) {
    const piece = text.slice(from, a).trim();
    if (piece.length > 0 && piece.length >= minPiece) kept.push(piece);
    from = b;
  }
  const keptChars = kept.reduce((sum, p) => sum + p.length, 0);
  return {
    text: kept.join(joiner),
    pieces: kept.length,
    cuts,
    originalChars: n,
    keptChars,
    keptShare: n === 0 ? 1 : keptChars / n,
  };
}

/** Moves a cut's start back to the start of the word it falls in. */
function wordStart(text: string, i: number): number {
  while (i > 0 && i < text.length && !isSpace(text.charCodeAt(i - 1)) && !isSpace(text.charCodeAt(i))) i--;
  return i;
}

/** Moves a cut's end forward to the end of the word it falls in. */
function wordEnd(text: string, i: number): number {
  while (i < text.length && !isSpace(text.charCodeAt(i)) && i > 0 && !isSpace(text.charCodeAt(i - 1))) i++;
  return i;
}

/** The start of the word before position i (skipping whitespace). */
function previousWord(text: string, i: number): number {
  while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
  while (i > 0 && !isSpace(text.charCodeAt(i - 1))) i--;
  return i;
}

/** The end of the word after position i (skipping whitespace). */
function nextWord(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Spans of a text made of `segments` joined by `joiner` (a document's text segments, see
 * `Doc.textSegments`), split into spans of each segment: a span over a joiner is cut in two, and
 * its part inside the joiner dropped. For `Doc.mapText`, which edits each segment on its own.
 */
export function splitSpans(segments: readonly string[], spans: readonly Span[], joiner = '\n\n'): Span[][] {
  const out: Span[][] = segments.map(() => []);
  let offset = 0;
  segments.forEach((seg, i) => {
    const end = offset + seg.length;
    for (const [s, e] of spans) {
      const a = Math.max(s, offset);
      const b = Math.min(e, end);
      if (b > a) out[i]!.push([a - offset, b - offset]);
    }
    offset = end + joiner.length;
  });
  return out;
}
