import { homedir } from 'node:os';
import { join } from 'node:path';

export const productName = 'Lantern';
export const databaseFileName = 'lantern.db';

/**
 * Where the data lives when nobody says otherwise: the same folder Electron's `userData` gives for
 * this product name, so the Electron app and the loopback fallback open the same database.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env['LANTERN_DATA_DIR']) return env['LANTERN_DATA_DIR'];
  switch (platform) {
    case 'win32':
      return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), productName);
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', productName);
    default:
      return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), productName);
  }
}

export function databasePathIn(dataDir: string): string {
  return join(dataDir, databaseFileName);
}
