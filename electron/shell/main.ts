/**
 * Electron main: window lifecycle and wiring only. Everything the app does lives in plain Node
 * modules (services/, db/, models/) reached through the IPC contract.
 */
import { app, BrowserWindow, safeStorage } from 'electron';
import { join } from 'node:path';
import { idleLockMsFromEnv } from '../app/accountability/lanternSession';
import { databasePathIn } from '../app/appPaths';
import { registerIpc } from './ipcRegistration';
import { methodListArgument } from '../contract/ipcContract';
import { checkNativeModules, nativeModuleFailurePage } from '../launcher/native/nativeModuleCheck';
import type { NativeModuleCheck } from '../launcher/native/nativeModuleCheck';
import { appEntryUrl, hardenAllWebContents, hardenSession, registerAppScheme, secureWebPreferences, serveRenderer, serveStaticPage } from './windowSecurity';
import { databaseInUseOf, databaseInUsePage } from './databaseInUsePage';

registerAppScheme();
hardenAllWebContents();

type AppServices = ReturnType<typeof import('../app/appServices').createAppServices>;

/**
 * Native modules are loaded here, before any window, so a wrong-ABI addon becomes a page that
 * says what to run rather than a crash. The services (which load onnxruntime-node on import)
 * are required only after the check, inside the same guard.
 */
function startServices(): { services: AppServices } | { failure: Extract<NativeModuleCheck, { ok: false }> } | { page: string; problem: string } {
  const check = checkNativeModules();
  if (!check.ok) return { failure: check };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only after the native-module check above
    const { createAppServices } = require('../app/appServices') as typeof import('../app/appServices');
    const dataDir = process.env['LANTERN_DATA_DIR'] ?? app.getPath('userData');
    const services = createAppServices({
      dbPath: databasePathIn(dataDir),
      idleLockMs: idleLockMsFromEnv(),
      // Asked lazily: safeStorage answers only once the app is ready.
      secretStore: {
        isEncryptionAvailable: () => app.isReady() && safeStorage.isEncryptionAvailable(),
        backend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'),
        encryptString: (plain) => safeStorage.encryptString(plain),
        decryptString: (sealed) => safeStorage.decryptString(sealed),
      },
    });
    return { services };
  } catch (err) {
    // Another Lantern (app, host, CLI) holds the database: say so, not "a native part failed".
    const inUse = databaseInUseOf(err);
    if (inUse) return { page: databaseInUsePage(inUse), problem: inUse.message };
    const detail = err instanceof Error ? err.message : String(err);
    return {
      failure: {
        ok: false,
        module: /onnxruntime/i.test(detail) ? 'onnxruntime-node' : 'app services',
        problem: 'Lantern could not load one of its native parts on this computer.',
        remedy: 'Nothing was opened and no case was changed. Reinstall Lantern, or from the Lantern folder run `npm run rebuild:electron` and start it again.',
        detail,
      },
    };
  }
}

const started = startServices();

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'Lantern',
    show: false,
    // The preload builds window.lantern from the contract's method list it is handed here.
    webPreferences: { ...secureWebPreferences(join(__dirname, 'preload.js')), additionalArguments: [methodListArgument()] },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appEntryUrl);
  return win;
}

void app.whenReady().then(() => {
  hardenSession();
  if ('failure' in started) {
    console.error(`lantern: ${started.failure.problem} ${started.failure.detail}`);
    serveStaticPage(nativeModuleFailurePage(started.failure));
  } else if ('page' in started) {
    console.error(`lantern: ${started.problem}`);
    serveStaticPage(started.page);
  } else {
    serveRenderer(join(__dirname, '..', '..', 'renderer'));
    registerIpc(started.services.call);
  }
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if ('services' in started) started.services.close();
  app.quit();
});
