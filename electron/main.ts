/**
 * Electron main: window lifecycle and wiring only. Everything the app does lives in plain Node
 * modules (services/, db/, models/) reached through the IPC contract.
 */
import { app, BrowserWindow, safeStorage } from 'electron';
import { join } from 'node:path';
import { createAppServices } from './services/appServices';
import { idleLockMsFromEnv } from './services/lanternSession';
import { databasePathIn } from './services/appPaths';
import { registerIpc } from './ipcRegistration';
import {
  appEntryUrl,
  hardenAllWebContents,
  hardenSession,
  registerAppScheme,
  secureWebPreferences,
  serveRenderer,
} from './windowSecurity';

registerAppScheme();
hardenAllWebContents();

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

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'Lantern',
    show: false,
    webPreferences: secureWebPreferences(join(__dirname, 'preload.js')),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appEntryUrl);
  return win;
}

void app.whenReady().then(() => {
  hardenSession();
  serveRenderer(join(__dirname, '..', 'renderer'));
  registerIpc(services.call);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  services.close();
  app.quit();
});
