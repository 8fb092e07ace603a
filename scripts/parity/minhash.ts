/**
 * MinHash parity with the reference (datatrove's four MinHash steps at their defaults) on the dev
 * corpus: runs the `minhash` stage through `sift run` (empty texts skipped first, as the reference's
 * reader does) and prints the removed count beside the reference's, the Jaccard similarity of the
 * removed-id sets and of the duplicate pairs (documents in the same cluster), and cluster agreement.
 *
 *   npx tsx scripts/parity/minhash.ts [--tokenizer whitespace|reference]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { runLocal } from '../../src/exec/local.js';
import { readJsonlFile } from '../../src/io/whole-file.js';
import { openRunDatabase } from '../../src/stats/query.js';
import { sharedPath } from '../../test/helpers/shared-data.js';

const tokenizer = process.argv.includes('--tokenizer') ? process.argv[process.argv.indexOf('--tokenizer') + 1]! : 'reference';

function jaccard<T>(a: Set<T>, b: Set<T>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 1 : inter / union;
}

function pairs(clusters: string[][]): Set<string> {
  const out = new Set<string>();
  for (const c of clusters) {
    const m = [...c].sort();
    for (let i = 0; i < m.length; i++) for (let j = i + 1; j < m.length; j++) out.add(`${m[i]}\u0000${m[j]}`);
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'sift-parity-minhash-'));
try {
  const config = join(dir, 'p.yaml');
  writeFileSync(
    config,
    `inputs: ["${sharedPath('corpus', 'dev')}/*.jsonl.zst"]\nrun_dir: run\nstats:\n  docs: false\nstages:\n  - type: length\n    min_chars: 1\n  - type: minhash\n    tokenizer: ${tokenizer}\n`,
  );
  const t0 = performance.now();
  await runLocal(parseConfig(readFileSync(config, 'utf8'), config), { workers: 2 });
  const seconds = (performance.now() - t0) / 1000;
  const db = await openRunDatabase(join(dir, 'run'));
  let ours: string[][];
  try {
    const rows = (await db.con.runAndReadAll('SELECT kept_id, removed_ids FROM dedup_clusters')).getRowObjectsJS() as { kept_id: string; removed_ids: string[] }[];
    ours = rows.map((r) => [r.kept_id, ...r.removed_ids]);
  } finally {
    db.close();
  }
  const refClusters = readJsonlFile<{ kept: string; members: string[] }>(sharedPath('parity', 'dev', 'minhash_clusters.jsonl'));
  const refRemoved = new Set(readFileSync(sharedPath('parity', 'dev', 'minhash_removed_ids.txt'), 'utf8').split('\n').filter(Boolean));
  const ourRemoved = new Set(ours.flatMap((c) => c.slice(1)));
  const refKey = new Set(refClusters.map((c) => [...c.members].sort().join('\u0000')));
  const sameClusters = ours.filter((c) => refKey.has([...c].sort().join('\u0000'))).length;
  const refKept = new Map(refClusters.map((c) => [[...c.members].sort().join('\u0000'), c.kept]));
  const sameKept = ours.filter((c) => refKept.get([...c].sort().join('\u0000')) === c[0]).length;
  const removedJ = jaccard(ourRemoved, refRemoved);
  const pairJ = jaccard(pairs(ours), pairs(refClusters.map((c) => c.members)));
  console.log(`minhash (tokenizer: ${tokenizer}), sift run over the dev corpus in ${seconds.toFixed(1)} s`);
  console.log(`  removed              ${ourRemoved.size} (reference ${refRemoved.size})`);
  console.log(`  clusters             ${ours.length} (reference ${refClusters.length}); identical ${sameClusters}, of which same kept document ${sameKept}`);
  console.log(`  Jaccard removed ids  ${removedJ.toFixed(4)}   (target >= 0.95)`);
  console.log(`  Jaccard dup pairs    ${pairJ.toFixed(4)}   (target >= 0.95)`);
  if (removedJ < 0.95 || pairJ < 0.95) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
