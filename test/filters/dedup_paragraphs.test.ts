import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { runLocal } from '../../src/exec/local.js';
import { openRunDatabase } from '../../src/stats/query.js';
import { jsonl, readJsonLines, removeTempDirs, tempDir, writeCompressed } from '../helpers/fixtures.js';

afterAll(removeTempDirs);

const FOOTER = 'Subscribe to our newsletter for the latest updates.';
const COOKIE = '  This site uses cookies to improve your experience.  ';

describe('dedup_paragraphs', () => {
  it('cuts lines seen earlier in the corpus, keeps their first occurrence and short lines, drops emptied documents', async () => {
    const dir = tempDir();
    for (let s = 0; s < 2; s++) {
      writeCompressed(
        join(dir, `in-${s}.jsonl.zst`),
        jsonl([
          { id: `s${s}-a`, text: `Article ${s}a about rivers and the towns along them.\n${FOOTER}\nShare\n${COOKIE}` },
          { id: `s${s}-b`, text: `Article ${s}b on mountain weather and how it changes by the hour.\n\n${FOOTER}` },
          { id: `s${s}-c`, text: `${FOOTER}\n${COOKIE.trim()}` },
        ]),
      );
    }
    const config = join(dir, 'p.yaml');
    writeFileSync(config, 'inputs: ["in-*.jsonl.zst"]\nrun_dir: run\nrejected: true\nstages:\n  - type: dedup_paragraphs\n    min_length: 10\n    partitions: 3\n');
    const out = await runLocal(parseConfig(readFileSync(config, 'utf8'), config), { workers: 2 });
    const kept = new Map(readJsonLines<{ id: string; text: string }>(join(dir, 'run', 'output')).map((d) => [d.id, d.text]));
    expect(kept.get('s0-a')).toBe(`Article 0a about rivers and the towns along them.\n${FOOTER}\nShare\n${COOKIE}`);
    expect(kept.get('s0-b')).toBe('Article 0b on mountain weather and how it changes by the hour.\n');
    expect(kept.get('s1-a')).toBe('Article 1a about rivers and the towns along them.\nShare');
    expect(kept.has('s0-c')).toBe(false);
    expect(kept.has('s1-c')).toBe(false);
    expect(out.manifest.totals).toMatchObject({ read: 6, kept: 4, dropped: 2, conserved: true });
    const rejected = readJsonLines<{ id: string; metadata: { sift_reason: string } }>(join(dir, 'run', 'rejected'));
    expect(rejected.map((r) => r.metadata.sift_reason)).toEqual(['all_paragraphs_duplicate', 'all_paragraphs_duplicate']);
    const db = await openRunDatabase(join(dir, 'run'));
    try {
      const m = (await db.con.runAndReadAll("SELECT id, para_removed::INT AS n, para_removed_chars::INT AS c FROM docs WHERE stage = 'dedup_paragraphs' ORDER BY id")).getRowObjectsJS();
      expect(m.find((r) => r.id === 's1-a')).toEqual({ id: 's1-a', n: 2, c: FOOTER.length + 1 + COOKIE.length + 1 });
      expect(m.find((r) => r.id === 's0-a')).toEqual({ id: 's0-a', n: 0, c: 0 });
    } finally {
      db.close();
    }
  });
});
