/**
 * length: keeps documents whose size lies within bounds, in characters (Unicode code points) and in
 * whitespace-separated words. Metrics: `chars`, `words`.
 */
import { z } from 'zod';
import { defineFilter } from '../src/core/filter.js';
import { codePointLength, countWhitespaceWords } from '../src/text/python.js';

const bound = z.number().int().nonnegative().optional();

export default defineFilter({
  type: 'length',
  summary: 'keep documents within min/max characters and words',
  options: z.strictObject({
    min_chars: bound,
    max_chars: bound,
    min_words: bound,
    max_words: bound,
  }),
  create(o) {
    return {
      check(doc, m) {
        const chars = codePointLength(doc.text);
        const words = countWhitespaceWords(doc.text);
        m.chars = chars;
        m.words = words;
        if (o.min_chars !== undefined && chars < o.min_chars) return 'too_few_chars';
        if (o.max_chars !== undefined && chars > o.max_chars) return 'too_many_chars';
        if (o.min_words !== undefined && words < o.min_words) return 'too_few_words';
        if (o.max_words !== undefined && words > o.max_words) return 'too_many_words';
        return undefined;
      },
    };
  },
});
