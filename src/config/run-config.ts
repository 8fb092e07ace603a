/**
 * Any run config: a pipeline (stages over inputs) or a mix (sources with weights or token budgets).
 * A config with `sources:` is a mix.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { looksLikeMix, parseMixConfig } from '../mix/spec.js';
import { parseConfig, type LoadOptions } from './load.js';
import type { RunSpec } from './schema.js';
import { ConfigError, parseYaml } from './yaml.js';

export function loadRunConfig(file: string, overrides: LoadOptions = {}): RunSpec {
  const configPath = resolve(file);
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
  if (looksLikeMix(parseYaml(text, configPath).data)) {
    if (overrides.inputs && overrides.inputs.length > 0) throw new ConfigError(configPath, [`${configPath}: --input does not apply to a mix (its sources name their inputs)`]);
    return parseMixConfig(text, configPath, { runDir: overrides.runDir, workers: overrides.workers });
  }
  return parseConfig(text, configPath, overrides);
}
