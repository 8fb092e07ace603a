/**
 * A small, clearly separable two-class corpus for training tests, generated from word lists
 * written for these tests: kitchen writing (recipes, cooking) and sky writing (astronomy). The
 * classes share their grammar and function words and differ in content words, so a classifier has
 * to learn the vocabulary, not the form.
 */

const KITCHEN = {
  who: ['the chef', 'my grandmother', 'the baker', 'our cook', 'the pastry chef', 'a home cook', 'the kitchen team'],
  does: ['stirs', 'bakes', 'chops', 'simmers', 'seasons', 'whisks', 'roasts', 'kneads', 'grates', 'slices'],
  what: [
    'the onions', 'a loaf of rye bread', 'the tomato sauce', 'fresh basil', 'the garlic cloves', 'a pot of lentil soup',
    'the butter and sugar', 'a tray of potatoes', 'the pizza dough', 'a bowl of cream', 'the carrots', 'a pinch of salt',
  ],
  how: [
    'in a heavy pan', 'for ten minutes', 'until golden brown', 'with olive oil', 'over a low flame', 'in the oven',
    'before adding the pepper', 'on the wooden board', 'with a little vinegar', 'until the sauce thickens',
  ],
};

const SKY = {
  who: ['the astronomer', 'the telescope', 'the space probe', 'our observatory', 'the radio dish', 'a young astrophysicist', 'the survey team'],
  does: ['observes', 'detects', 'tracks', 'measures', 'photographs', 'maps', 'studies', 'records', 'charts', 'spots'],
  what: [
    'a distant galaxy', 'the red giant', 'the moons of Jupiter', 'a faint comet', 'the pulsar', 'a cluster of young stars',
    'the rings of Saturn', 'a supernova remnant', 'the lunar craters', 'an exoplanet transit', 'the Andromeda nebula', 'a meteor shower',
  ],
  how: [
    'beyond the solar system', 'in the infrared', 'every few hours', 'near the galactic center', 'through thin clouds',
    'at the edge of the universe', 'during the eclipse', 'with a new spectrograph', 'from the southern hemisphere', 'in deep orbit',
  ],
};

export type Topic = 'kitchen' | 'sky';

/** Deterministic generator (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(xs: readonly T[], r: () => number): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function sentence(topic: Topic, r: () => number): string {
  const w = topic === 'kitchen' ? KITCHEN : SKY;
  const s = `${pick(w.who, r)} ${pick(w.does, r)} ${pick(w.what, r)} ${pick(w.how, r)}.`;
  return s[0]!.toUpperCase() + s.slice(1);
}

/** `n` documents of 2–5 sentences, some split over lines. */
export function topicDocs(topic: Topic, n: number, seed: number): string[] {
  const r = rng(seed);
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = 2 + Math.floor(r() * 4);
    const parts: string[] = [];
    for (let j = 0; j < k; j++) parts.push(sentence(topic, r));
    docs.push(parts.join(r() < 0.3 ? '\n' : ' '));
  }
  return docs;
}
