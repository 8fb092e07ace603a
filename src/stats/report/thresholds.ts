/**
 * Which option of a stage is a threshold on which of its metrics, so that the report can draw the
 * line on the metric's histogram. One table, by stage type; the metric names are those the filters
 * record (see the header of each file in filters/). A stage type not listed, or an option that is
 * absent, null or negative (a rule switched off), simply has no line.
 */
import { metricName } from '../../../filters/fasttext_classifier.js';
import { stripLabelPrefix } from '../../classify/fasttext.js';

/** `min`: documents below the value are dropped; `max`: documents above it are dropped. */
export type ThresholdSide = 'min' | 'max';

export interface Threshold {
  /** The option that sets it, e.g. `min_words` or `top_n_grams[2]`. */
  option: string;
  metric: string;
  value: number;
  side: ThresholdSide;
  /** What else decides, where the line alone would mislead. */
  note?: string;
}

type Options = Readonly<Record<string, unknown>>;
/** [option label, metric, side, value (default: the option's value), note] */
type Bound = readonly [option: string, metric: string, side: ThresholdSide, value?: unknown, note?: string];

/** Per-document columns that are identifiers rather than measurements: never plotted. */
export const HIDDEN_METRICS: ReadonlySet<string> = new Set(['minhash_cluster']);

const RULES: Readonly<Record<string, (o: Options) => readonly Bound[]>> = {
  length: () => [
    ['min_chars', 'chars', 'min'],
    ['max_chars', 'chars', 'max'],
    ['min_words', 'words', 'min'],
    ['max_words', 'words', 'max'],
  ],
  sample: () => [['rate', 'sample_u', 'max']],
  language: (o) =>
    o.level === 'paragraph'
      ? [['min_fraction', 'lang_fraction', 'min']]
      : [['threshold', 'lang_score', 'min', undefined, o.languages === undefined ? undefined : 'applies to a listed language; documents whose top language is not listed are dropped whatever its score']],
  fasttext_classifier: (o) => [['threshold', classifierMetric(o), o.keep === 'below' ? 'max' : 'min']],
  gopher_quality: () => [
    ['min_doc_words', 'gopher_non_symbol_words', 'min'],
    ['max_doc_words', 'gopher_non_symbol_words', 'max'],
    ['min_avg_word_length', 'gopher_avg_word_len', 'min'],
    ['max_avg_word_length', 'gopher_avg_word_len', 'max'],
    ['max_symbol_word_ratio', 'gopher_hash_ratio', 'max'],
    ['max_symbol_word_ratio', 'gopher_ellipsis_ratio', 'max'],
    ['max_bullet_lines_ratio', 'gopher_bullet_lines_ratio', 'max'],
    ['max_ellipsis_lines_ratio', 'gopher_end_ellipsis_lines_ratio', 'max'],
    // the share of words with a letter must reach it (the reference's name notwithstanding)
    ['max_non_alpha_words_ratio', 'gopher_alpha_words_ratio', 'min'],
    ['min_stop_words', 'gopher_stop_words', 'min'],
  ],
  gopher_repetition: (o) => [
    ['dup_para_frac', 'gopher_rep_dup_para_frac', 'max'],
    ['dup_para_char_frac', 'gopher_rep_dup_para_char_frac', 'max'],
    ['dup_line_frac', 'gopher_rep_dup_line_frac', 'max'],
    ['dup_line_char_frac', 'gopher_rep_dup_line_char_frac', 'max'],
    ...nGramBounds(o.top_n_grams, 'top_n_grams', (n) => `gopher_rep_top_${n}_gram_frac`),
    ...nGramBounds(o.dup_n_grams, 'dup_n_grams', (n) => `gopher_rep_dup_${n}_gram_frac`),
  ],
  fineweb_quality: () => [
    ['line_punct_thr', 'fineweb_line_punct_ratio', 'min'],
    ['short_line_thr', 'fineweb_short_line_ratio', 'max'],
    ['char_duplicates_ratio', 'fineweb_char_dup_ratio', 'max'],
    ['new_line_ratio', 'fineweb_list_ratio', 'max'],
  ],
  c4_quality: () => [['min_num_sentences', 'c4_sentences', 'min']],
  // dropped from this many distinct soft words on
  url: () => [['soft_banned_word_threshold', 'url_soft_words', 'max']],
};

/** The thresholds a stage's options set on its metrics (none for a stage type not in the table). */
export function stageThresholds(type: string, options: Options): Threshold[] {
  const rule = RULES[type];
  if (rule === undefined) return [];
  const out: Threshold[] = [];
  for (const [option, metric, side, given, note] of rule(options)) {
    const value = given === undefined ? options[option] : given;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) out.push({ option, metric, value, side, ...(note ? { note } : {}) });
  }
  return out;
}

function classifierMetric(o: Options): string {
  if (typeof o.metric === 'string') return metricName(o.metric);
  return metricName(`${typeof o.label === 'string' ? stripLabelPrefix(o.label) : 'score'}_score`);
}

/** `[[n, limit], ...]` options: one bound per n. */
function nGramBounds(list: unknown, option: string, metric: (n: number) => string): Bound[] {
  if (!Array.isArray(list)) return [];
  const out: Bound[] = [];
  for (const pair of list as unknown[]) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'number') continue;
    out.push([`${option}[${pair[0]}]`, metric(pair[0]), 'max', pair[1]]);
  }
  return out;
}
