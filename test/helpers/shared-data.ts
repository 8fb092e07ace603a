/**
 * Real data beside the repository (../shared/data). Tests that need it run when it is there and
 * say loudly that they were skipped when it is not.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DATA = process.env.SIFT_SHARED_DATA ?? resolve(REPO_ROOT, '..', 'shared', 'data');

export function sharedPath(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}

export function hasSharedData(...parts: string[]): boolean {
  return existsSync(sharedPath(...parts));
}

/** `describe` that runs only when the shared data exists, and prints a loud notice otherwise. */
export function describeWithSharedData(name: string, parts: string[], fn: () => void): void {
  if (hasSharedData(...parts)) {
    describe(name, fn);
  } else {
    const missing = sharedPath(...parts);
    console.warn(`\n*** SKIPPED "${name}": ${missing} is missing (shared test data not present) ***\n`);
    // `fn` is not called: suites may read the data while they are collected
    describe.skip(name, () => {
      it(`needs ${missing}`, () => undefined);
    });
  }
}
