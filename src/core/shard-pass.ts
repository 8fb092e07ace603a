/**
 * One shard through a chain of stages: read -> each stage in order -> write kept documents (and,
 * if asked, dropped ones under rejected/) -> per-stage counts and per-document stats.
 *
 * Every document read ends up written, dropped with a reason, or reported as unreadable: the counts
 * this returns satisfy read = kept + dropped + unreadable.
 */
import type { PipelineSpec } from '../config/schema.js';
import { readShard, type ReadError } from '../io/read-shard.js';
import { recordReader } from '../io/record.js';
import { ShardWriter, type WriterOptions, type WrittenShard } from '../io/shard-writer.js';
import type { ShardInfo } from '../io/shards.js';
import { DocStatsWriter } from '../stats/doc-stats.js';
import { writeErrorsParquet } from '../stats/errors.js';
import { codePointLength } from '../text/python.js';
import { addReason, emptyCounts, type StageCounts } from './counters.js';
import type { Doc } from './document.js';
import type { Metrics, ShardFiles, Verdict } from './filter.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Stage } from './stages.js';
import type { Tokenizer } from '../mix/tokens.js';

export interface ShardPassPaths {
  /** Where kept documents go (null: nowhere, the pass only collects), and the file name prefix. */
  outputDir: string | null;
  outputPrefix: string;
  /** Writer settings for kept documents (the config's for output/, fast ones for work/). */
  output: WriterOptions;
  /** Create an (empty) output file even when no document is kept: later passes read it. */
  alwaysWrite: boolean;
  rejectedDir: string | null;
  rejectedPrefix: string;
  docStatsDir: string | null;
  docStatsPrefix: string;
  errorsFile: string;
  /** stats/reports: per-shard reports of the stages, `<kind>/<reportPrefix>-<stage>.parquet`. */
  reportsDir: string;
  reportPrefix: string;
  onError: 'skip' | 'fail';
  /** Counts the tokens of every written document (output.tokenizer), or null. */
  tokenizer: Tokenizer | null;
}

export interface ShardPassResult {
  counts: StageCounts[];
  /** The first read errors, for the console; all of them are in the errors Parquet file. */
  errors: ReadError[];
  errorCount: number;
  outputs: WrittenShard[];
  rejected: WrittenShard[];
}

export class ReadFailure extends Error {
  override name = 'ReadFailure';
}

const ERRORS_KEPT_IN_SUMMARY = 20;

export async function runShardPass(
  spec: PipelineSpec,
  shard: ShardInfo,
  stages: readonly Stage[],
  paths: ShardPassPaths,
  progress: (docs: number, bytes: number) => void,
): Promise<ShardPassResult> {
  const read = emptyCounts('read', 0, 'read', 'read');
  const counted = stages.filter((s) => s.counted);
  const counts = counted.map((s) => emptyCounts(s.spec.name, s.index, s.spec.type, s.spec.mode));
  const countsOf = stages.map((s) => (s.counted ? counts[counted.indexOf(s)]! : null));
  const written = emptyCounts('write', spec.stages.length + 1, 'write', 'write');
  const output = paths.outputDir ? new ShardWriter(paths.outputDir, paths.outputPrefix, paths.output) : null;
  const rejectedOpts = { compression: spec.output.compression, level: spec.output.level, maxDocs: spec.output.maxDocsPerShard, maxBytes: spec.output.maxBytesPerShard };
  const rejected = paths.rejectedDir ? new ShardWriter(paths.rejectedDir, paths.rejectedPrefix, rejectedOpts) : null;
  const docStats = paths.docStatsDir ? new DocStatsWriter(paths.docStatsDir, paths.docStatsPrefix, shard.label) : null;
  const errors: ReadError[] = [];

  try {
    for (const s of stages) {
      const files: ShardFiles = {
        reportFile: (kind) => {
          mkdirSync(join(paths.reportsDir, kind), { recursive: true });
          return join(paths.reportsDir, kind, `${paths.reportPrefix}-${s.spec.name}.parquet`);
        },
      };
      await s.filter.beginShard?.(shard, files);
    }
    const records = recordReader(spec.document);
    for await (const batch of readShard(shard, { records, maxLineBytes: spec.maxLineBytes })) {
      for (const e of batch.errors) {
        if (paths.onError === 'fail') throw new ReadFailure(`${shard.path}:${e.line}: ${e.kind}: ${e.message}`);
        errors.push(e);
        read.docsIn++;
        read.docsDropped++;
        addReason(read, e.kind);
      }
      for (const doc of batch.docs) {
        read.docsIn++;
        read.docsKept++;
        const chars = charsOf(doc);
        read.charsIn += chars;
        read.charsOut += chars;
        const drop = await runStages(doc, stages, countsOf, docStats);
        if (drop === null) {
          output?.write(doc.serialize());
          written.docsIn++;
          written.docsKept++;
          written.charsIn += charsOf(doc);
          written.charsOut += charsOf(doc);
          if (paths.tokenizer) {
            const tokens = paths.tokenizer.count(doc.text);
            written.tokens = (written.tokens ?? 0) + tokens;
            docStats?.add(doc.id, 'write', true, null, { tokens });
          }
        } else rejected?.write(doc.serialize({ sift_reason: drop.reason, sift_stage: drop.stage }));
      }
      if (docStats?.full) await docStats.flush();
      progress(batch.docs.length + batch.errors.length, batch.bytesIn);
    }
    for (const s of stages) await s.filter.endShard?.();
    const outputs = output?.close(paths.alwaysWrite) ?? [];
    const rejectedFiles = rejected?.close() ?? [];
    await docStats?.close();
    if (errors.length > 0) await writeErrorsParquet(paths.errorsFile, errors);
    return {
      counts: [read, ...counts, written],
      errors: errors.slice(0, ERRORS_KEPT_IN_SUMMARY),
      errorCount: errors.length,
      outputs,
      rejected: rejectedFiles,
    };
  } catch (e) {
    output?.abort();
    rejected?.abort();
    throw e;
  }
}

/** Runs the stages in order; returns where the document was dropped, or null when it is kept. */
async function runStages(doc: Doc, stages: readonly Stage[], counts: readonly (StageCounts | null)[], docStats: DocStatsWriter | null): Promise<{ stage: string; reason: string } | null> {
  for (let i = 0; i < stages.length; i++) {
    const stage = stages[i]!;
    const c = counts[i];
    if (c === null) {
      // A collector: sees the document, decides nothing.
      const r = stage.filter.check(doc, {});
      if (r instanceof Promise) await r;
      continue;
    }
    c.docsIn++;
    c.charsIn += charsOf(doc);
    const metrics: Metrics = {};
    const before = doc.snapshot();
    const t0 = performance.now();
    let verdict: Verdict | Promise<Verdict> = stage.filter.check(doc, metrics);
    if (verdict instanceof Promise) verdict = await verdict;
    c.seconds += (performance.now() - t0) / 1000;
    docStats?.add(doc.id, stage.spec.name, verdict === undefined, verdict ?? null, metrics);
    if (verdict !== undefined) {
      addReason(c, verdict);
      if (stage.spec.mode === 'drop') {
        c.docsDropped++;
        doc.restore(before);
        return { stage: stage.spec.name, reason: verdict };
      }
      c.docsFlagged++;
    }
    if (stage.spec.mode === 'tag') doc.restore(before);
    else if (doc.text !== before.joined) c.docsEdited++;
    c.docsKept++;
    c.charsOut += charsOf(doc);
  }
  return null;
}

function charsOf(doc: Doc): number {
  return doc.memo('chars', codePointLength);
}

export function shardPrefix(shard: ShardInfo): string {
  return `part-${String(shard.index).padStart(5, '0')}`;
}
