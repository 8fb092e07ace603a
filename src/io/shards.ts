/**
 * Input discovery: globs, files and folders to a sorted, numbered list of shards. The order (by path)
 * fixes each shard's index, and with it the names of everything the run writes for that shard.
 */
import { statSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

export type Compression = 'gzip' | 'zstd' | 'none';
export type ShardFormat = 'jsonl' | 'parquet';

export interface ShardInfo {
  index: number;
  /** Absolute path. */
  path: string;
  /** The path as recorded in stats: relative to the deepest folder holding all the run's shards. */
  label: string;
  bytes: number;
  format: ShardFormat;
  compression: Compression;
  /** In a mix: the source the shard belongs to. */
  source?: string;
}

const SUFFIXES: readonly [string, ShardFormat, Compression][] = [
  ['.jsonl.zst', 'jsonl', 'zstd'],
  ['.jsonl.zstd', 'jsonl', 'zstd'],
  ['.json.zst', 'jsonl', 'zstd'],
  ['.json.zstd', 'jsonl', 'zstd'],
  ['.jsonl.gz', 'jsonl', 'gzip'],
  ['.json.gz', 'jsonl', 'gzip'],
  ['.jsonl', 'jsonl', 'none'],
  ['.parquet', 'parquet', 'none'],
];

export const SUPPORTED_SUFFIXES = SUFFIXES.map(([s]) => s);

export function shardKind(path: string): { format: ShardFormat; compression: Compression } | undefined {
  const lower = path.toLowerCase();
  const hit = SUFFIXES.find(([suffix]) => lower.endsWith(suffix));
  return hit ? { format: hit[1], compression: hit[2] } : undefined;
}

export class InputError extends Error {
  override name = 'InputError';
}

/** Expands globs, files and folders (recursively) into shards sorted by path. */
export async function discoverShards(patterns: readonly string[]): Promise<ShardInfo[]> {
  const paths = new Set<string>();
  for (const pattern of patterns) {
    let matched: string[];
    if (isDynamicPattern(pattern)) {
      matched = await glob(pattern, { absolute: true, onlyFiles: true, expandDirectories: false });
    } else {
      let st;
      try {
        st = statSync(pattern);
      } catch {
        throw new InputError(`input ${pattern} does not exist`);
      }
      matched = st.isDirectory()
        ? await glob(SUPPORTED_SUFFIXES.map((s) => `**/*${s}`), { cwd: pattern, absolute: true, onlyFiles: true })
        : [pattern];
    }
    const supported = matched.filter((p) => shardKind(p) !== undefined);
    if (supported.length === 0) {
      const why = matched.length > 0 ? ` (only unsupported files such as ${matched[0]})` : '';
      throw new InputError(`input ${pattern} matched no shards${why}; supported: ${SUPPORTED_SUFFIXES.join(' ')}`);
    }
    for (const p of supported) paths.add(p);
  }
  const sorted = [...paths].sort(comparePaths);
  const base = commonFolder(sorted);
  return sorted.map((path, index) => {
    const kind = shardKind(path)!;
    return { index, path, label: shardLabel(path, base), bytes: statSync(path).size, ...kind };
  });
}

/** The deepest folder holding every path. */
function commonFolder(paths: readonly string[]): string {
  if (paths.length === 0) return '/';
  let parts = dirname(paths[0]!).split(sep);
  for (const p of paths) {
    const other = dirname(p).split(sep);
    let i = 0;
    while (i < parts.length && i < other.length && parts[i] === other[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join(sep) || sep;
}

function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function shardLabel(path: string, baseDir: string): string {
  const rel = relative(baseDir, path);
  if (rel.startsWith('..') || rel === '') return path;
  return rel.split(sep).join('/');
}

/** The shards of a run: a pipeline's inputs, or every source's inputs of a mix (source by source). */
export async function discoverRunShards(spec: { kind: 'pipeline' | 'tokenize'; inputs: string[] } | { kind: 'mix'; sources: { name: string; inputs: string[] }[] }): Promise<ShardInfo[]> {
  if (spec.kind !== 'mix') return discoverShards(spec.inputs);
  const out: ShardInfo[] = [];
  for (const source of spec.sources) {
    let shards: ShardInfo[];
    try {
      shards = await discoverShards(source.inputs);
    } catch (e) {
      throw new InputError(`source ${source.name}: ${(e as Error).message}`);
    }
    for (const s of shards) out.push({ ...s, index: out.length, label: `${source.name}/${s.label}`, source: source.name });
  }
  return out;
}
