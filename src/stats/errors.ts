/**
 * Unreadable input, one row per problem (shard, line, kind, message), as Parquet.
 */
import type { ReadError } from '../io/read-shard.js';
import { writeReport } from './reports.js';

const MAX_MESSAGE = 500;

export async function writeErrorsParquet(file: string, errors: readonly ReadError[]): Promise<void> {
  await writeReport(
    file,
    [
      ['shard', 'VARCHAR'],
      ['line', 'BIGINT'],
      ['kind', 'VARCHAR'],
      ['message', 'VARCHAR'],
    ],
    errors.map((e) => [e.shard, e.line, e.kind, e.message.length > MAX_MESSAGE ? `${e.message.slice(0, MAX_MESSAGE)}...` : e.message]),
  );
}
