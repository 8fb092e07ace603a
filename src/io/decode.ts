/**
 * Decompressed bytes of a file as a stream of chunks, with bounded memory whatever the compression
 * ratio: zstd is decoded step by step into fixed-size output buffers, gzip through zlib with
 * back-pressure. A damaged or truncated file ends the stream with a DecodeFailure after every byte
 * decoded before the damage.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import zstd from 'zstd-napi/binding.js';
import type { Compression } from './shards.js';
import { ZSTD_WINDOW_LOG_MAX } from './whole-file.js';

const READ_CHUNK = 256 * 1024;
/** zstd's recommended output size (one full block): each call then decodes at most about one block,
 * so a damaged block loses nothing decoded before it. */
const ZSTD_OUT_CHUNK = zstd.dStreamOutSize();

export interface DecodeFailure {
  kind: 'damaged_input' | 'io_error';
  message: string;
}

export interface DecodedChunk {
  data: Buffer;
  /** Compressed bytes consumed since the previous chunk. */
  bytesIn: number;
}

/** Yields decoded chunks; returns a failure if the file could not be read to its end. */
export async function* decodeFile(path: string, compression: Compression): AsyncGenerator<DecodedChunk, DecodeFailure | null> {
  if (compression === 'zstd') return yield* decodeZstd(path);
  if (compression === 'gzip') return yield* decodeGzip(path);
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) {
      yield { data: chunk as Buffer, bytesIn: (chunk as Buffer).length };
    }
  } catch (e) {
    return ioFailure(e);
  }
  return null;
}

async function* decodeZstd(path: string): AsyncGenerator<DecodedChunk, DecodeFailure | null> {
  const dctx = new zstd.DCtx();
  dctx.setParameter(zstd.DParameter.windowLogMax, ZSTD_WINDOW_LOG_MAX);
  let inFrame = false;
  let offset = 0;
  const source = createReadStream(path, { highWaterMark: READ_CHUNK });
  try {
    for await (const chunk of source) {
      let src = chunk as Buffer;
      let bytesIn = src.length;
      // Decode until this input is consumed and the decoder has no more output pending.
      for (;;) {
        const out = Buffer.allocUnsafe(ZSTD_OUT_CHUNK);
        let ret: number;
        let produced: number;
        let consumed: number;
        try {
          [ret, produced, consumed] = dctx.decompressStream(out, src);
        } catch (e) {
          return { kind: 'damaged_input', message: `zstd data is damaged near compressed byte ${offset}: ${(e as Error).message}` };
        }
        offset += consumed;
        src = src.subarray(consumed);
        inFrame = ret !== 0;
        if (produced > 0) {
          yield { data: out.subarray(0, produced), bytesIn };
          bytesIn = 0;
        }
        if (src.length === 0 && produced < ZSTD_OUT_CHUNK) break;
      }
    }
  } catch (e) {
    return ioFailure(e);
  } finally {
    source.destroy();
  }
  if (inFrame) return { kind: 'damaged_input', message: 'zstd data is truncated: the file ends inside a frame' };
  return null;
}

async function* decodeGzip(path: string): AsyncGenerator<DecodedChunk, DecodeFailure | null> {
  const source = createReadStream(path, { highWaterMark: READ_CHUNK });
  const gunzip = createGunzip();
  let bytesIn = 0;
  let ioError: unknown = null;
  source.on('data', (c) => (bytesIn += (c as Buffer).length));
  source.on('error', (e) => {
    ioError = e;
    gunzip.destroy(e);
  });
  source.pipe(gunzip);
  try {
    for await (const chunk of gunzip) {
      yield { data: chunk as Buffer, bytesIn };
      bytesIn = 0;
    }
  } catch (e) {
    if (ioError) return ioFailure(ioError);
    return { kind: 'damaged_input', message: `gzip data is damaged or truncated: ${(e as Error).message}` };
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  return null;
}

function ioFailure(e: unknown): DecodeFailure {
  const err = e as NodeJS.ErrnoException;
  return { kind: 'io_error', message: `cannot read: ${err.code ?? err.message}` };
}
