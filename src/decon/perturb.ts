/**
 * Planted contamination, for measuring recall: benchmark item texts written the way they may
 * appear in training documents (verbatim, or with case, whitespace, punctuation or number formats
 * changed, or a multiple-choice question without its options), inserted into clean documents.
 * Deterministic for a given seed.
 */
import type { BenchmarkItem } from './benchmarks.js';

/** A seeded PRNG (mulberry32): uniform draws in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Perturbation = 'verbatim' | 'case' | 'whitespace' | 'punctuation' | 'numbers' | 'all' | 'no_options' | 'mc_format';
export const PERTURBATIONS: readonly Perturbation[] = ['verbatim', 'case', 'whitespace', 'punctuation', 'numbers', 'all', 'no_options', 'mc_format'];

/** Parts that hold answer options (by name): `options`, `choices...`, or `A+B+C+D`. */
export function isOptionsPart(name: string): boolean {
  return /^(options|choices)(\b|\.)/.test(name) || /^[A-E](\+[A-E])+$/.test(name);
}

/**
 * The text of an item as planted: its parts in order, each part's strings on their own lines;
 * `no_options` leaves out the options and what follows them (answers, solutions), `mc_format`
 * writes the options on one line as "A. ... B. ..." like an evaluation prompt. Returns null when
 * the perturbation does not apply (no options part).
 */
export function itemText(item: BenchmarkItem, partNames: readonly string[], p: Perturbation, random: () => number): string | null {
  const opt = partNames.findIndex(isOptionsPart);
  if ((p === 'no_options' || p === 'mc_format') && opt < 0) return null;
  if (p === 'no_options') return item.parts.slice(0, opt).flat().join('\n');
  if (p === 'mc_format') {
    const letters = item.parts[opt]!.map((o, i) => `${String.fromCharCode(65 + i)}. ${o}`).join(' ');
    return [...item.parts.slice(0, opt).flat(), letters, ...item.parts.slice(opt + 1).flat()].join('\n');
  }
  const text = item.parts.flat().join('\n');
  switch (p) {
    case 'verbatim':
      return text;
    case 'case':
      return perturbCase(text, random);
    case 'whitespace':
      return perturbWhitespace(text, random);
    case 'punctuation':
      return perturbPunctuation(text, random);
    case 'numbers':
      return perturbNumbers(text, random);
    case 'all':
      return perturbWhitespace(perturbPunctuation(perturbCase(perturbNumbers(text, random), random), random), random);
  }
}

/** Each word lowercased, uppercased or capitalized at random. */
export function perturbCase(text: string, random: () => number): string {
  return text.replace(/\p{L}+/gu, (w) => {
    const r = random();
    return r < 0.33 ? w.toLowerCase() : r < 0.66 ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase();
  });
}

/** Whitespace runs replaced by other whitespace (spaces, tabs, line breaks, doubled). */
export function perturbWhitespace(text: string, random: () => number): string {
  const choices = [' ', '  ', '\n', '\t', ' \n ', '\n\n', '\u00a0'];
  return text.replace(/\s+/g, () => choices[Math.floor(random() * choices.length)]!);
}

/**
 * Punctuation changed: sentence marks swapped (. ; ! ?), quotes restyled, commas and colons next
 * to spaces dropped or turned into dashes, spaces added before punctuation.
 */
export function perturbPunctuation(text: string, random: () => number): string {
  return text
    .replace(/[.;!?](?=\s|$)/g, () => ['.', ';', '!', '?', ' .', ''][Math.floor(random() * 6)]!)
    .replace(/[,:](?=\s)/g, () => ['', ' -', ',', ' ;'][Math.floor(random() * 4)]!)
    .replace(/["“”]/g, () => (random() < 0.5 ? "'" : '«'))
    .replace(/'/g, () => (random() < 0.5 ? '’' : "'"));
}

/**
 * Numbers reformatted: thousands separators added to long integers and removed from written
 * ones, trailing zeros added to decimals, ".0" appended to some integers.
 */
export function perturbNumbers(text: string, random: () => number): string {
  return text.replace(/(?<![\d.,])\d{1,3}(,\d{3})+(?![\d,]|\.\d)|(?<![\d.,])\d+(\.\d+)?(?![\d,.]\d|\d)/g, (num) => {
    if (num.includes(',')) return num.replaceAll(',', '');
    if (num.includes('.')) return random() < 0.7 ? `${num}0` : num;
    if (num.length >= 4 && !num.startsWith('0')) return Number(num).toLocaleString('en-US');
    return random() < 0.3 && !num.startsWith('0') ? `${num}.0` : num;
  });
}

/** `doc` with `insert` put at a random line or word boundary, on its own lines. */
export function plant(doc: string, insert: string, random: () => number): { text: string; start: number } {
  let pos = Math.floor(random() * (doc.length + 1));
  while (pos < doc.length && !/\s/.test(doc[pos]!)) pos++;
  const before = doc.slice(0, pos);
  const text = `${before}\n${insert}\n${doc.slice(pos)}`;
  return { text, start: before.length + 1 };
}
