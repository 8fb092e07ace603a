/**
 * language: identifies the language with fastText (the bundled lid.176.ftz, or any fastText
 * language-ID model given as `model`, e.g. lid.176.bin or GlotLID) and keeps documents in the listed
 * languages. Labels are the model's, without `__label__` (lid.176: ISO 639-1 where one exists, `en`,
 * `zh`; GlotLID: `eng_Latn`).
 *
 * level: document (datatrove's LanguageFilter): the whole text, newlines replaced by spaces, is
 *   scored once. Kept when one of `languages` scores above `threshold`; with no list, when the top
 *   language does. Metrics: `lang` (top label), `lang_score` (its probability).
 * level: paragraph (Dolma's paragraph taggers): every non-blank line is scored on its own and
 *   weighted by its length in characters. `lang_fraction` is the probability-weighted share of
 *   characters in the listed languages (1 with no list); kept when it is at least `min_fraction`.
 *   `lang` is the language with the largest weighted share, `lang_score` that share. `threshold`
 *   is not used at this level. Unlike Dolma, the share is taken over the characters of the non-blank
 *   lines (Dolma divides by the length of the whole text, newlines and blank lines included), so an
 *   all-English text has a share near 1 however it is laid out.
 *
 * Text without any word (empty, whitespace only) has no language: `lang` null, `lang_score` 0 (and
 * `lang_fraction` 0), and is dropped like any document below the threshold.
 * Reasons: `language` (document level), `language_fraction` (paragraph level).
 */
import { z } from 'zod';
import { defineFilter } from '../src/core/filter.js';
import { loadFastTextModel, stripLabelPrefix, type FastTextModel } from '../src/classify/fasttext.js';
import { codePointLength, pyStrip } from '../src/text/python.js';

/**
 * Paragraph level: fastText is asked for every label down to this probability. Dolma asks for all;
 * leaving out the labels below 1% moves a share by less than 0.01 per kept language and makes
 * scoring lines about twice as fast (each returned label costs a string copy out of the wasm heap).
 */
const PARAGRAPH_MIN_PROB = 0.01;

export default defineFilter({
  type: 'language',
  summary: 'identify the language with fastText (lid.176) and keep listed languages',
  options: z.strictObject({
    languages: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
    threshold: z.number().min(0).max(1).default(0.65),
    level: z.enum(['document', 'paragraph']).default('document'),
    min_fraction: z.number().min(0).max(1).default(0.5),
    model: z.string().min(1).optional(),
  }),
  async create(o, ctx) {
    const model = await loadFastTextModel(o.model !== undefined ? ctx.resolvePath(o.model) : undefined);
    const languages = o.languages === undefined ? [] : [o.languages].flat().map(stripLabelPrefix);
    const unknown = languages.filter((l) => !model.hasLabel(l));
    if (unknown.length > 0) {
      throw new Error(
        `language: ${unknown.map((l) => `"${l}"`).join(', ')} not among the labels of ${model.path} ` +
          `(${model.labels.length} labels, e.g. ${model.labels.slice(0, 8).join(', ')})`,
      );
    }
    const kept = new Set(languages);
    if (o.level === 'paragraph') {
      return {
        check(doc, m) {
          const r = paragraphLanguages(model, doc.text, kept);
          m.lang = r.lang;
          m.lang_score = r.langScore;
          m.lang_fraction = r.keptFraction;
          return r.chars > 0 && r.keptFraction >= o.min_fraction ? undefined : 'language_fraction';
        },
      };
    }
    const k = labelsToConsider(o.threshold, model.labels.length);
    return {
      check(doc, m) {
        if (pyStrip(doc.text) === '') {
          m.lang = null;
          m.lang_score = 0;
          return 'language';
        }
        const preds = model.predict(doc.text, k, 0);
        const top = preds[0];
        m.lang = top?.label ?? null;
        m.lang_score = top?.score ?? 0;
        const keep =
          kept.size === 0
            ? (top?.score ?? 0) > o.threshold
            : preds.some((p) => p.score > o.threshold && kept.has(p.label));
        return keep ? undefined : 'language';
      },
    };
  },
});

/**
 * How many top labels can score above `threshold`: probabilities sum to 1, so at most 1/threshold
 * of them (one for thresholds ≥ 0.5); asking fastText for that many, not all, keeps prediction cheap.
 */
function labelsToConsider(threshold: number, nLabels: number): number {
  if (threshold <= 0) return -1;
  const k = Math.max(1, Math.floor(1 / threshold));
  return k >= nLabels ? -1 : k;
}

export interface ParagraphLanguages {
  /** Language with the largest character-weighted probability; null without text. */
  lang: string | null;
  langScore: number;
  /** Character-weighted probability of the kept languages (1 when every language is kept). */
  keptFraction: number;
  /** Characters (code points) in non-blank lines. */
  chars: number;
}

/** Scores each non-blank line (Dolma's `split_paragraphs`) and sums probabilities weighted by length. */
export function paragraphLanguages(model: FastTextModel, text: string, kept: ReadonlySet<string>): ParagraphLanguages {
  const mass = new Map<string, number>();
  let chars = 0;
  let keptMass = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (pyStrip(line) === '') continue;
    const n = codePointLength(line);
    chars += n;
    for (const p of model.predict(line, -1, PARAGRAPH_MIN_PROB)) {
      const w = n * p.score;
      mass.set(p.label, (mass.get(p.label) ?? 0) + w);
      if (kept.has(p.label)) keptMass += w;
    }
  }
  if (chars === 0) return { lang: null, langScore: 0, keptFraction: 0, chars: 0 };
  let lang: string | null = null;
  let best = -1;
  for (const [label, w] of mass) {
    if (w > best) {
      best = w;
      lang = label;
    }
  }
  return { lang, langScore: best / chars, keptFraction: kept.size === 0 ? 1 : keptMass / chars, chars };
}
