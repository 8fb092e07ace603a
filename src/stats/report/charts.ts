/**
 * The report's charts: Observable Plot marks rendered to SVG markup at report time, on a server-side
 * DOM (linkedom), so the page needs no script to show them. Text from the data reaches the SVG only
 * as text content (labels, <title> tooltips), which the serializer escapes.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { FunnelRow, ReasonRow } from '../funnel.js';
import type { DedupSummary, LanguageDistribution, MetricHistogram, MixRow } from './data.js';
import type { Threshold } from './thresholds.js';

/** Statuses of documents (and characters) in the stacked charts, with their colours. */
export const STATUS_COLORS: Readonly<Record<string, string>> = {
  kept: '#4c78a8',
  flagged: '#f58518',
  dropped: '#e45756',
  unreadable: '#9d755d',
  requested: '#9ecae9',
  achieved: '#4c78a8',
};

const WIDTH = 640;
const BAR = 22;
const MAX_LABEL = 40;

let dom: Document | null = null;

/** The document Plot builds its elements in: one per process (the charts are serialized, never attached). */
function document(): Document {
  dom ??= parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as Document;
  return dom;
}

function render(options: Plot.PlotOptions): string {
  return Plot.plot({ document: document(), width: WIDTH, style: { background: 'transparent', fontSize: '11px' }, ...options }).outerHTML;
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
/** Axis ticks: 12,500 below 100,000, then 250K, 1.5M. */
const tick = (n: number): string => (Math.abs(n) >= 100_000 ? compact.format(n) : n.toLocaleString('en-US', { maximumFractionDigits: 6 }));

/** Ticks of a symlog axis: 0 (when in range) and 1, 2, 5 x 10^k; only the powers of ten when those are many. */
export function symlogTicks(lo: number, hi: number): number[] {
  const inRange = (x: number): boolean => x >= lo && x <= hi;
  const all: number[] = inRange(0) ? [0] : [];
  const powers: number[] = inRange(0) ? [0] : [];
  for (let p = 1; p <= Math.max(hi, 1); p *= 10) {
    for (const m of [1, 2, 5]) if (inRange(m * p)) all.push(m * p);
    if (inRange(p)) powers.push(p);
  }
  return all.length <= 10 ? all : powers;
}
const short = (s: string): string => (s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s);
/** Room for the longest label on a band axis, about 6.5 px a character at 11 px. */
const labelMargin = (labels: readonly string[]): number => Math.min(280, Math.max(60, 12 + 6.5 * Math.max(0, ...labels.map((l) => short(l).length))));

function colorScale(statuses: readonly string[]): Plot.ScaleOptions {
  return { domain: [...statuses], range: statuses.map((s) => STATUS_COLORS[s] ?? '#888'), legend: false };
}

interface Segment {
  label: string;
  status: string;
  x1: number;
  x2: number;
  n: number;
}

/** Stacked horizontal bars, one per label, of segments in `statuses` order. */
function stackedBars(labels: readonly string[], parts: readonly Record<string, number>[], statuses: readonly string[], unit: string): string {
  const segments: Segment[] = [];
  labels.forEach((label, i) => {
    let x = 0;
    for (const status of statuses) {
      const n = parts[i]![status] ?? 0;
      if (n > 0) segments.push({ label, status, x1: x, x2: x + n, n });
      x += n;
    }
  });
  return render({
    height: 40 + BAR * labels.length,
    marginLeft: labelMargin(labels),
    marginRight: 20,
    x: { label: unit, grid: true, nice: true, tickFormat: tick },
    y: { domain: [...labels], label: null, tickFormat: short },
    color: colorScale(statuses),
    marks: [
      Plot.barX(segments, { y: 'label', x1: 'x1', x2: 'x2', fill: 'status', title: (d: Segment) => `${d.label}: ${fmt(d.n)} ${unit} ${d.status}` }),
      Plot.ruleX([0]),
    ],
  });
}

const stageLabel = (r: FunnelRow): string => `${r.stageIndex} ${r.stage}`;

/** Documents through each stage: kept, flagged (tag mode), dropped, unreadable (read). */
export function funnelDocsChart(rows: readonly FunnelRow[]): string {
  const parts = rows.map((r): Record<string, number> =>
    r.mode === 'read'
      ? { kept: r.docsKept, unreadable: r.docsDropped }
      : { kept: r.docsKept - (r.mode === 'tag' ? r.docsFlagged : 0), flagged: r.mode === 'tag' ? r.docsFlagged : 0, dropped: r.docsDropped },
  );
  return stackedBars(rows.map(stageLabel), parts, ['kept', 'flagged', 'dropped', 'unreadable'], 'documents');
}

/** Characters into each stage: those that went on, and those removed (dropped or cut). */
export function funnelCharsChart(rows: readonly FunnelRow[]): string {
  const parts = rows.map((r) => ({ kept: r.charsOut, dropped: Math.max(0, r.charsIn - r.charsOut) }));
  return stackedBars(rows.map(stageLabel), parts, ['kept', 'dropped'], 'characters');
}

/** Documents per drop reason (read: unreadable records; tag mode: would-be drops). */
export function reasonsChart(reasons: readonly ReasonRow[]): string {
  const labels = reasons.map((r) => `${r.stage}: ${r.reason}`);
  const parts = reasons.map((r): Record<string, number> => (r.mode === 'read' ? { unreadable: r.docs } : r.mode === 'tag' ? { flagged: r.docs } : { dropped: r.docs }));
  return stackedBars(labels, parts, ['dropped', 'flagged', 'unreadable'], 'documents');
}

/** The thresholds drawn on a histogram, and those too far outside its values to be drawn. */
export function placeThresholds(h: MetricHistogram): { drawn: Threshold[]; outside: Threshold[] } {
  const t = h.scale === 'symlog' ? Math.log1p : (x: number): number => x;
  const lo = t(h.bins[0]?.x0 ?? h.min);
  const hi = t(h.bins.at(-1)?.x1 ?? h.max);
  const span = Math.max(hi - lo, 1e-9);
  const drawn: Threshold[] = [];
  const outside: Threshold[] = [];
  for (const th of h.thresholds) {
    const v = h.scale === 'symlog' && th.value < 0 ? Number.NaN : t(th.value);
    if (Number.isFinite(v) && v >= lo - span && v <= hi + span) drawn.push(th);
    else outside.push(th);
  }
  return { drawn, outside };
}

interface Rect {
  x0: number;
  x1: number;
  y1: number;
  y2: number;
  status: string;
  n: number;
}

/** A metric's histogram, kept and dropped stacked, with the stage's thresholds as dashed lines. */
export function histogramChart(h: MetricHistogram): string {
  const rects: Rect[] = [];
  for (const b of h.bins) {
    if (b.kept > 0) rects.push({ x0: b.x0, x1: b.x1, y1: 0, y2: b.kept, status: 'kept', n: b.kept });
    if (b.dropped > 0) rects.push({ x0: b.x0, x1: b.x1, y1: b.kept, y2: b.kept + b.dropped, status: h.mode === 'tag' ? 'flagged' : 'dropped', n: b.dropped });
  }
  const { drawn } = placeThresholds(h);
  const lo = Math.min(h.bins[0]?.x0 ?? h.min, ...drawn.map((t) => t.value));
  const hi = Math.max(h.bins.at(-1)?.x1 ?? h.max, ...drawn.map((t) => t.value));
  const range = (r: Rect): string => `[${fmtValue(r.x0)}, ${fmtValue(r.x1)})`;
  return render({
    height: 190,
    marginLeft: 56,
    marginTop: 16 + 12 * drawn.length,
    marginRight: 24,
    x:
      h.scale === 'symlog'
        ? { type: 'symlog', domain: [lo, hi], label: `${h.metric} (log scale)`, ticks: symlogTicks(lo, hi), tickFormat: tick }
        : { type: 'linear', domain: [lo, hi], label: h.metric, tickFormat: tick },
    y: { label: 'documents', grid: true, nice: true, tickFormat: tick },
    color: colorScale(['kept', 'flagged', 'dropped']),
    marks: [
      Plot.rect(rects, { x1: 'x0', x2: 'x1', y1: 'y1', y2: 'y2', fill: 'status', insetLeft: 0.5, title: (r: Rect) => `${h.metric} ${range(r)}: ${fmt(r.n)} ${r.status}` }),
      Plot.ruleY([0]),
      Plot.ruleX(drawn, { x: 'value', stroke: '#222', strokeWidth: 1.5, strokeDasharray: '5 3' }),
      thresholdLabels(drawn, (v) => (h.scale === 'symlog' ? (Math.log1p(v) - Math.log1p(lo)) / (Math.log1p(hi) - Math.log1p(lo)) : (v - lo) / (hi - lo))),
    ],
  });
}

/** Threshold labels stacked above the frame, one line each (Plot's `dy` is a constant per mark);
 * `at` gives a value's position across the frame (0-1), to keep labels near the right edge inside. */
function thresholdLabels(drawn: readonly Threshold[], at: (v: number) => number): Plot.Markish {
  return drawn.map((t, i) => {
    const right = at(t.value) > 0.75;
    return Plot.text([t], {
      x: 'value',
      frameAnchor: 'top',
      dy: -4 - 12 * (drawn.length - 1 - i),
      dx: right ? -3 : 3,
      textAnchor: right ? 'end' : 'start',
      text: (d: Threshold) => `${d.option} ${fmtValue(d.value)}`,
      fill: '#222',
    });
  });
}

/** A value for people: integers with separators, others to about three significant digits. */
export function fmtValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return fmt(x);
  const a = Math.abs(x);
  if (a >= 1000) return fmt(Math.round(x));
  if (a >= 1) return String(Number(x.toFixed(2)));
  return String(Number(x.toPrecision(3)));
}

/** Documents per language of a language stage, kept and dropped stacked. */
export function languageChart(d: LanguageDistribution, mode: string): string {
  const dropped = mode === 'tag' ? 'flagged' : 'dropped';
  return stackedBars(
    d.rows.map((r) => r.lang),
    d.rows.map((r) => ({ kept: r.kept, [dropped]: r.docs - r.kept })),
    ['kept', dropped],
    'documents',
  );
}

/** Duplicate clusters by size (symlog counts: a few huge clusters next to many pairs). */
export function clusterSizesChart(s: DedupSummary): string {
  const data = s.sizes.map((b) => ({ label: b.lo === b.hi ? String(b.hi) : `${fmt(b.lo)}-${fmt(b.hi)}`, clusters: b.clusters }));
  return render({
    height: 200,
    marginLeft: 56,
    x: { domain: data.map((d) => d.label), label: 'cluster size (documents)', tickRotate: data.length > 12 ? -30 : 0 },
    y: { type: 'symlog', label: 'clusters', grid: true, ticks: symlogTicks(0, Math.max(1, ...data.map((d) => d.clusters))), tickFormat: tick },
    marks: [
      Plot.barY(data, { x: 'label', y: 'clusters', fill: STATUS_COLORS.kept, title: (d: { label: string; clusters: number }) => `size ${d.label}: ${fmt(d.clusters)} clusters` }),
      Plot.ruleY([0]),
    ],
  });
}

/** Per source: the share of tokens asked for (upper half of its band) next to the share taken. */
export function mixChart(rows: readonly MixRow[]): string {
  const sources = rows.map((r) => r.source);
  const marginTop = 10;
  const marginBottom = 36;
  const plotHeight = rows.length * 2.5 * BAR;
  const half = ((plotHeight / (rows.length + 0.2)) * 0.8) / 2;
  const title = (kind: string) => (r: MixRow) => `${r.source} ${kind}: ${(100 * (kind === 'requested' ? r.requestedShare : r.achievedShare)).toFixed(2)}%`;
  return render({
    height: marginTop + marginBottom + plotHeight,
    marginTop,
    marginBottom,
    marginLeft: labelMargin(sources),
    x: { label: 'share of tokens (%)', percent: true, grid: true, domain: [0, Math.max(0.01, ...rows.flatMap((r) => [r.requestedShare, r.achievedShare]))], nice: true },
    y: { domain: sources, label: null, tickFormat: short, padding: 0.2 },
    color: colorScale(['requested', 'achieved']),
    marks: [
      Plot.barX(rows, { y: 'source', x: 'requestedShare', fill: () => 'requested', insetBottom: half, title: title('requested') }),
      Plot.barX(rows, { y: 'source', x: 'achievedShare', fill: () => 'achieved', insetTop: half, title: title('achieved') }),
      Plot.ruleX([0]),
    ],
  });
}
