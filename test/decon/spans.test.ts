import { describe, expect, it } from 'vitest';
import { buildIndexFromItems } from '../../src/decon/index.js';
import { matchText } from '../../src/decon/match.js';
import { cutSpans, splitSpans } from '../../src/decon/spans.js';
import { benchmarks, wordsText } from './helpers.js';

const span = (text: string, part: string): [number, number] => {
  const s = text.indexOf(part);
  return [s, s + part.length];
};

describe('cutSpans', () => {
  const text = 'Intro words here. SECRET BENCHMARK TEXT and then the rest of the story goes on.';

  it('removes the spans and keeps the pieces around them', () => {
    const r = cutSpans(text, [span(text, 'SECRET BENCHMARK TEXT')]);
    expect(r.text).toBe('Intro words here.\nand then the rest of the story goes on.');
    expect(r.pieces).toBe(2);
    expect(r.cuts).toEqual([span(text, 'SECRET BENCHMARK TEXT')]);
    expect(r.keptChars).toBe('Intro words here.'.length + 'and then the rest of the story goes on.'.length);
    expect(r.keptShare).toBeCloseTo(r.keptChars / text.length);
  });

  it('widens cuts by context characters, to whole words', () => {
    const r = cutSpans(text, [span(text, 'BENCHMARK')], { contextChars: 9 });
    expect(r.text).toBe('Intro words\nthen the rest of the story goes on.');
  });

  it('widens cuts by context words', () => {
    const r = cutSpans(text, [span(text, 'BENCHMARK')], { contextWords: 2, joiner: ' | ' });
    expect(r.text).toBe('Intro words | then the rest of the story goes on.');
  });

  it('widens a cut that starts or ends inside a word to the whole word', () => {
    expect(cutSpans(text, [[20, 28]]).text).toBe('Intro words here.\nTEXT and then the rest of the story goes on.');
  });

  it('merges overlapping cuts and cuts separated by whitespace only', () => {
    const r = cutSpans(text, [span(text, 'TEXT and'), span(text, 'SECRET BENCHMARK'), span(text, 'then')]);
    expect(r.cuts).toEqual([[span(text, 'SECRET')[0], span(text, 'then')[1]]]);
    expect(r.text).toBe('Intro words here.\nthe rest of the story goes on.');
  });

  it('drops pieces shorter than minPieceChars and reports what is left', () => {
    const r = cutSpans(text, [span(text, 'SECRET BENCHMARK TEXT')], { minPieceChars: 20 });
    expect(r.text).toBe('and then the rest of the story goes on.');
    expect(r.pieces).toBe(1);
    const all = cutSpans(text, [[0, text.length]]);
    expect([all.text, all.pieces, all.keptShare]).toEqual(['', 0, 0]);
    expect(cutSpans('', []).keptShare).toBe(1);
    expect(cutSpans(text, []).text).toBe(text);
  });

  it('removes planted benchmark text found by the matcher', () => {
    const item = wordsText('bench', 30);
    const index = buildIndexFromItems(benchmarks({ name: 'b', parts: ['text'], items: [[item]] })).index;
    const doc = `A long clean introduction about something else entirely. ${item} A clean conclusion follows here.`;
    const r = cutSpans(doc, matchText(index, doc).spans);
    expect(r.text).toBe('A long clean introduction about something else entirely.\nA clean conclusion follows here.');
    expect(matchText(index, r.text, { mode: 'any' }).hits).toEqual([]);
  });
});

describe('splitSpans', () => {
  it('maps spans of joined segments to each segment', () => {
    const segments = ['first message here', 'second one', 'third'];
    const joined = segments.join('\n\n');
    const spans: [number, number][] = [
      [6, 13],
      [14, 26],
      [joined.indexOf('third'), joined.length],
    ];
    expect(splitSpans(segments, spans)).toEqual([[[6, 13], [14, 18]], [[0, 6]], [[0, 5]]]);
    expect(splitSpans(['a'], [])).toEqual([[]]);
  });
});
