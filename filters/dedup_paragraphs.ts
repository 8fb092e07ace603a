/**
 * dedup_paragraphs: Dolma-style boilerplate removal. A paragraph (a line of the text) of at least
 * `min_length` characters that appeared before anywhere in the corpus (earlier in input order) is
 * cut from the document; its first occurrence stays. Lines are compared after trimming whitespace.
 * A document left with no text is dropped (reason `all_paragraphs_duplicate`) unless
 * `drop_empty: false`. In tag mode nothing is cut; the metrics are recorded.
 *
 * Steps: collect (paragraph keys, hashed to 128 bits, partitioned and sorted), `<name>.find` (one
 * task per partition), apply (cut). Metrics: `para_removed` (paragraphs cut), `para_removed_chars`.
 */
import { z } from 'zod';
import { defineGlobalStage } from '../src/core/global-stage.js';
import { cleanShardKeys, findRepeatsStep, hashKey, KeyCollector, readRemoved, type ExactLayout } from '../src/dedup/exact.js';
import { codePointLength, pyStrip } from '../src/text/python.js';

export default defineGlobalStage({
  type: 'dedup_paragraphs',
  summary: 'cut paragraphs (lines) seen earlier anywhere in the corpus (boilerplate), keeping their first occurrence',
  options: z.strictObject({
    /** Shorter lines (in characters, after trimming) are never cut. */
    min_length: z.number().int().min(1).default(20),
    drop_empty: z.boolean().default(true),
    partitions: z.number().int().min(1).max(4096).default(8),
  }),
  plan(o, ctx) {
    const layout: ExactLayout = { workDir: ctx.workDir, partitions: o.partitions, payloadWords: 2 };
    return {
      steps: [findRepeatsStep(`${ctx.stageName}.find`, layout)],
      cleanShard(role, shard) {
        if (role === 'collector') cleanShardKeys(layout, shard);
      },
      collector() {
        let keys: KeyCollector | null = null;
        let index = 0;
        const rec = new Uint32Array(6);
        return {
          beginShard(shard) {
            keys = new KeyCollector(layout, shard.index);
            index = 0;
          },
          check(doc) {
            rec[4] = index++;
            let para = 0;
            for (const seg of doc.textSegments) {
              for (const line of seg.text.split('\n')) {
                const key = pyStrip(line);
                if (key.length >= o.min_length && codePointLength(key) >= o.min_length) {
                  hashKey(key, rec);
                  rec[5] = para;
                  keys!.push(rec);
                }
                para++;
              }
            }
            return undefined;
          },
          endShard() {
            keys?.close();
          },
        };
      },
      applier() {
        let removed: Uint32Array = new Uint32Array(0);
        let next = 0;
        let index = 0;
        return {
          beginShard(shard) {
            removed = readRemoved(layout, shard.index);
            next = 0;
            index = 0;
          },
          check(doc, m) {
            const d = index++;
            while (next < removed.length && removed[next]! < d) next += 2;
            const cut = new Set<number>();
            while (next < removed.length && removed[next] === d) {
              cut.add(removed[next + 1]!);
              next += 2;
            }
            m.para_removed = cut.size;
            m.para_removed_chars = 0;
            if (cut.size === 0) return undefined;
            let para = 0;
            let chars = 0;
            doc.mapText((text) =>
              text
                .split('\n')
                .filter((line) => {
                  const drop = cut.has(para++);
                  if (drop) chars += codePointLength(line) + 1;
                  return !drop;
                })
                .join('\n'),
            );
            m.para_removed_chars = chars;
            return o.drop_empty && pyStrip(doc.text) === '' ? 'all_paragraphs_duplicate' : undefined;
          },
        };
      },
    };
  },
});
