/**
 * The end of a mix: per source, what was available, asked for and taken, in stats/mix.parquet and
 * in the manifest; and the run's totals (every document read is taken at least once, not taken, or
 * unreadable).
 */
import { mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeManifest, type RunTotals } from '../core/manifest.js';
import type { TaskContext } from '../exec/plan.js';
import { temporaryName } from '../io/shard-writer.js';
import { sqlString, withConnection } from '../stats/duckdb.js';
import type { CountResult } from './count.js';
import { readMixPlan } from './plan.js';
import type { GatherResult, ScatterResult } from './shuffle.js';
import type { MixSpec } from './spec.js';

export interface MixSourceRow {
  source: string;
  weight: number | null;
  docs_available: number;
  tokens_available: number;
  requested_tokens: number;
  requested_share: number;
  /** requested / available */
  repetition: number;
  docs_taken: number;
  /** Copies written, counting repeats. */
  copies: number;
  tokens_taken: number;
  achieved_share: number;
  /** tokens_taken / requested_tokens - 1 */
  error: number;
}

export async function finishMix(spec: MixSpec, ctx: TaskContext, counts: CountResult[], scatters: ScatterResult[], gathers: GatherResult[]): Promise<RunTotals & { sources: MixSourceRow[] }> {
  const plan = readMixPlan(spec.runDir);
  const requestedAll = plan.sources.reduce((n, s) => n + s.requestedTokens, 0);
  const takenAll = scatters.reduce((n, s) => n + s.tokens, 0);
  const rows: MixSourceRow[] = plan.sources.map((p) => {
    const c = counts.filter((x) => x.source === p.name);
    const s = scatters.filter((x) => x.source === p.name);
    const taken = s.reduce((n, x) => n + x.tokens, 0);
    return {
      source: p.name,
      weight: p.weight,
      docs_available: c.reduce((n, x) => n + x.docs, 0),
      tokens_available: p.availableTokens,
      requested_tokens: Math.round(p.requestedTokens),
      requested_share: requestedAll > 0 ? p.requestedTokens / requestedAll : 0,
      repetition: p.rate,
      docs_taken: s.reduce((n, x) => n + x.docsTaken, 0),
      copies: s.reduce((n, x) => n + x.copies, 0),
      tokens_taken: taken,
      achieved_share: takenAll > 0 ? taken / takenAll : 0,
      error: p.requestedTokens > 0 ? taken / p.requestedTokens - 1 : 0,
    };
  });
  await writeMixParquet(spec.runDir, rows);
  const read = counts.reduce((n, c) => n + c.docs + c.unreadable, 0);
  const unreadable = counts.reduce((n, c) => n + c.unreadable, 0);
  const kept = rows.reduce((n, r) => n + r.docs_taken, 0);
  const outputs = gathers.flatMap((g) => g.outputs);
  const totals: RunTotals = {
    read,
    kept,
    dropped: read - unreadable - kept,
    unreadable,
    conserved: true,
    outputFiles: outputs.length,
    outputBytes: outputs.reduce((n, o) => n + statSync(join(spec.runDir, 'output', o.file)).size, 0),
    dropsByStage: { mix: read - unreadable - kept },
  };
  writeManifest(ctx.run.manifest, { ...ctx.manifest, status: 'complete', finished_at: new Date().toISOString(), totals, mix: rows });
  return { ...totals, sources: rows };
}

async function writeMixParquet(runDir: string, rows: readonly MixSourceRow[]): Promise<void> {
  mkdirSync(join(runDir, 'stats'), { recursive: true });
  const file = join(runDir, 'stats', 'mix.parquet');
  const tmp = join(runDir, 'stats', temporaryName('mix.parquet'));
  const values = rows
    .map(
      (r) =>
        `(${sqlString(r.source)}, ${r.weight ?? 'NULL'}::DOUBLE, ${r.docs_available}::BIGINT, ${r.tokens_available}::BIGINT, ${r.requested_tokens}::BIGINT, ${r.requested_share}::DOUBLE, ${r.repetition}::DOUBLE, ${r.docs_taken}::BIGINT, ${r.copies}::BIGINT, ${r.tokens_taken}::BIGINT, ${r.achieved_share}::DOUBLE, ${r.error}::DOUBLE)`,
    )
    .join(', ');
  await withConnection(async (con) => {
    await con.run(
      `COPY (SELECT * FROM (VALUES ${values}) AS t(source, weight, docs_available, tokens_available, requested_tokens, requested_share, repetition, docs_taken, copies, tokens_taken, achieved_share, error))
       TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
    );
  });
  renameSync(tmp, file);
}
