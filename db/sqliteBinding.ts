/**
 * Which compiled better-sqlite3-multiple-ciphers addon this process loads. Node (CLI, loopback
 * host, tests) and Electron have different native ABIs (process.versions.modules), so the package
 * keeps two builds: Node's in its own build/Release, Electron's in build-electron/Release, made by
 * `npm run rebuild:electron` (electron/launcher/native/electronNativeBuild.ts). Chosen at load time through
 * better-sqlite3's `nativeBinding` option; plain Node, no electron import.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Set to force one addon file (a packaged app, or a test); otherwise chosen by runtime. */
export const sqliteBindingEnvVar = 'LANTERN_SQLITE_BINDING';

export function sqliteModuleDir(): string {
  return dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json'));
}

/** Where the Electron build of the addon lives inside the package directory. */
export function electronSqliteBindingPath(moduleDir: string = sqliteModuleDir()): string {
  return join(moduleDir, 'build-electron', 'Release', 'better_sqlite3.node');
}

/**
 * The addon path to pass as `nativeBinding`, or undefined for the package's default (Node's
 * build). Inside Electron the Electron build is used when it exists; when it does not, the
 * default is loaded and fails with the ABI message, which the main process turns into a window.
 */
export function sqliteNativeBinding(
  versions: NodeJS.ProcessVersions = process.versions,
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
  moduleDir?: string,
): string | undefined {
  const forced = env[sqliteBindingEnvVar];
  if (forced !== undefined && forced !== '') return forced;
  if (versions['electron'] === undefined) return undefined;
  const electronBuild = electronSqliteBindingPath(moduleDir);
  return exists(electronBuild) ? electronBuild : undefined;
}

/** Options for every `new Database(...)` the app makes: the caller's plus the runtime's addon. */
export function withSqliteBinding<T extends object>(options: T): T & { nativeBinding?: string } {
  const nativeBinding = sqliteNativeBinding();
  return nativeBinding === undefined ? options : { ...options, nativeBinding };
}
