/**
 * Writes that survive a power cut: data reaches the disk (fsync) before anything points at it, and a
 * file is replaced by write-then-rename so readers see either the old content or the new.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function fsyncDir(path: string): void {
  try {
    fsyncFile(path);
  } catch {
    // Directory fsync is not supported everywhere (Windows); renames are still atomic there.
  }
}

/** Creates a new file (never overwrites) and flushes it. */
export function writeFileDurably(path: string, data: string | Buffer): void {
  writeFileSync(path, data, { mode: 0o600, flag: 'wx' });
  fsyncFile(path);
}

/** Replaces `path` atomically: a temporary file beside it, flushed, then renamed over it. */
export function replaceFileDurably(path: string, data: string | Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode: 0o600 });
  fsyncFile(tmp);
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}
