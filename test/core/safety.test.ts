import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import { runLocal } from '../../src/exec/local.js';
import { jsonl, removeTempDirs, sampleDocs, tempDir, writeCompressed } from '../helpers/fixtures.js';

afterAll(removeTempDirs);

function problems(yaml: string): string {
  try {
    parseConfig(yaml, '/cfg/p.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.join('\n');
  }
  throw new Error('expected the config to be rejected');
}

describe('config and run directory safety', () => {
  it('refuses stage names that could be paths', () => {
    for (const name of ['..', '.', '.hidden', 'a/b', '../up']) {
      expect(problems(`inputs: [a.jsonl]\nrun_dir: r\nstages:\n  - type: dedup_exact\n    name: "${name}"\n`)).toMatch(/stages\.0\.name: a name of letters, digits/);
    }
  });

  it('never executes anything: YAML tags are refused, alias bombs are bounded', () => {
    expect(problems('inputs: !!js/function "function () { return 1 }"\nrun_dir: r\n')).toMatch(/p\.yaml:1:\d+: .*tag/i);
    expect(problems('inputs: [a.jsonl]\nrun_dir: !custom r\n')).toMatch(/tag/i);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
    expect(problems(`${bomb}\ninputs: [a.jsonl]\nrun_dir: r\n`)).toMatch(/alias/i);
  });

  it('refuses to write through a link out of the run directory', async () => {
    const dir = tempDir();
    writeCompressed(join(dir, 'a.jsonl'), jsonl(sampleDocs(10)));
    const config = join(dir, 'p.yaml');
    writeFileSync(config, 'inputs: [a.jsonl]\nrun_dir: run\n');
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    mkdirSync(join(dir, 'run'));
    symlinkSync(elsewhere, join(dir, 'run', 'output'));
    await expect(runLocal(parseConfig(readFileSync(config, 'utf8'), config))).rejects.toThrow(/run\/output is a symbolic link; a run writes only inside its run directory/);
  });
});
