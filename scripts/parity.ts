/**
 * `npm run parity`: sift against the reference implementation's outputs on the dev corpus
 * (../shared/data/parity/dev): English word tokens, the four quality filters (keep/drop and reason
 * agreement, disagreements with example ids), and MinHash (removed ids and duplicate pairs).
 * Each part runs in its own process; the command fails when a part misses its target.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { hasSharedData, sharedPath } from '../test/helpers/shared-data.js';

if (!hasSharedData('parity', 'dev') || !hasSharedData('corpus', 'dev')) {
  console.warn(`*** SKIPPED parity: ${sharedPath('parity', 'dev')} or ${sharedPath('corpus', 'dev')} is missing (shared data not present) ***`);
  process.exit(0);
}
const parts: [string, string[]][] = [
  ['English word tokens (spaCy blank-en rules)', ['tokens.ts']],
  ['quality filters, our tokenizer (targets: >= 99.5% keep/drop, >= 99% reason)', ['filters.ts', '--passes', '1']],
  ['MinHash (default settings)', ['minhash.ts']],
  ['MinHash with tokenizer: whitespace (faster signatures)', ['minhash.ts', '--tokenizer', 'whitespace']],
];
let failed = 0;
for (const [title, [script, ...args]] of parts) {
  console.log(`\n== ${title} ==`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'parity', script!), ...args], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
console.log(failed === 0 ? '\nall parity targets met' : `\n${failed} part(s) missed their target`);
process.exitCode = failed > 0 ? 1 : 0;
