import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonl, removeTempDirs, sampleDocs, sift, tempDir, writeCompressed } from '../helpers/fixtures.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

afterAll(removeTempDirs);

describe('the sift command', () => {
  let dir: string;
  let config: string;
  beforeAll(() => {
    dir = tempDir();
    writeCompressed(join(dir, 'a.jsonl.zst'), jsonl(sampleDocs(200, 'a')));
    writeCompressed(join(dir, 'b.jsonl.gz'), jsonl(sampleDocs(100, 'b')) + 'oops\n');
    config = join(dir, 'pipe.yaml');
    writeFileSync(config, 'inputs: ["*.jsonl.*"]\nrun_dir: run\nstages:\n  - type: length\n    name: long_enough\n    min_words: 40\n');
  });

  it('explains itself', () => {
    const r = sift(['--help']);
    expect(r.status).toBe(0);
    for (const cmd of ['run', 'validate', 'stats', 'sql', 'filters']) expect(r.stdout).toContain(cmd);
    expect(sift(['run', '--help']).stdout).toMatch(/--resume[\s\S]*--force/);
    expect(sift(['filters']).stdout).toMatch(/length: [\s\S]*sample: /);
  });

  it('exits with status 2 on bad usage of any command', () => {
    for (const args of [['run'], ['run', config, '--bogus'], ['sql', dir], ['explain', dir], ['decon', 'index', config, '--ngram', 'x']]) {
      const r = sift(args);
      expect(r.status, `sift ${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/error|must be/);
    }
  });

  it('validates a config, and reports errors with file:line:col and exit status 2', () => {
    const ok = sift(['validate', config]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/valid[\s\S]*2 shard\(s\)[\s\S]*long_enough \(length\)/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'inputs: [a.jsonl.zst]\nrun_dir: run\nstages:\n  - type: length\n    min_wrds: 3\n');
    const r = sift(['validate', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}:5:5: stages.0.min_wrds: unknown key "min_wrds" (did you mean "min_words"?)`);
  });

  it('runs, prints the funnel and the unreadable lines, answers SQL, and refuses to overwrite', () => {
    const r = sift(['run', config, '--workers', '2']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/1 unreadable record\(s\) skipped/);
    expect(r.stderr).toContain('b.jsonl.gz:101: invalid_json');
    expect(r.stderr).toMatch(/pass-0: .*docs\/s.*MB\/s.*ETA/);
    expect(r.stdout).toMatch(/long_enough\s+length\s+drop\s+300\s+180\s+120/);
    expect(r.stdout).toMatch(/read 301 = kept 180 \+ dropped 120 \+ unreadable 1/);

    const stats = sift(['stats', join(dir, 'run')]);
    expect(stats.status).toBe(0);
    expect(stats.stdout).toMatch(/too_few_words\s+120\s+40\.0%/);

    const json = sift(['sql', join(dir, 'run'), "SELECT stage, sum(docs_dropped) AS dropped FROM stages WHERE stage <> 'read' GROUP BY ALL ORDER BY stage", '--json']);
    expect(json.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { stage: 'long_enough', dropped: 120 },
      { stage: 'write', dropped: 0 },
    ]);
    const csv = sift(['sql', join(dir, 'run'), 'SELECT shard, line, kind FROM errors', '--csv']);
    expect(csv.stdout).toBe('shard,line,kind\nb.jsonl.gz,101,invalid_json\n');
    const badSql = sift(['sql', join(dir, 'run'), 'SELECT nope FROM docs']);
    expect(badSql.status).toBe(2);
    expect(badSql.stderr).toMatch(/query failed/);

    const again = sift(['run', config]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/holds a finished run.*--force/);
    expect(sift(['run', config, '--force', '-q']).status).toBe(0);
  });

  it('draws a progress bar with docs/s, MB/s and ETA on a terminal', () => {
    // `script` runs the command on a pseudo-terminal (util-linux); the bar goes to stderr.
    const which = spawnSync('script', ['--version'], { encoding: 'utf8' });
    if (which.status !== 0) {
      console.warn('*** SKIPPED progress bar test: the script command (util-linux) is missing ***');
      return;
    }
    const log = join(dir, 'tty.log');
    const cmd = `${process.execPath} ${join(REPO_ROOT, 'bin', 'sift.js')} run pipe.yaml --run-dir tty-run --force`;
    spawnSync('script', ['-qc', cmd, log], { cwd: dir, encoding: 'utf8' });
    const screen = readFileSync(log, 'utf8');
    expect(screen).toMatch(/pass-0 +\[[^\]]+\] \d+% \| tasks \d+\/2 \| [\d,]+ docs \| [\d,]+ docs\/s \| [\d.]+ MB\/s \| ETA/);
  });

  it('overrides inputs and run directory from the command line', () => {
    const r = sift(['run', config, '--input', join(dir, 'a.jsonl.zst'), '--run-dir', 'other-run', '-q'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/read 200 = kept 120 \+ dropped 80 \+ unreadable 0/);
    expect(sift(['stats', join(dir, 'other-run')]).stdout).toMatch(/Funnel of/);
  });

  it('says clearly when the inputs match nothing', () => {
    const r = sift(['run', config, '--input', join(dir, 'nothing-*.jsonl'), '--run-dir', join(dir, 'r3')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/matched no shards/);
  });
});
