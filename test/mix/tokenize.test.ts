import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decode as decodeCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { decode as decodeGpt2 } from 'gpt-tokenizer/encoding/r50k_base';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonl, removeTempDirs, sift, tempDir, writeCompressed } from '../helpers/fixtures.js';

afterAll(removeTempDirs);

const texts = [
  'The river runs through the old city. It has done so for a thousand years.',
  '',
  'Special strings like <|endoftext|> inside a document are text, not control tokens.',
  'Unicode: naïve café, 東京, emoji 😀, and math 𝔸.',
  ...Array.from({ length: 40 }, (_, i) => `Document number ${i} repeats a sentence ${i % 5} times. `.repeat(1 + (i % 5))),
];

function readPart(dir: string, name: string, wide: boolean): { ids: number[]; rows: string[][] } {
  const buf = readFileSync(join(dir, `${name}.npy`));
  const arr = wide ? new Uint32Array(buf.buffer, buf.byteOffset, buf.length / 4) : new Uint16Array(buf.buffer, buf.byteOffset, buf.length / 2);
  const rows = gunzipSync(readFileSync(join(dir, `${name}.csv.gz`))).toString('utf8').trim().split('\n').map((l) => l.split(','));
  return { ids: [...arr], rows };
}

describe('sift tokenize', () => {
  for (const [tokenizer, wide, eot, decode] of [
    ['gpt2', false, 50256, decodeGpt2],
    ['cl100k_base', true, 100257, decodeCl100k],
  ] as const) {
    it(`writes ${tokenizer} ids as ${wide ? 'uint32' : 'uint16'} memmaps with Dolma metadata, each document ended by ${eot}`, () => {
      const dir = tempDir();
      writeCompressed(join(dir, 'docs.jsonl.zst'), jsonl(texts.map((text, i) => ({ id: `d${i}`, text }))));
      const r = sift(['tokenize', 'docs.jsonl.zst', '-o', 'tok', '--tokenizer', tokenizer, '--max-tokens-per-file', '300', '-q'], dir);
      expect(r.status, r.stderr).toBe(0);
      const out = join(dir, 'tok');
      const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as { dtype: string; end_of_text: number; documents: number; files: string[] };
      expect(meta).toMatchObject({ dtype: wide ? 'uint32' : 'uint16', end_of_text: eot, documents: texts.length });
      expect(meta.files.length).toBeGreaterThan(1);
      expect(readdirSync(out).filter((f) => f.endsWith('.npy')).sort()).toEqual(meta.files);
      let doc = 0;
      for (const file of meta.files) {
        const { ids, rows } = readPart(out, file.replace(/\.npy$/, ''), wide);
        expect(ids.length).toBeLessThanOrEqual(300);
        let expectedStart = 0;
        for (const [start, end, id, src, loc] of rows) {
          expect(Number(start)).toBe(expectedStart);
          expect(id).toBe(`d${doc}`);
          expect(src).toMatch(/docs\.jsonl\.zst$/);
          expect(Number(loc)).toBe(doc + 1);
          const tokens = ids.slice(Number(start), Number(end));
          expect(tokens[tokens.length - 1]).toBe(eot);
          expect(decode(tokens.slice(0, -1))).toBe(texts[doc]);
          expectedStart = Number(end);
          doc++;
        }
        expect(expectedStart).toBe(ids.length);
      }
      expect(doc).toBe(texts.length);
    });
  }

  it('refuses a tokenizer without token ids', () => {
    const r = sift(['tokenize', 'x.jsonl', '-o', 'out', '--tokenizer', 'whitespace'], tempDir());
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--tokenizer must be one of/);
  });
});
