/**
 * Streaming shard reader: bytes -> decompression -> lines -> records -> Docs, in batches, with
 * bounded memory whatever the shard size. Every line that does not become a Doc is reported as a
 * ReadError naming the file and line; nothing is dropped silently.
 */
import { isUtf8 } from 'node:buffer';
import type { Doc } from '../core/document.js';
import { decodeFile } from './decode.js';
import { LineSplitter } from './lines.js';
import { readParquetShard } from './read-parquet.js';
import type { RecordReader } from './record.js';
import type { ShardInfo } from './shards.js';

export type ReadErrorKind =
  | 'invalid_json'
  | 'invalid_utf8'
  | 'not_an_object'
  | 'missing_text'
  | 'line_too_long'
  | 'damaged_input'
  | 'io_error';

export interface ReadError {
  shard: string;
  /** 1-based line number (for damaged input: the first line that could not be read). */
  line: number;
  kind: ReadErrorKind;
  message: string;
}

export interface ReadBatch {
  docs: Doc[];
  errors: ReadError[];
  /** Compressed input bytes consumed since the previous batch. */
  bytesIn: number;
}

export interface ReadOptions {
  records: RecordReader;
  maxLineBytes: number;
}

export async function* readShard(shard: ShardInfo, opts: ReadOptions): AsyncGenerator<ReadBatch> {
  if (shard.format === 'parquet') {
    yield* readParquetShard(shard, opts);
    return;
  }
  const label = shard.label;
  const lines = new LineSplitter(opts.maxLineBytes);
  const chunks = decodeFile(shard.path, shard.compression);
  for (;;) {
    const next = await chunks.next();
    if (next.done) {
      const batch: ReadBatch = { docs: [], errors: [], bytesIn: 0 };
      const failure = next.value;
      if (failure) {
        // The partial line at the damage cannot be trusted; report it with the failure.
        batch.errors.push({ shard: label, line: lines.pendingLine() ?? lines.linesSeen + 1, kind: failure.kind, message: failure.message });
      } else {
        lines.finish((buf, start, end, lineNo) => parseLine(buf, start, end, lineNo, label, opts, batch));
      }
      if (batch.docs.length > 0 || batch.errors.length > 0) yield batch;
      return;
    }
    const batch: ReadBatch = { docs: [], errors: [], bytesIn: next.value.bytesIn };
    lines.push(
      next.value.data,
      (buf, start, end, lineNo) => parseLine(buf, start, end, lineNo, label, opts, batch),
      (lineNo, size) =>
        batch.errors.push({ shard: label, line: lineNo, kind: 'line_too_long', message: `line is longer than max_line_bytes (${opts.maxLineBytes}; at least ${size} bytes)` }),
    );
    yield batch;
  }
}

function parseLine(buf: Buffer, start: number, end: number, lineNo: number, shard: string, opts: ReadOptions, batch: ReadBatch): void {
  // Tolerate CRLF files and a byte-order mark at the start of the file.
  if (end > start && buf[end - 1] === 0x0d) end--;
  if (lineNo === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
  if (isBlank(buf, start, end)) return;
  const bytes = buf.subarray(start, end);
  if (!isUtf8(bytes)) {
    batch.errors.push({ shard, line: lineNo, kind: 'invalid_utf8', message: 'line is not valid UTF-8' });
    return;
  }
  const text = bytes.toString('utf8');
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (e) {
    batch.errors.push({ shard, line: lineNo, kind: 'invalid_json', message: `invalid JSON: ${(e as Error).message}` });
    return;
  }
  const doc = opts.records.toDoc(record, text, shard, lineNo);
  if ('kind' in doc) batch.errors.push({ shard, line: lineNo, kind: doc.kind, message: doc.message });
  else batch.docs.push(doc);
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}
