import { describe, expect, it } from 'vitest';
import {
  codePointBefore,
  codePointLength,
  codePointLengthRange,
  countWhitespaceWords,
  hasPyAlpha,
  hasSurrogates,
  isPyAlpha,
  isPyLineBreak,
  isPyWhitespace,
  pyCount,
  pyLstrip,
  pyRstrip,
  pySplit,
  pySplitlineBounds,
  pySplitlines,
  pyStrip,
  skipPyWhitespace,
  trimPyWhitespaceEnd,
} from '../../src/text/python.js';

/** The lines of pySplitlineBounds as strings. */
function boundsToLines(s: string): string[] {
  const b = pySplitlineBounds(s);
  const out: string[] = [];
  for (let k = 0; k < b.length; k += 2) out.push(s.slice(b[k], b[k + 1]));
  return out;
}

describe('Python whitespace and line breaks', () => {
  it('has the str.isspace() set, with \\x1c-\\x1f and \\x85 but not \\ufeff or \\u200b', () => {
    for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]) {
      expect(isPyWhitespace(c), c.toString(16)).toBe(true);
    }
    for (const c of [0x00, 0x08, 0x0e, 0x1b, 0x21, 0x84, 0x200b, 0xfeff, 0x180e]) expect(isPyWhitespace(c), c.toString(16)).toBe(false);
  });

  it('has the str.splitlines() breaks: \\x1f is whitespace but no line break', () => {
    for (const c of [0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029]) expect(isPyLineBreak(c)).toBe(true);
    for (const c of [0x09, 0x1f, 0x20, 0xa0]) expect(isPyLineBreak(c)).toBe(false);
  });

  it('splits lines like str.splitlines(): \\r\\n once, no empty last line, nothing for ""', () => {
    expect(pySplitlines('a\r\nb\rc\nd')).toEqual(['a', 'b', 'c', 'd']);
    expect(pySplitlines('a\n')).toEqual(['a']);
    expect(pySplitlines('a\n\n')).toEqual(['a', '']);
    expect(pySplitlines('')).toEqual([]);
    expect(pySplitlines('\n')).toEqual(['']);
    expect(pySplitlines('a\u2028b\u2029c\x85d\x1ce\x0bf\x0cg')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(pySplitlines('a\r\n\r\nb')).toEqual(['a', '', 'b']);
  });

  it('gives the same lines as bounds, on both the "\\n"-only path and the general one', () => {
    for (const s of ['', '\n', 'a', 'a\n', 'a\n\nb', '\n\nx\n', 'a\r\nb', 'a\rb\r', 'x\u2028y\n', 'tab\tend\x1f\x85z', '\r\n\r\n']) {
      expect(boundsToLines(s), JSON.stringify(s)).toEqual(pySplitlines(s));
    }
  });

  it('strips and splits on Python whitespace only', () => {
    expect(pyStrip('\x1c\x85 a b \u3000')).toBe('a b');
    expect(pyStrip('\ufeffa\ufeff')).toBe('\ufeffa\ufeff');
    expect(pyLstrip('  a  ')).toBe('a  ');
    expect(pyRstrip('  a  ')).toBe('  a');
    expect(pySplit(' a\u00a0b\u200bc  d ')).toEqual(['a', 'b\u200bc', 'd']);
    expect(countWhitespaceWords(' a\u00a0b\u200bc  d ')).toBe(3);
    expect(skipPyWhitespace('  ab  ', 0, 6)).toBe(2);
    expect(trimPyWhitespaceEnd('  ab  ', 0, 6)).toBe(4);
    expect(trimPyWhitespaceEnd('    ', 0, 4)).toBe(0);
  });

  it('counts non-overlapping occurrences like str.count', () => {
    expect(pyCount('.....', '...')).toBe(1);
    expect(pyCount('......', '...')).toBe(2);
    expect(pyCount('a#b##', '#')).toBe(3);
    expect(pyCount('', '#')).toBe(0);
  });
});

describe('code points', () => {
  it('counts a surrogate pair once and a lone surrogate once', () => {
    expect(codePointLength('a😀b')).toBe(3);
    expect(codePointLength('\ud83d')).toBe(1);
    expect(codePointLength('\ude00\ud83d')).toBe(2);
    expect(codePointLength('\ud83d\ud83d\ude00')).toBe(2);
    expect(codePointLength('𝐀𝐁𝐂')).toBe(3);
    expect(hasSurrogates('abc')).toBe(false);
    expect(hasSurrogates('a😀')).toBe(true);
  });

  it('counts ranges and reads the code point before an offset', () => {
    const s = 'x😀y😀';
    expect(codePointLengthRange(s, 0, s.length)).toBe(4);
    expect(codePointLengthRange(s, 1, 3)).toBe(1);
    expect(codePointBefore(s, s.length)).toBe(0x1f600);
    expect(codePointBefore(s, 1)).toBe(0x78);
    expect(codePointBefore(s, 0)).toBe(-1);
    expect(codePointBefore('\ude00', 1)).toBe(0xde00);
  });
});

describe('isalpha', () => {
  it('is Unicode category L, in and beyond the BMP', () => {
    for (const ch of ['a', 'Z', 'é', 'ß', 'Ж', 'ع', '中', 'ー', 'ǅ', '𝐀', '𠀀']) expect(isPyAlpha(ch.codePointAt(0)!), ch).toBe(true);
    for (const ch of ['1', '٣', '_', '-', ' ', '·', '😀', '\u0301', 'Ⅳ']) expect(isPyAlpha(ch.codePointAt(0)!), ch).toBe(false);
    expect(hasPyAlpha('123')).toBe(false);
    expect(hasPyAlpha('12a')).toBe(true);
    expect(hasPyAlpha('--𝐀')).toBe(true);
    expect(hasPyAlpha('')).toBe(false);
  });
});
