import { describe, expect, it } from 'vitest';
import { checkNativeModules, nativeModuleFailurePage } from './nativeModuleCheck';
import { electronSqliteBindingPath, sqliteBindingEnvVar, sqliteNativeBinding } from '../../../db/sqliteBinding';

const electronVersions = { ...process.versions, electron: '39.8.10', modules: '140' } as NodeJS.ProcessVersions;

describe('choosing the database addon at load time', () => {
  it('Node loads the package default; Electron its own build when present; a forced path wins', () => {
    expect(sqliteNativeBinding(process.versions, {})).toBeUndefined();
    expect(sqliteNativeBinding(electronVersions, {}, () => true, '/m')).toBe(electronSqliteBindingPath('/m'));
    expect(sqliteNativeBinding(electronVersions, {}, () => false, '/m')).toBeUndefined();
    expect(sqliteNativeBinding(process.versions, { [sqliteBindingEnvVar]: '/x/a.node' })).toBe('/x/a.node');
  });
});

describe('native module check in the main process', () => {
  it('loads the real addon in this runtime', () => {
    expect(checkNativeModules()).toEqual({ ok: true });
  });

  it('turns an ABI mismatch into a problem a person can act on, shown as a page', () => {
    const check = checkNativeModules(() => {
      throw new Error(
        "The module '/app/node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 140. Please try re-compiling <or> re-installing",
      );
    }, electronVersions);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problem).toBe('The database module was built for another runtime (ABI 115); Electron 39.8.10 needs ABI 140.');
    expect(check.remedy).toContain('npm run rebuild:electron');
    const page = nativeModuleFailurePage(check);
    expect(page).toContain('Lantern cannot open its database on this computer');
    expect(page).toContain('&#60;or&#62;'); // escaped detail
    expect(page).not.toContain('<script');
  });

  it('names a missing compiled addon', () => {
    const check = checkNativeModules(() => {
      throw new Error('Could not locate the bindings file. Tried: ...');
    }, electronVersions);
    expect(!check.ok && check.problem).toBe("The database module's compiled part is missing for Electron 39.8.10.");
  });
});
