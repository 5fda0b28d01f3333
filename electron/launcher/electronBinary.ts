import { existsSync } from 'node:fs';

/**
 * The Electron binary's path, or null where it was never downloaded (machines without GitHub
 * access). The electron package's main export is that path; requiring it throws when the package
 * itself is absent (it is an optional dependency).
 */
export function electronBinary(): string | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional dependency: a static import would throw where it is absent
    const path = require('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}
