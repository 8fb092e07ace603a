/**
 * `sift stats RUN` (the funnel and drop reasons) and `sift sql RUN QUERY` (DuckDB over the stats).
 */
import { DuckDBTypeId, type DuckDBConnection } from '@duckdb/node-api';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { readManifest } from '../../core/manifest.js';
import { RunDir } from '../../exec/run-dir.js';
import { pendingTasks } from '../../exec/task.js';
import { buildPlan } from '../../exec/plan.js';
import { dropReasons, funnel } from '../../stats/funnel.js';
import { openRunDatabase } from '../../stats/query.js';
import { percent, renderTable } from '../table.js';
import { UsageError } from '../main.js';

export async function printFunnel(runDir: string, write: (s: string) => void = (s) => void process.stdout.write(s)): Promise<void> {
  const run = new RunDir(runDir);
  if (!existsSync(run.manifest)) throw new UsageError(`${runDir} is not a run directory (no manifest.json)`);
  const manifest = readManifest(run.manifest);
  const db = await openRunDatabase(runDir);
  try {
    if (!db.views.includes(manifest.config.kind === 'mix' ? 'mix' : 'stages')) {
      const plan = buildPlan(manifest.config, manifest);
      const progress = plan.map((s) => `${s.name} ${s.tasks - pendingTasks(run, s).length}/${s.tasks}`).join(', ');
      write(`${runDir}: no stats yet; the run has not finished (tasks done: ${progress}). Continue it with sift run ... --resume\n`);
      return;
    }
    if (manifest.config.kind === 'mix') {
      await printMixTable(db.con, write);
      return;
    }
    const rows = await funnel(db.con);
    const read = rows.find((r) => r.mode === 'read');
    const tokens = rows.find((r) => r.mode === 'write')?.tokens ?? null;
    const start = read?.docsKept ?? 0;
    write(`Funnel of ${runDir} (${manifest.inputs.length} input shard(s))\n\n`);
    write(
      renderTable(
        ['#', 'stage', 'type', 'mode', 'docs in', 'kept', 'dropped', 'dropped %', 'flagged', 'edited', 'chars in', 'chars out', 'kept % of read', 'seconds'],
        rows.map((r) => [
          r.stageIndex,
          r.stage,
          r.type,
          r.mode,
          r.docsIn,
          r.docsKept,
          r.mode === 'read' ? `${r.docsDropped.toLocaleString('en-US')} unreadable` : r.docsDropped,
          percent(r.docsDropped, r.docsIn),
          r.mode === 'tag' ? r.docsFlagged : null,
          r.docsEdited || null,
          r.charsIn,
          r.charsOut,
          percent(r.mode === 'write' ? r.docsIn : r.docsKept, start),
          r.seconds.toFixed(2),
        ]),
      ) + '\n',
    );
    const reasons = await dropReasons(db.con);
    if (reasons.length > 0) {
      const totalDropped = rows.filter((r) => r.mode === 'drop').reduce((s, r) => s + r.docsDropped, 0);
      write('\nDrop reasons (tag-mode stages: would-be drops; read: unreadable records)\n\n');
      write(
        renderTable(
          ['stage', 'mode', 'reason', 'docs', 'share of stage input', 'share of all drops'],
          reasons.map((r) => [r.stage, r.mode, r.reason, r.docs, percent(r.docs, r.stageDocsIn), r.mode === 'drop' ? percent(r.docs, totalDropped) : null]),
        ) + '\n',
      );
    }
    if (db.views.includes('decon')) await printDeconTable(db.con, write);
    if (db.views.includes('dedup_clusters')) {
      const c = (await db.con.runAndReadAll('SELECT stage, count(*) AS clusters, sum(size) AS docs, max(size) AS largest FROM dedup_clusters GROUP BY stage ORDER BY stage')).getRowObjectsJS();
      write('\nDuplicate clusters\n\n');
      write(`${renderTable(['stage', 'clusters', 'documents in them', 'largest'], c.map((r) => [String(r.stage), Number(r.clusters), Number(r.docs), Number(r.largest)]))}\n`);
    }
    const t = manifest.totals;
    if (t) {
      write(
        `\nread ${t.read.toLocaleString('en-US')} = kept ${t.kept.toLocaleString('en-US')} + dropped ${t.dropped.toLocaleString('en-US')} + unreadable ${t.unreadable.toLocaleString('en-US')}` +
          `${t.conserved ? '  (every document accounted for)' : '  MISMATCH: documents unaccounted for'}\n`,
      );
    }
    if (tokens !== null) write(`${tokens.toLocaleString('en-US')} tokens written (${manifest.config.kind === 'pipeline' ? manifest.config.output.tokenizer : ''})\n`);
  } finally {
    db.close();
  }
}

/** Decontamination hits per benchmark. */
async function printDeconTable(con: DuckDBConnection, write: (s: string) => void): Promise<void> {
  const rows = (
    await con.runAndReadAll(
      `SELECT benchmark, any_value(split) AS split, count(DISTINCT item) AS items, count(DISTINCT id) AS docs, count(*) AS hits, max(coverage) AS top
       FROM decon GROUP BY benchmark ORDER BY docs DESC, benchmark`,
    )
  ).getRowObjectsJS();
  write('\nDecontamination (benchmark items found in documents)\n\n');
  if (rows.length === 0) {
    write('no benchmark items found\n');
    return;
  }
  write(
    `${renderTable(
      ['benchmark', 'split', 'items found', 'documents hit', 'hits', 'highest coverage'],
      rows.map((r) => [String(r.benchmark), r.split === null ? '' : String(r.split), Number(r.items), Number(r.docs), Number(r.hits), Number(r.top).toFixed(2)]),
    )}\n`,
  );
}

/** The composition of a mix: per source, tokens available, asked for and taken. */
async function printMixTable(con: DuckDBConnection, write: (s: string) => void): Promise<void> {
  const rows = (await con.runAndReadAll('SELECT * FROM mix ORDER BY source')).getRowObjectsJS() as Record<string, unknown>[];
  const n = (v: unknown): number => Number(v ?? 0);
  write('Mix composition\n\n');
  write(
    renderTable(
      ['source', 'weight', 'docs avail.', 'tokens avail.', 'tokens asked', 'share asked', 'repetition', 'docs taken', 'copies', 'tokens taken', 'share', 'off by'],
      rows.map((r) => [
        String(r.source),
        r.weight === null ? null : n(r.weight),
        n(r.docs_available),
        n(r.tokens_available),
        n(r.requested_tokens),
        percent(n(r.requested_share), 1),
        `${n(r.repetition).toFixed(3)}x`,
        n(r.docs_taken),
        n(r.copies),
        n(r.tokens_taken),
        percent(n(r.achieved_share), 1),
        `${(100 * n(r.error)).toFixed(2)}%`,
      ]),
    ) + '\n',
  );
  const total = rows.reduce((s, r) => s + n(r.tokens_taken), 0);
  write(`\n${total.toLocaleString('en-US')} tokens in the mix\n`);
}

/** Prints a finished mix (the composition table). */
export async function printMix(runDir: string): Promise<void> {
  await printFunnel(runDir);
}

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('print the funnel of a run: documents and characters per stage, drop reasons with counts and shares')
    .argument('<run>', 'run directory')
    .action(async (run: string) => {
      await printFunnel(run);
    });
}

export function registerSql(program: Command): void {
  program
    .command('sql')
    .description('query a run\'s stats with DuckDB; views: stages, docs, errors (and decon, dedup_clusters, mix where present)')
    .argument('<run>', 'run directory')
    .argument('<query>', 'SQL, e.g. "SELECT reason, count(*) FROM docs GROUP BY ALL"')
    .option('--json', 'print rows as JSON lines')
    .option('--csv', 'print CSV with a header')
    .addHelpText(
      'after',
      `
Views:
  stages  one row per input shard x stage: shard, stage, stage_index, type, mode, docs_in, docs_kept,
          docs_dropped, docs_flagged, docs_edited, chars_in, chars_out, seconds, reasons (MAP reason -> docs)
  docs    one row per document per stage: id, shard, stage, keep, reason, and one column per metric
  errors  one row per unreadable record: shard, line, kind, message`,
    )
    .action(async (run: string, query: string, o: { json?: boolean; csv?: boolean }) => {
      if (o.json && o.csv) throw new UsageError('choose one of --json and --csv');
      const db = await openRunDatabase(run);
      try {
        let reader;
        try {
          reader = await db.con.runAndReadAll(query);
        } catch (e) {
          throw new UsageError(`query failed: ${(e as Error).message}`);
        }
        const names = reader.columnNames();
        const isMap = reader.columnTypes().map((t) => t.typeId === DuckDBTypeId.MAP);
        const rows = (reader.getRowsJS() as unknown[][]).map((r) => r.map((v, i) => (isMap[i] ? mapToObject(v) : plain(v))));
        if (o.json) {
          for (const r of rows) process.stdout.write(`${JSON.stringify(Object.fromEntries(names.map((n, i) => [n, r[i]])))}\n`);
        } else if (o.csv) {
          process.stdout.write(`${names.map(csvCell).join(',')}\n`);
          for (const r of rows) process.stdout.write(`${r.map(csvCell).join(',')}\n`);
        } else {
          process.stdout.write(`${renderTable(names, rows.map((r) => r.map(cellText)))}\n(${rows.length} row${rows.length === 1 ? '' : 's'})\n`);
        }
      } finally {
        db.close();
      }
    });
}

/** A DuckDB MAP (a list of {key, value}) as a JSON object. */
function mapToObject(v: unknown): unknown {
  if (!Array.isArray(v)) return plain(v);
  return Object.fromEntries(v.map((e: { key: unknown; value: unknown }) => [String(plain(e.key)), plain(e.value)]));
}

/** DuckDB's JS values as plain JSON values: safe big integers as numbers, dates as ISO strings. */
export function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), plain(x)]));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function cellText(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
