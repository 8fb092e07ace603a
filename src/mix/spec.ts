/**
 * A mix config: sources (sets of shards, typically earlier runs' outputs), each with a weight (its
 * share of the tokens) or a token count, mixed into shuffled output shards. Relative paths resolve
 * against the config file's folder.
 *
 *   run_dir: ../runs/mix
 *   tokenizer: cl100k_base
 *   total_tokens: 10000000          # the whole mix: the weighted sources share what the tokens: sources leave
 *   sources:
 *     - { name: web, inputs: [../runs/web/output/*.jsonl.zst], weight: 0.7 }
 *     - { name: code, inputs: [../runs/code/output/*.jsonl.zst], tokens: 2000000 }
 */
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_MAX_LINE_BYTES, documentSchema, documentSpecOf, outputSchema, outputSpecOf, safeName, type DocumentSpec, type OutputSpec } from '../config/schema.js';
import { ConfigError, issuesToProblems, parseYaml, readConfigFile } from '../config/yaml.js';
import { TOKENIZER_NAMES, type TokenizerName } from './tokens.js';

const sourceSchema = z
  .strictObject({
    name: safeName,
    inputs: z.array(z.string().min(1)).min(1),
    weight: z.number().positive().optional(),
    tokens: z.number().int().positive().optional(),
  })
  .refine((s) => s.weight === undefined || s.tokens === undefined, { message: 'give a source either a weight or a token count, not both' });

export const mixSchema = z.strictObject({
  run_dir: z.string().min(1).optional(),
  sources: z.array(sourceSchema).min(1),
  /** Tokens of the weighted sources together; default: as many as the weights allow without repeating any source. */
  total_tokens: z.number().int().positive().optional(),
  tokenizer: z.enum(TOKENIZER_NAMES).default('cl100k_base'),
  seed: z.number().int().min(0).default(0),
  document: documentSchema.default(documentSchema.parse({})),
  output: outputSchema.default(outputSchema.parse({})),
  /** Uncompressed bytes per shuffle bucket: about the most a worker holds in memory while shuffling. */
  shuffle_bucket_bytes: z.number().int().min(1 << 20).default(256 * 1024 * 1024),
  /** Shuffle buckets (one output shard group and one gather task each); default from the input size. */
  shuffle_buckets: z.number().int().min(1).max(100_000).optional(),
  on_error: z.enum(['skip', 'fail']).default('skip'),
  max_line_bytes: z.number().int().positive().default(DEFAULT_MAX_LINE_BYTES),
  workers: z.number().int().positive().optional(),
});

export interface MixSource {
  name: string;
  /** Globs or files, absolute. */
  inputs: string[];
  weight: number | null;
  tokens: number | null;
}

export interface MixSpec {
  kind: 'mix';
  configPath: string;
  configDir: string;
  runDir: string;
  sources: MixSource[];
  totalTokens: number | null;
  tokenizer: TokenizerName;
  seed: number;
  document: DocumentSpec;
  output: OutputSpec;
  shuffleBucketBytes: number;
  shuffleBuckets: number | null;
  onError: 'skip' | 'fail';
  maxLineBytes: number;
  workers: number | null;
}

const KNOWN_KEYS = [...Object.keys(mixSchema.shape), 'name', 'inputs', 'weight', 'tokens', ...Object.keys(documentSchema.shape), ...Object.keys(outputSchema.shape)];

/** True when a YAML text is a mix config (it has `sources:`) rather than a pipeline. */
export function looksLikeMix(data: unknown): boolean {
  return typeof data === 'object' && data !== null && 'sources' in data;
}

export function parseMixConfig(text: string, configPath: string, overrides: { runDir?: string; workers?: number } = {}): MixSpec {
  const { data, report } = parseYaml(text, configPath);
  const r = mixSchema.safeParse(data);
  if (!r.success) throw new ConfigError(configPath, issuesToProblems(r.error.issues, [], report, KNOWN_KEYS));
  const cfg = r.data;
  const problems: string[] = [];
  const names = new Set<string>();
  cfg.sources.forEach((s, i) => {
    if (names.has(s.name)) problems.push(report(['sources', i, 'name'], `source name "${s.name}" is used twice`));
    names.add(s.name);
  });
  const weighted = cfg.sources.filter((s) => s.weight !== undefined);
  if (cfg.total_tokens !== undefined && weighted.length === 0) problems.push(report(['total_tokens'], 'total_tokens needs at least one source with a weight'));
  const explicit = cfg.sources.reduce((n, s) => n + (s.tokens ?? 0), 0);
  if (cfg.total_tokens !== undefined && explicit >= cfg.total_tokens) {
    problems.push(report(['total_tokens'], `the sources with a token count already ask for ${explicit} tokens, leaving nothing of total_tokens (${cfg.total_tokens}) for the weighted ones`));
  }
  if (cfg.output.tokenizer !== undefined) problems.push(report(['output', 'tokenizer'], 'a mix counts tokens with the top-level `tokenizer:`; remove output.tokenizer'));
  const configDir = dirname(configPath);
  const runDir = overrides.runDir ? resolve(overrides.runDir) : cfg.run_dir ? resolve(configDir, cfg.run_dir) : undefined;
  if (!runDir) problems.push(report([], 'no run directory: set `run_dir:` in the config or pass --run-dir'));
  if (problems.length > 0) throw new ConfigError(configPath, problems);
  return {
    kind: 'mix',
    configPath,
    configDir,
    runDir: runDir!,
    sources: cfg.sources.map((s) => ({ name: s.name, inputs: s.inputs.map((p) => resolve(configDir, p)), weight: s.weight ?? null, tokens: s.tokens ?? null })),
    totalTokens: cfg.total_tokens ?? null,
    tokenizer: cfg.tokenizer,
    seed: cfg.seed,
    document: documentSpecOf(cfg.document),
    output: { ...outputSpecOf(cfg.output), tokenizer: null },
    shuffleBucketBytes: cfg.shuffle_bucket_bytes,
    shuffleBuckets: cfg.shuffle_buckets ?? null,
    onError: cfg.on_error,
    maxLineBytes: cfg.max_line_bytes,
    workers: overrides.workers ?? cfg.workers ?? null,
  };
}

export function loadMixConfig(file: string, overrides: { runDir?: string; workers?: number } = {}): MixSpec {
  const { configPath, text } = readConfigFile(file);
  return parseMixConfig(text, configPath, overrides);
}
