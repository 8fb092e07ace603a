import { describe, expect, it } from 'vitest';
import { duplicatedNgramChars, duplicatedNgramScores, topNgramChars, topNgramScores, wordTable } from '../../src/text/ngrams.js';
import { HAS_ALPHA, NON_SYMBOL } from '../../src/text/punctuation.js';
import { rangeDuplicates, stringDuplicates } from '../../src/text/repetition.js';
import { codePointLength } from '../../src/text/python.js';

/** The reference's top n-gram score, built from strings: len(ngram) * count of the most common. */
function naiveTop(words: string[], n: number): number {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= words.length; i++) {
    const g = words.slice(i, i + n).join(' ');
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  let best = '';
  let bestCount = 0;
  for (const [g, c] of counts) if (c > bestCount) [best, bestCount] = [g, c];
  return codePointLength(best) * bestCount;
}

/** The reference's duplicated n-gram characters, built from strings. */
function naiveDup(words: string[], n: number): number {
  const seen = new Set<string>();
  let repeated = 0;
  let i = 0;
  while (i < words.length - n + 1) {
    const g = words.slice(i, i + n).join('');
    if (seen.has(g)) {
      repeated += codePointLength(g);
      i += n;
    } else {
      seen.add(g);
      i++;
    }
  }
  return repeated;
}

/** Deterministic pseudo-random word lists from a small vocabulary (so n-grams repeat). */
function randomWords(seed: number, count: number, vocab: string[]): string[] {
  let x = seed >>> 0 || 1;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.push(vocab[(x >>> 0) % vocab.length]!);
  }
  return out;
}

describe('word n-grams', () => {
  it('agree with string-built n-grams on random texts, boundary shifts and astral words included', () => {
    const vocabs = [
      ['a', 'b', 'ab', 'ba', 'aa', 'b a'],
      ['the', 'cat', 'sat', 'on', 'mat', '.'],
      ['x', 'xx', 'xxx'],
      ['😀', 'a😀', '😀a', 'é', 'e\u0301'],
      ['international', 'cooperation', 'development', 'of', 'the', 'and', 'interna', 'tional'],
    ];
    for (let seed = 1; seed <= 60; seed++) {
      const vocab = vocabs[seed % vocabs.length]!;
      const words = randomWords(seed, 5 + ((seed * 37) % 300), vocab);
      const ns = [1, 2, 3, 4, 5];
      const ds = [2, 5, 6, 7, 8, 9, 10];
      // read from the words, and from a text they are the tokens of
      for (const text of [undefined, words.join(seed % 2 ? ' ' : ' \n ')]) {
        const h = wordTable(words, text);
        // words with a space inside are not tokens of the text: they are read from themselves
        expect(h.fromText, `text mode seed ${seed}`).toBe(text !== undefined && !words.some((w) => w.includes(' ')));
        expect(topNgramScores(h, ns), `top seed ${seed}`).toEqual(ns.map((n) => naiveTop(words, n)));
        const far = [12, 3, 7, 20, 7];
        expect(topNgramScores(h, far), `top seed ${seed}`).toEqual(far.map((n) => naiveTop(words, n)));
        expect(duplicatedNgramScores(wordTable(words, text), ds), `dup seed ${seed}`).toEqual(ds.map((n) => naiveDup(words, n)));
      }
    }
  });

  it('reads the words themselves when they are not the tokens of the text given', () => {
    const words = ['the', 'cat', 'sat', 'the', 'cat', 'sat'];
    for (const text of ['the cat sat the cats sat', 'the cat', 'xthe cat sat the cat sat', 'the cat sat the bat sat']) {
      const h = wordTable(words, text);
      expect(h.fromText, text).toBe(false);
      expect(topNgramChars(h, 2)).toBe(naiveTop(words, 2));
    }
    // every character is compared
    expect(wordTable(words, 'the cat sat the cot sat').fromText).toBe(false);
    expect([...wordTable(words, ' the cat sat\nthe  cat sat ').starts]).toEqual([1, 5, 9, 13, 18, 22]);
  });

  it('joins duplicated n-grams without a separator, as the reference: "ab"+"c" equals "a"+"bc"', () => {
    const words = ['ab', 'c', 'x', 'y', 'z', 'a', 'bc', 'x', 'y', 'z'];
    expect(duplicatedNgramChars(wordTable(words), 5)).toBe(6);
    expect(naiveDup(words, 5)).toBe(6);
    // joined by " ", they differ
    expect(topNgramChars(wordTable(words), 5)).toBe(naiveTop(words, 5));
  });

  it('scores the first n-gram once when nothing repeats, and 0 when there are too few words', () => {
    const words = ['one', 'two', 'three', 'four'];
    expect(topNgramChars(wordTable(words), 2)).toBe('one two'.length);
    expect(topNgramChars(wordTable(words), 5)).toBe(0);
    expect(duplicatedNgramChars(wordTable(words), 5)).toBe(0);
    expect(topNgramScores(wordTable([]), [2, 3])).toEqual([0, 0]);
  });

  it('breaks ties toward the n-gram seen first', () => {
    const words = ['b', 'b', 'x', 'a', 'a', 'x', 'a', 'a', 'x', 'b', 'b'];
    // "b b" and "a a" both occur twice; "b b" came first
    expect(topNgramChars(wordTable(words), 2)).toBe(naiveTop(words, 2));
    expect(naiveTop(words, 2)).toBe(3 * 2);
  });

  it('stays linear on one word repeated a million times', () => {
    const words = new Array<string>(1_000_000).fill('word');
    const t = performance.now();
    const h = wordTable(words);
    expect(topNgramChars(h, 2)).toBe(9 * 999_999);
    expect(duplicatedNgramChars(h, 5)).toBeGreaterThan(0);
    // a long n takes a few pair levels, not n of them
    expect(topNgramChars(h, 1000)).toBe((5 * 1000 - 1) * (1_000_000 - 999));
    expect(performance.now() - t).toBeLessThan(20_000);
  });
});

describe('word table', () => {
  it('gives equal words one type, in order of first occurrence, with their class and lengths', () => {
    const words = ['the', 'cat', '.', 'the', '𝐀𝐁', 'cat', '42', '𝐀𝐁', 'the'];
    for (const text of [undefined, words.join(' ')]) {
      const t = wordTable(words, text);
      expect([...t.ids]).toEqual([0, 1, 2, 0, 3, 1, 4, 3, 0]);
      expect(t.types).toBe(5);
      expect([...t.typeCount]).toEqual([3, 2, 1, 2, 1]);
      expect([...t.typeFirst]).toEqual([0, 1, 2, 4, 6]);
      expect([...t.typeClass]).toEqual([NON_SYMBOL | HAS_ALPHA, NON_SYMBOL | HAS_ALPHA, 0, NON_SYMBOL | HAS_ALPHA, NON_SYMBOL]);
      expect([...t.units]).toEqual([0, 3, 6, 7, 10, 14, 17, 19, 23, 26]);
      expect([...t.cp]).toEqual([0, 3, 6, 7, 10, 12, 15, 17, 19, 22]);
    }
  });

  it('keeps thousands of distinct words apart', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `w${i % 2500}`);
    const t = wordTable(words, words.join('\n'));
    expect(t.fromText).toBe(true);
    expect(t.types).toBe(2500);
    expect(words.every((w, i) => words[t.typeFirst[t.ids[i]!]!] === w)).toBe(true);
  });
});

describe('repeated ranges', () => {
  it('counts every repeat after the first, in code points', () => {
    const s = 'a😀\nb\na😀\na😀\n';
    const bounds = [0, 3, 4, 5, 6, 9, 10, 13];
    expect(rangeDuplicates(s, bounds, 4)).toEqual({ count: 2, chars: 4 });
  });

  it('compares ranges longer than the engine hashes by content', () => {
    const long = 'x'.repeat(20_000);
    const other = `${'x'.repeat(19_999)}y`;
    const s = `${long}\n${other}\n${long}`;
    const bounds = [0, 20_000, 20_001, 40_001, 40_002, 60_002];
    expect(rangeDuplicates(s, bounds, 3)).toEqual({ count: 1, chars: 20_000 });
  });

  it('finds repeated strings among pieces of one shape, and long ones', () => {
    const pieces = ['ab', 'ba', 'aab', 'ab', 'acb', 'acb', '', '', 'x'.repeat(20_000), `${'x'.repeat(19_999)}y`, 'x'.repeat(20_000)];
    expect(stringDuplicates(pieces)).toEqual({ count: 4, chars: 2 + 3 + 0 + 20_000 });
    expect(stringDuplicates(['😀', 'a', '😀'])).toEqual({ count: 1, chars: 1 });
    expect(stringDuplicates(['😀', 'a', '😀'], false)).toEqual({ count: 1, chars: 2 });
    expect(stringDuplicates([])).toEqual({ count: 0, chars: 0 });
  });
});
