/**
 * The window Electron main shows when the database is already held by another Lantern (a second
 * app window, the loopback host, or a CLI command such as a restore): it says so and what to do,
 * instead of a crash or a misleading "native module" page. Plain strings, no electron import.
 */
import { isDbError, type DbError } from '../../db/dbErrors';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The DATABASE_IN_USE failure among the errors startup can throw, or null for any other. */
export function databaseInUseOf(err: unknown): DbError | null {
  return isDbError(err, 'DATABASE_IN_USE') ? err : null;
}

export function databaseInUsePage(err: DbError): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Lantern is already running</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:44rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem;color:#8a1c1c}pre{white-space:pre-wrap;background:#f3f3f3;padding:.75rem;font-size:.85rem}</style>
</head><body role="alert">
<h1>Another Lantern is already using this database</h1>
<p>Only one Lantern may have a database open at a time, so that no save is lost. This window opened nothing and changed nothing.</p>
<p>Switch to the Lantern window that is already open, or close it (or wait for a running backup, restore or other command to finish), then start Lantern again.</p>
<details><summary>Technical detail (DATABASE_IN_USE)</summary><pre>${escapeHtml(err.message)}</pre></details>
</body></html>`;
}
