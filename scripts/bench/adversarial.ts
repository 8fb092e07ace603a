/**
 * Time of every stage on 10 MB pathological documents, as a ratio to 10 MB of ordinary text
 * (the test allows at most 20x): one repeated character, no spaces, a million empty lines, one giant
 * word, runs of combining marks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bestTime, INPUTS, runners } from '../../test/helpers/adversarial.js';

const dir = mkdtempSync(join(tmpdir(), 'sift-adversarial-'));
try {
  const all = await runners(dir);
  const texts = Object.fromEntries(Object.entries(INPUTS).map(([k, make]) => [k, make()]));
  const kinds = Object.keys(texts).filter((k) => k !== 'ordinary');
  console.log(`${'stage'.padEnd(22)} ${'ordinary ms'.padStart(12)}  ${kinds.map((k) => k.padStart(22)).join('')}`);
  let worst = 0;
  for (const r of all) {
    const base = await bestTime(() => r.run(texts.ordinary!), 3);
    const ratios: string[] = [];
    for (const k of kinds) {
      const ms = await bestTime(() => r.run(texts[k]!), 2);
      const ratio = ms / Math.max(base, 1);
      worst = Math.max(worst, ratio);
      ratios.push(`${ratio.toFixed(2)}x`.padStart(22));
    }
    console.log(`${r.name.padEnd(22)} ${base.toFixed(0).padStart(12)}  ${ratios.join('')}`);
  }
  console.log(`\nworst ratio ${worst.toFixed(2)}x (limit 20x)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
