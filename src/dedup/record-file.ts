/**
 * Intermediate files of the corpus-wide steps: fixed-size records of little-endian uint32 words,
 * with a header that names the file's kind and record size and a footer with the record count and
 * a checksum. A truncated, damaged or foreign file is detected and reported, never used.
 *
 *   header  "SIFTREC1" | kind (8 bytes, space padded) | words per record (u32) | reserved (u32)
 *   data    count x words x 4 bytes
 *   footer  "SIFTEND1" | count (u32 low, u32 high) | xxh32 of the data (u32) | reserved (u32)
 *
 * Files are written under a hidden temporary name and renamed when complete.
 */
import { closeSync, fstatSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Xxh32 } from '@node-rs/xxhash';
import { writeFully } from '../io/shard-writer.js';

const HEADER = 24;
const FOOTER = 24;
const MAGIC = Buffer.from('SIFTREC1');
const END = Buffer.from('SIFTEND1');
const WRITE_BUFFER = 1 << 20;

export class DamagedFileError extends Error {
  override name = 'DamagedFileError';
}

function kindBytes(kind: string): Buffer {
  if (kind.length > 8) throw new Error(`record file kind "${kind}" is longer than 8 characters`);
  return Buffer.from(kind.padEnd(8, ' '), 'latin1');
}

export class RecordWriter {
  private readonly fd: number;
  private readonly tmp: string;
  private readonly buf: Buffer;
  private words: Uint32Array;
  private used = 0;
  private count = 0;
  private readonly hash = new Xxh32(0);
  private closed = false;

  constructor(
    readonly path: string,
    readonly kind: string,
    readonly recordWords: number,
  ) {
    this.tmp = join(dirname(path), `.${basename(path)}.tmp`);
    this.fd = openSync(this.tmp, 'w');
    const header = Buffer.alloc(HEADER);
    MAGIC.copy(header, 0);
    kindBytes(kind).copy(header, 8);
    header.writeUInt32LE(recordWords, 16);
    writeSync(this.fd, header);
    const recordBytes = recordWords * 4;
    this.buf = Buffer.alloc(Math.max(recordBytes, Math.floor(WRITE_BUFFER / recordBytes) * recordBytes));
    this.words = new Uint32Array(this.buf.buffer, this.buf.byteOffset, this.buf.length / 4);
  }

  /** Appends one record: `recordWords` values from `src` starting at `offset`. */
  push(src: ArrayLike<number>, offset = 0): void {
    const w = this.recordWords;
    if (this.used + w > this.words.length) this.flush();
    for (let i = 0; i < w; i++) this.words[this.used + i] = src[offset + i]!;
    this.used += w;
    this.count++;
  }

  /** Appends many records at once (a whole number of records), copied into the buffer in blocks. */
  pushAll(records: Uint32Array): void {
    const w = this.recordWords;
    const whole = records.length - (records.length % w);
    let off = 0;
    while (off < whole) {
      // The buffer holds a whole number of records, so every block is whole records too.
      if (this.used === this.words.length) this.flush();
      const take = Math.min(whole - off, this.words.length - this.used);
      this.words.set(records.subarray(off, off + take), this.used);
      this.used += take;
      this.count += take / w;
      off += take;
    }
    if (whole < records.length) this.push(records, whole);
  }

  get records(): number {
    return this.count;
  }

  private flush(): void {
    if (this.used === 0) return;
    const bytes = this.buf.subarray(0, this.used * 4);
    this.hash.update(bytes);
    writeFully(this.fd, bytes, this.tmp);
    this.used = 0;
  }

  /** Writes the footer and gives the file its final name. */
  close(): void {
    if (this.closed) return;
    this.flush();
    const footer = Buffer.alloc(FOOTER);
    END.copy(footer, 0);
    footer.writeUInt32LE(this.count % 2 ** 32, 8);
    footer.writeUInt32LE(Math.floor(this.count / 2 ** 32), 12);
    footer.writeUInt32LE(this.hash.digest() >>> 0, 16);
    writeFully(this.fd, footer, this.tmp);
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
    this.closed = true;
  }
}

/** Reads a record file in blocks, checking its structure first and its checksum at the end. */
export class RecordReader {
  private readonly fd: number;
  readonly count: number;
  private readonly expectedHash: number;
  private pos = HEADER;
  private readonly end: number;
  private readonly hash = new Xxh32(0);
  private readonly buf: Buffer;

  constructor(
    readonly path: string,
    readonly kind: string,
    readonly recordWords: number,
    bufferRecords = 4096,
  ) {
    this.fd = openSync(path, 'r');
    try {
      const size = fstatSync(this.fd).size;
      if (size < HEADER + FOOTER) throw this.damaged(`it is ${size} bytes long, shorter than a header and footer`);
      const header = Buffer.alloc(HEADER);
      readSync(this.fd, header, 0, HEADER, 0);
      if (!header.subarray(0, 8).equals(MAGIC)) throw this.damaged('it does not start with a sift record header');
      if (!header.subarray(8, 16).equals(kindBytes(kind))) throw this.damaged(`it holds "${header.subarray(8, 16).toString('latin1').trim()}" records, not "${kind}"`);
      if (header.readUInt32LE(16) !== recordWords) throw this.damaged(`its records have ${header.readUInt32LE(16)} words, not ${recordWords}`);
      const footer = Buffer.alloc(FOOTER);
      readSync(this.fd, footer, 0, FOOTER, size - FOOTER);
      if (!footer.subarray(0, 8).equals(END)) throw this.damaged('it has no footer (truncated, or still being written)');
      this.count = footer.readUInt32LE(8) + footer.readUInt32LE(12) * 2 ** 32;
      this.expectedHash = footer.readUInt32LE(16);
      this.end = size - FOOTER;
      if (this.end - HEADER !== this.count * recordWords * 4) throw this.damaged(`its size does not match its record count (${this.count})`);
    } catch (e) {
      closeSync(this.fd);
      throw e;
    }
    this.buf = Buffer.alloc(bufferRecords * recordWords * 4);
  }

  private damaged(why: string): DamagedFileError {
    return new DamagedFileError(`intermediate file ${this.path} is damaged: ${why}`);
  }

  /** The next block of whole records (a view valid until the next call), or null at the end. */
  next(): Uint32Array | null {
    if (this.pos >= this.end) {
      this.finish();
      return null;
    }
    const want = Math.min(this.buf.length, this.end - this.pos);
    let got = 0;
    while (got < want) {
      const n = readSync(this.fd, this.buf, got, want - got, this.pos + got);
      if (n === 0) throw this.damaged('it ended early while being read');
      got += n;
    }
    this.pos += got;
    const bytes = this.buf.subarray(0, got);
    this.hash.update(bytes);
    return new Uint32Array(bytes.buffer, bytes.byteOffset, got / 4);
  }

  private finished = false;
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    closeSync(this.fd);
    if ((this.hash.digest() >>> 0) !== this.expectedHash) throw this.damaged('its checksum does not match its contents');
  }

  close(): void {
    if (!this.finished) {
      this.finished = true;
      closeSync(this.fd);
    }
  }
}

/** All records of a (small) file, checked. */
export function readAllRecords(path: string, kind: string, recordWords: number): Uint32Array {
  const r = new RecordReader(path, kind, recordWords, 65536);
  const out = new Uint32Array(r.count * recordWords);
  let off = 0;
  for (let block = r.next(); block !== null; block = r.next()) {
    out.set(block, off);
    off += block.length;
  }
  return out;
}
