/**
 * The Electron shell itself, on machines that have the Electron binary (it cannot be downloaded
 * everywhere; see README). Elsewhere this spec is skipped and says why.
 */
import { _electron as electron } from '@playwright/test';
import { test, expect, projectRoot, waitForScreen } from './fixtures';
import { methodNames } from '../electron/contract/ipcContract';
import { electronBinary } from '../electron/launcher/electronBinary';

const binary = electronBinary();

test.describe('Electron app', () => {
  test.skip(binary === null, 'needs the Electron binary, which is not installed on this machine');
  test.skip(process.platform === 'linux' && !process.env['DISPLAY'], 'needs a display: run under xvfb-run (as .ci/run does)');

  test('opens a hardened window exposing only window.lantern', async ({ dataDir }) => {
    const app = await electron.launch({
      executablePath: binary!,
      args: [projectRoot],
      env: { ...process.env, LANTERN_DATA_DIR: dataDir } as Record<string, string>,
    });
    try {
      const win = await app.firstWindow();
      await waitForScreen(win, 'setup');
      // No Node in the page (nodeIntegration off, context isolated, sandboxed preload).
      expect(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(await win.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
      expect(await win.evaluate(() => Object.keys((window as unknown as { lantern: object }).lantern).sort())).toEqual([...methodNames].sort());
      // Network is refused: nothing leaves the machine.
      expect(
        await win.evaluate(() =>
          fetch('https://example.com/').then(
            () => 'reached',
            () => 'blocked',
          ),
        ),
      ).toBe('blocked');
    } finally {
      await app.close();
    }
  });
});
