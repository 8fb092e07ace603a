import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { runLocal } from '../../src/exec/local.js';
import { openRunDatabase } from '../../src/stats/query.js';
import { jsonl, readJsonLines, removeTempDirs, sift, tempDir } from '../helpers/fixtures.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

afterAll(removeTempDirs);

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'decon');
const gsm8k = readFileSync(join(FIXTURES, 'gsm8k-test-head20.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { question: string; answer: string });
const CLEAN = 'The committee met on Tuesday to review the budget for the coming year. Members discussed the cost of repairs to the old library roof, the plan for new street lights along the river, and a proposal to extend the opening hours of the swimming pool during the summer months.';

describe('decon', () => {
  let dir = '';
  beforeAll(() => {
    dir = tempDir();
    copyFileSync(join(FIXTURES, 'gsm8k-test-head20.jsonl'), join(dir, 'gsm8k.jsonl'));
    copyFileSync(join(FIXTURES, 'humaneval-head6.jsonl'), join(dir, 'humaneval.jsonl'));
    writeFileSync(join(dir, 'benchmarks.yaml'), 'benchmarks:\n  - name: gsm8k\n    files: [gsm8k.jsonl]\n    fields: [question, answer]\n    split: test\n  - name: humaneval\n    files: [humaneval.jsonl]\n    fields: [prompt]\n    id_field: task_id\n');
    const r = sift(['decon', 'index', 'benchmarks.yaml', '-o', 'bench.idx'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/gsm8k\s+test\s+20\s+20/);
  });

  const run = async (stage: string, docs: object[], documentYaml = ''): Promise<string> => {
    const d = tempDir();
    writeFileSync(join(d, 'in.jsonl'), jsonl(docs));
    const config = join(d, 'p.yaml');
    writeFileSync(config, `inputs: [in.jsonl]\nrun_dir: run\nrejected: true\n${documentYaml}stages:\n  - type: decon\n    index: ${join(dir, 'bench.idx')}\n${stage}\n`);
    await runLocal(parseConfig(readFileSync(config, 'utf8'), config), { workers: 1 });
    return join(d, 'run');
  };

  it('drops documents holding a benchmark item, verbatim or reformatted, and reports each hit', async () => {
    const q = gsm8k[3]!.question;
    const docs = [
      { id: 'clean', text: CLEAN },
      { id: 'verbatim', text: `${CLEAN}\n\nHomework: ${q}` },
      { id: 'reformatted', text: `${CLEAN} ${q.toUpperCase().replace(/ /g, '   ').replace(/[.?]/g, '!')}` },
      { id: 'solution', text: `Worked answer:\n${gsm8k[5]!.answer}` },
    ];
    const runDir = await run('    match: coverage', docs);
    expect(readJsonLines<{ id: string }>(join(runDir, 'output')).map((d) => d.id)).toEqual(['clean']);
    const db = await openRunDatabase(runDir);
    try {
      const hits = (await db.con.runAndReadAll('SELECT id, benchmark, item, coverage >= 0.5 AS covered FROM decon ORDER BY id')).getRowObjectsJS();
      expect(hits).toEqual([
        { id: 'reformatted', benchmark: 'gsm8k', item: 3n, covered: true },
        { id: 'solution', benchmark: 'gsm8k', item: 5n, covered: true },
        { id: 'verbatim', benchmark: 'gsm8k', item: 3n, covered: true },
      ]);
    } finally {
      db.close();
    }
    const stats = sift(['stats', runDir]);
    expect(stats.stdout).toMatch(/gsm8k\s+test\s+2\s+3\s+3\s+1\.00/);
  });

  it('cuts matched spans from chat messages and keeps the rest, or drops when too little is left', async () => {
    const q = gsm8k[7]!.question;
    const docs = [
      { id: 'chat', messages: [{ role: 'user', content: `Please help. ${q}` }, { role: 'assistant', content: CLEAN }] },
      { id: 'only-item', messages: [{ role: 'user', content: q }] },
    ];
    const runDir = await run('    action: remove_spans\n    context_words: 3\n    min_remaining: 0.3', docs, 'document:\n  messages: messages\n');
    const kept = readJsonLines<{ id: string; messages: { content: string }[] }>(join(runDir, 'output'));
    expect(kept.map((d) => d.id)).toEqual(['chat']);
    expect(kept[0]!.messages[0]!.content).not.toContain(q.slice(10, 60));
    expect(kept[0]!.messages[1]!.content).toBe(CLEAN);
    const rejected = readJsonLines<{ id: string; metadata: { sift_reason: string } }>(join(runDir, 'rejected'));
    expect(rejected.map((d) => [d.id, d.metadata.sift_reason])).toEqual([['only-item', 'contaminated_too_little_left']]);
  });

  it('tags without changing anything, and finds items in preference records', async () => {
    const docs = [{ id: 'pref', chosen: `${CLEAN} ${gsm8k[11]!.question}`, rejected: CLEAN }];
    const runDir = await run('    action: tag', docs, 'document:\n  text_field: [chosen, rejected]\n');
    const kept = readJsonLines<{ id: string; chosen: string }>(join(runDir, 'output'));
    expect(kept).toEqual([docs[0]]);
    const db = await openRunDatabase(runDir);
    try {
      const rows = (await db.con.runAndReadAll("SELECT decon_hits, decon_benchmark FROM docs WHERE stage = 'decon'")).getRowObjectsJS();
      expect(rows).toEqual([{ decon_hits: 1, decon_benchmark: 'gsm8k' }]);
    } finally {
      db.close();
    }
  });

  it('names a missing or damaged index', () => {
    const d = tempDir();
    writeFileSync(join(d, 'bad.idx'), 'not an index');
    writeFileSync(join(d, 'in.jsonl'), jsonl([{ id: 'a', text: CLEAN }]));
    writeFileSync(join(d, 'p.yaml'), 'inputs: [in.jsonl]\nrun_dir: run\nstages:\n  - type: decon\n    index: bad.idx\n');
    const r = sift(['validate', 'p.yaml'], d);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/bad\.idx/);
  });
});
