import { describe, expect, it } from 'vitest';
import { readJsonlFile } from '../../src/io/whole-file.js';
import { areTextTokens, countSentences, recentTokenization, splitSentences, splitWords, wordsOfLines } from '../../src/text/tokenizer.js';
import { describeWithSharedData, sharedPath } from '../helpers/shared-data.js';

describe('splitWords: the examples of the filter semantics', () => {
  it.each([
    ["don't", ['do', "n't"]],
    ['dont', ['do', 'nt']],
    ['gonna', ['gon', 'na']],
    ['U.S.', ['U.S.']],
    ['Mr.', ['Mr.']],
    ['e.g.', ['e.g.']],
    ['well-known', ['well', '-', 'known']],
    ['$10', ['$', '10']],
    ['10%', ['10', '%']],
    ['5km', ['5', 'km']],
    ['#tag', ['#', 'tag']],
    ['@user', ['@user']],
    ['https://example.com/a?b=1', ['https://example.com/a?b=1']],
    ['john.doe@example.com', ['john.doe@example.com']],
    [':)', [':)']],
    ['Hello...world', ['Hello', '...', 'world']],
  ])('%s', (text, tokens) => {
    expect(splitWords(text)).toEqual(tokens);
  });
});

describe('splitWords: sentences and special cases', () => {
  it.each([
    ["I can't believe it's not butter!", ['I', 'ca', "n't", 'believe', 'it', "'s", 'not', 'butter', '!']],
    ['Don’t stop.', ['Do', 'n’t', 'stop', '.']],
    [
      'The U.S. economy grew 3.5% in 2019, e.g. faster.',
      ['The', 'U.S.', 'economy', 'grew', '3.5', '%', 'in', '2019', ',', 'e.g.', 'faster', '.'],
    ],
    ['(Mr. Smith)', ['(', 'Mr.', 'Smith', ')']],
    ['"Quoted," she said.', ['"', 'Quoted', ',', '"', 'she', 'said', '.']],
    ["I'm", ['I', "'m"]],
    ["y'all", ["y'", 'all']],
    ["o'clock", ["o'clock"]],
    ["x-ray's", ['x', '-', 'ray', "'s"]],
    ['C++ and C# are languages.', ['C++', 'and', 'C', '#', 'are', 'languages', '.']],
    ['10km/h', ['10', 'km/h']],
    ['US$5', ['US$', '5']],
    ['£100', ['£', '100']],
    ['5am', ['5', 'am']],
    ['°C.', ['°', 'C', '.']],
    ['a--b a---b', ['a', '--', 'b', 'a', '---', 'b']],
    ['¯\\(ツ)/¯', ['¯\\(ツ)/¯']],
    // Exceptions cut out of a longer chunk by the affix rules are put back together.
    ['word:)', ['word', ':)']],
    ['e.g.The end', ['e.g.', 'The', 'end']],
  ])('%s', (text, tokens) => {
    expect(splitWords(text)).toEqual(tokens);
  });

  it('keeps URLs and addresses whole but splits trailing punctuation', () => {
    expect(splitWords('http://www.google.com.')).toEqual(['http://www.google.com', '.']);
    expect(splitWords('www.example.org,')).toEqual(['www.example.org', ',']);
    expect(splitWords('192.168.0.1 8.8.8.8:53/dns')).toEqual(['192.168.0.1', '8.8.8.8:53/dns']);
  });
});

describe('splitWords: edge cases', () => {
  it('returns nothing for empty or whitespace-only text', () => {
    expect(splitWords('')).toEqual([]);
    expect(splitWords(' \t\n\r\n\u2028\u00a0\u3000\x1c\x85 ')).toEqual([]);
  });

  it('splits on every Python whitespace character, \\r\\n and \\u2028 included', () => {
    expect(splitWords('a\r\nb\u2028c\td\u000bv\x1fw\u00a0x\u2009y')).toEqual(['a', 'b', 'c', 'd', 'v', 'w', 'x', 'y']);
    expect(splitWords('a  b \n c')).toEqual(['a', 'b', 'c']);
    // U+FEFF and U+200B are not Python whitespace.
    expect(splitWords('a\ufeffb\u200bc')).toEqual(['a\ufeffb\u200bc']);
  });

  it('handles non-English text with the character classes of the reference', () => {
    expect(splitWords('Он сказал: градитељ.')).toEqual(['Он', 'сказал', ':', 'градитељ', '.']);
    expect(splitWords('文字を<span>')).toEqual(['文字を', '<', 'span', '>']);
    expect(splitWords('再生/一時停止/早送り/巻き戻し')).toEqual(['再生', '/', '一時停止', '/', '早送り', '/', '巻き戻し']);
    expect(splitWords('ünïcödé-wörds naïve café')).toEqual(['ünïcödé', '-', 'wörds', 'naïve', 'café']);
    expect(splitWords('Ελληνικά. عربي. 中文。 한국어.')).toEqual(['Ελληνικά', '.', 'عربي', '.', '中文', '。', '한국어', '.']);
    expect(splitWords('ሰላም።')).toEqual(['ሰላም።']);
  });

  it('treats astral characters as single code points (emoji are symbols, math letters are not)', () => {
    expect(splitWords('😀Great!👍🏽')).toEqual(['😀', 'Great!', '👍', '🏽']);
    expect(splitWords('𝐀𝐁𝐂 is bold')).toEqual(['𝐀𝐁𝐂', 'is', 'bold']);
    expect(splitWords('😀😀😀')).toEqual(['😀', '😀', '😀']);
    expect(splitWords('\ud800x\udc00')).toEqual(['\ud800x\udc00']);
  });
});

describe('splitSentences / countSentences', () => {
  it.each([
    ['Hello world. This is a test! Is it? Yes.', ['Hello world.', 'This is a test!', 'Is it?', 'Yes.']],
    ['Mr. Smith went home. He slept.', ['Mr. Smith went home.', 'He slept.']],
    ['Hello.\nWorld', ['Hello.', 'World']],
    ['Wait... what?', ['Wait... what?']],
    ['One. Two.  Three.\n\nFour?!', ['One.', 'Two.', 'Three.', 'Four?!']],
    ['He said "Stop." Then left.', ['He said "Stop."', 'Then left.']],
    ['3.14 is pi. Right', ['3.14 is pi.', 'Right']],
    ['No end', ['No end']],
    ['', []],
    ['   \n ', []],
  ])('%j', (text, sentences) => {
    expect(splitSentences(text)).toEqual(sentences);
    expect(countSentences(text)).toBe(sentences.length);
  });
});

describe('sentences of a range', () => {
  it('counts the sentences of text.slice(start, end) in place', () => {
    const text = ' He left. She stayed!  Mr. Smith came back? Yes.\n\nEnd';
    for (let a = 0; a <= text.length; a += 3) {
      for (let b = a; b <= text.length; b += 5) expect(countSentences(text, a, b), `${a}-${b}`).toBe(countSentences(text.slice(a, b)));
    }
  });
});

describe('the most recent tokenization', () => {
  const text = "  The U.S. economy grew 3.5% in 2019, e.g. faster.\nIt's word:) here [1].\n\n  (Mr. Smith)  ";

  it('knows its words and their offsets', () => {
    const words = splitWords(text);
    expect(areTextTokens(text, words)).toBe(true);
    const recent = recentTokenization(text)!;
    expect(recent.words).toBe(words);
    words.forEach((w, k) => expect(text.slice(recent.starts[k], recent.ends[k])).toBe(w));
    expect(recentTokenization(`${text} `)).toBeNull();
  });

  it('checks other words against the text', () => {
    expect(areTextTokens('a bc\td', ['a', 'b', 'c', 'd'])).toBe(true);
    expect(areTextTokens('a bc d', ['a', 'bc'])).toBe(true); // a prefix of the pieces
    expect(areTextTokens('a bc d', ['a', 'bx', 'd'])).toBe(false);
    expect(areTextTokens('a b', ['a b'])).toBe(false); // whitespace inside a word
    expect(areTextTokens('a', ['a', 'b'])).toBe(false);
    expect(areTextTokens('a', [''])).toBe(false);
  });

  it('gives the words of lines joined by "\\n" from those of their source', () => {
    const lines = text.split('\n');
    const bounds: number[] = [];
    for (let k = 0, at = 0; k < lines.length; at += lines[k]!.length + 1, k++) bounds.push(at);
    const cases: [string[], number[]][] = [
      [lines.map((l) => l.trim()), lines.map((l, k) => bounds[k]! + l.length - l.trimStart().length)],
      [[lines[1]!.trim(), lines[0]!.trim()], [-1, -1]],
      [[lines[0]!.trim(), 'an edited line :)', lines[3]!.trim()], [2, -1, bounds[3]! + 2]],
      [[' ', lines[1]!.replace('[1]', '')], [-1, -1]],
      [[], []],
    ];
    for (const [kept, from] of cases) {
      kept.forEach((line, k) => from[k]! >= 0 && expect(text.slice(from[k], from[k]! + line.length)).toBe(line));
      splitWords(text);
      const source = recentTokenization(text)!;
      const joined = kept.join('\n').trim();
      const words = wordsOfLines(source, kept, from, joined);
      expect(words).toEqual(splitWords(joined));
    }
  });
});

/** Best of three wall-clock timings of `fn`, in milliseconds. */
function bestTime(fn: () => void): number {
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

describe('linear time on hostile input', () => {
  const ordinary = (n: number): string => 'The quick brown fox, jumps over the lazy dog. '.repeat(Math.ceil(n / 46)).slice(0, n);
  const inputs: [string, (n: number) => string][] = [
    ['one letter', (n) => 'a'.repeat(n)],
    ['periods', (n) => '.'.repeat(n)],
    ['hyphens', (n) => '-'.repeat(n)],
    ['opening brackets', (n) => '('.repeat(n)],
    ['apostrophes', (n) => "'".repeat(n)],
    ['at signs', (n) => '@'.repeat(n)],
    ['emoticons', (n) => ':)'.repeat(n / 2)],
    ['emoji', (n) => '😀'.repeat(n / 2)],
    ['combining marks', (n) => 'a' + '\u0301'.repeat(n - 1)],
    ['brackets around a word', (n) => '('.repeat(n / 2) + 'a' + ')'.repeat(n / 2)],
    ['a word between periods', (n) => 'x' + '.'.repeat(n - 2) + 'x'],
    ['a giant word with punctuation', (n) => 'a.b,c-d:e/f(g)h"i'.repeat(n / 17)],
    ['a giant host name', (n) => 'a.'.repeat(n / 2) + 'com'],
    ['mail-like runs', (n) => 'a@b.'.repeat(n / 4)],
    ['lone surrogates', (n) => '\ud800'.repeat(n)],
    ['empty lines', (n) => '\n'.repeat(n)],
  ];
  const n = 200_000;
  const ordinaryMs = Math.max(bestTime(() => splitWords(ordinary(4 * n))), 1);

  it.each(inputs)('%s', (_, make) => {
    const small = make(n);
    const large = make(4 * n);
    const smallMs = bestTime(() => splitWords(small));
    const largeMs = bestTime(() => splitWords(large));
    // Four times the input takes about four times as long (a quadratic step would take 16x).
    expect(largeMs).toBeLessThan(10 * Math.max(smallMs, 5));
    // And no more than a few dozen times what ordinary text of the same length takes.
    expect(largeMs).toBeLessThan(60 * ordinaryMs + 50);
    expect(countSentences(large)).toBeLessThanOrEqual(1);
  });

  it('tokenizes 10 MB inputs without blowing up, with the expected structure', () => {
    const tenMb = 10_000_000;
    expect(splitWords('a'.repeat(tenMb))).toHaveLength(1);
    expect(splitWords('\n'.repeat(tenMb))).toHaveLength(0);
    expect(splitWords('x' + '\u0301'.repeat(tenMb))).toHaveLength(1);
    expect(splitWords('word '.repeat(tenMb / 5))).toHaveLength(tenMb / 5);
    const noSpaces = 'abc,def.ghi-jkl'.repeat(tenMb / 15);
    const tokens = splitWords(noSpaces);
    expect(tokens.join('')).toBe(noSpaces);
    expect(tokens.length).toBeGreaterThan(tenMb / 15);
    expect(splitWords('('.repeat(1_000_000))).toHaveLength(1_000_000);
  });
});

describeWithSharedData('parity with the reference tokens on the dev corpus', ['parity', 'dev', 'tokens.jsonl.zst'], () => {
  it('agrees exactly on at least 99.5% of the documents', () => {
    const docs = [0, 1, 2, 3].flatMap((i) =>
      readJsonlFile<{ id: string; text: string }>(sharedPath('corpus', 'dev', `dev-000${i}.jsonl.zst`)),
    );
    const refs = readJsonlFile<{ id: string; tokens: string[] }>(sharedPath('parity', 'dev', 'tokens.jsonl.zst'));
    expect(refs.length).toBe(docs.length);
    let agree = 0;
    docs.forEach((doc, i) => {
      const ref = refs[i] as { id: string; tokens: string[] };
      expect(ref.id).toBe(doc.id);
      const ours = splitWords(doc.text);
      if (ours.length === ref.tokens.length && ours.every((t, k) => t === ref.tokens[k])) agree++;
    });
    expect(agree / docs.length).toBeGreaterThanOrEqual(0.995);
    // Sentence counting and splitting agree with each other on real text.
    for (const doc of docs.slice(0, 300)) expect(countSentences(doc.text)).toBe(splitSentences(doc.text).length);
  });
});
