import { describe, expect, it } from 'vitest';
import { normalizeWords } from '../../src/decon/ngrams.js';
import { isOptionsPart, itemText, perturbNumbers, plant, rng } from '../../src/decon/perturb.js';

const item = {
  bench: 0,
  index: 0,
  id: '0',
  parts: [['Janet sells 1,600 eggs at $3.50 each. How much does she make per week?'], ['5,600 dollars', 'It is 1000']],
};
const parts = ['question', 'options'];

describe('planted perturbations', () => {
  it('change the text but not its normalized words', () => {
    const verbatim = itemText(item, parts, 'verbatim', rng(1))!;
    for (const p of ['case', 'whitespace', 'punctuation', 'numbers', 'all'] as const) {
      const text = itemText(item, parts, p, rng(2))!;
      expect([p, text === verbatim]).toEqual([p, false]);
      expect([p, normalizeWords(text)]).toEqual([p, normalizeWords(verbatim)]);
    }
  });

  it('leave out the options, or write them with letters', () => {
    expect(itemText(item, parts, 'no_options', rng(1))).toBe(item.parts[0]![0]);
    expect(itemText(item, parts, 'mc_format', rng(1))).toBe(`${item.parts[0]![0]}\nA. 5,600 dollars B. It is 1000`);
    expect(itemText(item, ['question', 'answer'], 'no_options', rng(1))).toBeNull();
    expect([isOptionsPart('options'), isOptionsPart('choices.text'), isOptionsPart('A+B+C+D'), isOptionsPart('answer')]).toEqual([true, true, true, false]);
  });

  it('reformat numbers in ways the normalization undoes', () => {
    expect(perturbNumbers('1,600 and 2024 and 3.5 and v1.2.3', () => 0)).toBe('1600 and 2,024 and 3.50 and v1.2.3');
  });

  it('plant the text at a word boundary, on its own lines', () => {
    const { text, start } = plant('one two three', 'INSERTED', () => 0.3);
    expect(text).toBe('one two\nINSERTED\n three');
    expect(text.slice(start, start + 8)).toBe('INSERTED');
  });
});
