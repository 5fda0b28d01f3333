/**
 * Failed sign-ins happen while the database is locked, so they cannot go straight into the audit
 * chain. They are appended to a plain side file (no passphrase, only when and which login was
 * tried) and moved into the chain at the next successful unlock. Known limit: someone with file
 * access can delete lines before that unlock; the chain cannot see what never reached it.
 */
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';

export interface FailedLogin {
  at: string;
  login: string | null;
  reason: string;
}

export function failedLoginLogPathFor(dbPath: string): string {
  return `${dbPath}.failed-logins.jsonl`;
}

export function recordFailedLogin(dbPath: string, attempt: FailedLogin): void {
  // Bounded so a script hammering the lock screen cannot fill the disk.
  const entry = { at: attempt.at, login: attempt.login?.slice(0, 60) ?? null, reason: attempt.reason.slice(0, 200) };
  appendFileSync(failedLoginLogPathFor(dbPath), `${JSON.stringify(entry)}\n`, { mode: 0o600 });
}

/** Lines that do not parse are reported as such, not dropped: a damaged log is itself worth auditing. */
export function readFailedLogins(dbPath: string): FailedLogin[] {
  const path = failedLoginLogPathFor(dbPath);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, 10_000)
    .map((line): FailedLogin => {
      try {
        const v = JSON.parse(line) as Partial<FailedLogin>;
        return { at: String(v.at ?? ''), login: typeof v.login === 'string' ? v.login : null, reason: String(v.reason ?? '') };
      } catch {
        return { at: '', login: null, reason: 'unreadable line in the failed-login log' };
      }
    });
}

export function clearFailedLogins(dbPath: string): void {
  rmSync(failedLoginLogPathFor(dbPath), { force: true });
}
