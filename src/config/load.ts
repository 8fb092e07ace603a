/**
 * Reads a pipeline config (YAML), validates it, and resolves it into a PipelineSpec. Every problem is
 * reported as `file:line:col: key: message`, all of them at once. Configs are data only: YAML tags
 * that would construct objects are rejected, and nothing in a config is executed.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { findStageType, stageTypeNames } from '../../filters/index.js';
import { configSchema, documentSchema, outputSchema, stageCommonSchema, statsSchema, type PipelineSpec, type StageSpec } from './schema.js';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`invalid config ${file}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type IssuePath = readonly PropertyKey[];

export interface LoadOptions {
  /** Override the config's `run_dir` (relative to the current directory). */
  runDir?: string;
  /** Override the config's `inputs` (relative to the current directory). */
  inputs?: string[];
  workers?: number;
}

export function loadConfig(file: string, overrides: LoadOptions = {}): PipelineSpec {
  const configPath = resolve(file);
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
  return parseConfig(text, configPath, overrides);
}

export function parseConfig(text: string, configPath: string, overrides: LoadOptions = {}): PipelineSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, customTags: [] });
  const where = (offset: number | undefined): string => {
    if (offset === undefined) return configPath;
    const { line, col } = lines.linePos(offset);
    return `${configPath}:${line}:${col}`;
  };
  const yamlProblems = [...doc.errors, ...doc.warnings].map((e) => `${where(e.pos[0])}: ${e.message.split('\n')[0]}`);
  if (yamlProblems.length > 0) throw new ConfigError(configPath, yamlProblems);

  const data: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const report = (path: IssuePath, message: string): string => {
    const key = path.length > 0 ? path.map(String).join('.') : '(top level)';
    return `${where(offsetOf(doc, path))}: ${key}: ${message}`;
  };
  const problems: string[] = [];
  const top = configSchema.safeParse(data);
  if (!top.success) {
    problems.push(...issuesToProblems(top.error.issues, [], report, TOP_LEVEL_KEYS));
    throw new ConfigError(configPath, problems);
  }
  const cfg = top.data;

  const stages: StageSpec[] = [];
  const names = new Set<string>();
  cfg.stages.forEach((entry, i) => {
    const base: IssuePath = ['stages', i];
    const common = stageCommonSchema.safeParse(entry);
    if (!common.success) {
      problems.push(...issuesToProblems(common.error.issues, base, report, []));
      return;
    }
    const { type, name, mode, ...rest } = common.data;
    const def = findStageType(type);
    if (!def) {
      problems.push(report([...base, 'type'], `unknown stage type "${type}"; known types: ${stageTypeNames().join(', ')}`));
      return;
    }
    const parsed = def.options.safeParse(rest);
    if (!parsed.success) {
      problems.push(...issuesToProblems(parsed.error.issues, base, report, [...Object.keys(def.options.shape), 'type', 'name', 'mode']));
      return;
    }
    const stageName = name ?? type;
    if (names.has(stageName)) {
      problems.push(report([...base, name ? 'name' : 'type'], `stage name "${stageName}" is used twice; give one a distinct name:`));
      return;
    }
    names.add(stageName);
    stages.push({ type, name: stageName, mode, options: parsed.data as Record<string, unknown> });
  });

  const configDir = dirname(configPath);
  const inputs = overrides.inputs && overrides.inputs.length > 0 ? overrides.inputs.map((p) => resolve(p)) : cfg.inputs?.map((p) => resolve(configDir, p));
  if (!inputs) problems.push(report([], 'no inputs: set `inputs:` in the config or pass --input'));
  const runDir = overrides.runDir ? resolve(overrides.runDir) : cfg.run_dir ? resolve(configDir, cfg.run_dir) : undefined;
  if (!runDir) problems.push(report([], 'no run directory: set `run_dir:` in the config or pass --run-dir'));
  if (problems.length > 0) throw new ConfigError(configPath, problems);

  const d = cfg.document;
  return {
    configPath,
    configDir,
    inputs: inputs!,
    runDir: runDir!,
    document: {
      idField: d.id_field,
      textFields: d.messages ? [] : typeof d.text_field === 'string' ? [d.text_field] : d.text_field,
      messageFields: d.messages ? [d.messages] : [],
      roles: d.roles ?? null,
    },
    stages,
    output: {
      compression: cfg.output.compression,
      level: cfg.output.level ?? (cfg.output.compression === 'gzip' ? 6 : 3),
      maxDocsPerShard: cfg.output.max_docs_per_shard,
      maxBytesPerShard: cfg.output.max_bytes_per_shard ?? null,
    },
    rejected: cfg.rejected,
    onError: cfg.on_error,
    maxLineBytes: cfg.max_line_bytes,
    workers: overrides.workers ?? cfg.workers ?? null,
    stats: { docs: cfg.stats.docs },
  };
}

function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  base: IssuePath,
  report: (path: IssuePath, message: string) => string,
  knownKeys: readonly string[],
): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(report([...path, key], `unknown key "${key}"${suggest(key, knownKeys)}`));
    } else {
      out.push(report(path, issue.message));
    }
  }
  return out;
}

/** Offset of the node at `path` (for an unknown key: the key itself), or of its nearest ancestor. */
function offsetOf(doc: Document, path: IssuePath): number | undefined {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      if (!pair) return offset;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
      if (path[path.length - 1] === key && node === null) return offset;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      offset = (node as Node | undefined)?.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  const last = path[path.length - 1];
  if (typeof last === 'string') return offset; // point at the key, not its value
  return (node as Node | null)?.range?.[0] ?? offset;
}

/** " (did you mean ...?)" for a misspelled key. */
function suggest(key: string, knownKeys: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of knownKeys) {
    const d = editDistance(k, key);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

const TOP_LEVEL_KEYS = [
  ...Object.keys(configSchema.shape),
  ...Object.keys(documentSchema.shape),
  ...Object.keys(outputSchema.shape),
  ...Object.keys(statsSchema.shape),
];

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}
