/**
 * The filter contract. A filter looks at one document, records metrics about it, and either keeps it
 * (returns undefined) or drops it (returns the reason, a short snake_case name). It may rewrite the
 * text through `doc.mapText`. The runner does the rest: `mode: tag` (record, never drop or edit),
 * counting what passed and why, per-document stats rows, rejected output.
 *
 * A new filter is one file in `filters/` that exports a `defineFilter(...)` value, plus one line in
 * `filters/index.ts`.
 */
import type { z } from 'zod';
import type { ShardInfo } from '../io/shards.js';
import type { Doc } from './document.js';

export type MetricValue = number | string | boolean | null;
/** Metrics a filter records about one document; each name becomes a column of `stats/docs`. */
export type Metrics = Record<string, MetricValue>;

/** undefined keeps the document; a string drops it with that reason. */
export type Verdict = string | undefined;

export interface Filter {
  check(doc: Doc, metrics: Metrics): Verdict | Promise<Verdict>;
  /** Called before the first document of each shard (for per-shard state and reports). */
  beginShard?(shard: ShardInfo, files: ShardFiles): void | Promise<void>;
  /** Called after the last document of each shard that was read to its end. */
  endShard?(): void | Promise<void>;
  /** Called once when the worker is done with the filter. */
  close?(): void | Promise<void>;
}

/** Files a stage may write for a shard; the run cleans them when it redoes the shard. */
export interface ShardFiles {
  /**
   * This shard's report file of a kind (a Parquet file of rows, e.g. one per decontamination hit);
   * the run merges every shard's report of a kind into stats/<kind>.parquet at its end.
   */
  reportFile(kind: string): string;
}

export interface StageContext {
  /** The stage's name (unique within the pipeline) and position. */
  stageName: string;
  stageIndex: number;
  /** Resolves a path from the config (a model, a word list) against the config file's folder. */
  resolvePath(path: string): string;
}

export type AnyOptionsSchema = z.ZodObject<z.core.$ZodShape, z.core.$ZodObjectConfig>;

export interface FilterDefinition<S extends AnyOptionsSchema = AnyOptionsSchema> {
  kind?: 'filter';
  /** The `type:` that selects it in a pipeline config. */
  type: string;
  /** One line for `sift filters` and the docs. */
  summary: string;
  /** A strict zod object of the filter's own options (not `type`, `name` or `mode`), with defaults. */
  options: S;
  create(options: z.output<S>, ctx: StageContext): Filter | Promise<Filter>;
}

export function defineFilter<S extends AnyOptionsSchema>(def: FilterDefinition<S>): FilterDefinition<S> {
  return def;
}
