import { describe, expect, it } from 'vitest';
import { Doc } from '../../src/core/document.js';
import type { Metrics } from '../../src/core/filter.js';
import length from '../../filters/length.js';

function check(text: string, opts: Record<string, number>): { verdict: string | undefined; m: Metrics } {
  const f = length.create(length.options.parse(opts), { stageName: 'length', stageIndex: 1, resolvePath: (p) => p });
  const m: Metrics = {};
  const verdict = (f as { check(d: Doc, m: Metrics): string | undefined }).check(Doc.fromText(text), m);
  return { verdict, m };
}

describe('length', () => {
  it('counts code points and whitespace-separated words', () => {
    expect(check('héllo 😀 wörld\u3000again', {}).m).toEqual({ chars: 19, words: 4 });
    expect(check('', {}).m).toEqual({ chars: 0, words: 0 });
    expect(check(' \t\n ', {}).m).toEqual({ chars: 4, words: 0 });
  });

  it('drops outside each bound with its own reason, bounds inclusive', () => {
    expect(check('a b c', { min_words: 3 }).verdict).toBeUndefined();
    expect(check('a b', { min_words: 3 }).verdict).toBe('too_few_words');
    expect(check('a b c d', { max_words: 3 }).verdict).toBe('too_many_words');
    expect(check('abc', { min_chars: 4 }).verdict).toBe('too_few_chars');
    expect(check('😀😀😀😀', { max_chars: 4 }).verdict).toBeUndefined();
    expect(check('😀😀😀😀😀', { max_chars: 4 }).verdict).toBe('too_many_chars');
  });

  it('rejects negative or fractional bounds', () => {
    expect(length.options.safeParse({ min_words: -1 }).success).toBe(false);
    expect(length.options.safeParse({ min_words: 1.5 }).success).toBe(false);
  });
});
