import { describe, expect, it } from 'vitest';
import { Doc } from '../../src/core/document.js';
import type { Metrics } from '../../src/core/filter.js';
import sample from '../../filters/sample.js';

function kept(rate: number, seed: number, n = 20000): Set<string> {
  const f = sample.create(sample.options.parse({ rate, seed }), { stageName: 'sample', stageIndex: 1, resolvePath: (p) => p }) as {
    check(d: Doc, m: Metrics): string | undefined;
  };
  const out = new Set<string>();
  for (let i = 0; i < n; i++) {
    const m: Metrics = {};
    if (f.check(Doc.fromText('x', `doc-${i}`), m) === undefined) out.add(`doc-${i}`);
    expect(m.sample_u).toBeGreaterThanOrEqual(0);
    expect(m.sample_u).toBeLessThan(1);
  }
  return out;
}

describe('sample', () => {
  it('keeps close to the requested share, the same documents every time', () => {
    const a = kept(0.3, 7);
    expect(a.size / 20000).toBeGreaterThan(0.28);
    expect(a.size / 20000).toBeLessThan(0.32);
    expect(kept(0.3, 7)).toEqual(a);
  });

  it('keeps a superset at a higher rate, and other documents with another seed', () => {
    const low = kept(0.2, 1);
    const high = kept(0.5, 1);
    for (const id of low) expect(high.has(id)).toBe(true);
    const other = kept(0.2, 2);
    const overlap = [...low].filter((id) => other.has(id)).length / low.size;
    expect(overlap).toBeGreaterThan(0.1);
    expect(overlap).toBeLessThan(0.3);
  });

  it('keeps everything at rate 1 and nothing at rate 0', () => {
    expect(kept(1, 0, 500).size).toBe(500);
    expect(kept(0, 0, 500).size).toBe(0);
  });
});
