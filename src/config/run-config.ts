/**
 * Any run config: a pipeline (stages over inputs) or a mix (sources with weights or token budgets).
 * A config with `sources:` is a mix.
 */
import { looksLikeMix, parseMixConfig } from '../mix/spec.js';
import { parseConfig, type LoadOptions } from './load.js';
import type { RunSpec } from './schema.js';
import { ConfigError, parseYaml, readConfigFile } from './yaml.js';

export function loadRunConfig(file: string, overrides: LoadOptions = {}): RunSpec {
  const { configPath, text } = readConfigFile(file);
  if (looksLikeMix(parseYaml(text, configPath).data)) {
    if (overrides.inputs && overrides.inputs.length > 0) throw new ConfigError(configPath, [`${configPath}: --input does not apply to a mix (its sources name their inputs)`]);
    return parseMixConfig(text, configPath, { runDir: overrides.runDir, workers: overrides.workers });
  }
  return parseConfig(text, configPath, overrides);
}
