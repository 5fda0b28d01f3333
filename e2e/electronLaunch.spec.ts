/**
 * The Electron shell itself, on machines that have the Electron binary (it cannot be downloaded
 * everywhere; see README). Elsewhere this spec is skipped and says why. Beyond the hardened window,
 * a clinician's path through the desktop app with the loopback specs' page helpers: the database
 * made, the app restarted and unlocked (the SQLCipher driver loaded under Electron's ABI), a case,
 * an image attached and viewed, and the PDF export saved to disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { _electron as electron, type ElectronApplication } from '@playwright/test';
import { test, expect, projectRoot, waitForScreen, createDatabase, signIn, openNewCase, testPassphrase } from './fixtures';
import { chestXrayPng } from './testImages';
import { methodNames } from '../electron/contract/ipcContract';
import { electronBinary } from '../electron/launcher/electronBinary';

const binary = electronBinary();

function launch(dataDir: string): Promise<ElectronApplication> {
  return electron.launch({
    executablePath: binary!,
    args: [projectRoot],
    env: { ...process.env, LANTERN_DATA_DIR: dataDir } as Record<string, string>,
  });
}

test.describe('Electron app', () => {
  test.skip(binary === null, 'needs the Electron binary, which is not installed on this machine');
  test.skip(process.platform === 'linux' && !process.env['DISPLAY'], 'needs a display: run under xvfb-run (as .ci/run does)');

  test('opens a hardened window exposing only window.lantern', async ({ dataDir }) => {
    const app = await launch(dataDir);
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

  test('set up, restart and unlock, a case, an image and a PDF export, as a clinician does in the desktop app', async ({ dataDir }, testInfo) => {
    let app = await launch(dataDir);
    try {
      const { login } = await createDatabase(await app.firstWindow());
      await app.close();

      // A second start opens the encrypted database only after sign-in.
      app = await launch(dataDir);
      const win = await app.firstWindow();
      await signIn(win, login, testPassphrase, 'patients');

      await openNewCase(win, { name: 'Omar Haddad', birthDate: '1958-11-30', sex: 'male' });
      const find = win.getByLabel('Find symptom');
      for (const symptom of ['Cough', 'High fever']) {
        await find.fill(symptom);
        await find.press('Enter');
      }
      await win.getByLabel('Temperature (°C)').fill('38.6');
      await win.getByRole('button', { name: 'Save case' }).click();
      await waitForScreen(win, 'case-detail');

      await win.getByLabel('Attach image').setInputFiles({ name: 'chest.png', mimeType: 'image/png', buffer: chestXrayPng() });
      await expect(win.locator('body')).toHaveAttribute('data-lantern-viewer', 'ready');
      await expect(win.getByRole('list', { name: 'Attached images' }).getByRole('button', { name: /chest\.png/ })).toBeVisible();

      // The page saves through a[download]; Electron would ask where with a dialog, so the test names the file first.
      const saved = testInfo.outputPath('case-report.pdf');
      await app.evaluate(({ BrowserWindow }, path) => {
        BrowserWindow.getAllWindows()[0]!.webContents.session.once('will-download', (_event, item) => item.setSavePath(path));
      }, saved);
      await win.getByRole('button', { name: 'Export PDF' }).click();
      await expect(win.getByRole('status').filter({ hasText: /\.pdf/ })).toContainText('recorded in the audit trail');
      await expect.poll(() => (existsSync(saved) ? readFileSync(saved).subarray(0, 5).toString('latin1') : '')).toBe('%PDF-');
    } finally {
      await app.close();
    }
  });
});
