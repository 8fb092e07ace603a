/**
 * One run at a time per run directory: a lock file holding the owner's pid and host. A lock left by
 * a process that no longer exists (on this host) is stale and is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

export class LockError extends Error {
  override name = 'LockError';
}

interface LockInfo {
  pid: number;
  host: string;
  started_at: string;
}

export function acquireLock(file: string, what: string): { release(): void; staleTakenOver: LockInfo | null } {
  const mine: LockInfo = { pid: process.pid, host: hostname(), started_at: new Date().toISOString() };
  let stale: LockInfo | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(mine) + '\n', { flag: 'wx' });
      let released = false;
      return {
        staleTakenOver: stale,
        release() {
          if (released) return;
          released = true;
          try {
            const cur = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
            if (cur.pid === mine.pid && cur.host === mine.host) rmSync(file, { force: true });
          } catch {
            // already gone
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readLock(file);
      if (holder && holder.host === mine.host && !processAlive(holder.pid)) {
        stale = holder;
        rmSync(file, { force: true });
        continue;
      }
      const who = holder ? `pid ${holder.pid} on ${holder.host}, since ${holder.started_at}` : 'another process';
      throw new LockError(`${what} is in use by ${who} (lock file ${file}); if that process is gone, remove the lock file`);
    }
  }
  throw new LockError(`cannot take the lock ${file}`);
}

function readLock(file: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
