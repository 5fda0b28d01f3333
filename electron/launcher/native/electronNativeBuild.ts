/**
 * The database addon (better-sqlite3-multiple-ciphers) built for Electron's ABI next to Node's.
 * Node and Electron report different `process.versions.modules`, and an addon loads only in the
 * runtime it was compiled for. The ecosystem's tools (@electron/rebuild, electron-builder
 * install-app-deps) rebuild in place, so the Node build is set aside first, the Electron build is
 * moved to build-electron/Release (see db/sqliteBinding.ts) and the Node build put back: the CLI,
 * the loopback host and the tests keep loading Node's. Plain Node: runs where Electron cannot.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { electronSqliteBindingPath } from '../../../db/sqliteBinding';

export const sqliteModuleName = 'better-sqlite3-multiple-ciphers';

/** What a child process reports; the seam the tests fill with fake binaries. */
export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}
export type Runner = (command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }) => RunResult;

export const spawnRunner: Runner = (command, args, options) => {
  const r = spawnSync(command, [...args], {
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    // .cmd shims on Windows need a shell.
    shell: process.platform === 'win32' && /\.cmd$/i.test(command),
    timeout: 15 * 60_000,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ...(r.error ? { error: r.error } : {}) };
};

export interface ElectronRuntime {
  /** process.versions.modules inside Electron: the ABI its addons must be built for. */
  modules: string;
  electron: string;
}

/** Electron's ABI, asked of the binary itself (run as Node, which the unpackaged binary allows). */
export function electronRuntime(binary: string, run: Runner = spawnRunner): ElectronRuntime | { error: string } {
  const r = run(binary, ['-p', `process.versions.modules + ' ' + process.versions.electron`], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  const match = /^(\d+) (\d+\.\d+\.\d+\S*)\s*$/m.exec(r.stdout);
  if (r.status !== 0 || !match) {
    const why = r.error?.message ?? (r.stderr.trim() || `it printed ${JSON.stringify(r.stdout.trim())}`);
    return { error: `could not ask ${binary} for its native-module ABI (${why})` };
  }
  return { modules: match[1]!, electron: match[2]! };
}

/** Written next to the Electron build: which ABI and Electron version it was made for. */
export interface ElectronBuildStamp {
  modules: string;
  electron: string;
  tool: string;
}

function stampPath(moduleDir: string): string {
  return join(moduleDir, 'build-electron', 'lantern-electron-build.json');
}

export function readBuildStamp(moduleDir: string): ElectronBuildStamp | null {
  try {
    const parsed = JSON.parse(readFileSync(stampPath(moduleDir), 'utf8')) as Partial<ElectronBuildStamp>;
    return typeof parsed.modules === 'string' && typeof parsed.electron === 'string'
      ? { modules: parsed.modules, electron: parsed.electron, tool: String(parsed.tool ?? '') }
      : null;
  } catch {
    return null;
  }
}

export type ElectronBuildState = 'ready' | 'missing' | 'stale';

export function electronBuildState(moduleDir: string, runtime: ElectronRuntime): ElectronBuildState {
  const stamp = readBuildStamp(moduleDir);
  if (!existsSync(electronSqliteBindingPath(moduleDir)) || stamp === null) return 'missing';
  return stamp.modules === runtime.modules ? 'ready' : 'stale';
}

export interface RebuildTool {
  name: '@electron/rebuild' | 'electron-builder';
  command: string;
  args: (runtime: ElectronRuntime, projectRoot: string) => string[];
}

/** The ecosystem's rebuild tool if the project has one installed (neither is a dependency yet). */
export function findRebuildTool(projectRoot: string, platform: NodeJS.Platform = process.platform): RebuildTool | null {
  const bin = (name: string) => join(projectRoot, 'node_modules', '.bin', platform === 'win32' ? `${name}.cmd` : name);
  if (existsSync(bin('electron-rebuild'))) {
    return {
      name: '@electron/rebuild',
      command: bin('electron-rebuild'),
      args: (runtime, root) => ['--force', '--only', sqliteModuleName, '--version', runtime.electron, '--module-dir', root],
    };
  }
  if (existsSync(bin('electron-builder'))) {
    // install-app-deps reads the Electron version from electron-builder.yml / the electron package.
    return { name: 'electron-builder', command: bin('electron-builder'), args: () => ['install-app-deps'] };
  }
  return null;
}

export type PrepareOutcome =
  { kind: 'ready'; runtime: ElectronRuntime } | { kind: 'rebuilt'; runtime: ElectronRuntime; tool: string } | { kind: 'cannot-rebuild'; message: string };

export interface PrepareOptions {
  projectRoot: string;
  moduleDir: string;
  binary: string;
  run?: Runner;
  /** Rebuild even when the stamp says the build is current. */
  force?: boolean;
  log?: (line: string) => void;
  /** Overrides the search in node_modules/.bin (tests). */
  tool?: RebuildTool | null;
}

const whatToRun =
  'On a computer with internet access, in the Lantern folder, run:\n' +
  '    npm install --no-save @electron/rebuild\n' +
  '    npm run rebuild:electron\n' +
  "then `npm start` again. The rebuild downloads Electron's headers (or a prebuilt addon) and needs " +
  'python3 and a C++ compiler (build-essential on Debian/Ubuntu, Xcode command-line tools on macOS, ' +
  'Visual Studio Build Tools on Windows) if no prebuilt addon fits.';

function tail(text: string, lines = 12): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/**
 * Makes sure the Electron build of the database addon exists for `binary`'s ABI, rebuilding it
 * with the installed tool when needed. Never touches the Node build except to set it aside and
 * put it back byte for byte.
 */
export function prepareElectronNative(options: PrepareOptions): PrepareOutcome {
  const run = options.run ?? spawnRunner;
  const log = options.log ?? (() => undefined);
  const runtime = electronRuntime(options.binary, run);
  if ('error' in runtime) {
    return { kind: 'cannot-rebuild', message: `Lantern: ${runtime.error}, so the database module cannot be matched to Electron.\n${whatToRun}` };
  }
  const state = electronBuildState(options.moduleDir, runtime);
  if (state === 'ready' && options.force !== true) return { kind: 'ready', runtime };

  const need =
    state === 'stale'
      ? `the database module's Electron build is for another Electron (ABI ${readBuildStamp(options.moduleDir)?.modules}); Electron ${runtime.electron} needs ABI ${runtime.modules}`
      : `the database module (${sqliteModuleName}) is built for Node (ABI ${process.versions.modules}) only; Electron ${runtime.electron} needs ABI ${runtime.modules}`;
  const tool = options.tool === undefined ? findRebuildTool(options.projectRoot) : options.tool;
  if (tool === null) {
    return {
      kind: 'cannot-rebuild',
      message: `Lantern: ${need}, and no rebuild tool is installed (neither @electron/rebuild nor electron-builder in node_modules/.bin).\n${whatToRun}`,
    };
  }

  log(`Lantern: ${need}; rebuilding it with ${tool.name} (the Node build is kept for the CLI and tests)...`);
  const nodeBuild = join(options.moduleDir, 'build', 'Release', 'better_sqlite3.node');
  const electronBuild = electronSqliteBindingPath(options.moduleDir);
  // Outside build/: node-gyp's rebuild deletes build/ first.
  const setAside = join(options.moduleDir, 'build-electron', 'node-build.node');
  mkdirSync(join(options.moduleDir, 'build-electron', 'Release'), { recursive: true });
  const hadNodeBuild = existsSync(nodeBuild);
  if (hadNodeBuild) copyFileSync(nodeBuild, setAside);
  try {
    const r = run(tool.command, tool.args(runtime, options.projectRoot), { cwd: options.projectRoot, env: process.env });
    if (r.status !== 0 || !existsSync(nodeBuild)) {
      const why = r.error?.message ?? (tail(r.stderr) || tail(r.stdout) || `exit status ${r.status}`);
      return {
        kind: 'cannot-rebuild',
        message: `Lantern: ${need}. The rebuild with ${tool.name} did not finish:\n${why}\n${whatToRun}`,
      };
    }
    // Proven in Electron itself before it is used: a build that does not load there is no build.
    const check = run(options.binary, ['-e', 'require(process.argv[1])', nodeBuild], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    if (check.status !== 0) {
      return {
        kind: 'cannot-rebuild',
        message: `Lantern: ${need}. ${tool.name} finished, but its output does not load in Electron ${runtime.electron}:\n${tail(check.stderr)}\n${whatToRun}`,
      };
    }
    rmSync(electronBuild, { force: true });
    copyFileSync(nodeBuild, electronBuild);
    const stamp: ElectronBuildStamp = { modules: runtime.modules, electron: runtime.electron, tool: tool.name };
    writeFileSync(stampPath(options.moduleDir), `${JSON.stringify(stamp, null, 2)}\n`);
    return { kind: 'rebuilt', runtime, tool: tool.name };
  } finally {
    rmSync(nodeBuild, { force: true });
    // Without a Node build before, none after: Node must not find Electron's addon by default.
    if (hadNodeBuild) {
      mkdirSync(join(options.moduleDir, 'build', 'Release'), { recursive: true });
      renameSync(setAside, nodeBuild);
    }
  }
}
