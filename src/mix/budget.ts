/**
 * How much of each source a mix takes. Every document of a source is taken `repeat` times, plus once
 * more when its draw u (a hash of its id and the seed, uniform in [0, 1)) is below `cutoff`. The
 * cutoff is placed on a histogram of the source's tokens over u, at the bin boundary nearest to the
 * fraction of the source's tokens the budget asks for: the achieved token count is within half a
 * bin of the request (1/131072 of the source; for a small source, half of one document).
 */

export const DRAW_BINS = 65536;

export interface SourceTotals {
  name: string;
  weight: number | null;
  /** Explicit token request. */
  tokens: number | null;
  docs: number;
  availableTokens: number;
  bytes: number;
  /** Tokens of the source's documents by draw bin (DRAW_BINS bins over [0, 1)). */
  histogram: Float64Array;
}

export interface SourcePlan {
  name: string;
  weight: number | null;
  requestedTokens: number;
  docs: number;
  availableTokens: number;
  /** requested / available: 2.5 means every document twice, and half the tokens a third time. */
  rate: number;
  repeat: number;
  cutoff: number;
  expectedTokens: number;
  expectedBytes: number;
}

export class MixBudgetError extends Error {
  override name = 'MixBudgetError';
}

export function planSources(sources: readonly SourceTotals[], totalTokens: number | null): SourcePlan[] {
  for (const s of sources) {
    if (s.availableTokens === 0 && (s.weight !== null || s.tokens !== null)) throw new MixBudgetError(`source ${s.name} has no tokens (no readable documents with text)`);
  }
  const weighted = sources.filter((s) => s.weight !== null);
  const weightSum = weighted.reduce((n, s) => n + s.weight!, 0);
  const explicit = sources.reduce((n, s) => n + (s.tokens ?? 0), 0);
  // Without a total, the weighted sources get as many tokens as the weights allow without
  // repeating any of them: the scarcest source relative to its weight is taken once, whole.
  const weightedBudget =
    totalTokens !== null ? totalTokens - explicit : weighted.length > 0 ? Math.min(...weighted.map((s) => s.availableTokens / (s.weight! / weightSum))) : 0;
  return sources.map((s) => {
    const requested = s.tokens ?? (s.weight !== null ? (weightedBudget * s.weight) / weightSum : s.availableTokens);
    const rate = s.availableTokens > 0 ? requested / s.availableTokens : 0;
    const repeat = Math.floor(rate);
    const fraction = rate - repeat;
    const cutoff = cutoffFor(s.histogram, fraction * s.availableTokens);
    return {
      name: s.name,
      weight: s.weight,
      requestedTokens: requested,
      docs: s.docs,
      availableTokens: s.availableTokens,
      rate,
      repeat,
      cutoff,
      expectedTokens: requested,
      expectedBytes: s.bytes * rate,
    };
  });
}

/** The bin boundary below which documents hold closest to `tokens` tokens. */
export function cutoffFor(histogram: Float64Array, tokens: number): number {
  if (tokens <= 0) return 0;
  let cum = 0;
  for (let bin = 0; bin < histogram.length; bin++) {
    const h = histogram[bin]!;
    if (cum + h >= tokens) return (tokens - cum < cum + h - tokens ? bin : bin + 1) / histogram.length;
    cum += h;
  }
  return 1;
}

/** How many copies of a document the plan takes. */
export function copiesOf(plan: Pick<SourcePlan, 'repeat' | 'cutoff'>, draw: number): number {
  return plan.repeat + (draw < plan.cutoff ? 1 : 0);
}
