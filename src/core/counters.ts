/**
 * What one stage did to the documents of one shard: the row it gets in stats/stages.parquet.
 */

export interface StageCounts {
  stage: string;
  /** 0 for reading, 1..n for the pipeline's stages, n+1 for writing. */
  stageIndex: number;
  type: string;
  mode: 'drop' | 'tag' | 'read' | 'write';
  docsIn: number;
  docsKept: number;
  docsDropped: number;
  /** In tag mode: documents the stage would have dropped. */
  docsFlagged: number;
  /** Documents whose text the stage changed. */
  docsEdited: number;
  charsIn: number;
  charsOut: number;
  seconds: number;
  /** Drop (or in tag mode, would-be drop) counts by reason; for reading, unreadable counts by kind. */
  reasons: Record<string, number>;
  /** For writing, with output.tokenizer set: tokens of the written documents. */
  tokens?: number;
}

export function emptyCounts(stage: string, stageIndex: number, type: string, mode: StageCounts['mode']): StageCounts {
  return { stage, stageIndex, type, mode, docsIn: 0, docsKept: 0, docsDropped: 0, docsFlagged: 0, docsEdited: 0, charsIn: 0, charsOut: 0, seconds: 0, reasons: {} };
}

export function addReason(c: StageCounts, reason: string): void {
  c.reasons[reason] = (c.reasons[reason] ?? 0) + 1;
}
