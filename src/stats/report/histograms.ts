/**
 * Histograms of the per-document metrics, binned in DuckDB: one scan for the range, median and
 * integrality of every metric per stage, then one scan per metric that counts documents (kept and
 * not) per bin. Only the bin counts reach JavaScript, whatever the number of document rows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { StageSpec } from '../../config/schema.js';
import { sqlIdent, sqlString } from '../duckdb.js';
import type { FunnelRow } from '../funnel.js';
import { HIDDEN_METRICS, stageThresholds, type Threshold } from './thresholds.js';

export interface HistogramBin {
  x0: number;
  x1: number;
  /** Documents the stage kept, and dropped (in tag mode: would have dropped). */
  kept: number;
  dropped: number;
}

export interface MetricHistogram {
  stage: string;
  stageType: string;
  mode: string;
  metric: string;
  /** symlog: bins of equal width in log(1 + x), for skewed non-negative metrics. */
  scale: 'linear' | 'symlog';
  /** Values plotted (finite), and rows of the stage without a value. */
  count: number;
  missing: number;
  min: number;
  median: number;
  max: number;
  bins: HistogramBin[];
  thresholds: Threshold[];
}

const FIXED_COLUMNS = new Set(['id', 'shard', 'stage', 'keep', 'reason']);
const NUMERIC_TYPE = /^(DOUBLE|FLOAT|REAL|DECIMAL.*|HUGEINT|UHUGEINT|BIGINT|UBIGINT|INTEGER|UINTEGER|SMALLINT|USMALLINT|TINYINT|UTINYINT)$/;
const BINS = 40;
/** Integer metrics spanning at most this many values get one bin per value. */
const MAX_INTEGER_BINS = 60;

type Row = Record<string, unknown>;

async function rows(con: DuckDBConnection, sql: string): Promise<Row[]> {
  return (await con.runAndReadAll(sql)).getRowObjectsJS() as Row[];
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0);
const str = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v));

interface MetricStats {
  metric: string;
  stage: string;
  rows: number;
  count: number;
  min: number;
  max: number;
  median: number;
  integer: boolean;
}

interface Binning {
  stage: string;
  /** Where the first bin starts on the chart (bins shifted to meet a threshold start before it). */
  first: number;
  lo: number;
  width: number;
  n: number;
  log: boolean;
}

/** One histogram per numeric metric per stage that recorded it, in stage order. */
export async function metricHistograms(
  con: DuckDBConnection,
  columns: Map<string, string>,
  docRows: number,
  specs: readonly StageSpec[],
  order: readonly FunnelRow[],
): Promise<MetricHistogram[]> {
  const metrics = [...columns].filter(([c, t]) => !FIXED_COLUMNS.has(c) && !HIDDEN_METRICS.has(c) && NUMERIC_TYPE.test(t)).map(([c]) => c);
  if (metrics.length === 0) return [];
  const stats = await metricStats(con, metrics, docRows);
  const out: MetricHistogram[] = [];
  for (const metric of metrics) {
    const perStage = stats.filter((s) => s.metric === metric && s.count > 0);
    if (perStage.length === 0) continue;
    const thresholdsOf = (stage: string): Threshold[] => {
      const spec = specs.find((x) => x.name === stage);
      return spec ? stageThresholds(spec.type, spec.options).filter((t) => t.metric === metric) : [];
    };
    const binnings = perStage.map((s) => binningOf(s, thresholdsOf(s.stage).find((t) => t.value > s.min && t.value < s.max)?.value));
    const counts = await binCounts(con, metric, binnings);
    for (const s of perStage) {
      const b = binnings.find((x) => x.stage === s.stage)!;
      const spec = specs.find((x) => x.name === s.stage);
      const row = order.find((x) => x.stage === s.stage);
      const bins: HistogramBin[] = Array.from({ length: b.n }, (_, k) => {
        const c = counts.get(`${s.stage}\u0000${k}`);
        const edge = (i: number): number => (b.log ? Math.expm1(b.lo + i * b.width) : b.lo + i * b.width);
        return { x0: k === 0 ? Math.max(edge(0), b.first) : edge(k), x1: edge(k + 1), kept: c?.kept ?? 0, dropped: (c?.docs ?? 0) - (c?.kept ?? 0) };
      });
      const plotted = bins.reduce((n, x) => n + x.kept + x.dropped, 0);
      out.push({
        stage: s.stage,
        stageType: spec?.type ?? row?.type ?? s.stage,
        mode: spec?.mode ?? row?.mode ?? '',
        metric,
        scale: b.log ? 'symlog' : 'linear',
        count: plotted,
        missing: s.rows - plotted,
        min: s.min,
        median: s.integer && Number.isFinite(s.median) ? Math.round(s.median) : s.median,
        max: s.max,
        bins,
        thresholds: thresholdsOf(s.stage),
      });
    }
  }
  const rank = (stage: string): number => order.find((r) => r.stage === stage)?.stageIndex ?? Number.MAX_SAFE_INTEGER;
  return out.sort((a, b) => rank(a.stage) - rank(b.stage) || a.stage.localeCompare(b.stage) || metrics.indexOf(a.metric) - metrics.indexOf(b.metric));
}

/** Above this many document rows, medians are estimated from a 1% sample of them. */
const SAMPLE_ABOVE_ROWS = 2_000_000;

/** Count and range of every metric per stage (one scan), and their medians and whether they are
 * whole numbers (one scan of a sample when there are many rows). Non-finite values (NaN,
 * infinities) are left out. */
async function metricStats(con: DuckDBConnection, metrics: readonly string[], docRows: number): Promise<MetricStats[]> {
  const v = (m: string): string => `${sqlIdent(m)}::DOUBLE`;
  const rangeOf = (m: string, i: number, finite: boolean): string => {
    // Filtered aggregates are several times slower; they are only needed where a value is not finite.
    const f = finite ? ` FILTER (WHERE isfinite(${v(m)}))` : '';
    return `count(${v(m)})${f} AS n${i}, min(${v(m)})${f} AS lo${i}, max(${v(m)})${f} AS hi${i}`;
  };
  const ranges = await rows(con, `SELECT stage, count(*) AS rows, ${metrics.map((m, i) => rangeOf(m, i, false)).join(', ')} FROM docs GROUP BY stage`);
  const bad = metrics.filter((_, i) => ranges.some((r) => !isFiniteOrNull(r[`lo${i}`]) || !isFiniteOrNull(r[`hi${i}`])));
  const fixed = bad.length === 0 ? [] : await rows(con, `SELECT stage, ${bad.map((m, i) => rangeOf(m, i, true)).join(', ')} FROM docs GROUP BY stage`);
  const source = docRows > SAMPLE_ABOVE_ROWS ? '(SELECT * FROM docs USING SAMPLE 1 PERCENT (system))' : 'docs';
  // Medians and integrality from the sample: whole-number metrics (counts) get one bin per value.
  const medians = await rows(
    con,
    `SELECT stage, ${metrics.map((m, i) => `approx_quantile(${v(m)}, 0.5) FILTER (WHERE isfinite(${v(m)})) AS med${i}, bool_and(${v(m)} = floor(${v(m)})) FILTER (WHERE isfinite(${v(m)})) AS int${i}`).join(', ')} FROM ${source} GROUP BY stage`,
  );
  const out: MetricStats[] = [];
  for (const r of ranges) {
    const stage = str(r.stage);
    metrics.forEach((metric, i) => {
      const j = bad.indexOf(metric);
      const range = j < 0 ? r : fixed.find((x) => str(x.stage) === stage) ?? {};
      const k = j < 0 ? i : j;
      const sampled = medians.find((x) => str(x.stage) === stage);
      const med = sampled?.[`med${i}`];
      const min = num(range[`lo${k}`]);
      const max = num(range[`hi${k}`]);
      out.push({
        metric,
        stage,
        rows: num(r.rows),
        count: num(range[`n${k}`]),
        min,
        max,
        median: med === null || med === undefined ? Number.NaN : num(med),
        integer: sampled?.[`int${i}`] !== false && Number.isInteger(min) && Number.isInteger(max),
      });
    });
  }
  // A stage too small to be in the sample: its medians exactly.
  for (const s of out.filter((x) => x.count > 0 && Number.isNaN(x.median))) {
    const r = await rows(con, `SELECT approx_quantile(${v(s.metric)}, 0.5) FILTER (WHERE isfinite(${v(s.metric)})) AS med FROM docs WHERE stage = ${sqlString(s.stage)}`);
    s.median = num(r[0]?.med);
  }
  return out;
}

const isFiniteOrNull = (x: unknown): boolean => x === null || x === undefined || (typeof x === 'number' && Number.isFinite(x));

/** How to bin a metric of a stage: one bin per value for small integer ranges, log bins for skewed
 * non-negative metrics, else equal bins of a round width. With `align` (a threshold within the
 * values), the bins are shifted so that one of their edges falls on it: each bin is then wholly on
 * one side of the threshold. */
export function binningOf(s: { stage: string; min: number; max: number; median: number; integer: boolean }, align?: number): Binning {
  const { stage, min, max } = s;
  if (s.integer && max - min < MAX_INTEGER_BINS) return { stage, first: min - 0.5, lo: min - 0.5, width: 1, n: max - min + 1, log: false };
  const inside = align !== undefined && align > min && align < max ? align : undefined;
  if (min >= 0 && max > 20 * Math.max(s.median, 1)) {
    const width = (Math.log1p(max) - Math.log1p(min)) / BINS;
    const lo = alignedStart(Math.log1p(min), width, inside === undefined ? undefined : Math.log1p(inside));
    return { stage, first: min, lo, width, n: Math.max(1, Math.ceil((Math.log1p(max) - lo) / width - 1e-9)), log: true };
  }
  if (max <= min) return { stage, first: min - 0.5, lo: min - 0.5, width: 1, n: 1, log: false };
  const step = niceStep((max - min) / BINS);
  const first = Math.floor(min / step) * step;
  const lo = alignedStart(first, step, inside);
  return { stage, first, lo, width: step, n: Math.max(1, Math.ceil((max - lo) / step - 1e-9)), log: false };
}

/** The start of bins of `width` from about `lo`, moved down so that `edge` (if any) is a bin edge. */
function alignedStart(lo: number, width: number, edge: number | undefined): number {
  if (edge === undefined || !(width > 0)) return lo;
  const shift = (((edge - lo) % width) + width) % width;
  return shift < 1e-9 * width || width - shift < 1e-9 * width ? lo : lo - (width - shift);
}

/** The smallest of 1, 2, 2.5, 5 x 10^k at least `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/** Documents (and kept documents) per bin, binned in SQL: key `stage \0 bin`. */
async function binCounts(con: DuckDBConnection, metric: string, binnings: readonly Binning[]): Promise<Map<string, { docs: number; kept: number }>> {
  const v = `${sqlIdent(metric)}::DOUBLE`;
  const binOf = (b: Binning): string => `least(${b.n - 1}, greatest(0, floor((${b.log ? `ln(1 + ${v})` : v} - ${sqlDouble(b.lo)}) / ${sqlDouble(b.width)})))::INTEGER`;
  const bin = `CASE stage ${binnings.map((b) => `WHEN ${sqlString(b.stage)} THEN ${binOf(b)}`).join(' ')} END`;
  const out = await rows(
    con,
    `SELECT stage, ${bin} AS bin, count(*) AS docs, count(*) FILTER (WHERE keep) AS kept
     FROM docs WHERE stage IN (${binnings.map((b) => sqlString(b.stage)).join(', ')}) AND isfinite(${v})
     GROUP BY ALL`,
  );
  return new Map(out.map((r) => [`${str(r.stage)}\u0000${num(r.bin)}`, { docs: num(r.docs), kept: num(r.kept) }]));
}

function sqlDouble(x: number): string {
  return `CAST(${Number.isFinite(x) ? String(x) : '0'} AS DOUBLE)`;
}
