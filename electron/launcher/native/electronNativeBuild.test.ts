/**
 * The Electron build of the database addon, with fake binaries: a fake Electron (a script that
 * reports another process.versions.modules and "loads" only an addon made for that ABI) and fake
 * rebuild tools in node_modules/.bin, in a throwaway project; the real node_modules is never touched.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBuildState, electronRuntime, findRebuildTool, prepareElectronNative, readBuildStamp } from './electronNativeBuild';
import { noElectronMessage, planLaunch } from './launchPlan';
import { electronSqliteBindingPath } from '../../../db/sqliteBinding';

let root: string;
let moduleDir: string;
const nodeBuildBytes = `addon-for-abi-${process.versions.modules}`;

function script(path: string, body: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!${process.execPath}\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Answers `-p` with its ABI and Electron version; `-e ... <addon>` succeeds only for its own ABI. */
function fakeElectron(abi: string): string {
  return script(
    join(root, `fake-electron-${abi}`),
    `const args = process.argv.slice(2);
if (process.env.ELECTRON_RUN_AS_NODE !== '1') { console.error('not run as node'); process.exit(2); }
if (args[0] === '-p') { console.log('${abi} 39.8.10'); process.exit(0); }
if (args[0] === '-e') {
  const bytes = require('fs').readFileSync(args[2], 'utf8');
  if (bytes === 'addon-for-abi-${abi}') process.exit(0);
  console.error('Error: The module was compiled against a different Node.js version using NODE_MODULE_VERSION ' + bytes.split('-').pop() + '. This version of Node.js requires NODE_MODULE_VERSION ${abi}.');
  process.exit(1);
}
process.exit(3);`,
  );
}

/** Like node-gyp rebuild: removes build/ and writes an addon for `abi`; logs its arguments. */
function fakeRebuildTool(name: string, abi: string, fail = false): string {
  return script(
    join(root, 'node_modules', '.bin', name),
    `const fs = require('fs'), path = require('path');
fs.appendFileSync(${JSON.stringify(join(root, 'calls.log'))}, JSON.stringify(process.argv.slice(2)) + '\\n');
${fail ? `console.error('gyp ERR! stack Error: 404 response downloading https://electronjs.org/headers/v39.8.10/node-v39.8.10-headers.tar.gz'); process.exit(1);` : ''}
const dir = ${JSON.stringify(moduleDir)};
fs.rmSync(path.join(dir, 'build'), { recursive: true, force: true });
fs.mkdirSync(path.join(dir, 'build', 'Release'), { recursive: true });
fs.writeFileSync(path.join(dir, 'build', 'Release', 'better_sqlite3.node'), 'addon-for-abi-${abi}');`,
  );
}

function calls(): string[][] {
  return existsSync(join(root, 'calls.log'))
    ? readFileSync(join(root, 'calls.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as string[])
    : [];
}

const nodeBuild = () => join(moduleDir, 'build', 'Release', 'better_sqlite3.node');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lantern-native-'));
  moduleDir = join(root, 'node_modules', 'better-sqlite3-multiple-ciphers');
  mkdirSync(join(moduleDir, 'build', 'Release'), { recursive: true });
  writeFileSync(nodeBuild(), nodeBuildBytes);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('Electron ABI detection', () => {
  it('asks the binary, run as Node, for its process.versions.modules', () => {
    expect(electronRuntime(fakeElectron('140'))).toEqual({ modules: '140', electron: '39.8.10' });
  });

  it('reports a binary that does not answer', () => {
    const broken = script(join(root, 'broken-electron'), 'process.exit(1)');
    expect(electronRuntime(broken)).toEqual({ error: expect.stringContaining('could not ask') });
  });

  it('finds the installed rebuild tool, preferring @electron/rebuild', () => {
    expect(findRebuildTool(root)).toBeNull();
    fakeRebuildTool('electron-builder', '140');
    expect(findRebuildTool(root)?.name).toBe('electron-builder');
    fakeRebuildTool('electron-rebuild', '140');
    expect(findRebuildTool(root)?.name).toBe('@electron/rebuild');
  });
});

describe('rebuilding the database addon for Electron', () => {
  it('rebuilds with @electron/rebuild into build-electron and puts the Node build back byte for byte', () => {
    const binary = fakeElectron('140');
    fakeRebuildTool('electron-rebuild', '140');
    expect(electronBuildState(moduleDir, { modules: '140', electron: '39.8.10' })).toBe('missing');

    const outcome = prepareElectronNative({ projectRoot: root, moduleDir, binary });
    expect(outcome).toEqual({ kind: 'rebuilt', runtime: { modules: '140', electron: '39.8.10' }, tool: '@electron/rebuild' });
    expect(calls()).toEqual([['--force', '--only', 'better-sqlite3-multiple-ciphers', '--version', '39.8.10', '--module-dir', root]]);
    expect(readFileSync(electronSqliteBindingPath(moduleDir), 'utf8')).toBe('addon-for-abi-140');
    expect(readFileSync(nodeBuild(), 'utf8')).toBe(nodeBuildBytes);
    expect(readBuildStamp(moduleDir)).toEqual({ modules: '140', electron: '39.8.10', tool: '@electron/rebuild' });

    // Current build: no second rebuild.
    expect(prepareElectronNative({ projectRoot: root, moduleDir, binary }).kind).toBe('ready');
    expect(calls()).toHaveLength(1);
  });

  it('rebuilds again when Electron moves to another ABI', () => {
    fakeRebuildTool('electron-builder', '140');
    expect(prepareElectronNative({ projectRoot: root, moduleDir, binary: fakeElectron('140') }).kind).toBe('rebuilt');
    fakeRebuildTool('electron-builder', '141');
    const newer = fakeElectron('141');
    expect(electronBuildState(moduleDir, { modules: '141', electron: '39.8.10' })).toBe('stale');
    expect(prepareElectronNative({ projectRoot: root, moduleDir, binary: newer }).kind).toBe('rebuilt');
    expect(calls()).toEqual([['install-app-deps'], ['install-app-deps']]);
    expect(readFileSync(electronSqliteBindingPath(moduleDir), 'utf8')).toBe('addon-for-abi-141');
    expect(readFileSync(nodeBuild(), 'utf8')).toBe(nodeBuildBytes);
  });

  it('refuses an output that does not load in Electron and keeps the Node build', () => {
    fakeRebuildTool('electron-rebuild', process.versions.modules); // a tool that built for Node again
    const outcome = prepareElectronNative({ projectRoot: root, moduleDir, binary: fakeElectron('140') });
    expect(outcome.kind).toBe('cannot-rebuild');
    expect(outcome.kind === 'cannot-rebuild' && outcome.message).toContain('does not load in Electron 39.8.10');
    expect(existsSync(electronSqliteBindingPath(moduleDir))).toBe(false);
    expect(readFileSync(nodeBuild(), 'utf8')).toBe(nodeBuildBytes);
  });
});

describe('falling back to the loopback host', () => {
  it('without network for headers: says what failed and what to run, keeps the Node build, serves the host', () => {
    fakeRebuildTool('electron-rebuild', '140', true);
    const plan = planLaunch(fakeElectron('140'), { projectRoot: root, moduleDir });
    expect(plan.kind).toBe('host');
    const message = plan.kind === 'host' ? plan.message : '';
    expect(message).toContain(`built for Node (ABI ${process.versions.modules}) only; Electron 39.8.10 needs ABI 140`);
    expect(message).toContain('404 response downloading https://electronjs.org/headers');
    expect(message).toContain('npm run rebuild:electron');
    expect(message).toContain('local web app');
    expect(readFileSync(nodeBuild(), 'utf8')).toBe(nodeBuildBytes);
    expect(existsSync(electronSqliteBindingPath(moduleDir))).toBe(false);
  });

  it('without a rebuild tool: names the tools and the install command', () => {
    const plan = planLaunch(fakeElectron('140'), { projectRoot: root, moduleDir });
    expect(plan.kind === 'host' && plan.message).toContain('no rebuild tool is installed (neither @electron/rebuild nor electron-builder');
    expect(plan.kind === 'host' && plan.message).toContain('npm install --no-save @electron/rebuild');
  });

  it('without the Electron binary: the host, as before', () => {
    expect(planLaunch(null, { projectRoot: root, moduleDir })).toEqual({ kind: 'host', message: noElectronMessage });
  });

  it('with a current Electron build: Electron', () => {
    fakeRebuildTool('electron-rebuild', '140');
    const binary = fakeElectron('140');
    prepareElectronNative({ projectRoot: root, moduleDir, binary });
    expect(planLaunch(binary, { projectRoot: root, moduleDir })).toEqual({ kind: 'electron', binary, notes: [] });
  });
});
