import { describe, expect, it } from 'vitest';
import { DEFAULT_TEXT_NORM, joinWhitespaceWords, simplifyText, TRANSLATED_PUNCTUATION } from '../../src/dedup/minhash/normalize.js';
import { MinhashSigner } from '../../src/dedup/minhash/signature.js';
import { nfdUnsafe } from '../../src/dedup/minhash/unicode-tables.js';
import { readJsonlFile } from '../../src/io/whole-file.js';
import { isTerminalPunctuation, punctuationCodePoints } from '../../src/text/punctuation.js';
import { describeWithSharedData, sharedPath } from '../helpers/shared-data.js';

/** Strings that exercise every rule and the places where the kernel's order of steps could differ. */
const TRICKY = [
  'Hello, World!',
  'Price: $3.14 or 1,000,000 units (approx.) -- 42% off!!!',
  'Café Naïve Ångström résumé',
  '١٢٣٫٤ and ٣،٥ and 1⎖5 and 2⎗ 3',
  '𝟏𝟐 apples, 😀 emoji, 𝄞 clef',
  'end｡ next ؟ then। done',
  'a ≠ b, c ≮ d; e\u037ef \u1fefg \u1ffdh \u2329x\u232a',
  '\u00a0x\u2003y\ty\n\nz\u3000w \ufeffbom',
  '\ufeffleading byte order mark',
  'İstanbul ΟΔΟΣ ΣΑΣ ǅemal ﬁne',
  '１２ full-width ｄｉｇｉｔｓ',
  'a\u0000b\u0085c\u001fd\u007fe',
  'x\u0301 \u0301 y \u0301z 1\u03012 1.\u03012',
  '한국어 텍스트 정규화',
  'UPPER lower MiXeD 123abc abc123 a1b2c3',
  'dont can\'t won’t “quoted” «guillemets» ‘single’ • bullet · dot',
  '',
  '   ',
  '...',
];

describe('simplifyText (the reference normalization)', () => {
  it('lowercases, replaces numbers by 0 and punctuation by spaces, collapses whitespace', () => {
    expect(simplifyText('Hello, World!')).toBe('hello world');
    expect(simplifyText('Price: $3.14 or 1,000,000 units')).toBe('price 0 or 0 0 units');
    expect(simplifyText('a\u0000b\u0085c\td\n\ne')).toBe('a b c d e');
  });

  it('replaces numbers of any script, with one decimal separator', () => {
    expect(simplifyText('١٢٣٫٤ items')).toBe('0 items');
    expect(simplifyText('1.2.3')).toBe('0 0');
    expect(simplifyText('１２ and 𝟏𝟐')).toBe('0 and 0');
    expect(simplifyText('v2 mp3 3d')).toBe('v0 mp0 0d');
  });

  it('removes accents (NFD, then drops Mn) after the other steps', () => {
    expect(simplifyText('Café Naïve Ångström')).toBe('cafe naive angstrom');
    expect(simplifyText('İstanbul')).toBe('istanbul');
    // a mark alone between spaces leaves two spaces: the reference collapses whitespace before NFD
    expect(simplifyText('x \u0301 y')).toBe('x  y');
    // NFD output is not translated: ≠ becomes "=" + a mark, and the "=" stays
    expect(simplifyText('a ≠ b')).toBe('a = b');
  });

  it('keeps characters outside the translation list: astral ones, sentence marks of other scripts, BOM', () => {
    expect(simplifyText('hi 😀!')).toBe('hi 😀');
    expect(simplifyText('end｡ next ؟')).toBe('end｡ next ؟');
    expect(simplifyText('\ufeffbom')).toBe('\ufeffbom');
    expect(simplifyText('‘single’ • dot')).toBe('‘single • dot');
  });

  it('translates exactly PUNCTUATION_SET minus the sentence marks only the set adds', () => {
    const shared = punctuationCodePoints();
    const mine = new Set(TRANSLATED_PUNCTUATION);
    expect([...mine].every((c) => shared.includes(c))).toBe(true);
    const onlyShared = shared.filter((c) => !mine.has(c));
    expect(onlyShared.length).toBeGreaterThan(100);
    expect(onlyShared.every(isTerminalPunctuation)).toBe(true);
    expect(mine.size).toBe(129);
  });

  it('honours the options (weekdays and months off by default)', () => {
    expect(simplifyText('Monday, 5 May', { ...DEFAULT_TEXT_NORM, normWeekdays: true, normMonthnames: true })).toBe('WEEKDAY 0 MONTH');
    expect(simplifyText('Monday, 5 May')).toBe('monday 0 may');
    expect(simplifyText('Hello, World', { ...DEFAULT_TEXT_NORM, lowercase: false })).toBe('Hello World');
    expect(simplifyText('a, b', { ...DEFAULT_TEXT_NORM, removePunctuation: false })).toBe('a, b');
    expect(simplifyText('1.5 x', { ...DEFAULT_TEXT_NORM, normNumbers: false })).toBe('1 5 x');
  });
});


describe('in-kernel normalization', () => {
  const signer = new MinhashSigner();

  it('gives the same words as the reference normalization on tricky strings', () => {
    for (const t of TRICKY) expect(signer.shingleText(t)).toBe(joinWhitespaceWords(simplifyText(t)));
  });

  it('sends texts with characters whose NFD contains punctuation to the string path', () => {
    expect(nfdUnsafe().test('a ≠ b')).toBe(true);
    expect(nfdUnsafe().test('café')).toBe(false);
    expect(signer.shingleText('a ≠ b')).toBe('a = b');
  });
});

describeWithSharedData('in-kernel normalization on the dev corpus', ['corpus', 'dev', 'dev-0000.jsonl.zst'], () => {
  it('gives the same words as the reference normalization for every document', () => {
    const signer = new MinhashSigner();
    let checked = 0;
    for (let s = 0; s < 4; s++) {
      for (const d of readJsonlFile<{ text?: string }>(sharedPath('corpus', 'dev', `dev-000${s}.jsonl.zst`))) {
        if (!d.text) continue;
        const got = signer.shingleText(d.text);
        const want = joinWhitespaceWords(simplifyText(d.text));
        if (got !== want) expect({ got: got.slice(0, 200) }).toEqual({ got: want.slice(0, 200) });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(9000);
  });
});
