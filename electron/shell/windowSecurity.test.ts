/**
 * The fenced security module with Electron replaced by recording fakes (the binary is not
 * installable everywhere): every rule it promises is checked on the objects Electron would get.
 * The Electron e2e spec checks the same from inside a real window where the binary exists.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
// vi.mock below is hoisted above these imports, so both see the fake electron.
import * as security from './windowSecurity';
import { contentSecurityPolicy } from '../host/loopbackHost';

vi.mock('electron', () => ({
  app: { enableSandbox: vi.fn(), on: vi.fn() },
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  net: { fetch: vi.fn() },
  session: { defaultSession: {} },
}));

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  constructor(private readonly url: string) {
    super();
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
  getURL() {
    return this.url;
  }
  /** Emits like Electron and reports whether a listener called preventDefault. */
  attempt(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

describe('window security', () => {
  it('gives every window isolation, a sandbox and no Node', () => {
    const prefs = security.secureWebPreferences('/app/preload.js');
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('refuses new windows, navigation away, redirects and webviews', () => {
    const contents = new FakeContents(security.appEntryUrl);
    security.hardenWebContents(contents as never);
    expect(contents.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: security.appEntryUrl })).toEqual({ action: 'deny' });
    expect(contents.attempt('will-navigate', 'https://example.com/')).toBe(true);
    expect(contents.attempt('will-navigate', `${security.appOrigin}/other.html`)).toBe(true);
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.attempt('will-redirect', 'https://example.com/')).toBe(true);
    expect(contents.attempt('will-attach-webview', {}, {})).toBe(true);
  });

  it('denies every permission, cancels every request that is not for the app bundle, and downloads only app blobs', () => {
    let permissionRequest: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined;
    let permissionCheck: (() => boolean) | undefined;
    let deviceCheck: (() => boolean) | undefined;
    let beforeRequest: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | undefined;
    let willDownload: ((e: { preventDefault: () => void }, item: { getURL: () => string }) => void) | undefined;
    const fakeSession = {
      on: (event: string, h: typeof willDownload) => {
        if (event === 'will-download') willDownload = h;
      },
      setPermissionRequestHandler: (h: typeof permissionRequest) => (permissionRequest = h),
      setPermissionCheckHandler: (h: typeof permissionCheck) => (permissionCheck = h),
      setDevicePermissionHandler: (h: typeof deviceCheck) => (deviceCheck = h),
      webRequest: { onBeforeRequest: (h: typeof beforeRequest) => (beforeRequest = h) },
    };
    security.hardenSession(fakeSession as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const granted = vi.fn();
      permissionRequest!(null, permission, granted);
      expect(granted).toHaveBeenCalledWith(false);
    }
    expect(permissionCheck!()).toBe(false);
    expect(deviceCheck!()).toBe(false);
    const cancelled = (url: string) => {
      let result: { cancel: boolean } | undefined;
      beforeRequest!({ url }, (r) => (result = r));
      return result!.cancel;
    };
    expect(cancelled('https://example.com/')).toBe(true);
    expect(cancelled('http://127.0.0.1:8080/')).toBe(true);
    expect(cancelled('http://169.254.169.254/latest/meta-data')).toBe(true);
    expect(cancelled('file:///etc/passwd')).toBe(true);
    expect(cancelled('lantern://app.evil/x')).toBe(true);
    expect(cancelled(`${security.appOrigin}/assets/index.js`)).toBe(false);
    const downloadRefused = (url: string) => {
      let prevented = false;
      willDownload!({ preventDefault: () => (prevented = true) }, { getURL: () => url });
      return prevented;
    };
    expect(downloadRefused(`blob:${security.appOrigin}/5d0c1c1e-0000-4000-8000-000000000000`)).toBe(false);
    expect(downloadRefused('https://example.com/malware.exe')).toBe(true);
    expect(downloadRefused('blob:https://example.com/x')).toBe(true);
  });

  it('serves a CSP with no inline or eval anywhere', () => {
    expect(contentSecurityPolicy).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe-eval|\*/);
    const directives = Object.fromEntries(
      contentSecurityPolicy
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v.join(' ')]),
    );
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'connect-src': "'self'",
      'object-src': "'none'",
      'frame-ancestors': "'none'",
    });
  });
});

describe('packaging', () => {
  it('sets the Electron fuses: no RunAsNode, no NODE_OPTIONS, no inspector, asar integrity on', () => {
    const yml = readFileSync(join(__dirname, '..', '..', 'electron-builder.yml'), 'utf8');
    const fuses = /electronFuses:\n((?: {2}\w+: \w+\n)+)/.exec(yml)?.[1] ?? '';
    const set = Object.fromEntries(
      fuses
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/:\s*/)),
    );
    expect(set).toMatchObject({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
    });
  });
});
