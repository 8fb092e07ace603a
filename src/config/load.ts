/**
 * Reads a pipeline config (YAML), validates it, and resolves it into a PipelineSpec. Every problem is
 * reported as `file:line:col: key: message`, all of them at once (see yaml.ts).
 */
import { dirname, resolve } from 'node:path';
import { findStageType, stageTypeNames } from '../../filters/index.js';
import { ConfigError, issuesToProblems, parseYaml, readConfigFile, type IssuePath } from './yaml.js';
import { configSchema, documentSchema, documentSpecOf, outputSchema, outputSpecOf, stageCommonSchema, statsSchema, type PipelineSpec, type StageSpec } from './schema.js';
import { isObject } from '../core/document.js';

export interface LoadOptions {
  /** Override the config's `run_dir` (relative to the current directory). */
  runDir?: string;
  /** Override the config's `inputs` (relative to the current directory). */
  inputs?: string[];
  workers?: number;
}

export { ConfigError };

export function loadConfig(file: string, overrides: LoadOptions = {}): PipelineSpec {
  const { configPath, text } = readConfigFile(file);
  return parseConfig(text, configPath, overrides);
}

export function parseConfig(text: string, configPath: string, overrides: LoadOptions = {}): PipelineSpec {
  const { data, report } = parseYaml(text, configPath);
  const problems: string[] = [];
  const top = configSchema.safeParse(data);
  if (!top.success) problems.push(...issuesToProblems(top.error.issues, [], report, TOP_LEVEL_KEYS));
  // the stages are checked even when the rest is wrong, so that every problem is reported at once
  const stageEntries = top.success ? top.data.stages : isObject(data) && Array.isArray(data.stages) ? (data.stages as unknown[]) : [];

  const stages: StageSpec[] = [];
  const names = new Set<string>();
  stageEntries.forEach((entry, i) => {
    const base: IssuePath = ['stages', i];
    const common = stageCommonSchema.safeParse(entry);
    if (!common.success) {
      problems.push(...issuesToProblems(common.error.issues, base, report, []));
      // the stage's own options are still checked when its type is known
      if (isObject(entry) && typeof entry.type === 'string') {
        const { type: _type, name: _name, mode: _mode, ...rest } = entry;
        const def = findStageType(entry.type);
        const parsed = def?.options.safeParse(rest);
        if (def && parsed && !parsed.success) problems.push(...issuesToProblems(parsed.error.issues, base, report, [...Object.keys(def.options.shape), 'type', 'name', 'mode']));
      }
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

  if (!top.success) throw new ConfigError(configPath, problems);
  const cfg = top.data;
  const configDir = dirname(configPath);
  const inputs = overrides.inputs && overrides.inputs.length > 0 ? overrides.inputs.map((p) => resolve(p)) : cfg.inputs?.map((p) => resolve(configDir, p));
  if (!inputs) problems.push(report([], 'no inputs: set `inputs:` in the config or pass --input'));
  const runDir = overrides.runDir ? resolve(overrides.runDir) : cfg.run_dir ? resolve(configDir, cfg.run_dir) : undefined;
  if (!runDir) problems.push(report([], 'no run directory: set `run_dir:` in the config or pass --run-dir'));
  if (problems.length > 0) throw new ConfigError(configPath, problems);

  return {
    kind: 'pipeline',
    configPath,
    configDir,
    inputs: inputs!,
    runDir: runDir!,
    document: documentSpecOf(cfg.document),
    stages,
    output: outputSpecOf(cfg.output),
    rejected: cfg.rejected,
    onError: cfg.on_error,
    maxLineBytes: cfg.max_line_bytes,
    workers: overrides.workers ?? cfg.workers ?? null,
    stats: { docs: cfg.stats.docs },
  };
}

const TOP_LEVEL_KEYS = [
  ...Object.keys(configSchema.shape),
  ...Object.keys(documentSchema.shape),
  ...Object.keys(outputSchema.shape),
  ...Object.keys(statsSchema.shape),
];
