/**
 * DuckDB access: one in-process database per thread for writing Parquet, and SQL helpers.
 */
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

let shared: Promise<DuckDBInstance> | null = null;

/** This thread's DuckDB instance (in memory, single-threaded: the workers are the parallelism). */
export function threadDatabase(): Promise<DuckDBInstance> {
  shared ??= DuckDBInstance.create(':memory:', { threads: '1', preserve_insertion_order: 'true' });
  return shared;
}

export async function withConnection<T>(fn: (con: DuckDBConnection) => Promise<T>): Promise<T> {
  const db = await threadDatabase();
  const con = await db.connect();
  try {
    return await fn(con);
  } finally {
    con.closeSync();
  }
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** A SQL identifier. */
export function sqlIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}
