/**
 * sample: keeps a deterministic share of the documents, chosen by a hash of the id and a seed, so the
 * same documents are kept on every run and on every machine. Metric: `sample_u` (the document's
 * draw in [0, 1); kept when below `rate`).
 */
import { z } from 'zod';
import { defineFilter } from '../src/core/filter.js';
import { unitHash } from '../src/text/hash.js';

export default defineFilter({
  type: 'sample',
  summary: 'keep a deterministic share of documents by a hash of id and seed',
  options: z.strictObject({
    rate: z.number().min(0).max(1),
    seed: z.number().int().default(0),
  }),
  create(o) {
    return {
      check(doc, m) {
        const u = unitHash(doc.id, o.seed);
        m.sample_u = u;
        return u < o.rate ? undefined : 'sampled_out';
      },
    };
  },
});
