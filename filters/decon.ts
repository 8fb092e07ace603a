/**
 * decon: finds evaluation-benchmark items in documents, with an index built by `sift decon index`
 * (word n-grams of normalized text, default 13; items shorter than that matched whole).
 *
 * match: coverage (default) — contaminated when the document holds at least `threshold` (0.5) of
 *   some item's n-grams; any — contaminated by any indexed n-gram.
 * action: drop (reason `contaminated`); tag (record the hits, keep the document as it is); or
 *   remove_spans — cut the matched spans with `context_words` words (and `context_chars`
 *   characters) around them, as NeMo Curator does, and drop the document (reason
 *   `contaminated_too_little_left`) when less than `min_remaining` of its characters remain.
 * Works on every text field: plain text, chat messages, preference records (`chosen`/`rejected`)
 * through the `document` options; spans are cut in each message on its own.
 *
 * Metrics: `decon_hits` (items found), `decon_benchmark` and `decon_coverage` (of the best hit),
 * `decon_removed_chars` (remove_spans). Report: stats/decon.parquet, one row per hit (document id,
 * shard, line, benchmark, split, item index and id, part, matched n-grams, coverage).
 */
import { z } from 'zod';
import { defineFilter } from '../src/core/filter.js';
import { SEGMENT_JOINER } from '../src/core/document.js';
import { DeconMatcher } from '../src/decon/match.js';
import { loadDeconIndex, type DeconIndex } from '../src/decon/index.js';
import { cutSpans, splitSpans } from '../src/decon/spans.js';
import { writeReport, type ReportValue } from '../src/stats/reports.js';
import { codePointLength } from '../src/text/python.js';

const indexes = new Map<string, DeconIndex>();

const REPORT_COLUMNS = [
  ['id', 'VARCHAR'],
  ['shard', 'VARCHAR'],
  ['line', 'BIGINT'],
  ['benchmark', 'VARCHAR'],
  ['split', 'VARCHAR'],
  ['item', 'BIGINT'],
  ['item_id', 'VARCHAR'],
  ['part', 'VARCHAR'],
  ['matched_ngrams', 'BIGINT'],
  ['item_ngrams', 'BIGINT'],
  ['coverage', 'DOUBLE'],
] as const;

export default defineFilter({
  type: 'decon',
  summary: 'find evaluation-benchmark items (index from sift decon index); drop, tag, or cut the matched spans',
  options: z.strictObject({
    index: z.string().min(1),
    match: z.enum(['coverage', 'any']).default('coverage'),
    threshold: z.number().min(0).max(1).default(0.5),
    action: z.enum(['drop', 'tag', 'remove_spans']).default('drop'),
    context_words: z.number().int().min(0).default(3),
    context_chars: z.number().int().min(0).default(0),
    min_remaining: z.number().min(0).max(1).default(0.5),
  }),
  create(o, ctx) {
    const path = ctx.resolvePath(o.index);
    let index = indexes.get(path);
    if (!index) indexes.set(path, (index = loadDeconIndex(path)));
    const matcher = new DeconMatcher(index);
    let rows: ReportValue[][] = [];
    let reportFile = '';
    return {
      beginShard(_shard, files) {
        rows = [];
        reportFile = files.reportFile('decon');
      },
      async endShard() {
        await writeReport(reportFile, REPORT_COLUMNS, rows);
      },
      check(doc, m) {
        const r = matcher.match(doc.text, { mode: o.match, threshold: o.threshold });
        m.decon_hits = r.hits.length;
        if (r.hits.length === 0) return undefined;
        const best = r.hits[0]!;
        m.decon_benchmark = best.benchmark;
        m.decon_coverage = best.coverage;
        for (const h of r.hits) rows.push([doc.id, doc.shard, doc.lineNo, h.benchmark, h.split, h.item, h.id, h.part, h.matched, h.total, h.coverage]);
        if (o.action === 'tag') return undefined;
        if (o.action === 'drop') return 'contaminated';
        const before = codePointLength(doc.text);
        const perSegment = splitSpans(
          doc.textSegments.map((s) => s.text),
          r.spans,
          SEGMENT_JOINER,
        );
        let segment = 0;
        doc.mapText((text) => {
          const spans = perSegment[segment++] ?? [];
          return spans.length === 0 ? text : cutSpans(text, spans, { contextWords: o.context_words, contextChars: o.context_chars }).text;
        });
        const after = codePointLength(doc.text);
        m.decon_removed_chars = before - after;
        return before === 0 || after / before < o.min_remaining ? 'contaminated_too_little_left' : undefined;
      },
    };
  },
});
