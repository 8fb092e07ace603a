/**
 * Per-worker speed of every per-document stage on the dev corpus: each alone (its own word
 * tokenization), the four reference quality filters together (one tokenization shared, as in a
 * pipeline), and a whole `sift run` of those four with one worker (reading and writing included).
 * docs/s and MB/s of UTF-8 text; best of 3 passes over warm code, wall clock and CPU time.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filters } from '../../filters/index.js';
import { parseConfig } from '../../src/config/load.js';
import { Doc } from '../../src/core/document.js';
import type { Filter, Metrics } from '../../src/core/filter.js';
import { runLocal } from '../../src/exec/local.js';
import { readJsonlFile } from '../../src/io/whole-file.js';
import { stageOptions } from '../../test/helpers/adversarial.js';
import { hasSharedData, sharedPath } from '../../test/helpers/shared-data.js';

if (!hasSharedData('corpus', 'dev')) {
  console.warn(`*** SKIPPED filter benchmark: ${sharedPath('corpus', 'dev')} is missing (shared data not present) ***`);
  process.exit(0);
}
const QUALITY = ['gopher_quality', 'gopher_repetition', 'c4_quality', 'fineweb_quality'];
const docs = [0, 1, 2, 3].flatMap((i) => readJsonlFile<{ id: string; text: string }>(sharedPath('corpus', 'dev', `dev-000${i}.jsonl.zst`)));
const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
const dir = mkdtempSync(join(tmpdir(), 'sift-bench-filters-'));

async function time(run: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run();
    wall = Math.min(wall, (performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  return { wall, cpu };
}

function line(name: string, t: { wall: number; cpu: number }, n = docs.length, b = bytes, note = ''): void {
  console.log(
    `${name.padEnd(34)} ${Math.round(n / t.wall).toLocaleString('en-US').padStart(9)} docs/s ${(b / 1e6 / t.wall).toFixed(1).padStart(7)} MB/s   (CPU time: ${Math.round(n / t.cpu).toLocaleString('en-US').padStart(9)} docs/s)${note}`,
  );
}

try {
  console.log(`dev corpus: ${docs.length} documents, ${(bytes / 1e6).toFixed(1)} MB of text; one worker (this thread)\n`);
  const opts = await stageOptions(dir);
  const made = new Map<string, Filter>();
  for (const def of filters) made.set(def.type, await def.create(def.options.parse(opts[def.type]), { stageName: def.type, stageIndex: 1, resolvePath: (p) => p }));
  const runFilters = async (types: readonly string[]): Promise<void> => {
    for (const d of docs) {
      const doc = Doc.fromText(d.text, d.id, { id: d.id, text: d.text, url: `https://example.com/${d.id}` });
      for (const t of types) {
        const r = made.get(t)!.check(doc, {} as Metrics);
        if (r instanceof Promise) await r;
      }
    }
  };
  for (const def of filters) {
    if (def.type === 'decon') await made.get('decon')!.beginShard?.({ index: 0, path: '', label: '', bytes: 0, format: 'jsonl', compression: 'none' }, { reportFile: () => join(dir, 'decon.parquet') });
    await runFilters([def.type]); // warm up
    line(`${def.type} alone`, await time(() => runFilters([def.type])));
  }
  const together = await time(() => runFilters(QUALITY));
  console.log('');
  line('four quality filters together', together, docs.length, bytes, `   target >= 4,000 docs/s: ${docs.length / together.cpu >= 4000 ? 'met' : 'NOT met'} (CPU time)`);

  const config = join(dir, 'p.yaml');
  writeFileSync(config, `inputs: ["${sharedPath('corpus', 'dev')}/*.jsonl.zst"]\nrun_dir: run\nstages:\n${QUALITY.map((t) => `  - type: ${t}\n`).join('')}`);
  const whole = await time(() => runLocal(parseConfig(`inputs: ["${sharedPath('corpus', 'dev')}/*.jsonl.zst"]\nrun_dir: run\nstages:\n${QUALITY.map((t) => `  - type: ${t}\n    mode: tag\n`).join('')}`, config), { workers: 1, force: true }).then(() => undefined));
  line('sift run, the four in tag mode, 1 worker', { wall: whole.wall, cpu: whole.wall }, docs.length, bytes, '   (read, filter, write, stats; wall clock)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
