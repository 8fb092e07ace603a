/**
 * The registry of filter types: the `type:` names a pipeline config may use.
 * A new filter is one file beside this one and one line here.
 */
import type { FilterDefinition } from '../src/core/filter.js';
import length from './length.js';
import sample from './sample.js';

export const filters: readonly FilterDefinition[] = [length, sample];

export function findFilter(type: string): FilterDefinition | undefined {
  return filters.find((f) => f.type === type);
}
