/**
 * DuckDB access: one in-process database per thread for writing Parquet, and SQL helpers.
 */
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

let shared: Promise<DuckDBInstance> | null = null;
let users = 0;

/** This thread's DuckDB instance (in memory, single-threaded: the workers are the parallelism). */
export function threadDatabase(): Promise<DuckDBInstance> {
  shared ??= DuckDBInstance.create(':memory:', { threads: '1', preserve_insertion_order: 'true' });
  return shared;
}

/**
 * Runs `fn` on a connection to this thread's database. The database is closed when no connection
 * is left: DuckDB keeps the memory of the tables it wrote otherwise, and a long run would grow by
 * it shard after shard. Opening one costs ~20 ms, paid about once per shard.
 */
export async function withConnection<T>(fn: (con: DuckDBConnection) => Promise<T>): Promise<T> {
  users++;
  try {
    const db = await threadDatabase();
    const con = await db.connect();
    try {
      return await fn(con);
    } finally {
      con.closeSync();
    }
  } finally {
    users--;
    if (users === 0 && shared !== null) {
      const idle = shared;
      shared = null;
      (await idle).closeSync();
    }
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
