#!/usr/bin/env node
// The sift command line (compiled from src/cli by `npm run build`, which `npm install` runs).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('sift: not built yet; run `npm install` (or `npm run build`) in the sift folder\n');
  process.exit(2);
}
// A closed pipe (`sift sql ... | head`) ends the output quietly.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
