/**
 * Restore in a running install, from the Backups screen: the administrator re-enters their
 * passphrase, the app verifies the backup, swaps it in (releasing and retaking the database it
 * holds), signs out, and after signing in again the restored records are what the app shows.
 */
import type { Page } from '@playwright/test';
import { test, expect, waitForScreen, createDatabase, signIn, testPassphrase } from './fixtures';

async function addPatient(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Patients', exact: true }).click();
  await waitForScreen(page, 'patients');
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Date of birth').fill('1970-02-03');
  await page.getByLabel('Sex').selectOption('male');
  await page.getByRole('button', { name: 'Create patient' }).click();
  await waitForScreen(page, 'patient');
}

test('an administrator restores a backup from the Backups screen while the app runs; the restored records are shown', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  const { login } = await createDatabase(page);

  await addPatient(page, 'Before Backup');
  await page.getByRole('button', { name: 'Backups', exact: true }).click();
  await waitForScreen(page, 'backups');
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Backup written/ })).toBeVisible();
  await waitForScreen(page, 'backups');
  await addPatient(page, 'After Backup');

  await page.getByRole('button', { name: 'Backups', exact: true }).click();
  await waitForScreen(page, 'backups');
  const restore = page.getByRole('form', { name: 'Restore from a backup' });
  // The newest backup is chosen; the administrator's passphrase is asked again.
  await restore.getByLabel(`Passphrase of ${login} (administrator), re-entered`).fill('not the passphrase');
  await restore.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(restore.getByRole('alert')).toBeVisible();
  await restore.getByLabel(`Passphrase of ${login} (administrator), re-entered`).fill(testPassphrase);
  // Verify first: every check of a restore, nothing swapped.
  await restore.getByRole('button', { name: 'Verify this backup' }).click();
  await expect(restore.getByTestId('backup-verified')).toContainText(/verified: .* audit trail of \d+ events/);
  await restore.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(page.getByRole('heading', { name: 'The backup was restored' })).toBeVisible();
  await page.getByRole('button', { name: 'Go to sign in' }).click();

  await signIn(page, login, testPassphrase, 'patients');
  await page.getByLabel('Search patients').fill('backup');
  const found = page.getByRole('list', { name: 'Patients found' }).locator(':scope > li');
  await expect(found).toHaveCount(1);
  await expect(found.first()).toContainText('Before Backup');
});

test('each listed backup has its own "verify" button; the result, pass or fail with the reason, shows on that row', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  const { login } = await createDatabase(page);

  await page.getByRole('button', { name: 'Backups', exact: true }).click();
  await waitForScreen(page, 'backups');
  for (const made of [1, 2]) {
    await page.getByRole('button', { name: 'Back up now' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Backup written/ })).toBeVisible();
    await waitForScreen(page, 'backups');
    await expect(page.getByRole('table', { name: 'Backups in the backup folder' }).getByRole('row')).toHaveCount(1 + made);
  }
  const rows = page.getByRole('table', { name: 'Backups in the backup folder' }).getByRole('row');
  const verifyButton = (row: number) => rows.nth(row).getByRole('button', { name: /^Verify the backup of / });
  const result = (row: number) => rows.nth(row).getByRole('status');
  await expect(verifyButton(1)).toBeVisible();
  await expect(verifyButton(2)).toBeVisible();

  // Without the passphrase nothing runs; the row says what to do.
  await verifyButton(2).click();
  await expect(result(2)).toHaveText('Type your passphrase above first.');

  const passphrase = page.getByLabel(`Passphrase of ${login} (administrator), to verify a backup`);
  await passphrase.fill(testPassphrase);
  await verifyButton(2).click();
  await expect(result(2)).toContainText(/^Passed: .* audit trail of \d+ events checks out up to event \d+\.$/);
  // The other row is untouched.
  await expect(result(1)).toHaveText('');

  await passphrase.fill('not the passphrase');
  await verifyButton(1).click();
  await expect(result(1)).toContainText(/^Failed: (Wrong passphrase|The backup's key file does not belong)/);
  await expect(result(2)).toContainText(/^Passed: /);
});
