/**
 * Whole-file reads for small inputs (benchmark files, word lists, fixtures): decompresses by file
 * name (.gz, .zst) and splits JSONL on "\n" only. Streams of documents use `readShard` instead.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Decompressor } from 'zstd-napi';

/** zstd frames written with --long need a larger window than the library allows by default. */
export const ZSTD_WINDOW_LOG_MAX = 31;

export function readFileDecompressed(path: string): Buffer {
  const buf = readFileSync(path);
  if (path.endsWith('.gz')) return gunzipSync(buf);
  if (path.endsWith('.zst')) {
    const d = new Decompressor();
    d.setParameters({ windowLogMax: ZSTD_WINDOW_LOG_MAX });
    return d.decompress(buf);
  }
  return buf;
}

export function readTextFile(path: string): string {
  return readFileDecompressed(path).toString('utf8');
}

/** Parses every non-blank line of a (possibly compressed) JSONL file; errors name file and line. */
export function readJsonlFile<T = unknown>(path: string): T[] {
  const text = readTextFile(path);
  const out: T[] = [];
  let start = 0;
  let lineNo = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch (e) {
      throw new Error(`${path}:${lineNo}: invalid JSON: ${(e as Error).message}`);
    }
  }
  return out;
}
