import { describe, expect, it } from 'vitest';
import { normalizeWords, windowKeys, windowKeyLo, WordScanner } from '../../src/decon/ngrams.js';

const words = (s: string): string[] => normalizeWords(s);

function hashes(text: string): [number, number][] {
  const sc = new WordScanner(4);
  const n = sc.scan(text);
  return Array.from({ length: n }, (_, i) => [sc.hi[i]!, sc.lo[i]!]);
}

describe('normalization', () => {
  it('folds case, punctuation and whitespace into plain words', () => {
    expect(words("Janet’s ducks lay 16 eggs per day.\n\tShe EATS three!")).toEqual(['janet', 'ducks', 'lay', '16', 'eggs', 'per', 'day', 'she', 'eats', 'three']);
    expect(words('  --  ')).toEqual([]);
    expect(words('')).toEqual([]);
  });

  it('drops single letters: articles, pronouns, option labels', () => {
    expect(words('I saw a cat')).toEqual(['saw', 'cat']);
    expect(words('Question? A. red B. green (C) blue')).toEqual(['question', 'red', 'green', 'blue']);
  });

  it('normalizes numbers: thousands separators, trailing zeros of fractions', () => {
    expect(words('1,000 and 1000 and 1,000,000.00')).toEqual(['1000', 'and', '1000', 'and', '1000000']);
    expect(words('3.50 3.5 3.00 3.0 3 0.250')).toEqual(['3.5', '3.5', '3', '3', '3', '0.25']);
    expect(words('12,34 and 1,0000 and 1,000.5')).toEqual(['12', '34', 'and', '1', '0000', 'and', '1000.5']);
    expect(words('$2 -5 x2')).toEqual(['2', '5', 'x2']);
  });

  it('is Unicode-aware: accents, compatibility forms, CJK characters as words', () => {
    expect(words('Café CAFÉ cafe\u0301 naïve')).toEqual(['cafe', 'cafe', 'cafe', 'naive']);
    expect(words('ＡＢＣ１２３ soft\u00adhyphen')).toEqual(['abc123', 'softhyphen']);
    expect(words('中文，字符')).toEqual(['中', '文', '字', '符']);
    expect(words('Ελληνικά Русский')).toEqual(['ελληνικα', 'русскии']);
  });

  it('records the span of each word in the text', () => {
    const sc = new WordScanner();
    const text = 'The price: 1,000.00 dollars';
    expect(sc.scan(text)).toBe(4);
    const spans = Array.from({ length: 4 }, (_, i) => text.slice(sc.start[i], sc.end[i]));
    expect(spans).toEqual(['The', 'price', '1,000.00', 'dollars']);
  });
});

describe('word and n-gram hashes', () => {
  it('gives a word the same hash wherever it is and however it is written', () => {
    const a = hashes('The Quick brown fox');
    const b = hashes('…the QUICK, brown; fox!');
    expect(b).toEqual(a);
    expect(new Set(a.map((h) => h.join(':'))).size).toBe(4);
  });

  it('rolls window keys equal to keys computed window by window', () => {
    const sc = new WordScanner();
    const n = sc.scan('one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen');
    const len = 13;
    const outHi = new Uint32Array(n);
    const outLo = new Uint32Array(n);
    expect(windowKeys(sc.hi, sc.lo, n, len, outHi, outLo)).toBe(n - len + 1);
    for (let j = 0; j + len <= n; j++) {
      const hi = new Uint32Array(len);
      const lo = new Uint32Array(len);
      expect(windowKeys(sc.hi.subarray(j), sc.lo.subarray(j), len, len, hi, lo)).toBe(1);
      expect([hi[0], lo[0]]).toEqual([outHi[j], outLo[j]]);
      expect(windowKeyLo(sc.lo, j, len, outHi[j]!)).toBe(outLo[j]);
    }
    const keys = Array.from(outHi.subarray(0, n - len + 1), (h, j) => `${h}:${outLo[j]}`);
    expect(new Set(keys).size).toBe(n - len + 1);
  });

  it('gives windows of different lengths different keys', () => {
    const sc = new WordScanner();
    const n = sc.scan('alpha beta gamma delta epsilon zeta eta theta');
    const k8 = [new Uint32Array(n), new Uint32Array(n)] as const;
    const k6 = [new Uint32Array(n), new Uint32Array(n)] as const;
    windowKeys(sc.hi, sc.lo, n, 8, k8[0], k8[1]);
    windowKeys(sc.hi, sc.lo, n, 6, k6[0], k6[1]);
    expect(k8[0][0]).not.toBe(k6[0][0]);
  });

  it('returns no windows for texts shorter than the window', () => {
    const sc = new WordScanner();
    const n = sc.scan('too short');
    expect(windowKeys(sc.hi, sc.lo, n, 13, new Uint32Array(4), new Uint32Array(4))).toBe(0);
  });
});
