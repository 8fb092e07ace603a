import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { ConfigError } from '../../src/config/yaml.js';
import { collectTexts, loadBenchmarks, parseBenchmarksYaml } from '../../src/decon/benchmarks.js';
import { parseCsv } from '../../src/decon/records.js';
import { jsonl, removeTempDirs, tempDir, writeCompressed } from '../helpers/fixtures.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

afterAll(removeTempDirs);

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'decon');

function problemsOf(yaml: string): string[] {
  try {
    parseBenchmarksYaml(yaml, '/b/benchmarks.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected the benchmarks file to be rejected');
}

async function loadProblems(dir: string, yaml: string): Promise<string[]> {
  writeFileSync(join(dir, 'benchmarks.yaml'), yaml);
  try {
    await loadBenchmarks(join(dir, 'benchmarks.yaml'));
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected the benchmarks file to be rejected');
}

describe('benchmarks file: validation', () => {
  it('names file, line and column of an unknown key, with a suggestion', () => {
    const problems = problemsOf('benchmarks:\n  - name: gsm8k\n    files: a.jsonl\n    feilds: [question]\n');
    expect(problems).toContain('/b/benchmarks.yaml:4:5: benchmarks.0.feilds: unknown key "feilds" (did you mean "fields"?)');
    expect(problems).toContain('/b/benchmarks.yaml:2:5: benchmarks.0.fields: Invalid input: expected array, received undefined');
  });

  it('reports a value of the wrong type at the value, and every problem at once', () => {
    const problems = problemsOf('benchmarks:\n  - name: a\n    files: a.jsonl\n    fields: question\n  - name: b c\n    files: [b.jsonl]\n    fields: [q]\n');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe('/b/benchmarks.yaml:4:5: benchmarks.0.fields: Invalid input: expected array, received string');
    expect(problems[1]).toMatch(/^\/b\/benchmarks\.yaml:5:5: benchmarks\.1\.name: use letters, digits/);
  });

  it('rejects YAML syntax errors, a missing list and a benchmark listed twice', () => {
    expect(problemsOf('benchmarks: [\n')[0]).toMatch(/^\/b\/benchmarks\.yaml:\d+:\d+: /);
    expect(problemsOf('benchmark: []\n')).toContain('/b/benchmarks.yaml:1:1: benchmark: unknown key "benchmark" (did you mean "benchmarks"?)');
    const twice = problemsOf('benchmarks:\n  - {name: a, files: x.jsonl, fields: [q]}\n  - {name: a, files: y.jsonl, fields: [q]}\n');
    expect(twice).toEqual(['/b/benchmarks.yaml:3:6: benchmarks.1.name: benchmark "a" is listed twice; give the entries distinct splits']);
  });

  it('names a glob that matches nothing and a field no record has', async () => {
    const dir = tempDir();
    copyFileSync(join(FIXTURES, 'gsm8k-test-head20.jsonl'), join(dir, 'gsm8k.jsonl'));
    const problems = await loadProblems(dir, 'benchmarks:\n  - name: gsm8k\n    files: gsm8k.jsonl\n    fields: [question, answr]\n  - name: none\n    files: missing/*.jsonl\n    fields: [q]\n');
    expect(problems).toEqual([
      `${dir}/benchmarks.yaml:4:24: benchmarks.0.fields.1: no record has text at "answr" (the first record has: question, answer)`,
      `${dir}/benchmarks.yaml:6:5: benchmarks.1.files: no file matches "missing/*.jsonl" (relative to ${dir})`,
    ]);
  });
});

describe('benchmarks file: records and fields', () => {
  it('reads JSONL (also compressed), JSON lists and objects, CSV and Parquet', async () => {
    const dir = tempDir();
    const recs = [{ q: 'first question', choices: [{ text: 'x one' }, { text: 'y two' }] }, { q: 'second', choices: [{ text: 'z' }] }];
    writeCompressed(join(dir, 'a.jsonl.zst'), jsonl(recs));
    writeCompressed(join(dir, 'b.jsonl.gz'), jsonl(recs.slice(0, 1)));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ canary: 'x', examples: [{ input: 'in', target: 'out' }] }));
    writeFileSync(join(dir, 'd.json'), JSON.stringify([{ input: 'list' }]));
    writeFileSync(join(dir, 'e.csv'), 'q,A,B\n"a, ""quoted"" one",yes,no\nplain,"multi\nline",x\n');
    writeFileSync(join(dir, 'f.csv'), 'What is it?,alpha,beta\n');
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(`COPY (SELECT 'parquet question' AS question, ['p1', 'p2'] AS options) TO '${join(dir, 'g.parquet')}' (FORMAT parquet)`);
    con.closeSync();
    db.closeSync();
    writeFileSync(
      join(dir, 'benchmarks.yaml'),
      [
        'benchmarks:',
        '  - {name: mc, files: ["*.jsonl.*"], fields: [q, choices.text]}',
        '  - {name: bbh, files: [c.json, d.json], fields: [input, target], split: test}',
        '  - {name: csv, files: e.csv, fields: [q, [A, B]]}',
        '  - {name: nohead, files: f.csv, fields: [column0, [column1, column2]], header: false}',
        '  - {name: pq, files: g.parquet, fields: [question, options]}',
      ].join('\n'),
    );
    const b = await loadBenchmarks(join(dir, 'benchmarks.yaml'));
    expect(b.benchmarks.map((x) => [x.name, x.split, x.items])).toEqual([
      ['mc', null, 3],
      ['bbh', 'test', 2],
      ['csv', null, 2],
      ['nohead', null, 1],
      ['pq', null, 1],
    ]);
    const parts = (name: string): string[][][] => b.items.filter((it) => b.benchmarks[it.bench]!.name === name).map((it) => it.parts);
    expect(parts('mc')).toEqual([[['first question'], ['x one', 'y two']], [['second'], ['z']], [['first question'], ['x one', 'y two']]]);
    expect(parts('bbh')).toEqual([[['in'], ['out']], [['list'], []]]);
    expect(b.benchmarks[1]!.missing).toEqual([0, 1]);
    expect(parts('csv')).toEqual([[['a, "quoted" one'], ['yes', 'no']], [['plain'], ['multi\nline', 'x']]]);
    expect(parts('nohead')).toEqual([[['What is it?'], ['alpha', 'beta']]]);
    expect(parts('pq')).toEqual([[['parquet question'], ['p1', 'p2']]]);
    expect(b.benchmarks[0]!.parts).toEqual(['q', 'choices.text']);
    expect(b.benchmarks[2]!.parts).toEqual(['q', 'A+B']);
  });

  it('walks lists, `*` and numbers in field paths', () => {
    const rec = { a: { b: [{ c: 'one' }, { c: ['two', 'three'] }, { c: 4 }] }, o: { x: 'ox', y: 'oy' }, n: null };
    const at = (path: (string | number)[]): string[] => {
      const out: string[] = [];
      collectTexts(rec, path, 0, out);
      return out;
    };
    expect(at(['a', 'b', 'c'])).toEqual(['one', 'two', 'three', '4']);
    expect(at(['a', 'b', 1, 'c'])).toEqual(['two', 'three']);
    expect(at(['o', '*'])).toEqual(['ox', 'oy']);
    expect(at(['o'])).toEqual([]);
    expect(at(['n'])).toEqual([]);
    expect(at(['missing', 'x'])).toEqual([]);
  });

  it('uses id_field for item ids and the position otherwise', async () => {
    const dir = tempDir();
    copyFileSync(join(FIXTURES, 'humaneval-head6.jsonl'), join(dir, 'he.jsonl'));
    writeFileSync(join(dir, 'benchmarks.yaml'), 'benchmarks:\n  - {name: he, files: he.jsonl, fields: [prompt, canonical_solution], id_field: task_id}\n  - {name: pos, files: he.jsonl, fields: [prompt]}\n');
    const b = await loadBenchmarks(join(dir, 'benchmarks.yaml'));
    expect(b.items.slice(0, 2).map((it) => it.id)).toEqual(['HumanEval/0', 'HumanEval/1']);
    expect(b.items.slice(6, 8).map((it) => it.id)).toEqual(['0', '1']);
  });

  it('parses RFC 4180 CSV', () => {
    expect(parseCsv('a,b\r\n1,"x\r\ny"\r\n', true)).toEqual([{ a: '1', b: 'x\r\ny' }]);
    expect(parseCsv('\ufeffa,b\n"",""""\n', true)).toEqual([{ a: '', b: '"' }]);
    expect(() => parseCsv('a\n"open', true, 'f.csv')).toThrow('f.csv: unterminated quoted field');
  });
});
