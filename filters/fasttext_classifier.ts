/**
 * fasttext_classifier: scores documents with any fastText classifier (.bin or .ftz), such as a
 * DCLM-style quality model trained with `sift train-classifier`, and keeps them by the probability
 * of one label. The text is scored as one line (newlines replaced by spaces, as DCLM does).
 *
 * keep: above (datatrove's `keep_labels`): kept when the score is ≥ `threshold`, else dropped with
 *   `classifier_below_threshold`.
 * keep: below (datatrove's `remove_labels`): kept when the score is < `threshold`, else dropped with
 *   `classifier_above_threshold`.
 *
 * Metric: the label's probability, in `metric` (default `<label>_score`, e.g. `hq_score`). Text
 * without any word (empty, whitespace only) is not scored: the metric is null and the document is
 * treated as scoring 0 (dropped with `keep: above`, kept with `keep: below`).
 */
import { z } from 'zod';
import { defineFilter } from '../src/core/filter.js';
import { loadFastTextModel, stripLabelPrefix } from '../src/classify/fasttext.js';
import { pyStrip } from '../src/text/python.js';

/** A metric (column) name: lower case letters, digits and underscores, not starting with a digit. */
export function metricName(s: string): string {
  const name = s
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (name === '') return 'score';
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

export default defineFilter({
  type: 'fasttext_classifier',
  summary: 'keep documents by the probability of a label from a fastText classifier',
  options: z.strictObject({
    model: z.string().min(1),
    label: z.string().min(1),
    threshold: z.number().min(0).max(1).default(0.5),
    keep: z.enum(['above', 'below']).default('above'),
    metric: z.string().min(1).optional(),
  }),
  async create(o, ctx) {
    const model = await loadFastTextModel(ctx.resolvePath(o.model));
    const label = stripLabelPrefix(o.label);
    if (!model.hasLabel(label)) {
      throw new Error(`fasttext_classifier: label "${label}" is not in ${model.path} (labels: ${model.labels.join(', ')})`);
    }
    const metric = metricName(o.metric ?? `${label}_score`);
    const above = o.keep === 'above';
    return {
      check(doc, m) {
        let score = 0;
        if (pyStrip(doc.text) === '') m[metric] = null;
        else m[metric] = score = model.scoreOf(doc.text, label);
        if (above) return score >= o.threshold ? undefined : 'classifier_below_threshold';
        return score < o.threshold ? undefined : 'classifier_above_threshold';
      },
    };
  },
});
