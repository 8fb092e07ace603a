/**
 * manifest.json: what a run was asked to do and what it did. Written when the run starts and again
 * when it ends; `--resume` checks the config hash and the inputs against it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RunSpec } from '../config/schema.js';
import type { MixSourceRow } from '../mix/report.js';
import type { ShardInfo } from '../io/shards.js';
import { writeFileAtomic } from '../io/shard-writer.js';
import { SIFT_VERSION } from '../version.js';

export interface RunTotals {
  read: number;
  kept: number;
  dropped: number;
  unreadable: number;
  /** read = kept + dropped + unreadable */
  conserved: boolean;
  outputFiles: number;
  outputBytes: number;
  dropsByStage: Record<string, number>;
}

export interface Manifest {
  sift_version: string;
  status: 'running' | 'complete';
  config_path: string;
  config_hash: string;
  config: RunSpec;
  inputs: ShardInfo[];
  steps: { name: string; tasks: number }[];
  started_at: string;
  finished_at: string | null;
  totals: RunTotals | null;
  /** For a mix: per source, what was available, asked for and taken. */
  mix?: MixSourceRow[];
}

/** The parts of a spec that decide the results (not where the run lives, where its config file is,
 * or how many workers run it; a pipeline's inputs are checked on their own, shard by shard). */
export function configHash(spec: RunSpec): string {
  const { configPath: _path, configDir: _dir, runDir: _run, workers: _workers, ...rest } = spec;
  const decisive = rest.kind === 'pipeline' ? { ...rest, inputs: undefined } : rest;
  return createHash('sha256').update(JSON.stringify(decisive)).digest('hex');
}

export function readManifest(file: string): Manifest {
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

export function writeManifest(file: string, m: Manifest): void {
  writeFileAtomic(file, JSON.stringify(m, null, 2) + '\n');
}

export function newManifest(spec: RunSpec, inputs: ShardInfo[], steps: { name: string; tasks: number }[]): Manifest {
  return {
    sift_version: SIFT_VERSION,
    status: 'running',
    config_path: spec.configPath,
    config_hash: configHash(spec),
    config: spec,
    inputs,
    steps,
    started_at: new Date().toISOString(),
    finished_at: null,
    totals: null,
  };
}
