/**
 * Test fixtures: temporary folders, shards written in every supported compression, configs, and
 * running the real `sift` command.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compress } from 'zstd-napi';
import { readFileDecompressed } from '../../src/io/whole-file.js';
import { REPO_ROOT } from './shared-data.js';

const made: string[] = [];

export function tempDir(prefix = 'sift-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Writes bytes compressed by the file's suffix (.gz, .zst, or plain). */
export function writeCompressed(path: string, data: Buffer | string): void {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(buf) : path.endsWith('.zst') ? compress(buf) : buf);
}

export function jsonl(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** Lines of every shard in a folder (sorted by name), decompressed. */
export function readShardLines(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).filter((x) => !x.startsWith('.')).sort()) {
    const text = readFileDecompressed(join(dir, f)).toString('utf8');
    out.push(...text.split('\n').filter((l) => l !== ''));
  }
  return out;
}

export function readJsonLines<T = Record<string, unknown>>(dir: string): T[] {
  return readShardLines(dir).map((l) => JSON.parse(l) as T);
}

/** Concatenated bytes of every file in a folder, for byte-for-byte comparisons. */
export function folderBytes(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f))]));
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `sift` command (bin/sift.js) in `cwd`. */
export function sift(args: readonly string[], cwd = REPO_ROOT, env: NodeJS.ProcessEnv = process.env): CliResult {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'sift.js'), ...args], { cwd, encoding: 'utf8', env: { ...env, FORCE_COLOR: '0' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Some documents with known word counts: doc i has 10 * (i % 10) words. */
export function sampleDocs(n: number, prefix = 'doc'): { id: string; text: string; source: string }[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    text: Array.from({ length: 10 * (i % 10) }, (_, w) => `word${w}`).join(' '),
    source: 'test',
  }));
}
