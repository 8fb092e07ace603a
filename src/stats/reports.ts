/**
 * Per-shard reports of stages (rows such as decontamination hits), written as Parquet under
 * stats/reports/<kind>/ and merged at the end of a run into stats/<kind>.parquet.
 */
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { temporaryName } from '../io/shard-writer.js';
import { sqlIdent, sqlString, withConnection } from './duckdb.js';

export type ReportType = 'VARCHAR' | 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'BOOLEAN';
export type ReportValue = string | number | boolean | null;

/** Writes rows (possibly none) with the given columns to a Parquet file, under a temporary name first. */
export async function writeReport(file: string, columns: readonly (readonly [name: string, type: ReportType])[], rows: readonly ReportValue[][]): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), temporaryName(basename(file)));
  const table = `report_${process.pid}_${Math.random().toString(36).slice(2)}`;
  await withConnection(async (con) => {
    await con.run(`CREATE TEMP TABLE ${table} (${columns.map(([n, t]) => `${sqlIdent(n)} ${t}`).join(', ')})`);
    try {
      const app = await con.createAppender(table);
      for (const row of rows) {
        columns.forEach(([, type], i) => {
          const v = row[i] ?? null;
          if (v === null) app.appendNull();
          else if (type === 'VARCHAR') app.appendVarchar(String(v));
          else if (type === 'BIGINT') app.appendBigInt(BigInt(Math.round(Number(v))));
          else if (type === 'INTEGER') app.appendInteger(Math.round(Number(v)));
          else if (type === 'DOUBLE') app.appendDouble(Number(v));
          else app.appendBoolean(Boolean(v));
        });
        app.endRow();
      }
      app.closeSync();
      await con.run(`COPY ${table} TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
    } finally {
      await con.run(`DROP TABLE IF EXISTS ${table}`);
    }
  });
  renameSync(tmp, file);
}

/** Merges each kind of report into stats/<kind>.parquet, in shard order. */
export async function mergeReports(statsDir: string): Promise<string[]> {
  const root = join(statsDir, 'reports');
  if (!existsSync(root)) return [];
  const merged: string[] = [];
  for (const kind of readdirSync(root).sort()) {
    const files = readdirSync(join(root, kind))
      .filter((f) => f.endsWith('.parquet') && !f.startsWith('.'))
      .sort()
      .map((f) => join(root, kind, f));
    if (files.length === 0) continue;
    const out = join(statsDir, `${kind}.parquet`);
    const tmp = join(statsDir, temporaryName(`${kind}.parquet`));
    await withConnection((con) =>
      con.run(`COPY (SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true)) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`),
    );
    renameSync(tmp, out);
    merged.push(kind);
  }
  return merged;
}
