/**
 * The registry of stage types: the `type:` names a pipeline config may use.
 * A new filter is one file beside this one and one line here.
 */
import type { FilterDefinition } from '../src/core/filter.js';
import type { GlobalStageDefinition } from '../src/core/global-stage.js';
import c4Badwords from './c4_badwords.js';
import c4Quality from './c4_quality.js';
import decon from './decon.js';
import dedupExact from './dedup_exact.js';
import dedupParagraphs from './dedup_paragraphs.js';
import fasttextClassifier from './fasttext_classifier.js';
import fineWebQuality from './fineweb_quality.js';
import gopherQuality from './gopher_quality.js';
import gopherRepetition from './gopher_repetition.js';
import language from './language.js';
import length from './length.js';
import minhash from './minhash.js';
import pii from './pii.js';
import sample from './sample.js';
import url from './url.js';

/** Per-document stages. */
export const filters: readonly FilterDefinition[] = [
  length,
  sample,
  language,
  gopherQuality,
  gopherRepetition,
  c4Quality,
  fineWebQuality,
  c4Badwords,
  url,
  pii,
  fasttextClassifier,
  decon,
];

/** Stages that need the whole corpus (they run as steps between per-shard passes). */
export const globalStages: readonly GlobalStageDefinition[] = [dedupExact, dedupParagraphs, minhash];

export type StageDefinition = FilterDefinition | GlobalStageDefinition;

export function isGlobalStage(def: StageDefinition): def is GlobalStageDefinition {
  return def.kind === 'global';
}

export function findStageType(type: string): StageDefinition | undefined {
  return filters.find((f) => f.type === type) ?? globalStages.find((g) => g.type === type);
}

export function stageTypeNames(): string[] {
  return [...filters, ...globalStages].map((f) => f.type).sort();
}
