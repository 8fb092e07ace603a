import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DamagedFileError, readAllRecords, RecordReader, RecordWriter } from '../../src/dedup/record-file.js';
import { mergeRuns, sortRecords } from '../../src/dedup/sort.js';
import { SpillingSorter } from '../../src/dedup/spill.js';
import { removeTempDirs, tempDir } from '../helpers/fixtures.js';

afterAll(removeTempDirs);

function random(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed;
  };
}

/** Records of 3 words: two key words drawn from a small range (many ties) and a sequence number. */
function records(n: number, seed: number): Uint32Array {
  const r = random(seed);
  const out = new Uint32Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[i * 3] = r() % 7;
    out[i * 3 + 1] = r() % 3 === 0 ? 0xffffffff : r() % 100000;
    out[i * 3 + 2] = i;
  }
  return out;
}

function rows(a: Uint32Array): number[][] {
  return Array.from({ length: a.length / 3 }, (_, i) => [a[i * 3]!, a[i * 3 + 1]!, a[i * 3 + 2]!]);
}

const byKeyThenSeq = (x: number[], y: number[]): number => x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;

describe('sorting and merging records', () => {
  it('radix-sorts by the key words, stably', () => {
    const input = records(20000, 1);
    const expected = rows(input).sort(byKeyThenSeq);
    expect(rows(sortRecords(input.slice(), 3, 2))).toEqual(expected);
    // Radix on the first word only, ties refined by the second.
    expect(rows(sortRecords(input.slice(), 3, 2, 1))).toEqual(expected);
  });

  it('merges sorted runs in key order, equal keys in run order, verifying every file', () => {
    const dir = tempDir();
    const all = records(30000, 2);
    const sorter = new SpillingSorter(join(dir, 'run'), 'test', 3, 2, 4000);
    for (let i = 0; i < all.length; i += 3) sorter.push(all.subarray(i, i + 3));
    const files = sorter.close();
    expect(files).toHaveLength(8);
    const merged: number[][] = [];
    mergeRuns(files.map((f) => new RecordReader(f, 'test', 3, 100)), 2, (b, i) => merged.push([b[i]!, b[i + 1]!, b[i + 2]!]));
    expect(merged).toEqual(rows(all).sort(byKeyThenSeq));
  });

  it('detects a truncated, damaged or foreign record file', () => {
    const dir = tempDir();
    const path = join(dir, 'x.bin');
    const w = new RecordWriter(path, 'test', 2);
    for (let i = 0; i < 1000; i++) w.push([i, i * 2]);
    w.close();
    expect(readAllRecords(path, 'test', 2)[1999]).toBe(1998);
    expect(() => readAllRecords(path, 'other', 2)).toThrow(/holds "test" records, not "other"/);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 30));
    expect(() => readAllRecords(path, 'test', 2)).toThrow(DamagedFileError);
    const flipped = Buffer.from(bytes);
    flipped[100]! ^= 1;
    writeFileSync(path, flipped);
    expect(() => readAllRecords(path, 'test', 2)).toThrow(/checksum does not match/);
  });
});
