/**
 * Every stage runs in time linear in its input: 10 MB pathological documents (one repeated
 * character, no spaces, a million empty lines, one giant word, runs of combining marks) each take
 * at most 20 times as long as 10 MB of ordinary text. `npm run bench -- adversarial` prints the ratios.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bestTime, INPUTS, runners, type Runner } from '../helpers/adversarial.js';
import { removeTempDirs, tempDir } from '../helpers/fixtures.js';

afterAll(removeTempDirs);

const MAX_RATIO = 20;
/** Below this, timings are noise (a stage that barely looks at the text). */
const FLOOR_MS = 40;

describe('stages on pathological text', () => {
  let all: Runner[] = [];
  const texts = Object.fromEntries(Object.entries(INPUTS).map(([k, make]) => [k, make()]));
  beforeAll(async () => {
    all = await runners(tempDir());
  }, 120_000);

  it('every registered stage is covered', () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
  });

  it('takes at most 20x the time of ordinary text of the same size', async () => {
    const failures: string[] = [];
    for (const r of all) {
      const base = Math.max(await bestTime(() => r.run(texts.ordinary!), 2), FLOOR_MS);
      for (const [kind, text] of Object.entries(texts)) {
        if (kind === 'ordinary') continue;
        let ms = await bestTime(() => r.run(text), 1);
        if (ms > MAX_RATIO * base) ms = await bestTime(() => r.run(text), 3); // a busy machine: measure again
        if (ms > MAX_RATIO * base) failures.push(`${r.name} on ${kind}: ${ms.toFixed(0)} ms vs ${base.toFixed(0)} ms for ordinary text (${(ms / base).toFixed(1)}x)`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
