/** The package's root folder and version, found from this file whether run from source or dist/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'sift') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the sift package.json');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const SIFT_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
