import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFile } from '../../src/io/decode.js';
import { ShardWriter, writeFileAtomic } from '../../src/io/shard-writer.js';
import { removeTempDirs, tempDir } from '../helpers/fixtures.js';

afterAll(removeTempDirs);

const lines = Array.from({ length: 2500 }, (_, i) => JSON.stringify({ id: `d${i}`, text: `document number ${i} `.repeat(20) }));

function writeAll(dir: string, opts: Partial<ConstructorParameters<typeof ShardWriter>[2]> = {}): ReturnType<ShardWriter['close']> {
  const w = new ShardWriter(dir, 'part-00007', { compression: 'zstd', level: 3, maxDocs: 1000, maxBytes: null, ...opts });
  for (const l of lines) w.write(l);
  return w.close();
}

describe('ShardWriter', () => {
  it('rotates by document count, with deterministic names, readable by the zstd tool', () => {
    const dir = tempDir();
    const written = writeAll(dir);
    expect(written.map((w) => [w.file, w.docs])).toEqual([
      ['part-00007-0000.jsonl.zst', 1000],
      ['part-00007-0001.jsonl.zst', 1000],
      ['part-00007-0002.jsonl.zst', 500],
    ]);
    expect(readdirSync(dir).sort()).toEqual(written.map((w) => w.file));
    const text = written.map((w) => execFileSync('zstd', ['-dc', join(dir, w.file)]).toString()).join('');
    expect(text).toBe(lines.join('\n') + '\n');
  });

  it('rotates by uncompressed size and writes gzip and plain JSONL', () => {
    const dir = tempDir();
    const gz = writeAll(dir, { compression: 'gzip', level: 6, maxDocs: 1e9, maxBytes: 200_000 });
    expect(gz.length).toBeGreaterThan(5);
    expect(gz.every((w) => w.bytes >= 200_000 || w === gz[gz.length - 1])).toBe(true);
    expect(gz.map((w) => gunzipSync(readFileSync(join(dir, w.file))).toString()).join('')).toBe(lines.join('\n') + '\n');
    const plain = tempDir();
    const p = writeAll(plain, { compression: 'none', maxDocs: 1e9 });
    expect(readFileSync(join(plain, p[0]!.file), 'utf8')).toBe(lines.join('\n') + '\n');
  });

  it('writes identical bytes for identical lines', () => {
    const a = tempDir();
    const b = tempDir();
    writeAll(a);
    writeAll(b);
    for (const f of readdirSync(a)) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f)))).toBe(true);
  });

  it('keeps an unfinished shard under a hidden temporary name', () => {
    const dir = tempDir();
    const w = new ShardWriter(dir, 'part-00001', { compression: 'zstd', level: 3, maxDocs: 10, maxBytes: null });
    for (let i = 0; i < 15; i++) w.write(lines[i]!);
    w.abort();
    expect(readdirSync(dir).sort()).toEqual(['.part-00001-0001.jsonl.zst.tmp', 'part-00001-0000.jsonl.zst']);
  });

  it('writes checksummed zstd frames, so a flipped bit is detected when reading', async () => {
    const dir = tempDir();
    const [w] = writeAll(dir, { maxDocs: 1e9 });
    const path = join(dir, w!.file);
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x10;
    writeFileSync(path, bytes);
    const gen = decodeFile(path, 'zstd');
    let r = await gen.next();
    while (!r.done) r = await gen.next();
    expect(r.value).toMatchObject({ kind: 'damaged_input' });
  });
});

describe('writeFileAtomic', () => {
  it('writes the whole file under its final name, and a failed write names the file', () => {
    const dir = tempDir();
    writeFileAtomic(join(dir, 'a.json'), '{"x":1}\n');
    expect(readdirSync(dir)).toEqual(['a.json']);
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('{"x":1}\n');
    expect(() => writeFileAtomic(join(dir, 'missing', 'b.json'), 'x')).toThrow(/^cannot write .*missing\/\.b\.json\.tmp: .*ENOENT.*--resume/);
  });
});
