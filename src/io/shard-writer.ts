/**
 * Rotating JSONL shard writer. Lines are gathered into blocks of about 1 MiB (always ending on a line
 * boundary) and each block is compressed on its own: a zstd frame with a checksum, or a gzip member.
 * The result is one ordinary .jsonl.zst / .jsonl.gz file that any tool reads, whose bytes depend only
 * on its lines, and where damage is detected (checksums) and confined to one block.
 *
 * A shard is written under a hidden temporary name and renamed when complete, so a file with a
 * final name is always whole. Rotation starts a new shard after `maxDocs` lines or `maxBytes`
 * uncompressed bytes.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Compressor } from 'zstd-napi';

export interface WriterOptions {
  compression: 'zstd' | 'gzip' | 'none';
  level: number;
  maxDocs: number;
  maxBytes: number | null;
}

export interface WrittenShard {
  file: string;
  docs: number;
  bytes: number;
}

const BLOCK_BYTES = 1024 * 1024;

export function shardExtension(compression: WriterOptions['compression']): string {
  return compression === 'zstd' ? '.jsonl.zst' : compression === 'gzip' ? '.jsonl.gz' : '.jsonl';
}

export function temporaryName(finalName: string): string {
  return `.${finalName}.tmp`;
}

/** The error of a failed write (disk full, read-only file system), naming the file. */
function writeError(e: unknown, path: string): Error {
  const err = e as NodeJS.ErrnoException;
  const why = err.code === 'ENOSPC' ? 'no space left on the device' : err.code === 'EROFS' ? 'the file system is read-only' : err.message;
  return new Error(`cannot write ${path}: ${why} (${err.code ?? 'error'}); free space or fix the output location, then continue with --resume`);
}

/** Writes all of `buf` to `fd`; a failure (disk full, read-only file system) names the file. */
export function writeFully(fd: number, buf: Uint8Array, path: string): void {
  let off = 0;
  try {
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  } catch (e) {
    throw writeError(e, path);
  }
}

/** Writes a whole file under its temporary name, then renames it; a failed write names the file. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = join(dirname(file), temporaryName(basename(file)));
  try {
    writeFileSync(tmp, data);
  } catch (e) {
    throw writeError(e, tmp);
  }
  renameSync(tmp, file);
}

export class ShardWriter {
  private readonly ext: string;
  private readonly zstd: Compressor | null;
  private fd: number | null = null;
  private seq = 0;
  private current: WrittenShard | null = null;
  private block: string[] = [];
  private blockBytes = 0;
  private readonly done: WrittenShard[] = [];

  /** Files are named `<prefix>-<seq>.jsonl.zst` (seq from 0000) in `dir`. */
  constructor(
    private readonly dir: string,
    private readonly prefix: string,
    private readonly opts: WriterOptions,
  ) {
    this.ext = shardExtension(opts.compression);
    mkdirSync(dir, { recursive: true });
    if (opts.compression === 'zstd') {
      this.zstd = new Compressor();
      this.zstd.setParameters({ compressionLevel: opts.level, checksumFlag: true });
    } else this.zstd = null;
  }

  /** Appends one JSON line (without its newline). */
  write(line: string): void {
    if (this.current === null) this.open();
    const cur = this.current!;
    const bytes = Buffer.byteLength(line) + 1;
    this.block.push(line);
    this.blockBytes += bytes;
    cur.docs++;
    cur.bytes += bytes;
    if (this.blockBytes >= BLOCK_BYTES) this.flushBlock();
    if (cur.docs >= this.opts.maxDocs || (this.opts.maxBytes !== null && cur.bytes >= this.opts.maxBytes)) this.finishShard();
  }

  /** Completes the open shard; returns every shard written, in order. With `atLeastOne`, writes an
   * empty shard when no line was written at all. */
  close(atLeastOne = false): WrittenShard[] {
    if (this.current === null && atLeastOne && this.done.length === 0) this.open();
    if (this.current !== null) this.finishShard();
    return this.done;
  }

  /** Closes without renaming: the temporary file stays behind, to be cleaned by the next attempt. */
  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.current = null;
  }

  private open(): void {
    const name = `${this.prefix}-${String(this.seq).padStart(4, '0')}${this.ext}`;
    this.seq++;
    this.fd = openSync(join(this.dir, temporaryName(name)), 'w');
    this.current = { file: name, docs: 0, bytes: 0 };
  }

  private flushBlock(): void {
    if (this.blockBytes === 0) return;
    const raw = Buffer.from(this.block.join('\n') + '\n');
    this.block = [];
    this.blockBytes = 0;
    const out = this.zstd ? this.zstd.compress(raw) : this.opts.compression === 'gzip' ? gzipSync(raw, { level: this.opts.level }) : raw;
    writeFully(this.fd!, out, join(this.dir, temporaryName(this.current!.file)));
  }

  private finishShard(): void {
    this.flushBlock();
    const cur = this.current!;
    fsyncSync(this.fd!);
    closeSync(this.fd!);
    this.fd = null;
    renameSync(join(this.dir, temporaryName(cur.file)), join(this.dir, cur.file));
    this.done.push(cur);
    this.current = null;
  }
}
