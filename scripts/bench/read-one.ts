/**
 * Reads one shard (decompress, split, parse, build documents) and prints `docs bytes seconds` as
 * JSON: one process per worker in the read-only benchmark.
 */
import { readShard } from '../../src/io/read-shard.js';
import { recordReader } from '../../src/io/record.js';
import { discoverShards } from '../../src/io/shards.js';

const [shard] = await discoverShards([process.argv[2]!]);
const records = recordReader({ idField: 'id', textFields: ['text'], messageFields: [], roles: null });
const t0 = performance.now();
let docs = 0;
let bytes = 0;
for await (const b of readShard(shard!, { records, maxLineBytes: 64 << 20 })) {
  docs += b.docs.length;
  for (const d of b.docs) bytes += d.rawLine!.length + 1;
}
process.stdout.write(JSON.stringify({ docs, bytes, seconds: (performance.now() - t0) / 1000 }) + '\n');
