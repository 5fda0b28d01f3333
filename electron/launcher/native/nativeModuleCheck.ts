/**
 * The main process's first act: load the native modules before any window asks for them, so a
 * database addon built for the wrong runtime becomes a window that says what to do, not a crash
 * or an unlock screen failing with a C++ loader message. Plain Node (no electron import).
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { withSqliteBinding } from '../../../db/sqliteBinding';

export type NativeModuleCheck = { ok: true } | { ok: false; module: string; problem: string; remedy: string; detail: string };

/** Opens an in-memory SQLCipher database with the addon this runtime would use. */
export function loadSqliteAddon(): void {
  new Database(':memory:', withSqliteBinding({})).close();
}

export function checkNativeModules(load: () => void = loadSqliteAddon, versions: NodeJS.ProcessVersions = process.versions): NativeModuleCheck {
  try {
    load();
    return { ok: true };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    const abi = /NODE_MODULE_VERSION (\d+)[\s\S]*?NODE_MODULE_VERSION (\d+)/.exec(detail);
    const runtime = versions['electron'] !== undefined ? `Electron ${versions['electron']}` : `Node ${versions.node}`;
    const problem = abi
      ? `The database module was built for another runtime (ABI ${abi[1]}); ${runtime} needs ABI ${abi[2]}.`
      : /cannot find module|no such file|could not locate the bindings/i.test(detail)
        ? `The database module's compiled part is missing for ${runtime}.`
        : `The database module could not be loaded in ${runtime}.`;
    return {
      ok: false,
      module: 'better-sqlite3-multiple-ciphers',
      problem,
      remedy:
        'Your cases are safe: nothing was opened. Quit Lantern, then in the Lantern folder run `npm run rebuild:electron` ' +
        '(on a computer with internet access; it needs @electron/rebuild: `npm install --no-save @electron/rebuild`) and start Lantern again. ' +
        'Meanwhile `npm start` without Electron runs Lantern as a local web app.',
      detail,
    };
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A self-contained page (no script, inline style allowed by the page's own CSP) for the failure. */
export function nativeModuleFailurePage(check: Extract<NativeModuleCheck, { ok: false }>): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Lantern cannot start</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:44rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem;color:#8a1c1c}pre{white-space:pre-wrap;background:#f3f3f3;padding:.75rem;font-size:.85rem}</style>
</head><body role="alert">
<h1>Lantern cannot open its database on this computer</h1>
<p>${escapeHtml(check.problem)}</p>
<p>${escapeHtml(check.remedy)}</p>
<details><summary>Technical detail (${escapeHtml(check.module)})</summary><pre>${escapeHtml(check.detail)}</pre></details>
</body></html>`;
}
