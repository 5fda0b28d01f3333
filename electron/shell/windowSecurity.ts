/**
 * The fenced security module: every window and every web contents Lantern creates goes through
 * here. Renderer code is treated as untrusted: isolated, sandboxed, no Node, no network, no
 * navigation, no new windows, no permissions, strict CSP.
 */
import { app, net, protocol, session } from 'electron';
import type { Session, WebContents, WebPreferences } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../host/loopbackHost';

export const appScheme = 'lantern';
export const appOrigin = `${appScheme}://app`;
export const appEntryUrl = `${appOrigin}/index.html`;

/** Must run before `app` is ready: our scheme behaves like https (secure, standard origin). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  app.enableSandbox();
}

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

export function isAppUrl(url: string): boolean {
  return url === appOrigin || url.startsWith(`${appOrigin}/`);
}

/** Serves the built renderer from `lantern://app/` (not file://, which would expose the disk). */
export function serveRenderer(rendererDir: string): void {
  const root = normalize(rendererDir);
  protocol.handle(appScheme, async (request) => {
    const { host, pathname } = new URL(request.url);
    const file = normalize(join(root, decodeURIComponent(pathname)));
    if (host !== 'app' || !file.startsWith(root + sep)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

/**
 * Serves one self-contained page at every `lantern://app/` path instead of the renderer: the
 * window shown when the app cannot start (see native/nativeModuleCheck.ts). Its CSP allows no
 * script and only inline style.
 */
export function serveStaticPage(html: string): void {
  protocol.handle(
    appScheme,
    () =>
      new Response(html, {
        status: 200,
        headers: {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
          'X-Content-Type-Options': 'nosniff',
        },
      }),
  );
}

export function hardenSession(ses: Session = session.defaultSession): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Nothing leaves the machine: any request that is not for our own bundle is cancelled.
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !(isAppUrl(details.url) || details.url.startsWith('devtools://')) });
  });
  // Saving an export (PDF, FHIR, CSV) is a download of a blob the app made; nothing else downloads.
  ses.on('will-download', (event, item) => {
    if (!isAppBlobUrl(item.getURL())) event.preventDefault();
  });
}

export function isAppBlobUrl(url: string): boolean {
  return url.startsWith(`blob:${appOrigin}/`);
}

export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (url !== contents.getURL() || !isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Applies the web-contents rules to every window, including any created later. */
export function hardenAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}
