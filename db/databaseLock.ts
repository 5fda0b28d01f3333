/**
 * One Lantern at a time per database: the app, the loopback host and the CLI each hold an exclusive
 * lock file `<db>.lock` while they run, so a restore (which swaps the files) or a second app cannot
 * work beside a running one and lose its acknowledged saves. The file names its holder (pid, host,
 * since); a lock whose process is gone (a crash, a kill -9) is taken over rather than blocking forever.
 * A file per database rather than per folder: tests and clinics may keep several in one folder.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { databaseInUse } from './dbErrors';

interface LockRecord {
  pid: number;
  host: string;
  since: string;
  token: string;
  purpose: string;
}

export interface DatabaseLock {
  readonly path: string;
  release(): void;
}

export function databaseLockPathFor(dbPath: string): string {
  return `${resolve(dbPath)}.lock`;
}

/** Tokens of the locks this process holds, so a second holder inside one process is refused too. */
const heldHere = new Map<string, string>();
let exitHookInstalled = false;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user, so it is alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRecord(path: string): LockRecord | null {
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockRecord>;
    if (typeof r.pid === 'number' && typeof r.host === 'string' && typeof r.token === 'string') {
      return { pid: r.pid, host: r.host, token: r.token, since: String(r.since ?? ''), purpose: String(r.purpose ?? '') };
    }
  } catch {
    // Unreadable: a holder that died while writing it; treated as stale below.
  }
  return null;
}

/** A lock on this computer whose process has gone, or one this process no longer tracks. */
function isStale(record: LockRecord | null): boolean {
  if (record === null) return true;
  if (record.host !== hostname()) return false;
  if (record.pid === process.pid) return ![...heldHere.values()].includes(record.token);
  return !processAlive(record.pid);
}

export function acquireDatabaseLock(dbPath: string, purpose: string): DatabaseLock {
  const path = databaseLockPathFor(dbPath);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const record: LockRecord = { pid: process.pid, host: hostname(), since: new Date().toISOString(), token: randomUUID(), purpose };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify(record)}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A read-only data folder: nothing that runs as this user can swap or write its files either,
      // so there is nothing to guard; the app still starts and reports the folder when it writes.
      if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') return { path, release: () => undefined };
      if (code !== 'EEXIST') throw err;
      const holder = readRecord(path);
      if (attempt === 0 && isStale(holder)) {
        rmSync(path, { force: true });
        continue;
      }
      const who = holder === null ? 'another Lantern' : `${holder.purpose || 'Lantern'} (process ${holder.pid} on ${holder.host}, since ${holder.since})`;
      throw databaseInUse(resolve(dbPath), who);
    }
  }
  heldHere.set(path, record.token);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // process.exit (the CLI) skips finally blocks; the locks still go.
    process.on('exit', () => {
      for (const [p, token] of heldHere) if (readRecord(p)?.token === token) rmSync(p, { force: true });
    });
  }
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      if (heldHere.get(path) === record.token) heldHere.delete(path);
      // Only our own lock goes: a later holder's file is left alone.
      if (readRecord(path)?.token === record.token) rmSync(path, { force: true });
    },
  };
}
