/**
 * dedup_exact: removes documents whose key was seen before anywhere in the corpus, keeping the first
 * in input order (shard order, then line order). The key is the text (by default lowercased, with
 * runs of whitespace folded to one space and trimmed) or any field (`field: metadata.url`);
 * a document without the field is never removed. Keys are compared by 128-bit hashes.
 *
 * Steps: collect (each shard's keys, hashed, partitioned and sorted into run files), `<name>.find`
 * (one task per partition: merge the runs of all shards, mark every repeat), apply (drop the marked
 * documents, reason `exact_duplicate`). Memory stays bounded: runs are spilled to disk and merged.
 */
import { z } from 'zod';
import { getPath, parsePath, type Doc } from '../src/core/document.js';
import { defineGlobalStage } from '../src/core/global-stage.js';
import { cleanShardKeys, findRepeatsStep, hashKey, KeyCollector, readRemoved, type ExactLayout } from '../src/dedup/exact.js';

/** Python's whitespace (str.split()), as a character class. */
const WHITESPACE_RUN = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

/** Lowercase, whitespace runs folded to one space, trimmed. */
export function normalizeKey(text: string): string {
  const s = text.replace(WHITESPACE_RUN, ' ');
  const start = s.charCodeAt(0) === 0x20 ? 1 : 0;
  const end = s.length > start && s.charCodeAt(s.length - 1) === 0x20 ? s.length - 1 : s.length;
  return s.slice(start, end).toLowerCase();
}

export default defineGlobalStage({
  type: 'dedup_exact',
  summary: 'remove exact duplicates (by normalized text or by a field) across all shards, keeping the first',
  options: z.strictObject({
    /** Dotted path of the key field; default: the document text. */
    field: z.string().min(1).optional(),
    /** Lowercase and fold whitespace before comparing (text or field). */
    normalize: z.boolean().default(true),
    /** Key partitions: the find step runs one task per partition. */
    partitions: z.number().int().min(1).max(4096).default(8),
  }),
  plan(o, ctx) {
    const layout: ExactLayout = { workDir: ctx.workDir, partitions: o.partitions, payloadWords: 1 };
    const fieldPath = o.field ? parsePath(o.field) : null;
    const keyOf = (doc: Doc): string | null => {
      const raw = fieldPath ? getPath(doc.record, fieldPath) : doc.text;
      const s = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : null;
      return s === null ? null : o.normalize ? normalizeKey(s) : s;
    };
    return {
      steps: [findRepeatsStep(`${ctx.stageName}.find`, layout)],
      cleanShard(role, shard) {
        if (role === 'collector') cleanShardKeys(layout, shard);
      },
      collector() {
        let keys: KeyCollector | null = null;
        let index = 0;
        const rec = new Uint32Array(5);
        return {
          beginShard(shard) {
            index = 0;
            keys = new KeyCollector(layout, shard.index);
          },
          check(doc) {
            const key = keyOf(doc);
            const i = index++;
            if (key === null) return undefined;
            hashKey(key, rec);
            rec[4] = i;
            keys!.push(rec);
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
          check() {
            const i = index++;
            while (next < removed.length && removed[next]! < i) next++;
            return next < removed.length && removed[next] === i ? 'exact_duplicate' : undefined;
          },
        };
      },
    };
  },
});
