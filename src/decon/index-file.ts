/**
 * The index on disk: one binary file, read in one go and viewed as typed arrays.
 *
 * ```
 * header (112 bytes, little-endian)
 *   0  magic "SIFTDECN"              8  u32 format version      12  u32 header bytes
 *  16  u32 n                         20  u32 minWords           24  u32 maxItemsPerNgram
 *  28  u32 stride                    32  u32 normalization rules version
 *  36  u32 flags (0)                 40  u32 file bytes, low     44  u32 file bytes, high
 *  48  u32 metadata bytes            52  u32 section count      56  u32 element count per section
 * sections, in the order of SECTIONS, each a Uint32Array, each starting at a multiple of 8
 * metadata: UTF-8 JSON (benchmarks: names, splits, parts, item counts and ids)
 * trailer: xxh64 of everything before it (8 bytes)
 * ```
 * Loading checks the magic, the versions, the length (a truncated file is named as such) and the
 * checksum (a damaged file is refused), so that a bad index never silently matches nothing.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { dirname } from 'node:path';
import { xxh64 } from '@node-rs/xxhash';
import { DeconIndex, type BenchmarkMeta, type IndexArrays } from './index-table.js';
import { NORMALIZATION_VERSION } from './ngrams.js';
import { writeFileAtomic } from '../io/shard-writer.js';

export const INDEX_MAGIC = 'SIFTDECN';
export const INDEX_FORMAT_VERSION = 1;
const SECTIONS = [
  'keys',
  'vals',
  'postings',
  'bloom',
  'shortBloom',
  'textTotal',
  'textLen',
  'shortStart',
  'shortWords',
  'occStart',
  'occItem',
  'occPart',
  'itemBench',
  'itemIndex',
] as const satisfies readonly (keyof IndexArrays)[];
const HEADER_BYTES = 56 + 4 * SECTIONS.length + ((4 * SECTIONS.length) % 8 === 0 ? 0 : 4);

export class IndexFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'IndexFileError';
  }
}

const align8 = (x: number): number => Math.ceil(x / 8) * 8;

/** The index as file bytes. */
export function serializeDeconIndex(index: DeconIndex): Buffer {
  const meta = Buffer.from(JSON.stringify({ benchmarks: index.benchmarks }), 'utf8');
  let offset = HEADER_BYTES;
  const starts: number[] = [];
  for (const name of SECTIONS) {
    starts.push(offset);
    offset = align8(offset + index.arrays[name].byteLength);
  }
  const metaStart = offset;
  const total = align8(metaStart + meta.length) + 8;
  const buf = Buffer.alloc(total);
  buf.write(INDEX_MAGIC, 0, 'latin1');
  const s = index.settings;
  const head = [INDEX_FORMAT_VERSION, HEADER_BYTES, s.n, s.minWords, s.maxItemsPerNgram, s.stride, s.normalization, 0, total % 2 ** 32, Math.floor(total / 2 ** 32), meta.length, SECTIONS.length];
  head.forEach((v, i) => buf.writeUInt32LE(v, 8 + 4 * i));
  SECTIONS.forEach((name, i) => {
    const a = index.arrays[name];
    buf.writeUInt32LE(a.length, 56 + 4 * i);
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(buf, starts[i]);
  });
  meta.copy(buf, metaStart);
  buf.writeBigUInt64LE(xxh64(buf.subarray(0, total - 8)), total - 8);
  return buf;
}

/** Writes the index atomically (a hidden temporary file, then a rename). */
export function saveDeconIndex(index: DeconIndex, file: string): number {
  const buf = serializeDeconIndex(index);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, buf);
  return buf.length;
}

export function loadDeconIndex(file: string): DeconIndex {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new IndexFileError(file, `cannot read the decontamination index: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseDeconIndex(buf, file);
}

export function parseDeconIndex(input: Uint8Array, file = 'index'): DeconIndex {
  if (endianness() !== 'LE') throw new IndexFileError(file, 'decontamination indexes are little-endian; this machine is not');
  const fail = (message: string): never => {
    throw new IndexFileError(file, message);
  };
  if (input.length < 16 || Buffer.from(input.buffer, input.byteOffset, 8).toString('latin1') !== INDEX_MAGIC) {
    fail('not a sift decontamination index (build one with `sift decon index`)');
  }
  // Typed-array views need aligned data: copy when the bytes do not start at a multiple of 8.
  const bytes = input.byteOffset % 8 === 0 ? input : Uint8Array.from(input);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number): number => buf.readUInt32LE(at);
  const version = u32(8);
  if (version !== INDEX_FORMAT_VERSION) fail(`index format version ${version}; this sift reads version ${INDEX_FORMAT_VERSION}: rebuild the index`);
  if (buf.length < HEADER_BYTES) fail(`truncated: ${buf.length} bytes, shorter than the header`);
  const total = u32(40) + u32(44) * 2 ** 32;
  if (buf.length < total) fail(`truncated: ${buf.length} of ${total} bytes`);
  if (buf.length > total) fail(`${buf.length - total} unexpected bytes after the end of the index (${total} bytes)`);
  if (buf.readBigUInt64LE(total - 8) !== xxh64(buf.subarray(0, total - 8))) fail('damaged: the checksum does not match the contents');
  if (u32(12) !== HEADER_BYTES || u32(52) !== SECTIONS.length) fail('unexpected header layout');
  const normalization = u32(32);
  if (normalization !== NORMALIZATION_VERSION) {
    fail(`built with text normalization rules version ${normalization}; this sift uses version ${NORMALIZATION_VERSION}: rebuild the index`);
  }
  let offset = HEADER_BYTES;
  const arrays = {} as IndexArrays;
  SECTIONS.forEach((name, i) => {
    const count = u32(56 + 4 * i);
    if (offset + 4 * count > total - 8) fail(`section ${name} runs past the end of the file`);
    arrays[name] = new Uint32Array(bytes.buffer, bytes.byteOffset + offset, count);
    offset = align8(offset + 4 * count);
  });
  const metaBytes = u32(48);
  if (offset + metaBytes > total - 8) fail('metadata runs past the end of the file');
  let meta: { benchmarks: BenchmarkMeta[] };
  try {
    meta = JSON.parse(buf.toString('utf8', offset, offset + metaBytes)) as { benchmarks: BenchmarkMeta[] };
  } catch (e) {
    return fail(`unreadable metadata: ${(e as Error).message}`);
  }
  const settings = { n: u32(16), minWords: u32(20), maxItemsPerNgram: u32(24), stride: u32(28), normalization };
  try {
    return new DeconIndex(settings, arrays, meta.benchmarks);
  } catch (e) {
    return fail((e as Error).message);
  }
}
