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
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { xxh3 } from '@node-rs/xxhash';
import { z } from 'zod';
import { getPath, parsePath, type Doc } from '../src/core/document.js';
import { defineGlobalStage } from '../src/core/global-stage.js';
import { readAllRecords, RecordReader, RecordWriter } from '../src/dedup/record-file.js';
import { mergeRuns } from '../src/dedup/sort.js';
import { SpillingSorter } from '../src/dedup/spill.js';
import type { Step } from '../src/exec/plan.js';
import { isPyWhitespace } from '../src/text/python.js';

const KEY_KIND = 'exactkey';
const REMOVED_KIND = 'removed';
/** key (4 words, 128 bits) | document index in its shard */
const KEY_WORDS = 5;

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Lowercase, whitespace runs folded to one space, trimmed. */
export function normalizeKey(text: string): string {
  let out = '';
  let space = false;
  for (let i = 0; i < text.length; i++) {
    if (isPyWhitespace(text.charCodeAt(i))) space = out.length > 0;
    else {
      if (space) out += ' ';
      space = false;
      out += text[i];
    }
  }
  return out.toLowerCase();
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
    const keysDir = (p: number): string => join(ctx.workDir, 'keys', `p${pad(p, 4)}`);
    const removedDir = (p: number): string => join(ctx.workDir, 'removed', `p${pad(p, 4)}`);
    const fieldPath = o.field ? parsePath(o.field) : null;
    const keyOf = (doc: Doc): string | null => {
      const raw = fieldPath ? getPath(doc.record, fieldPath) : doc.text;
      const s = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : null;
      return s === null ? null : o.normalize ? normalizeKey(s) : s;
    };

    const find: Step = {
      name: `${ctx.stageName}.find`,
      title: `${ctx.stageName}: find repeated keys`,
      tasks: o.partitions,
      perShard: false,
      taskBytes: () => 0,
      clean(p) {
        rmSync(removedDir(p), { recursive: true, force: true });
      },
      async run(p, tctx) {
        const dir = keysDir(p);
        const files = existsSync(dir) ? readdirSync(dir).filter((f) => /^s\d+-\d+\.bin$/.test(f)).sort() : [];
        const readers = files.map((f) => new RecordReader(join(dir, f), KEY_KIND, KEY_WORDS));
        const shardOf = files.map((f) => Number(f.slice(1, f.indexOf('-'))));
        const out = removedDir(p);
        mkdirSync(out, { recursive: true });
        const writers = new Map<number, RecordWriter>();
        const prev = new Uint32Array(4);
        let havePrev = false;
        let keys = 0;
        let repeats = 0;
        let records = 0;
        try {
          mergeRuns(readers, 4, (block, i, run) => {
            records++;
            const same = havePrev && block[i] === prev[0] && block[i + 1] === prev[1] && block[i + 2] === prev[2] && block[i + 3] === prev[3];
            if (!same) {
              keys++;
              prev.set(block.subarray(i, i + 4));
              havePrev = true;
              return;
            }
            repeats++;
            const shard = shardOf[run]!;
            let w = writers.get(shard);
            if (!w) writers.set(shard, (w = new RecordWriter(join(out, `s${pad(shard, 5)}.bin`), REMOVED_KIND, 1)));
            w.push(block, i + 4);
            if (records % 65536 === 0) tctx.progress(65536, 0);
          });
        } finally {
          for (const r of readers) r.close();
        }
        for (const w of writers.values()) w.close();
        return { partition: p, records, keys, repeats };
      },
    };

    return {
      steps: [find],
      cleanShard(role, shardIndex) {
        if (role !== 'collector') return;
        for (let p = 0; p < o.partitions; p++) {
          const dir = keysDir(p);
          if (!existsSync(dir)) continue;
          const prefix = `s${pad(shardIndex, 5)}-`;
          for (const f of readdirSync(dir)) if (f.startsWith(prefix) || f.startsWith(`.${prefix}`)) rmSync(join(dir, f), { force: true });
        }
      },
      collector() {
        let sorters: SpillingSorter[] = [];
        let index = 0;
        const rec = new Uint32Array(KEY_WORDS);
        return {
          beginShard(shard) {
            index = 0;
            sorters = Array.from({ length: o.partitions }, (_, p) => new SpillingSorter(join(keysDir(p), `s${pad(shard.index, 5)}`), KEY_KIND, KEY_WORDS, 4));
          },
          check(doc) {
            const key = keyOf(doc);
            const i = index++;
            if (key === null) return undefined;
            const h = xxh3.xxh128(key);
            rec[0] = Number((h >> 96n) & 0xffffffffn);
            rec[1] = Number((h >> 64n) & 0xffffffffn);
            rec[2] = Number((h >> 32n) & 0xffffffffn);
            rec[3] = Number(h & 0xffffffffn);
            rec[4] = i;
            sorters[rec[0] % o.partitions]!.push(rec);
            return undefined;
          },
          endShard() {
            for (const s of sorters) s.close();
          },
        };
      },
      applier() {
        let removed = new Uint32Array(0);
        let next = 0;
        let index = 0;
        return {
          beginShard(shard) {
            const lists: Uint32Array[] = [];
            for (let p = 0; p < o.partitions; p++) {
              const f = join(removedDir(p), `s${pad(shard.index, 5)}.bin`);
              if (existsSync(f)) lists.push(readAllRecords(f, REMOVED_KIND, 1));
            }
            const all = new Uint32Array(lists.reduce((n, l) => n + l.length, 0));
            let off = 0;
            for (const l of lists) {
              all.set(l, off);
              off += l.length;
            }
            removed = all.sort();
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
