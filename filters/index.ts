/**
 * The registry of stage types: the `type:` names a pipeline config may use.
 * A new filter is one file beside this one and one line here.
 */
import type { FilterDefinition } from '../src/core/filter.js';
import length from './length.js';
import sample from './sample.js';

export const filters: readonly FilterDefinition[] = [length, sample];

export type StageDefinition = FilterDefinition;

export function findStageType(type: string): StageDefinition | undefined {
  return filters.find((f) => f.type === type);
}

export function stageTypeNames(): string[] {
  return filters.map((f) => f.type).sort();
}
