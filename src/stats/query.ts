/**
 * SQL over a run's stats: a DuckDB connection with views `stages`, `docs` and `errors` over the run's
 * Parquet files (and `decon`, `dedup_clusters`, `mix` where those steps ran).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { RunDir } from '../exec/run-dir.js';
import { sqlString } from './duckdb.js';

export interface RunDatabase {
  con: DuckDBConnection;
  views: string[];
  close(): void;
}

const EMPTY_DOCS = 'SELECT NULL::VARCHAR AS id, NULL::VARCHAR AS shard, NULL::VARCHAR AS stage, NULL::BOOLEAN AS keep, NULL::VARCHAR AS reason WHERE false';
const EMPTY_ERRORS = 'SELECT NULL::VARCHAR AS shard, NULL::BIGINT AS line, NULL::VARCHAR AS kind, NULL::VARCHAR AS message WHERE false';

export async function openRunDatabase(runDir: string): Promise<RunDatabase> {
  const run = new RunDir(runDir);
  if (!existsSync(run.root)) throw new Error(`no run directory ${runDir}`);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const views: string[] = [];
  const stagesFile = join(run.stats, 'stages.parquet');
  if (existsSync(stagesFile)) {
    await con.run(`CREATE VIEW stages AS SELECT * FROM read_parquet(${sqlString(stagesFile)})`);
    views.push('stages');
  }
  await con.run(`CREATE VIEW docs AS ${parquetSelect(run.statsDocs) ?? EMPTY_DOCS}`);
  await con.run(`CREATE VIEW errors AS ${parquetSelect(run.statsErrors) ?? EMPTY_ERRORS}`);
  views.push('docs', 'errors');
  for (const name of ['decon', 'dedup_clusters', 'mix']) {
    const file = join(run.stats, `${name}.parquet`);
    if (existsSync(file)) {
      await con.run(`CREATE VIEW ${name} AS SELECT * FROM read_parquet(${sqlString(file)})`);
      views.push(name);
    }
  }
  return {
    con,
    views,
    close() {
      con.closeSync();
      db.closeSync();
    },
  };
}

function parquetSelect(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith('.parquet') && !f.startsWith('.'));
  if (files.length === 0) return null;
  return `SELECT * FROM read_parquet(${sqlString(join(dir, '*.parquet'))}, union_by_name = true)`;
}
