/**
 * Parquet shards, read through DuckDB in row groups: each row becomes a JSON record (DuckDB's own
 * conversion: timestamps as strings, structs as objects), then a Doc like any JSONL line.
 * Line numbers are 1-based row numbers.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { ReadBatch, ReadOptions } from './read-shard.js';
import type { ShardInfo } from './shards.js';

export async function* readParquetShard(shard: ShardInfo, opts: ReadOptions): AsyncGenerator<ReadBatch> {
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await db.connect();
  let row = 0;
  try {
    let result;
    try {
      result = await con.stream('SELECT to_json(t)::VARCHAR AS j FROM read_parquet($path) t', { path: shard.path });
    } catch (e) {
      yield { docs: [], errors: [{ shard: shard.label, line: 1, kind: 'damaged_input', message: `cannot read Parquet: ${(e as Error).message}` }], bytesIn: 0 };
      return;
    }
    for (;;) {
      let chunk;
      try {
        chunk = await result.fetchChunk();
      } catch (e) {
        yield { docs: [], errors: [{ shard: shard.label, line: row + 1, kind: 'damaged_input', message: `cannot read Parquet: ${(e as Error).message}` }], bytesIn: 0 };
        return;
      }
      if (!chunk || chunk.rowCount === 0) break;
      const batch: ReadBatch = { docs: [], errors: [], bytesIn: 0 };
      for (const value of chunk.getColumnVector(0).toArray()) {
        row++;
        const line = String(value);
        const doc = opts.records.toDoc(JSON.parse(line), line, shard.label, row);
        if ('kind' in doc) batch.errors.push({ shard: shard.label, line: row, kind: doc.kind, message: doc.message });
        else batch.docs.push(doc);
      }
      yield batch;
    }
    yield { docs: [], errors: [], bytesIn: shard.bytes };
  } finally {
    con.closeSync();
    db.closeSync();
  }
}
