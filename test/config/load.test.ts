import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load.js';
import { removeTempDirs, tempDir } from '../helpers/fixtures.js';

afterAll(removeTempDirs);

function problemsOf(yaml: string): string[] {
  try {
    parseConfig(yaml, '/cfg/pipe.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
}

describe('loadConfig', () => {
  it('accepts the minimal config and fills in defaults', () => {
    const spec = parseConfig(
      ['inputs: [data/*.jsonl.zst]', 'run_dir: runs/example', 'stages:', '  - type: length', '    min_words: 50', '    mode: drop', 'output:', '  compression: zstd', '  max_docs_per_shard: 100000', ''].join('\n'),
      '/cfg/pipe.yaml',
    );
    expect(spec.inputs).toEqual(['/cfg/data/*.jsonl.zst']);
    expect(spec.runDir).toBe('/cfg/runs/example');
    expect(spec.stages).toEqual([{ type: 'length', name: 'length', mode: 'drop', options: { min_words: 50 } }]);
    expect(spec.output).toEqual({ compression: 'zstd', level: 3, maxDocsPerShard: 100000, maxBytesPerShard: null, tokenizer: null });
    expect(spec.document).toEqual({ idField: 'id', textFields: ['text'], messageFields: [], roles: null });
    expect(spec.onError).toBe('skip');
    expect(spec.rejected).toBe(false);
    expect(spec.maxLineBytes).toBe(64 * 1024 * 1024);
  });

  it('names file, line, column and key of an unknown top-level key, with a suggestion', () => {
    const problems = problemsOf('inputs: [a.jsonl]\nrun_dir: r\nrejectd: true\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toBe('/cfg/pipe.yaml:3:1: rejectd: unknown key "rejectd" (did you mean "rejected"?)');
  });

  it('points at an unknown stage option inside the stage list', () => {
    const problems = problemsOf('inputs: [a.jsonl]\nrun_dir: r\nstages:\n  - type: length\n    min_word: 5\n');
    expect(problems).toEqual(['/cfg/pipe.yaml:5:5: stages.0.min_word: unknown key "min_word" (did you mean "min_words"?)']);
  });

  it('reports a value of the wrong type at the value', () => {
    const problems = problemsOf('inputs: [a.jsonl]\nrun_dir: r\nstages:\n  - type: length\n    min_words: -3\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\/cfg\/pipe\.yaml:5:5: stages\.0\.min_words: /);
  });

  it('lists the known types for an unknown stage type', () => {
    const problems = problemsOf('inputs: [a.jsonl]\nrun_dir: r\nstages:\n  - type: lenght\n');
    expect(problems[0]).toMatch(/^\/cfg\/pipe\.yaml:4:5: stages\.0\.type: unknown stage type "lenght"; known types: .*length/);
  });

  it('reports problems of the stages together with a wrong top-level key', () => {
    const problems = problemsOf('inputs: [a.jsonl]\nrun_dir: r\noutptu: {}\nstages:\n  - type: length\n    min_wrds: 5\n    mode: tagg\n');
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^\/cfg\/pipe\.yaml:3:1: outptu: unknown key/);
    expect(problems.slice(1).join('\n')).toMatch(/pipe\.yaml:7:\d+: stages\.0\.mode: /);
    expect(problems.slice(1).join('\n')).toMatch(/pipe\.yaml:6:5: stages\.0\.min_wrds: unknown key/);
  });

  it('refuses a compression level the codec does not have', () => {
    expect(problemsOf('inputs: [a.jsonl]\nrun_dir: r\noutput:\n  compression: gzip\n  level: 15\n')).toEqual(['/cfg/pipe.yaml:5:3: output.level: gzip levels are 1 to 9, got 15']);
    expect(problemsOf('inputs: [a.jsonl]\nrun_dir: r\noutput:\n  compression: none\n  level: 3\n')[0]).toMatch(/output\.level: a compression level needs/);
    expect(parseConfig('inputs: [a.jsonl]\nrun_dir: r\noutput:\n  compression: zstd\n  level: 15\n', '/cfg/pipe.yaml').output.level).toBe(15);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf('inputs: [a.jsonl]\nrun_dir: r\nstages:\n  - type: length\n    bogus: 1\n  - type: sample\n');
    expect(problems).toHaveLength(2);
    expect(problems[1]).toMatch(/stages\.1\.rate/);
  });

  it('rejects two stages with the same name', () => {
    const problems = problemsOf('inputs: [a.jsonl]\nrun_dir: r\nstages:\n  - type: length\n  - type: length\n');
    expect(problems[0]).toMatch(/:5:5: stages\.1\.type: stage name "length" is used twice/);
  });

  it('reports YAML syntax errors with their position', () => {
    const problems = problemsOf('inputs: [a.jsonl\nrun_dir: r\n');
    expect(problems[0]).toMatch(/^\/cfg\/pipe\.yaml:\d+:\d+: /);
  });

  it('requires inputs and a run directory, from the config or the command line', () => {
    const problems = problemsOf('stages: []\n');
    expect(problems.join('\n')).toMatch(/no inputs/);
    expect(problems.join('\n')).toMatch(/no run directory/);
    const spec = parseConfig('stages: []\n', '/cfg/pipe.yaml', { inputs: ['x/*.jsonl'], runDir: 'out' });
    expect(spec.inputs).toEqual([join(process.cwd(), 'x/*.jsonl')]);
    expect(spec.runDir).toBe(join(process.cwd(), 'out'));
  });

  it('reads messages and roles for chat records', () => {
    const spec = parseConfig('inputs: [a.jsonl]\nrun_dir: r\ndocument:\n  messages: messages\n  roles: [user]\n', '/cfg/pipe.yaml');
    expect(spec.document).toEqual({ idField: 'id', textFields: [], messageFields: ['messages'], roles: ['user'] });
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadConfig('/nonexistent/pipe.yaml')).toThrow(/\/nonexistent\/pipe\.yaml: cannot read: ENOENT/);
  });

  it('loads from a file, resolving paths against its folder', () => {
    const dir = tempDir();
    const file = join(dir, 'p.yaml');
    writeFileSync(file, 'inputs: [shards/*.jsonl]\nrun_dir: ../run\n');
    const spec = loadConfig(file);
    expect(spec.inputs).toEqual([join(dir, 'shards/*.jsonl')]);
    expect(spec.runDir).toBe(join(dir, '..', 'run'));
  });
});
