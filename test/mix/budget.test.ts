import { describe, expect, it } from 'vitest';
import { copiesOf, cutoffFor, DRAW_BINS, planSources, type SourceTotals } from '../../src/mix/budget.js';

function source(name: string, tokens: number, opts: Partial<SourceTotals> = {}): SourceTotals {
  const histogram = new Float64Array(DRAW_BINS).fill(tokens / DRAW_BINS);
  return { name, weight: null, tokens: null, docs: tokens / 100, availableTokens: tokens, bytes: tokens * 5, histogram, ...opts };
}

describe('mix budgets', () => {
  it('puts the cutoff at the bin boundary nearest to the tokens asked', () => {
    const h = new Float64Array(4);
    h.set([10, 0, 30, 60]);
    expect(cutoffFor(h, 0)).toBe(0);
    expect(cutoffFor(h, 10)).toBe(0.25);
    expect(cutoffFor(h, 20)).toBe(0.5);
    expect(cutoffFor(h, 30)).toBe(0.75);
    expect(cutoffFor(h, 100)).toBe(1);
    expect(copiesOf({ repeat: 2, cutoff: 0.3 }, 0.29)).toBe(3);
    expect(copiesOf({ repeat: 2, cutoff: 0.3 }, 0.3)).toBe(2);
  });

  it('shares a total between weighted sources and honours explicit token counts', () => {
    const plans = planSources([source('web', 1_000_000, { weight: 3 }), source('books', 100_000, { weight: 1 }), source('code', 50_000, { tokens: 200_000 })], 1_000_000);
    expect(plans.map((p) => [p.name, Math.round(p.requestedTokens), p.repeat])).toEqual([
      ['web', 600_000, 0],
      ['books', 200_000, 2],
      ['code', 200_000, 4],
    ]);
    expect(plans[0]!.cutoff).toBeCloseTo(0.6, 4);
    expect(plans[2]!.rate).toBe(4);
    expect(plans[2]!.cutoff).toBe(0);
  });

  it('without a total, takes as much as the weights allow without repeating any source', () => {
    const plans = planSources([source('a', 1_000_000, { weight: 0.5 }), source('b', 300_000, { weight: 0.5 }), source('all', 70_000)], null);
    expect(plans.map((p) => [p.name, Math.round(p.requestedTokens)])).toEqual([
      ['a', 300_000],
      ['b', 300_000],
      ['all', 70_000],
    ]);
    expect(plans[1]!.rate).toBe(1);
  });

  it('refuses a source with nothing in it', () => {
    expect(() => planSources([source('empty', 0, { weight: 1 })], 10)).toThrow(/source empty has no tokens/);
  });
});
