/**
 * The numbers of a run's report, queried from its stats with DuckDB. Everything that grows with the
 * number of documents is aggregated in SQL (histograms are binned there), so a run with 100M
 * document rows reports in the time of a few column scans; only small results reach JavaScript.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import type { StageSpec } from '../../config/schema.js';
import { readManifest, type Manifest } from '../../core/manifest.js';
import { RunDir } from '../../exec/run-dir.js';
import { sqlIdent, sqlString } from '../duckdb.js';
import { dropReasons, funnel, type FunnelRow, type ReasonRow } from '../funnel.js';
import { openRunDatabase } from '../query.js';
import { metricHistograms, type MetricHistogram } from './histograms.js';

export type { HistogramBin, MetricHistogram } from './histograms.js';

export interface LanguageDistribution {
  stage: string;
  total: number;
  /** The most frequent languages (`lang` null: `(none)`), then one row for the rest. */
  rows: { lang: string; docs: number; kept: number }[];
  languages: number;
}

export interface DedupSummary {
  stage: string;
  clusters: number;
  docs: number;
  removed: number;
  largest: number;
  /** Clusters by size: one bucket per size up to 8, then 9-16, 17-32, ... */
  sizes: { lo: number; hi: number; clusters: number }[];
}

export interface TopCluster {
  stage: string;
  clusterId: number;
  size: number;
  keptId: string | null;
  removed: string[];
}

export interface DeconRow {
  benchmark: string;
  split: string | null;
  itemsFound: number | null;
  itemsTotal: number | null;
  docsHit: number | null;
  rows: number;
}

export interface DeconData {
  /** Per benchmark, when the view has a `benchmark` column; else null and `raw` holds some rows. */
  rows: DeconRow[] | null;
  columns: string[];
  raw: string[][];
}

export interface MixRow {
  source: string;
  weight: number | null;
  docsAvailable: number;
  tokensAvailable: number;
  requestedTokens: number;
  requestedShare: number;
  repetition: number;
  docsTaken: number;
  copies: number;
  tokensTaken: number;
  achievedShare: number;
  error: number;
}

export interface ErrorData {
  total: number;
  kinds: { kind: string; records: number; shards: number }[];
  samples: { shard: string; line: number; kind: string; message: string }[];
}

export interface ReportData {
  runDir: string;
  manifest: Manifest;
  views: string[];
  funnel: FunnelRow[];
  reasons: ReasonRow[];
  /** Rows in the `docs` view (0: per-document stats were not recorded). */
  docRows: number;
  histograms: MetricHistogram[];
  languages: LanguageDistribution[];
  dedup: { stages: DedupSummary[]; top: TopCluster[] } | null;
  decon: DeconData | null;
  mix: MixRow[] | null;
  errors: ErrorData;
}

const TOP_LANGUAGES = 25;
const ERROR_SAMPLES = 20;
const TOP_CLUSTERS = 10;

type Row = Record<string, unknown>;

async function rows(con: DuckDBConnection, sql: string): Promise<Row[]> {
  return (await con.runAndReadAll(sql)).getRowObjectsJS() as Row[];
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const str = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v));

/** Everything the report shows, from the run directory `runDir`. */
export async function loadReportData(runDir: string): Promise<ReportData> {
  const run = new RunDir(runDir);
  if (!existsSync(run.manifest)) throw new Error(`${runDir} is not a run directory (no manifest.json)`);
  const manifest = readManifest(run.manifest);
  const db = await openRunDatabase(runDir);
  try {
    const con = db.con;
    const has = (v: string): boolean => db.views.includes(v);
    const stageSpecs = manifest.config.kind === 'pipeline' ? manifest.config.stages : [];
    const docColumns = await describe(con, 'docs');
    const docRows = num((await rows(con, 'SELECT count(*) AS n FROM docs'))[0]?.n);
    const stageFunnel = has('stages') ? await funnel(con) : [];
    return {
      runDir,
      manifest,
      views: db.views,
      funnel: stageFunnel,
      reasons: has('stages') ? await dropReasons(con) : [],
      docRows,
      histograms: docRows > 0 ? await metricHistograms(con, docColumns, docRows, stageSpecs, stageFunnel) : [],
      languages: docRows > 0 && docColumns.has('lang') ? await languageDistributions(con, stageSpecs) : [],
      dedup: has('dedup_clusters') ? await dedupClusters(con) : null,
      decon: has('decon') ? await deconByBenchmark(con) : null,
      mix: has('mix') ? await mixComposition(con) : null,
      errors: await errorData(con),
    };
  } finally {
    db.close();
  }
}

/** Column name -> type of a view. */
async function describe(con: DuckDBConnection, view: string): Promise<Map<string, string>> {
  const out = await rows(con, `DESCRIBE ${view}`);
  return new Map(out.map((r) => [str(r.column_name), str(r.column_type)]));
}

/** The `lang` of every language stage: top languages with kept counts, the rest as one row. */
async function languageDistributions(con: DuckDBConnection, specs: readonly StageSpec[]): Promise<LanguageDistribution[]> {
  const out: LanguageDistribution[] = [];
  for (const spec of specs.filter((s) => s.type === 'language')) {
    const all = await rows(
      con,
      `SELECT coalesce(lang::VARCHAR, '(none)') AS lang, count(*) AS docs, count(*) FILTER (WHERE keep) AS kept
       FROM docs WHERE stage = ${sqlString(spec.name)} GROUP BY 1 ORDER BY docs DESC, lang`,
    );
    if (all.length === 0) continue;
    const list = all.map((r) => ({ lang: str(r.lang), docs: num(r.docs), kept: num(r.kept) }));
    const top = list.slice(0, TOP_LANGUAGES);
    const rest = list.slice(TOP_LANGUAGES);
    if (rest.length > 0) {
      top.push({ lang: `other (${rest.length} languages)`, docs: rest.reduce((n, r) => n + r.docs, 0), kept: rest.reduce((n, r) => n + r.kept, 0) });
    }
    out.push({ stage: spec.name, total: list.reduce((n, r) => n + r.docs, 0), rows: top, languages: list.length });
  }
  return out;
}

async function dedupClusters(con: DuckDBConnection): Promise<{ stages: DedupSummary[]; top: TopCluster[] }> {
  const cols = await describe(con, 'dedup_clusters');
  if (!cols.has('size')) return { stages: [], top: [] };
  const stage = cols.has('stage') ? 'stage::VARCHAR' : `'dedup'`;
  const summary = await rows(
    con,
    `SELECT ${stage} AS stage, count(*) AS clusters, sum(size) AS docs, sum(size - 1) AS removed, max(size) AS largest
     FROM dedup_clusters GROUP BY 1 ORDER BY 1`,
  );
  const sizes = await rows(
    con,
    `SELECT ${stage} AS stage, CASE WHEN size <= 8 THEN size ELSE (2 ** ceil(log2(size)))::BIGINT END AS hi, count(*) AS clusters
     FROM dedup_clusters GROUP BY ALL ORDER BY 1, 2`,
  );
  const stages: DedupSummary[] = summary.map((r) => ({
    stage: str(r.stage),
    clusters: num(r.clusters),
    docs: num(r.docs),
    removed: num(r.removed),
    largest: num(r.largest),
    sizes: sizes
      .filter((s) => str(s.stage) === str(r.stage))
      .map((s) => {
        const hi = num(s.hi);
        return { lo: hi <= 8 ? hi : hi / 2 + 1, hi, clusters: num(s.clusters) };
      }),
  }));
  const id = cols.has('cluster_id') ? 'cluster_id' : '0';
  const kept = cols.has('kept_id') ? 'kept_id::VARCHAR' : 'NULL';
  const removed = cols.has('removed_ids') ? 'removed_ids[1:5]' : '[]::VARCHAR[]';
  const top = await rows(con, `SELECT ${stage} AS stage, ${id} AS id, size, ${kept} AS kept, ${removed} AS removed FROM dedup_clusters ORDER BY size DESC, 1, 2 LIMIT ${TOP_CLUSTERS}`);
  return {
    stages,
    top: top.map((r) => ({
      stage: str(r.stage),
      clusterId: num(r.id),
      size: num(r.size),
      keptId: r.kept === null || r.kept === undefined ? null : str(r.kept),
      removed: Array.isArray(r.removed) ? r.removed.map(str) : [],
    })),
  };
}

const pick = (cols: Map<string, string>, names: readonly string[]): string | null => names.find((n) => cols.has(n)) ?? null;

/**
 * Per benchmark: items found and documents hit. The view may hold one row per benchmark (counts in
 * columns such as `items_found`, `docs_hit`) or one row per hit (`item`, `id`); both are read.
 * Without a `benchmark` column the first rows are shown as they are.
 */
async function deconByBenchmark(con: DuckDBConnection): Promise<DeconData> {
  const cols = await describe(con, 'decon');
  const columns = [...cols.keys()];
  if (!cols.has('benchmark')) {
    const raw = await rows(con, `SELECT * FROM decon LIMIT ${ERROR_SAMPLES}`);
    return { rows: null, columns, raw: raw.map((r) => columns.map((c) => cellText(r[c]))) };
  }
  const split = pick(cols, ['split']);
  const itemsCol = pick(cols, ['items_found', 'items_hit', 'items_matched', 'items_contaminated', 'items']);
  const itemCol = pick(cols, ['item', 'item_id', 'item_index']);
  const docsCol = pick(cols, ['docs_hit', 'documents_hit', 'docs_contaminated', 'documents', 'docs']);
  const docCol = pick(cols, ['id', 'doc_id', 'document_id', 'document']);
  const totalCol = pick(cols, ['items_total', 'total_items', 'benchmark_items']);
  const items = itemsCol ? `sum(${sqlIdent(itemsCol)})` : itemCol ? `count(DISTINCT ${sqlIdent(itemCol)})` : 'NULL';
  const docs = docsCol ? `sum(${sqlIdent(docsCol)})` : docCol ? `count(DISTINCT ${sqlIdent(docCol)})` : 'NULL';
  const total = totalCol ? `max(${sqlIdent(totalCol)})` : 'NULL';
  const splitExpr = split ? `${sqlIdent(split)}::VARCHAR` : 'NULL::VARCHAR';
  const out = await rows(
    con,
    `SELECT benchmark::VARCHAR AS benchmark, ${splitExpr} AS split, ${items} AS items, ${total} AS total, ${docs} AS docs, count(*) AS n
     FROM decon GROUP BY 1, 2 ORDER BY docs DESC NULLS LAST, 1, 2`,
  );
  return {
    rows: out.map((r) => ({
      benchmark: str(r.benchmark),
      split: r.split === null || r.split === undefined ? null : str(r.split),
      itemsFound: numOrNull(r.items),
      itemsTotal: numOrNull(r.total),
      docsHit: numOrNull(r.docs),
      rows: num(r.n),
    })),
    columns,
    raw: [],
  };
}

async function mixComposition(con: DuckDBConnection): Promise<MixRow[]> {
  const out = await rows(con, 'SELECT * FROM mix ORDER BY source');
  return out.map((r) => ({
    source: str(r.source),
    weight: numOrNull(r.weight),
    docsAvailable: num(r.docs_available),
    tokensAvailable: num(r.tokens_available),
    requestedTokens: num(r.requested_tokens),
    requestedShare: num(r.requested_share),
    repetition: num(r.repetition),
    docsTaken: num(r.docs_taken),
    copies: num(r.copies),
    tokensTaken: num(r.tokens_taken),
    achievedShare: num(r.achieved_share),
    error: num(r.error),
  }));
}

async function errorData(con: DuckDBConnection): Promise<ErrorData> {
  const kinds = await rows(con, 'SELECT kind, count(*) AS n, count(DISTINCT shard) AS shards FROM errors GROUP BY kind ORDER BY n DESC, kind');
  const samples = await rows(con, `SELECT shard, line, kind, message FROM errors ORDER BY shard, line LIMIT ${ERROR_SAMPLES}`);
  return {
    total: kinds.reduce((n, r) => n + num(r.n), 0),
    kinds: kinds.map((r) => ({ kind: str(r.kind), records: num(r.n), shards: num(r.shards) })),
    samples: samples.map((r) => ({ shard: str(r.shard), line: num(r.line), kind: str(r.kind), message: str(r.message) })),
  };
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}
