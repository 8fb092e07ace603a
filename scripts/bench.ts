/**
 * `npm run bench [-- NAME ...]`: runs the benchmarks (all, or the named ones), each in its own
 * process, and prints their figures. Speed targets are checked here, by measurement, never by timed
 * unit tests. Benchmarks that need ../shared/data say loudly when they skip.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const benches: Record<string, { script: string; what: string }> = {
  core: { script: 'core-main.ts', what: 'read and read+write floor on generated 1 KB documents, 1 and 2 workers' },
  filters: { script: 'filters.ts', what: 'docs/s per worker of every per-document stage alone, and of the four quality filters together, on the dev corpus' },
  langid: { script: 'langid.ts', what: 'language-ID accuracy and docs/s: raw fastText vs the wrapper and the filter' },
  'dedup-scale': { script: 'dedup-scale.ts', what: 'MinHash steps one by one on 2,000,000 generated documents: time, memory, planted duplicates found' },
  decon: { script: 'decon.ts', what: 'decontamination: index build, recall of planted benchmark items (verbatim and perturbed), false positives, docs/s' },
  adversarial: { script: 'adversarial.ts', what: 'time of every stage on 10 MB pathological documents, relative to 10 MB of ordinary text' },
  neardup: { script: 'neardup.ts', what: 'MinHash precision and recall of near-duplicate pairs on labelled data, default and other settings' },
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) {
  const b = benches[name]!;
  console.log(`\n== ${name}: ${b.what} ==`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'bench', b.script)], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`benchmark ${name} failed (exit ${r.status})`);
    failed++;
  }
}
process.exitCode = failed > 0 ? 1 : 0;
