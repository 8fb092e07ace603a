import { describe, expect, it } from 'vitest';
import {
  HAS_ALPHA,
  isAllPunctuation,
  isPunctuation,
  isTerminalPunctuation,
  NON_SYMBOL,
  punctuationCodePoints,
  TERMINAL_PUNCTUATION,
  wordClass,
} from '../../src/text/punctuation.js';

const cp = (s: string): number => s.codePointAt(0)!;

describe('punctuation sets', () => {
  it('has 159 terminal marks, all in the punctuation set, which has 281 code points', () => {
    expect(new Set(TERMINAL_PUNCTUATION).size).toBe(159);
    for (const c of TERMINAL_PUNCTUATION) expect(isPunctuation(c)).toBe(true);
    expect(punctuationCodePoints()).toHaveLength(281);
  });

  it('holds all ASCII punctuation, typographic quotes and dashes, and control characters but \\t and \\n', () => {
    for (const ch of '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~’“”«»–—…„') expect(isPunctuation(cp(ch)), ch).toBe(true);
    for (let c = 0; c <= 8; c++) expect(isPunctuation(c)).toBe(true);
    for (let c = 11; c <= 31; c++) expect(isPunctuation(c)).toBe(true);
    for (let c = 127; c <= 159; c++) expect(isPunctuation(c)).toBe(true);
    for (const ch of ['\t', '\n', '‘', '•', '·', 'a', '1', ' ', '\u00a0']) expect(isPunctuation(cp(ch)), JSON.stringify(ch)).toBe(false);
  });

  it('knows terminal marks of many scripts, astral ones included', () => {
    for (const ch of ['.', '!', '?', '。', '！', '？', '।', '॥', '؟', '۔', '።', '܂', '‼', '⁉', '𑁇', '𖩮', '𝪈']) {
      expect(isTerminalPunctuation(cp(ch)), ch).toBe(true);
    }
    for (const ch of [',', '"', "'", ';', ':', '…', '»', 'a']) expect(isTerminalPunctuation(cp(ch)), ch).toBe(false);
  });

  it('classifies words: symbol words are made of the set only', () => {
    expect(isAllPunctuation('...')).toBe(true);
    expect(isAllPunctuation('—“')).toBe(true);
    expect(isAllPunctuation('𑁇!')).toBe(true);
    expect(isAllPunctuation('•')).toBe(false);
    expect(isAllPunctuation('a.')).toBe(false);
    expect(wordClass('Hello')).toBe(NON_SYMBOL | HAS_ALPHA);
    expect(wordClass('42')).toBe(NON_SYMBOL);
    expect(wordClass('?!')).toBe(0);
    expect(wordClass('•')).toBe(NON_SYMBOL);
    expect(wordClass('-𝐀-')).toBe(NON_SYMBOL | HAS_ALPHA);
    expect(wordClass('😀')).toBe(NON_SYMBOL);
  });
});
