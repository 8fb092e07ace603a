/**
 * `npm run bench [-- NAME ...]`: runs the benchmarks (all, or the named ones) and prints figures.
 * Speed targets are checked here, by measurement, never by timed unit tests.
 */
import { benchCore } from './bench/core.js';

const benches: Record<string, () => Promise<unknown>> = {
  core: benchCore,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) {
  console.log(`\n== ${name} ==`);
  await benches[name]!();
}
