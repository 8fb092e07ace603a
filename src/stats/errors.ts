/**
 * Unreadable input, one row per problem (shard, line, kind, message), as Parquet.
 */
import { mkdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ReadError } from '../io/read-shard.js';
import { temporaryName } from '../io/shard-writer.js';
import { sqlString, withConnection } from './duckdb.js';

const MAX_MESSAGE = 500;

export async function writeErrorsParquet(file: string, errors: readonly ReadError[]): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), temporaryName(basename(file)));
  const table = `errors_${process.pid}_${Math.random().toString(36).slice(2)}`;
  await withConnection(async (con) => {
    await con.run(`CREATE TEMP TABLE ${table} (shard VARCHAR, line BIGINT, kind VARCHAR, message VARCHAR)`);
    try {
      const app = await con.createAppender(table);
      for (const e of errors) {
        app.appendVarchar(e.shard);
        app.appendBigInt(BigInt(e.line));
        app.appendVarchar(e.kind);
        app.appendVarchar(e.message.length > MAX_MESSAGE ? `${e.message.slice(0, MAX_MESSAGE)}...` : e.message);
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
