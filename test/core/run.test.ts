import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { readManifest } from '../../src/core/manifest.js';
import { runLocal } from '../../src/exec/local.js';
import { openRunDatabase } from '../../src/stats/query.js';
import { folderBytes, jsonl, readJsonLines, removeTempDirs, sampleDocs, tempDir, writeCompressed } from '../helpers/fixtures.js';

afterAll(removeTempDirs);

/** Four shards of 300 docs (doc i has 10 * (i % 10) words) and a config over them. */
function setup(stagesYaml: string, extra = ''): { dir: string; config: string } {
  const dir = tempDir();
  for (let s = 0; s < 4; s++) writeCompressed(join(dir, `in-${s}.jsonl.zst`), jsonl(sampleDocs(300, `s${s}`)));
  const config = join(dir, 'pipe.yaml');
  writeFileSync(config, `inputs: ["in-*.jsonl.zst"]\nrun_dir: run\nstages:\n${stagesYaml}\n${extra}`);
  return { dir, config };
}

const spec = (config: string, over: Record<string, unknown> = {}) => parseConfig(readFileSync(config, 'utf8'), config, over);

async function query(run: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = await openRunDatabase(run);
  try {
    return (await db.con.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

describe('a local run', () => {
  it('drops with reasons, writes rejected docs, stats and a manifest that accounts for every document', async () => {
    const { dir, config } = setup('  - type: length\n    min_words: 30\n  - type: sample\n    rate: 0.5\n    seed: 3', 'rejected: true\n');
    const out = await runLocal(spec(config), { workers: 2 });
    const run = join(dir, 'run');
    const kept = readJsonLines(join(run, 'output'));
    const rejected = readJsonLines<{ id: string; metadata: { sift_reason: string; sift_stage: string } }>(join(run, 'rejected'));
    expect(kept.length + rejected.length).toBe(1200);
    expect(rejected.filter((r) => r.metadata.sift_reason === 'too_few_words')).toHaveLength(360);
    expect(new Set(rejected.map((r) => `${r.metadata.sift_stage}:${r.metadata.sift_reason}`))).toEqual(new Set(['length:too_few_words', 'sample:sampled_out']));
    expect(kept.length).toBeGreaterThan(300);
    expect(kept.length).toBeLessThan(540);
    // Kept records are written back byte for byte.
    const original = new Map(sampleDocs(300, 's0').map((d) => [d.id, JSON.stringify(d)]));
    const firstKept = readFileSync(join(run, 'output', 'part-00000-0000.jsonl.zst'));
    expect(firstKept.length).toBeGreaterThan(0);
    for (const k of kept.filter((k) => String(k.id).startsWith('s0-'))) expect(JSON.stringify(k)).toBe(original.get(String(k.id)));

    const m = out.manifest;
    expect(m.status).toBe('complete');
    expect(m.totals).toMatchObject({ read: 1200, kept: kept.length, dropped: rejected.length, unreadable: 0, conserved: true });
    expect(m.inputs.map((i) => i.label)).toEqual(['in-0.jsonl.zst', 'in-1.jsonl.zst', 'in-2.jsonl.zst', 'in-3.jsonl.zst']);
    expect(m.config_hash).toMatch(/^[0-9a-f]{64}$/);

    const stages = await query(run, 'SELECT stage, sum(docs_in)::INT AS n, sum(docs_dropped)::INT AS d FROM stages GROUP BY stage, stage_index ORDER BY stage_index');
    expect(stages).toEqual([
      { stage: 'read', n: 1200, d: 0 },
      { stage: 'length', n: 1200, d: 360 },
      { stage: 'sample', n: 840, d: rejected.length - 360 },
      { stage: 'write', n: kept.length, d: 0 },
    ]);
    const docs = await query(run, "SELECT count(*)::INT AS n, count(reason)::INT AS dropped, min(words)::INT AS lo FROM docs WHERE stage = 'length'");
    expect(docs).toEqual([{ n: 1200, dropped: 360, lo: 0 }]);
    const one = await query(run, "SELECT keep, reason, words, chars FROM docs WHERE id = 's1-3' AND stage = 'length'");
    expect(one).toEqual([{ keep: true, reason: null, words: 30, chars: sampleDocs(4, 's1')[3]!.text.length }]);
  });

  it('writes the same bytes for the same inputs and config, whatever the number of workers', async () => {
    const { dir, config } = setup('  - type: sample\n    rate: 0.7', 'output:\n  max_docs_per_shard: 50\n');
    await runLocal(spec(config), { workers: 1 });
    const a = folderBytes(join(dir, 'run', 'output'));
    await runLocal(spec(config, { runDir: join(dir, 'run2') }), { workers: 2 });
    const b = folderBytes(join(dir, 'run2', 'output'));
    expect([...a.keys()]).toEqual([...b.keys()]);
    expect([...a.keys()].length).toBeGreaterThan(4);
    for (const [k, v] of a) expect(v.equals(b.get(k)!)).toBe(true);
    expect([...a.keys()][0]).toBe('part-00000-0000.jsonl.zst');
  });

  it('counts the tokens of written documents with output.tokenizer', async () => {
    const { dir, config } = setup('  - type: length\n    min_words: 80', 'output:\n  tokenizer: whitespace\n');
    await runLocal(spec(config), { workers: 1 });
    const rows = await query(join(dir, 'run'), "SELECT sum(tokens)::INT AS t FROM stages WHERE stage = 'write' UNION ALL SELECT sum(tokens)::INT FROM docs WHERE stage = 'write'");
    // 4 shards x 30 documents of 80 and 90 words.
    expect(rows).toEqual([{ t: 4 * 30 * 170 }, { t: 4 * 30 * 170 }]);
  });

  it('in tag mode records the would-be decision and keeps every document', async () => {
    const { dir, config } = setup('  - type: length\n    min_words: 30\n    mode: tag');
    const out = await runLocal(spec(config), { workers: 1 });
    expect(out.manifest.totals).toMatchObject({ read: 1200, kept: 1200, dropped: 0 });
    const rows = await query(join(dir, 'run'), "SELECT sum(docs_flagged)::INT AS f, sum(docs_dropped)::INT AS d FROM stages WHERE stage = 'length'");
    expect(rows).toEqual([{ f: 360, d: 0 }]);
    const flagged = await query(join(dir, 'run'), 'SELECT count(*)::INT AS n FROM docs WHERE NOT keep');
    expect(flagged).toEqual([{ n: 360 }]);
  });

  it('resumes: skips finished shards, redoes unfinished ones, and ends with the same output', async () => {
    const { dir, config } = setup('  - type: sample\n    rate: 0.5');
    await runLocal(spec(config), { workers: 2 });
    const run = join(dir, 'run');
    const full = folderBytes(join(run, 'output'));
    // Make it look as if shard 2 was cut off mid-write and the run never finished.
    rmSync(join(run, 'done', 'pass-0', '00002.json'));
    rmSync(join(run, 'done', 'finalize'), { recursive: true });
    writeFileSync(join(run, 'output', '.part-00002-0000.jsonl.zst.tmp'), 'partial');
    writeFileSync(join(run, 'output', 'part-00002-0000.jsonl.zst'), 'garbage');
    const m = readManifest(join(run, 'manifest.json'));
    writeFileSync(join(run, 'manifest.json'), JSON.stringify({ ...m, status: 'running', totals: null }));
    const marker1 = readFileSync(join(run, 'done', 'pass-0', '00001.json'), 'utf8');

    await expect(runLocal(spec(config), { workers: 2 })).rejects.toThrow(/holds an unfinished run.*--resume/);
    const out = await runLocal(spec(config), { workers: 2, resume: true });
    expect(out.manifest.status).toBe('complete');
    expect(readFileSync(join(run, 'done', 'pass-0', '00001.json'), 'utf8')).toBe(marker1);
    const again = folderBytes(join(run, 'output'));
    expect([...again.keys()]).toEqual([...full.keys()]);
    for (const [k, v] of full) expect(v.equals(again.get(k)!)).toBe(true);
  });

  it('refuses a finished run directory unless forced, and a changed config on resume', async () => {
    const { dir, config } = setup('  - type: sample\n    rate: 0.5');
    await runLocal(spec(config));
    await expect(runLocal(spec(config))).rejects.toThrow(/holds a finished run.*--force/);
    const again = await runLocal(spec(config), { force: true });
    expect(again.manifest.status).toBe('complete');
    const m = readManifest(join(dir, 'run', 'manifest.json'));
    writeFileSync(join(dir, 'run', 'manifest.json'), JSON.stringify({ ...m, status: 'running' }));
    writeFileSync(config, readFileSync(config, 'utf8').replace('rate: 0.5', 'rate: 0.6'));
    await expect(runLocal(spec(config), { resume: true })).rejects.toThrow(/config changed/);
  });

  it('counts unreadable records, and with on_error: fail stops at the first with file and line', async () => {
    const dir = tempDir();
    writeCompressed(join(dir, 'a.jsonl.gz'), `${JSON.stringify({ id: 'a', text: 'one two' })}\nnot json\n${JSON.stringify({ id: 'b', text: 'three' })}\n`);
    const config = join(dir, 'pipe.yaml');
    writeFileSync(config, 'inputs: [a.jsonl.gz]\nrun_dir: run\n');
    const out = await runLocal(spec(config));
    expect(out.manifest.totals).toMatchObject({ read: 3, kept: 2, dropped: 0, unreadable: 1, conserved: true });
    const errors = await query(join(dir, 'run'), 'SELECT shard, line::INT AS line, kind FROM errors');
    expect(errors).toEqual([{ shard: 'a.jsonl.gz', line: 2, kind: 'invalid_json' }]);
    writeFileSync(config, 'inputs: [a.jsonl.gz]\nrun_dir: run2\non_error: fail\n');
    await expect(runLocal(spec(config))).rejects.toThrow(/a\.jsonl\.gz:2: invalid_json/);
  });

  it('writes chat records back unchanged and refuses a second run on a locked directory', async () => {
    const dir = tempDir();
    const records = [
      { id: 'c1', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello there, how can I help you today with anything' }], meta: { n: 1.5 } },
      { id: 'c2', messages: [{ role: 'user', content: 'short' }] },
    ];
    writeCompressed(join(dir, 'chat.jsonl'), jsonl(records));
    const config = join(dir, 'pipe.yaml');
    writeFileSync(config, 'inputs: [chat.jsonl]\nrun_dir: run\ndocument:\n  messages: messages\nstages:\n  - type: length\n    min_words: 5\noutput:\n  compression: none\n');
    await runLocal(spec(config));
    expect(readFileSync(join(dir, 'run', 'output', 'part-00000-0000.jsonl'), 'utf8')).toBe(JSON.stringify(records[0]) + '\n');
    writeFileSync(join(dir, 'run', '.lock'), JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), started_at: 'now' }));
    await expect(runLocal(spec(config), { force: true })).rejects.toThrow(/is in use by pid/);
    rmSync(join(dir, 'run', '.lock'));
  });

  it('takes over a stale lock of a process that is gone', async () => {
    const { dir, config } = setup('  - type: sample\n    rate: 0.5');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'run'), { recursive: true });
    writeFileSync(join(dir, 'run', '.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), started_at: 'long ago' }));
    const out = await runLocal(spec(config));
    expect(out.manifest.status).toBe('complete');
    expect(existsSync(join(dir, 'run', '.lock'))).toBe(false);
    expect(readdirSync(join(dir, 'run', 'done', 'pass-0'))).toHaveLength(4);
  });
});
