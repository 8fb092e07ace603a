/**
 * `sift tokenize`: documents to token ids for training, in the layout Dolma's tokenizer writes. Per
 * input shard, files `part-<shard>-<seq>.npy` hold the token ids of its documents back to back, each
 * document followed by the end-of-text token, as a raw little-endian array (a NumPy memmap without
 * header: uint16 when the vocabulary fits, else uint32); beside each, `part-<shard>-<seq>.csv.gz`
 * holds one row per document: start, end (token offsets, end exclusive, the end-of-text token
 * included), id, source file, line. A file is closed before it would exceed `max_tokens_per_file`.
 * `meta.json` names the tokenizer, dtype and end-of-text id.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DocumentSpec } from '../config/schema.js';
import { writeManifest } from '../core/manifest.js';
import type { Step } from '../exec/plan.js';
import { removeMatching } from '../exec/steps/filter-pass.js';
import { readMarker } from '../exec/task.js';
import { readShard } from '../io/read-shard.js';
import { recordReader } from '../io/record.js';
import type { ShardInfo } from '../io/shards.js';
import { temporaryName } from '../io/shard-writer.js';
import { loadTokenizer, type TokenizerName } from './tokens.js';

export interface TokenizeSpec {
  kind: 'tokenize';
  configPath: string;
  configDir: string;
  /** The output folder (also the run directory: manifest, done/). */
  runDir: string;
  inputs: string[];
  tokenizer: TokenizerName;
  maxTokensPerFile: number;
  document: DocumentSpec;
  maxLineBytes: number;
  onError: 'skip' | 'fail';
  workers: number | null;
}

export interface TokenizeResult {
  shard: string;
  docs: number;
  tokens: number;
  unreadable: number;
  files: string[];
}

const csvCell = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** Writes one memmap file and its metadata; both appear under their final names only when closed. */
class MemmapPart {
  private readonly fd: number;
  private readonly rows: string[] = [];
  tokens = 0;

  constructor(
    private readonly dir: string,
    readonly name: string,
    private readonly wide: boolean,
  ) {
    this.fd = openSync(join(dir, temporaryName(`${name}.npy`)), 'w');
  }

  add(ids: readonly number[], id: string, src: string, line: number): void {
    const arr = this.wide ? new Uint32Array(ids) : new Uint16Array(ids);
    const bytes = Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength);
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    this.rows.push(`${this.tokens},${this.tokens + ids.length},${csvCell(id)},${csvCell(src)},${line}`);
    this.tokens += ids.length;
  }

  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
    writeFileSync(join(this.dir, temporaryName(`${this.name}.csv.gz`)), gzipSync(this.rows.join('\n') + (this.rows.length ? '\n' : '')));
    renameSync(join(this.dir, temporaryName(`${this.name}.npy`)), join(this.dir, `${this.name}.npy`));
    renameSync(join(this.dir, temporaryName(`${this.name}.csv.gz`)), join(this.dir, `${this.name}.csv.gz`));
  }
}

export function buildTokenizePlan(spec: TokenizeSpec, shards: readonly ShardInfo[]): Step[] {
  const prefix = (s: ShardInfo): string => `part-${String(s.index).padStart(5, '0')}`;
  const tokenize: Step = {
    name: 'tokenize',
    title: `tokenize with ${spec.tokenizer}`,
    tasks: shards.length,
    perShard: true,
    taskBytes: (t) => shards[t]!.bytes,
    clean: (t) => removeMatching(spec.runDir, prefix(shards[t]!)),
    async run(t, ctx): Promise<TokenizeResult> {
      const shard = shards[t]!;
      const tok = await loadTokenizer(spec.tokenizer);
      const wide = tok.vocabSize! > 65536;
      mkdirSync(spec.runDir, { recursive: true });
      const files: string[] = [];
      let seq = 0;
      let part: MemmapPart | null = null;
      let docs = 0;
      let tokens = 0;
      let unreadable = 0;
      for await (const batch of readShard(shard, { records: recordReader(spec.document), maxLineBytes: spec.maxLineBytes })) {
        for (const e of batch.errors) {
          if (spec.onError === 'fail') throw new Error(`${shard.path}:${e.line}: ${e.kind}: ${e.message}`);
          unreadable++;
        }
        for (const doc of batch.docs) {
          const ids = tok.encode(doc.text);
          ids.push(tok.endOfText!);
          if (part !== null && part.tokens + ids.length > spec.maxTokensPerFile) {
            part.close();
            part = null;
          }
          if (part === null) {
            part = new MemmapPart(spec.runDir, `${prefix(shard)}-${String(seq++).padStart(5, '0')}`, wide);
            files.push(part.name);
          }
          part.add(ids, doc.id, shard.path, doc.lineNo);
          docs++;
          tokens += ids.length;
        }
        ctx.progress(batch.docs.length + batch.errors.length, batch.bytesIn);
      }
      part?.close();
      return { shard: shard.label, docs, tokens, unreadable, files };
    },
  };
  const finalize: Step = {
    name: 'finalize',
    title: 'write meta.json',
    tasks: 1,
    perShard: false,
    taskBytes: () => 0,
    clean: () => rmSync(join(spec.runDir, 'meta.json'), { force: true }),
    async run(_t, ctx) {
      const tok = await loadTokenizer(spec.tokenizer);
      const results = shards.map((s) => readMarker<TokenizeResult>(ctx.run, 'tokenize', s.index)!.result);
      const docs = results.reduce((n, r) => n + r.docs, 0);
      const unreadable = results.reduce((n, r) => n + r.unreadable, 0);
      const meta = {
        tokenizer: spec.tokenizer,
        dtype: tok.vocabSize! > 65536 ? 'uint32' : 'uint16',
        vocab_size: tok.vocabSize,
        end_of_text: tok.endOfText,
        documents: docs,
        tokens: results.reduce((n, r) => n + r.tokens, 0),
        files: results.flatMap((r) => r.files.map((f) => `${f}.npy`)),
        metadata_columns: ['start', 'end', 'id', 'src', 'loc'],
      };
      writeFileSync(join(spec.runDir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
      const totals = { read: docs + unreadable, kept: docs, dropped: 0, unreadable, conserved: true, outputFiles: meta.files.length, outputBytes: 0, dropsByStage: {} };
      writeManifest(ctx.run.manifest, { ...ctx.manifest, status: 'complete', finished_at: new Date().toISOString(), totals });
      return meta;
    },
  };
  return [tokenize, finalize];
}
