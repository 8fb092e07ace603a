import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { compress } from 'zstd-napi';
import type { DocumentSpec } from '../../src/config/schema.js';
import { readShard, type ReadError } from '../../src/io/read-shard.js';
import { recordReader } from '../../src/io/record.js';
import { discoverShards, type ShardInfo } from '../../src/io/shards.js';
import { withConnection, sqlString } from '../../src/stats/duckdb.js';
import { jsonl, removeTempDirs, sampleDocs, tempDir, writeCompressed } from '../helpers/fixtures.js';

afterAll(removeTempDirs);

const plainDoc: DocumentSpec = { idField: 'id', textFields: ['text'], messageFields: [], roles: null };

async function readAll(path: string, doc: DocumentSpec = plainDoc, maxLineBytes = 1 << 20) {
  const [shard] = await discoverShards([path]);
  const docs: { id: string; text: string; line: number; raw: string | null }[] = [];
  const errors: ReadError[] = [];
  let bytes = 0;
  for await (const b of readShard(shard!, { records: recordReader(doc), maxLineBytes })) {
    for (const d of b.docs) docs.push({ id: d.id, text: d.text, line: d.lineNo, raw: d.rawLine });
    errors.push(...b.errors);
    bytes += b.bytesIn;
  }
  return { docs, errors, bytes, shard: shard as ShardInfo };
}

describe('readShard', () => {
  const records = sampleDocs(500);
  const body = jsonl(records);

  for (const name of ['a.jsonl', 'a.jsonl.gz', 'a.jsonl.zst', 'a.json.gz', 'a.json.zst']) {
    it(`reads every document of ${name}, with line numbers and the original line`, async () => {
      const dir = tempDir();
      const path = join(dir, name);
      writeCompressed(path, body);
      const r = await readAll(path);
      expect(r.errors).toEqual([]);
      expect(r.docs.map((d) => d.id)).toEqual(records.map((x) => x.id));
      expect(r.docs[7]!.text).toBe(records[7]!.text);
      expect(r.docs[7]!.line).toBe(8);
      expect(r.docs[7]!.raw).toBe(JSON.stringify(records[7]));
      expect(r.bytes).toBe(r.shard.bytes);
    });
  }

  it('reads Parquet shards', async () => {
    const dir = tempDir();
    const src = join(dir, 'src.jsonl');
    writeFileSync(src, body);
    const path = join(dir, 'a.parquet');
    await withConnection((con) => con.run(`COPY (SELECT * FROM read_json(${sqlString(src)})) TO ${sqlString(path)} (FORMAT parquet)`));
    const r = await readAll(path);
    expect(r.errors).toEqual([]);
    expect(r.docs.map((d) => d.id)).toEqual(records.map((x) => x.id));
    expect(r.docs[3]!.text).toBe(records[3]!.text);
  });

  it('reports each bad line with its number and keeps every intact document', async () => {
    const dir = tempDir();
    const path = join(dir, 'bad.jsonl.gz');
    const lines = [
      JSON.stringify({ id: 'a', text: 'first' }),
      '{"id": "b", "text": "broken',
      JSON.stringify({ id: 'c', text: 42 }),
      JSON.stringify({ id: 'd' }),
      '[1, 2]',
      '',
      JSON.stringify({ id: 'e', text: 'last' }),
    ];
    const bytes = Buffer.concat([Buffer.from(lines.join('\n') + '\n'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a])]);
    writeFileSync(path, gzipSync(bytes));
    const r = await readAll(path);
    expect(r.docs.map((d) => d.id)).toEqual(['a', 'e']);
    expect(r.errors.map((e) => [e.line, e.kind])).toEqual([
      [2, 'invalid_json'],
      [3, 'missing_text'],
      [4, 'missing_text'],
      [5, 'not_an_object'],
      [8, 'invalid_utf8'],
    ]);
    expect(r.errors[1]!.message).toMatch(/text is a number/);
    expect(r.errors.every((e) => e.shard === 'bad.jsonl.gz')).toBe(true);
  });

  for (const name of ['t.jsonl.gz', 't.jsonl.zst']) {
    it(`reports a truncated ${name} and keeps the documents before the damage`, async () => {
      const dir = tempDir();
      const path = join(dir, name);
      const many = sampleDocs(20000);
      const raw = Buffer.from(jsonl(many));
      const packed = name.endsWith('.gz') ? gzipSync(raw) : compress(raw);
      writeFileSync(path, packed.subarray(0, Math.floor(packed.length * 0.6)));
      const r = await readAll(path);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]!.kind).toBe('damaged_input');
      expect(r.errors[0]!.line).toBe(r.docs.length + 1);
      expect(r.docs.length).toBeGreaterThan(many.length * 0.4);
      expect(r.docs.map((d) => d.id)).toEqual(many.slice(0, r.docs.length).map((d) => d.id));
    });
  }

  it('turns a line over max_line_bytes into an error and goes on', async () => {
    const dir = tempDir();
    const path = join(dir, 'long.jsonl.zst');
    const long = JSON.stringify({ id: 'long', text: 'x'.repeat(3 << 20) });
    writeCompressed(path, [JSON.stringify({ id: 'a', text: 'one' }), long, JSON.stringify({ id: 'b', text: 'two' })].join('\n') + '\n');
    const r = await readAll(path, plainDoc, 1 << 20);
    expect(r.docs.map((d) => d.id)).toEqual(['a', 'b']);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 2, kind: 'line_too_long' });
  });

  it('accepts CRLF line ends, a byte-order mark and a last line without newline', async () => {
    const dir = tempDir();
    const path = join(dir, 'crlf.jsonl');
    writeFileSync(path, '\ufeff' + JSON.stringify({ id: 'a', text: 'x\u2028y' }) + '\r\n' + JSON.stringify({ id: 'b', text: 'z' }));
    const r = await readAll(path);
    expect(r.errors).toEqual([]);
    expect(r.docs.map((d) => [d.id, d.text])).toEqual([
      ['a', 'x\u2028y'],
      ['b', 'z'],
    ]);
  });

  it('reads a dotted text field, chat messages with a role filter, and falls back to shard:line ids', async () => {
    const dir = tempDir();
    const path = join(dir, 'chat.jsonl');
    writeFileSync(
      path,
      jsonl([
        { conv: { body: 'nested text' } },
        {
          id: 7,
          messages: [
            { role: 'system', content: 'be brief' },
            { role: 'user', content: 'What is 2+2?' },
            { role: 'assistant', content: [{ type: 'text', text: 'Four.' }] },
          ],
        },
      ]),
    );
    const nested = await readAll(path, { ...plainDoc, textFields: ['conv.body'] });
    expect(nested.docs.map((d) => [d.id, d.text])).toEqual([['chat.jsonl:1', 'nested text']]);
    expect(nested.errors.map((e) => e.kind)).toEqual(['missing_text']);
    const chat = await readAll(path, { ...plainDoc, textFields: [], messageFields: ['messages'], roles: ['user', 'assistant'] });
    expect(chat.docs.map((d) => [d.id, d.text])).toEqual([['7', 'What is 2+2?\n\nFour.']]);
  });

  it('keeps memory bounded on a large shard', async () => {
    const dir = tempDir();
    const path = join(dir, 'big.jsonl.zst');
    const line = JSON.stringify({ id: 'x', text: 'lorem ipsum dolor sit amet '.repeat(40) }) + '\n';
    const block = Buffer.from(line.repeat(20000));
    // 20 frames of ~22 MB each: ~440 MB of JSONL.
    writeFileSync(path, Buffer.concat(Array.from({ length: 20 }, () => compress(block))));
    const [shard] = await discoverShards([path]);
    const before = process.memoryUsage().rss;
    let peak = before;
    let n = 0;
    for await (const b of readShard(shard!, { records: recordReader(plainDoc), maxLineBytes: 1 << 20 })) {
      n += b.docs.length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(n).toBe(400000);
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
  });
});
