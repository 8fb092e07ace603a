/**
 * The pipeline config file: its keys, their defaults, and the typed spec a run works from.
 * Relative paths in a config resolve against the config file's folder.
 */
import { z } from 'zod';
import type { MixSpec } from '../mix/spec.js';
import type { TokenizeSpec } from '../mix/tokenize.js';
import { TOKENIZER_NAMES, type TokenizerName } from '../mix/tokens.js';

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

const relPath = z.string().min(1);

export const documentSchema = z.strictObject({
  /** Dotted path of the document id; documents without one are named `<shard>:<line>`. */
  id_field: z.string().min(1).default('id'),
  /** Dotted path(s) of the text. A value may be a string, a list of strings, or a list of messages. */
  text_field: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).default('text'),
  /** Dotted path of chat messages ({role, content}); their contents become the text. */
  messages: z.string().min(1).optional(),
  /** With `messages` (or a message list in text_field): only messages of these roles. */
  roles: z.array(z.string().min(1)).min(1).optional(),
});

export const outputSchema = z.strictObject({
  compression: z.enum(['zstd', 'gzip', 'none']).default('zstd'),
  /** Count the tokens of every written document with this tokenizer (a `tokens` metric, summed in stats). */
  tokenizer: z.enum(TOKENIZER_NAMES).optional(),
  /** zstd level (1-19) or gzip level (1-9); default 3 for zstd, 6 for gzip. */
  level: z.number().int().min(1).max(19).optional(),
  max_docs_per_shard: z.number().int().positive().default(100_000),
  /** Rotate also when a shard's uncompressed size reaches this many bytes. */
  max_bytes_per_shard: z.number().int().positive().optional(),
}).superRefine((o, ctx) => {
  if (o.level === undefined) return;
  if (o.compression === 'gzip' && o.level > 9) ctx.addIssue({ code: 'custom', path: ['level'], message: `gzip levels are 1 to 9, got ${o.level}` });
  if (o.compression === 'none') ctx.addIssue({ code: 'custom', path: ['level'], message: 'a compression level needs compression: zstd or gzip' });
});

export const statsSchema = z.strictObject({
  /** Write one row per document per stage to stats/docs/*.parquet. */
  docs: z.boolean().default(true),
});

/**
 * A name that is also used in file names (stage work folders, stats): letters, digits, _ . -,
 * starting with a letter or digit, so it can never be `..` or a path.
 */
export const safeName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a name of letters, digits, _ . or -, starting with a letter or digit');

/** Keys every stage accepts besides its own options. */
export const stageCommonSchema = z.looseObject({
  type: z.string().min(1),
  name: safeName.optional(),
  mode: z.enum(['drop', 'tag']).default('drop'),
});

export const configSchema = z.strictObject({
  inputs: z.array(relPath).min(1).optional(),
  run_dir: relPath.optional(),
  document: documentSchema.default(documentSchema.parse({})),
  stages: z.array(z.unknown()).default([]),
  output: outputSchema.default(outputSchema.parse({})),
  rejected: z.boolean().default(false),
  on_error: z.enum(['skip', 'fail']).default('skip'),
  max_line_bytes: z.number().int().positive().default(DEFAULT_MAX_LINE_BYTES),
  workers: z.number().int().positive().optional(),
  stats: statsSchema.default(statsSchema.parse({})),
});

export type RawConfig = z.output<typeof configSchema>;

export interface StageSpec {
  type: string;
  name: string;
  mode: 'drop' | 'tag';
  /** The stage's own options, validated and with defaults filled in. */
  options: Record<string, unknown>;
}

export interface DocumentSpec {
  idField: string;
  textFields: string[];
  /** Paths whose values are chat messages (a list of {role, content}). */
  messageFields: string[];
  roles: string[] | null;
}

export interface OutputSpec {
  compression: 'zstd' | 'gzip' | 'none';
  level: number;
  maxDocsPerShard: number;
  maxBytesPerShard: number | null;
  /** Tokenizer for the `tokens` of written documents; null: not counted. */
  tokenizer: TokenizerName | null;
}

/** A validated pipeline: everything a run needs, with absolute paths. */
export interface PipelineSpec {
  kind: 'pipeline';
  configPath: string;
  configDir: string;
  /** Globs or files, absolute. */
  inputs: string[];
  runDir: string;
  document: DocumentSpec;
  stages: StageSpec[];
  output: OutputSpec;
  rejected: boolean;
  onError: 'skip' | 'fail';
  maxLineBytes: number;
  workers: number | null;
  stats: { docs: boolean };
}

/** What a run directory runs: a pipeline of stages, or a mix of sources. */
export type RunSpec = PipelineSpec | MixSpec | TokenizeSpec;

/** The document spec of a config's `document:` section. */
export function documentSpecOf(d: z.output<typeof documentSchema>): DocumentSpec {
  return {
    idField: d.id_field,
    textFields: d.messages ? [] : typeof d.text_field === 'string' ? [d.text_field] : d.text_field,
    messageFields: d.messages ? [d.messages] : [],
    roles: d.roles ?? null,
  };
}

/** The output spec of a config's `output:` section. */
export function outputSpecOf(o: z.output<typeof outputSchema>): OutputSpec {
  return {
    compression: o.compression,
    level: o.level ?? (o.compression === 'gzip' ? 6 : 3),
    maxDocsPerShard: o.max_docs_per_shard,
    maxBytesPerShard: o.max_bytes_per_shard ?? null,
    tokenizer: o.tokenizer ?? null,
  };
}
