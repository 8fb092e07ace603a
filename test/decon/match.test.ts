import { describe, expect, it } from 'vitest';
import { buildIndexFromItems } from '../../src/decon/index.js';
import { DeconMatcher, matchText, mergeSpans } from '../../src/decon/match.js';
import { benchmarks, wordsText } from './helpers.js';

describe('short items, matched whole', () => {
  const b = benchmarks({
    name: 'qa',
    parts: ['question', 'options'],
    items: [
      ['Who painted the ceiling of the Sistine Chapel?', ['Raphael', 'Michelangelo']],
      ['What is the boiling point of water at sea level?', ['90', '100']],
      ['Is it true?', ['yes', 'no']],
    ],
  });
  const index = buildIndexFromItems(b).index;

  it('matches a short part only when the document holds all its words in order', () => {
    const doc = 'Quiz night. who PAINTED the ceiling of the sistine chapel -- nobody knew.';
    const hits = matchText(index, doc).hits;
    expect(hits.map((h) => [h.item, h.part, h.matched, h.total, h.coverage])).toEqual([[0, 'question', 1, 1, 1]]);
    expect(doc.slice(...hits[0]!.spans[0]!)).toBe('who PAINTED the ceiling of the sistine chapel');
    expect(matchText(index, 'Who painted the ceiling of the chapel?', { mode: 'any' }).hits).toEqual([]);
    expect(matchText(index, 'Who painted the old ceiling of the Sistine Chapel?', { mode: 'any' }).hits).toEqual([]);
    expect(matchText(index, 'what is the boiling point of water at sea level').hits.map((h) => h.item)).toEqual([1]);
  });

  it('finds a short part at the very start and the very end of a document', () => {
    expect(matchText(index, 'Who painted the ceiling of the Sistine Chapel').hits).toHaveLength(1);
    expect(matchText(index, 'and so: what is the boiling point of water at sea level').hits).toHaveLength(1);
  });

  it('does not index parts shorter than min_words, nor items whose parts are all that short', () => {
    expect(matchText(index, 'Is it true? yes no', { mode: 'any' }).hits).toEqual([]);
  });

  it('matches an item whole, all parts in order, when each part alone is too short', () => {
    const bbh = buildIndexFromItems(benchmarks({ name: 'bbh', parts: ['input', 'target'], items: [['not ( True ) and ( True ) is', 'False']] })).index;
    expect(matchText(bbh, 'Q: not ( True ) and ( True ) is\nA: False').hits.map((h) => [h.item, h.part])).toEqual([[0, 'all parts']]);
    expect(matchText(bbh, 'not ( True ) and ( True ) is', { mode: 'any' }).hits).toEqual([]);
  });
});

describe('coverage', () => {
  const text = wordsText('item', 40); // 28 n-grams of 13 words
  const index = buildIndexFromItems(benchmarks({ name: 'long', parts: ['text'], items: [[text]] }), { stride: 1 }).index;
  const part = (from: number, count: number): string => `Unrelated start. ${wordsText('item', count, from)} Unrelated end.`;

  it('reports the share of the part n-grams found', () => {
    const r = matchText(index, part(0, 20), { mode: 'any' });
    expect(r.hits.map((h) => [h.matched, h.total])).toEqual([[8, 28]]);
    expect(r.hits[0]!.coverage).toBeCloseTo(8 / 28);
  });

  it('needs the threshold in mode coverage, any n-gram in mode any', () => {
    expect(matchText(index, part(0, 20)).hits).toEqual([]);
    expect(matchText(index, part(0, 20), { mode: 'any' }).hits).toHaveLength(1);
    expect(matchText(index, part(0, 20), { threshold: 0.25 }).hits).toHaveLength(1);
    expect(matchText(index, part(0, 26)).hits).toHaveLength(1); // 14 of 28
    expect(matchText(index, part(0, 25)).hits).toEqual([]); // 13 of 28
    expect(matchText(index, part(10, 30)).hits[0]!.coverage).toBeCloseTo(18 / 28);
  });

  it('counts an n-gram once however often the document repeats it', () => {
    const r = matchText(index, `${wordsText('item', 13)} and ${wordsText('item', 13)}`, { mode: 'any' });
    expect(r.hits[0]!.matched).toBe(1);
    expect(r.hits[0]!.spans).toHaveLength(2);
  });

  it('returns nothing, and the word count, for a document without benchmark text', () => {
    const m = new DeconMatcher(index);
    expect(m.match('Nothing to see here, just ordinary words.')).toEqual({ hits: [], spans: [], words: 7 });
    expect(m.match('')).toEqual({ hits: [], spans: [], words: 0 });
  });
});

describe('hits', () => {
  const b = benchmarks(
    { name: 'math', split: 'test', parts: ['problem', 'solution'], items: [[wordsText('prob', 20), wordsText('sol', 30)], [wordsText('other', 20), wordsText('osol', 20)]] },
    { name: 'mc', parts: ['question', 'options'], items: [[wordsText('quest', 15), [wordsText('opta', 4), wordsText('optb', 4), wordsText('optc', 5)]]] },
  );
  const index = buildIndexFromItems(b).index;

  it('takes an item coverage from its best part and merges its spans', () => {
    const doc = `x ${wordsText('sol', 30)} y ${wordsText('prob', 14)} z`;
    const hits = matchText(index, doc).hits;
    expect(hits.map((h) => [h.benchmark, h.split, h.item, h.id, h.part, h.coverage])).toEqual([['math', 'test', 0, 'math-0', 'solution', 1]]);
    // the spans are those of the indexed n-grams found: the whole solution; of the problem (20
    // words, n-grams 0, 4 and 7 indexed), its first 13 words
    expect(hits[0]!.spans.map(([s, e]) => doc.slice(s, e))).toEqual([wordsText('sol', 30), wordsText('prob', 13)]);
  });

  it('finds the options of a multiple-choice item written with letters', () => {
    const options = `A. ${wordsText('opta', 4)} B. ${wordsText('optb', 4)} C. ${wordsText('optc', 5)}`;
    expect(matchText(index, `Answer one of: ${options}`).hits.map((h) => [h.benchmark, h.part])).toEqual([['mc', 'options']]);
  });

  it('sorts hits by coverage and reports every matched item in mode any', () => {
    const doc = `${wordsText('prob', 20)} ${wordsText('other', 14)}`;
    expect(matchText(index, doc, { mode: 'any' }).hits.map((h) => [h.item, h.part])).toEqual([
      [0, 'problem'],
      [1, 'problem'],
    ]);
  });

  it('merges spans', () => {
    expect(mergeSpans([10, 20, 0, 5, 15, 30, 30, 31, 40, 41])).toEqual([
      [0, 5],
      [10, 31],
      [40, 41],
    ]);
  });
});
