/**
 * The funnel of a run, from stats/stages.parquet: documents and characters through each stage, and
 * drop reasons with their counts.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

export interface FunnelRow {
  stageIndex: number;
  stage: string;
  type: string;
  mode: string;
  docsIn: number;
  docsKept: number;
  docsDropped: number;
  docsFlagged: number;
  docsEdited: number;
  charsIn: number;
  charsOut: number;
  /** Tokens written (with output.tokenizer), else null. */
  tokens: number | null;
  seconds: number;
}

export interface ReasonRow {
  stageIndex: number;
  stage: string;
  mode: string;
  reason: string;
  docs: number;
  stageDocsIn: number;
}

async function rows(con: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const r = await con.runAndReadAll(sql);
  return r.getRowObjectsJS() as Record<string, unknown>[];
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0);

export async function funnel(con: DuckDBConnection): Promise<FunnelRow[]> {
  const out = await rows(
    con,
    `SELECT stage_index, stage, any_value(type) AS type, any_value(mode) AS mode,
       sum(docs_in) AS docs_in, sum(docs_kept) AS docs_kept, sum(docs_dropped) AS docs_dropped,
       sum(docs_flagged) AS docs_flagged, sum(docs_edited) AS docs_edited,
       sum(chars_in) AS chars_in, sum(chars_out) AS chars_out, sum(tokens) AS tokens, sum(seconds) AS seconds
     FROM stages GROUP BY stage_index, stage ORDER BY stage_index`,
  );
  return out.map((r) => ({
    stageIndex: num(r.stage_index),
    stage: String(r.stage),
    type: String(r.type),
    mode: String(r.mode),
    docsIn: num(r.docs_in),
    docsKept: num(r.docs_kept),
    docsDropped: num(r.docs_dropped),
    docsFlagged: num(r.docs_flagged),
    docsEdited: num(r.docs_edited),
    charsIn: num(r.chars_in),
    charsOut: num(r.chars_out),
    tokens: r.tokens === null || r.tokens === undefined ? null : num(r.tokens),
    seconds: num(r.seconds),
  }));
}

export async function dropReasons(con: DuckDBConnection): Promise<ReasonRow[]> {
  const out = await rows(
    con,
    `WITH r AS (
       SELECT stage_index, stage, mode, unnest(map_keys(reasons)) AS reason, unnest(map_values(reasons)) AS n FROM stages
     ), totals AS (SELECT stage_index, sum(docs_in) AS docs_in FROM stages GROUP BY stage_index)
     SELECT r.stage_index, r.stage, any_value(r.mode) AS mode, r.reason, sum(r.n) AS docs, any_value(t.docs_in) AS stage_docs_in
     FROM r JOIN totals t USING (stage_index)
     GROUP BY r.stage_index, r.stage, r.reason ORDER BY r.stage_index, docs DESC, r.reason`,
  );
  return out.map((r) => ({
    stageIndex: num(r.stage_index),
    stage: String(r.stage),
    mode: String(r.mode),
    reason: String(r.reason),
    docs: num(r.docs),
    stageDocsIn: num(r.stage_docs_in),
  }));
}
