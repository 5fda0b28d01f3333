/**
 * Failed sign-ins happen while the database is locked, so they cannot go straight into the audit
 * chain. They are appended to a plain side file (no passphrase, only when and which login was
 * tried) and moved into the chain at the next successful unlock. Known limit: someone with file
 * access can delete lines before that unlock; the chain cannot see what never reached it (the
 * sign-in back-off also keeps its own count in memory for that reason).
 *
 * The file is not trusted: a directory in its place, a huge file or forged lines never block a
 * sign-in, and at most `maxEventsPerSignIn` lines become events (the rest are counted in one).
 */
import { appendFileSync, closeSync, fstatSync, openSync, readSync, rmSync, statSync } from 'node:fs';

export interface FailedLogin {
  at: string;
  login: string | null;
  reason: string;
}

export function failedLoginLogPathFor(dbPath: string): string {
  return `${dbPath}.failed-logins.jsonl`;
}

/** Only the newest part of an oversized file is read. */
const maxReadBytes = 1024 * 1024;
export const maxEventsPerSignIn = 200;

export function recordFailedLogin(dbPath: string, attempt: FailedLogin): void {
  // Bounded so a script hammering the lock screen cannot fill the disk.
  const entry = { at: attempt.at, login: attempt.login?.slice(0, 60) ?? null, reason: attempt.reason.slice(0, 200) };
  appendFileSync(failedLoginLogPathFor(dbPath), `${JSON.stringify(entry)}\n`, { mode: 0o600 });
}

function readTail(path: string): string {
  let fd: number;
  try {
    if (!statSync(path).isFile()) return '';
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxReadBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    // A cut first line is dropped rather than reported as unreadable.
    return size > length ? text.slice(text.indexOf('\n') + 1) : text;
  } finally {
    closeSync(fd);
  }
}

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** Lines that do not parse are reported as such, not dropped: a damaged log is itself worth auditing. */
export function readFailedLogins(dbPath: string): FailedLogin[] {
  return readTail(failedLoginLogPathFor(dbPath))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line): FailedLogin => {
      try {
        const v = JSON.parse(line) as Partial<FailedLogin>;
        const at = typeof v.at === 'string' && isoTime.test(v.at) ? v.at : '';
        return { at, login: typeof v.login === 'string' ? v.login.slice(0, 60) : null, reason: String(v.reason ?? '').slice(0, 200) };
      } catch {
        return { at: '', login: null, reason: 'unreadable line in the failed-login log' };
      }
    });
}

export function clearFailedLogins(dbPath: string): void {
  try {
    rmSync(failedLoginLogPathFor(dbPath), { force: true, recursive: true });
  } catch {
    // Left for the next sign-in: the events are in the chain already; a repeat is visible, not lost.
  }
}

/** Failures counted for back-off: those of the last quarter hour. */
export const backoffWindowMs = 15 * 60 * 1000;

export interface BackoffCounts {
  failures: number;
  lastAt: number;
}

/**
 * How long a sign-in must wait: nothing for the first few failures, then doubling per failure up to
 * `capMs` (five minutes), counted per login (3 free) and for the whole machine (10 free, any login).
 */
export function backoffDelayMs(perLogin: BackoffCounts, perMachine: BackoffCounts, now: number, capMs = 5 * 60 * 1000): number {
  const delay = (c: BackoffCounts, free: number) => (c.failures < free ? 0 : Math.max(0, c.lastAt + Math.min(1000 * 2 ** (c.failures - free), capMs) - now));
  return Math.max(delay(perLogin, 3), delay(perMachine, 10));
}
