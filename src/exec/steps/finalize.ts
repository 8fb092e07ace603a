/**
 * The last step: gathers every shard's counts from the completion markers into stats/stages.parquet,
 * checks that read = kept + dropped + unreadable, and completes the manifest.
 */
import { mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StageCounts } from '../../core/counters.js';
import { writeManifest, type RunTotals } from '../../core/manifest.js';
import type { ShardPassResult } from '../../core/shard-pass.js';
import { temporaryName } from '../../io/shard-writer.js';
import { sqlString, withConnection } from '../../stats/duckdb.js';
import { mergeReports } from '../../stats/reports.js';
import type { Step } from '../plan.js';
import type { RunDir } from '../run-dir.js';
import { readMarker } from '../task.js';

export type PassResult = ShardPassResult & { shard: string; shardIndex: number };

export function finalizeStep(passSteps: readonly string[], finalizers: readonly ((run: RunDir) => Promise<void>)[] = []): Step {
  return {
    name: 'finalize',
    title: 'merge stats',
    tasks: 1,
    perShard: false,
    taskBytes: () => 0,
    clean() {},
    async run(_task, ctx) {
      const rows: { shard: string; shardIndex: number; c: StageCounts }[] = [];
      const first = passSteps[0]!;
      const last = passSteps[passSteps.length - 1]!;
      let outputFiles = 0;
      let outputBytes = 0;
      for (const step of passSteps) {
        for (let t = 0; t < ctx.manifest.inputs.length; t++) {
          const m = readMarker<PassResult>(ctx.run, step, t);
          if (!m) throw new Error(`cannot merge stats: task ${t} of step ${step} has not finished`);
          for (const c of m.result.counts) {
            if (c.mode === 'read' && step !== first) continue;
            if (c.mode === 'write' && step !== last) continue;
            rows.push({ shard: m.result.shard, shardIndex: m.result.shardIndex, c });
          }
          if (step === last) {
            outputFiles += m.result.outputs.length;
            for (const o of m.result.outputs) outputBytes += statSync(join(ctx.run.output, o.file)).size;
          }
        }
      }
      await writeStagesParquet(ctx.run, rows);
      await mergeReports(ctx.run.stats);
      for (const f of finalizers) await f(ctx.run);
      const totals = computeTotals(rows.map((r) => r.c), outputFiles, outputBytes);
      writeManifest(ctx.run.manifest, { ...ctx.manifest, status: 'complete', finished_at: new Date().toISOString(), totals });
      return totals;
    },
  };
}

export function computeTotals(counts: readonly StageCounts[], outputFiles: number, outputBytes: number): RunTotals {
  let read = 0;
  let unreadable = 0;
  let kept = 0;
  let dropped = 0;
  const dropsByStage: Record<string, number> = {};
  for (const c of counts) {
    if (c.mode === 'read') {
      read += c.docsIn;
      unreadable += c.docsDropped;
    } else if (c.mode === 'write') kept += c.docsIn;
    else {
      dropped += c.docsDropped;
      dropsByStage[c.stage] = (dropsByStage[c.stage] ?? 0) + c.docsDropped;
    }
  }
  return { read, kept, dropped, unreadable, conserved: read === kept + dropped + unreadable, outputFiles, outputBytes, dropsByStage };
}

async function writeStagesParquet(run: RunDir, rows: { shard: string; shardIndex: number; c: StageCounts }[]): Promise<void> {
  rows.sort((a, b) => a.shardIndex - b.shardIndex || a.c.stageIndex - b.c.stageIndex);
  mkdirSync(run.stats, { recursive: true });
  const file = join(run.stats, 'stages.parquet');
  const tmp = join(run.stats, temporaryName('stages.parquet'));
  await withConnection(async (con) => {
    await con.run(`CREATE OR REPLACE TEMP TABLE stage_rows (shard VARCHAR, shard_index INTEGER, stage VARCHAR, stage_index INTEGER, type VARCHAR, mode VARCHAR,
      docs_in BIGINT, docs_kept BIGINT, docs_dropped BIGINT, docs_flagged BIGINT, docs_edited BIGINT, chars_in BIGINT, chars_out BIGINT, tokens BIGINT, seconds DOUBLE, reasons VARCHAR)`);
    const app = await con.createAppender('stage_rows');
    for (const { shard, shardIndex, c } of rows) {
      app.appendVarchar(shard);
      app.appendInteger(shardIndex);
      app.appendVarchar(c.stage);
      app.appendInteger(c.stageIndex);
      app.appendVarchar(c.type);
      app.appendVarchar(c.mode);
      for (const n of [c.docsIn, c.docsKept, c.docsDropped, c.docsFlagged, c.docsEdited, c.charsIn, c.charsOut]) app.appendBigInt(BigInt(n));
      if (c.tokens === undefined) app.appendNull();
      else app.appendBigInt(BigInt(c.tokens));
      app.appendDouble(c.seconds);
      app.appendVarchar(JSON.stringify(c.reasons));
      app.endRow();
    }
    app.closeSync();
    await con.run(`COPY (SELECT * REPLACE (reasons::JSON::MAP(VARCHAR, BIGINT) AS reasons) FROM stage_rows) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
    await con.run('DROP TABLE stage_rows');
  });
  renameSync(tmp, file);
}
