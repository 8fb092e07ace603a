/**
 * Damaged input, many times over: 1,200 shards, each broken in one way (truncated or bit-flipped
 * gzip and zstd, invalid UTF-8, broken JSON, missing or non-string text, NUL bytes, empty files, a
 * byte-order mark, CRLF), plus one 64 MB line. Every shard must be read without a crash, every
 * problem reported with file and line, every intact document before the damage processed, and a run
 * over all of them must account for every record.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compress } from 'zstd-napi';
import { parseConfig } from '../../src/config/load.js';
import { runLocal } from '../../src/exec/local.js';
import { readShard, type ReadError } from '../../src/io/read-shard.js';
import { recordReader } from '../../src/io/record.js';
import { discoverShards, type ShardInfo } from '../../src/io/shards.js';
import { removeTempDirs, tempDir } from '../helpers/fixtures.js';

afterAll(removeTempDirs);

let seed = 20241129;
const rnd = (n: number): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed % n;
};

const records = (shard: number, n: number): string[] =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ id: `f${shard}-${i}`, text: `document ${i} of shard ${shard}: ${'lorem ipsum '.repeat(5 + rnd(60))}` }));

type Expect =
  /** Line-level damage: exactly these documents, and errors at exactly these lines. */
  | { kind: 'lines'; ids: string[]; errorLines: number[] }
  /** Compressed-stream damage: at least the documents a reference decoder gets out intact. */
  | { kind: 'prefix'; ids: string[]; intact: number };

interface Case {
  file: string;
  expect: Expect;
}

const docSpec = { idField: 'id', textFields: ['text'], messageFields: [], roles: null };

/** How many leading documents a reference decoder recovers from a damaged compressed file. */
function referenceIntact(path: string, bytes: Buffer, lines: string[]): number {
  let out: Buffer;
  if (path.endsWith('.gz')) {
    try {
      out = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      out = Buffer.alloc(0);
    }
  } else {
    try {
      out = execFileSync('zstd', ['-dcq', path], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
    } catch (e) {
      out = (e as { stdout?: Buffer }).stdout ?? Buffer.alloc(0);
    }
  }
  const got = out.toString('utf8').split('\n');
  got.pop(); // the last piece has no newline: not a complete line
  let n = 0;
  while (n < got.length && n < lines.length && got[n] === lines[n]) n++;
  return n;
}

function makeCases(dir: string): Case[] {
  const cases: Case[] = [];
  for (let i = 0; i < 1200; i++) {
    const lines = records(i, 10 + rnd(40));
    const ids = lines.map((l) => (JSON.parse(l) as { id: string }).id);
    const kind = i % 12;
    if (kind < 4) {
      // Compressed-stream damage: truncation or a flipped bit, gzip or zstd.
      const gz = kind % 2 === 0;
      const file = join(dir, `c${i}.jsonl.${gz ? 'gz' : 'zst'}`);
      const packed = Buffer.from(gz ? gzipSync(lines.join('\n') + '\n') : compress(Buffer.from(lines.join('\n') + '\n')));
      const at = rnd(packed.length);
      const damaged = kind < 2 ? packed.subarray(0, at) : (packed[at]! ^= 1 << rnd(8), packed);
      writeFileSync(file, damaged);
      cases.push({ file, expect: { kind: 'prefix', ids, intact: referenceIntact(file, damaged, lines) } });
      continue;
    }
    // Line-level damage in a plain, gzip or zstd shard.
    const suffix = ['.jsonl', '.jsonl.gz', '.jsonl.zst'][i % 3]!;
    const file = join(dir, `l${i}${suffix}`);
    const bad = new Set<number>();
    const parts: Buffer[] = lines.map((l) => Buffer.from(l));
    const victim = rnd(lines.length);
    switch (kind) {
      case 4: // invalid UTF-8 inside a string
        parts[victim] = Buffer.concat([Buffer.from(lines[victim]!.slice(0, 20)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(lines[victim]!.slice(20))]);
        bad.add(victim);
        break;
      case 5: // broken JSON: cut the line short
        parts[victim] = Buffer.from(lines[victim]!.slice(0, 15 + rnd(20)));
        bad.add(victim);
        break;
      case 6: // text missing, or not a string
        parts[victim] = Buffer.from(JSON.stringify([{ id: 'x' }, { id: 'x', text: 7 }, { id: 'x', text: null }, { id: 'x', text: { a: 1 } }][rnd(4)]));
        bad.add(victim);
        break;
      case 7: // a raw NUL byte inside a string is not valid JSON
        parts[victim] = Buffer.from(lines[victim]!.replace('document', 'docu\u0000ment'));
        bad.add(victim);
        break;
      case 8: // a byte-order mark at the start
        parts[0] = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), parts[0]!]);
        break;
      case 9: // CRLF line ends
        for (let k = 0; k < parts.length; k++) parts[k] = Buffer.concat([parts[k]!, Buffer.from('\r')]);
        break;
      case 10: // several kinds at once, and blank lines
        parts[victim] = Buffer.from('{not json');
        bad.add(victim);
        parts.splice(rnd(parts.length), 0, Buffer.from('   '));
        break;
      default: // an empty file
        parts.length = 0;
    }
    // Ids and error lines after the edits (a blank line shifts numbering, and is neither).
    const expectIds: string[] = [];
    const errorLines: number[] = [];
    let original = 0;
    parts.forEach((p, k) => {
      if (p.toString().trim() === '') return;
      if (bad.has(original)) errorLines.push(k + 1);
      else expectIds.push(ids[original]!);
      original++;
    });
    const raw = parts.length > 0 ? Buffer.concat(parts.flatMap((p) => [p, Buffer.from('\n')])) : Buffer.alloc(0);
    writeFileSync(file, suffix.endsWith('.gz') ? gzipSync(raw) : suffix.endsWith('.zst') ? compress(raw) : raw);
    cases.push({ file, expect: { kind: 'lines', ids: expectIds, errorLines } });
  }
  return cases;
}

async function readAll(shard: ShardInfo): Promise<{ ids: string[]; errors: ReadError[] }> {
  const ids: string[] = [];
  const errors: ReadError[] = [];
  for await (const b of readShard(shard, { records: recordReader(docSpec), maxLineBytes: 64 << 20 })) {
    for (const d of b.docs) ids.push(d.id);
    errors.push(...b.errors);
  }
  return { ids, errors };
}

describe('damaged input', () => {
  let dir = '';
  let cases: Case[] = [];
  beforeAll(() => {
    dir = tempDir();
    cases = makeCases(dir);
  }, 120_000);

  it('reads 1,200 damaged shards without a crash, reporting each problem with file and line', async () => {
    const shards = await discoverShards([join(dir, '*')]);
    const byPath = new Map(shards.map((s) => [s.path, s]));
    expect(cases.length).toBeGreaterThanOrEqual(1000);
    let compressedDamageReported = 0;
    for (const c of cases) {
      const shard = byPath.get(c.file)!;
      const { ids, errors } = await readAll(shard);
      for (const e of errors) {
        expect(e.shard).toBe(shard.label);
        expect(e.line).toBeGreaterThanOrEqual(1);
      }
      if (c.expect.kind === 'lines') {
        expect(ids, c.file).toEqual(c.expect.ids);
        expect(errors.map((e) => e.line), c.file).toEqual(c.expect.errorLines);
      } else {
        // Every document the reference decoder recovers intact is read, in order, before any error.
        expect(ids.slice(0, c.expect.intact), c.file).toEqual(c.expect.ids.slice(0, c.expect.intact));
        if (errors.some((e) => e.kind === 'damaged_input')) compressedDamageReported++;
      }
    }
    // The reference decoders did recover documents (the prefix checks are not vacuous).
    const intact = cases.reduce((n, c) => n + (c.expect.kind === 'prefix' ? c.expect.intact : 0), 0);
    expect(intact).toBeGreaterThan(500);
    // Truncations always, and most bit flips, are detected.
    expect(compressedDamageReported).toBeGreaterThan(cases.filter((c) => c.expect.kind === 'prefix').length * 0.6);
  }, 300_000);

  it('turns a 64 MB line into an error naming the line, and reads the lines around it', async () => {
    const file = join(tempDir(), 'huge.jsonl.zst');
    const big = JSON.stringify({ id: 'big', text: 'x'.repeat(64 * 1024 * 1024) });
    writeFileSync(file, compress(Buffer.from(`{"id":"a","text":"before"}\n${big}\n{"id":"b","text":"after"}\n`)));
    const [shard] = await discoverShards([file]);
    const { ids, errors } = await readAll(shard!);
    expect(ids).toEqual(['a', 'b']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 2, kind: 'line_too_long' });
  }, 60_000);

  it('a run over all of them accounts for every record', async () => {
    const config = join(dir, 'pipe.yaml');
    writeFileSync(config, 'inputs: ["*.json*"]\nrun_dir: run\nstages:\n  - type: length\n    min_words: 12\nstats:\n  docs: false\n');
    const out = await runLocal(parseConfig('inputs: ["*.json*"]\nrun_dir: run\nstages:\n  - type: length\n    min_words: 12\nstats:\n  docs: false\n', config), { workers: 2 });
    const t = out.manifest.totals!;
    expect(t.conserved).toBe(true);
    expect(t.read).toBe(t.kept + t.dropped + t.unreadable);
    expect(t.unreadable).toBeGreaterThan(500);
    expect(t.kept).toBeGreaterThan(10_000);
  }, 300_000);
});
