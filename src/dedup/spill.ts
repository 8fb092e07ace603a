/**
 * Gathers fixed-size records in memory and writes them out as sorted runs when the buffer fills, so
 * memory stays bounded however many records a shard has. Run files are named
 * `<prefix>-<run>.bin`; listing a folder in name order gives runs in input order.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { RecordWriter } from './record-file.js';
import { sortRecords } from './sort.js';

export class SpillingSorter {
  private buf: Uint32Array;
  private used = 0;
  private runs = 0;
  readonly files: string[] = [];

  constructor(
    private readonly prefix: string,
    private readonly kind: string,
    private readonly recordWords: number,
    private readonly keyWords: number,
    private readonly maxRecords = 262_144,
  ) {
    this.buf = new Uint32Array(Math.min(maxRecords, 4096) * recordWords);
  }

  push(record: ArrayLike<number>): void {
    const w = this.recordWords;
    if (this.used + w > this.buf.length) {
      if (this.buf.length >= this.maxRecords * w) this.spill();
      else {
        const bigger = new Uint32Array(Math.min(this.buf.length * 2, this.maxRecords * w));
        bigger.set(this.buf.subarray(0, this.used));
        this.buf = bigger;
      }
    }
    for (let i = 0; i < w; i++) this.buf[this.used + i] = record[i]!;
    this.used += w;
  }

  private spill(): void {
    if (this.used === 0) return;
    const sorted = sortRecords(this.buf.subarray(0, this.used), this.recordWords, this.keyWords);
    const path = `${this.prefix}-${String(this.runs).padStart(4, '0')}.bin`;
    mkdirSync(dirname(path), { recursive: true });
    const w = new RecordWriter(path, this.kind, this.recordWords);
    w.pushAll(sorted);
    w.close();
    this.files.push(path);
    this.runs++;
    this.used = 0;
  }

  /** Writes what is left; returns every run file written. */
  close(): string[] {
    this.spill();
    return this.files;
  }
}
