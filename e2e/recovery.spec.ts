/**
 * Recovery end to end: a damaged database restored from a listed backup (the damaged file kept), a
 * database from a newer app, a tampered model file (in a copy of models/, never the real one), a
 * new computer restoring from a backup folder instead of setting up, and the inactivity lock.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from '@playwright/test';
import { unlockEncryptedDatabase } from '../db/openDatabase';
import { test, expect, waitForScreen, createDatabase, signIn, projectRoot, testPassphrase, addSymptom } from './fixtures';

const patient = { name: 'Ama Mensah', birthDate: '1984-11-20', sex: 'female' };

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Flips a run of bytes in place: in the database's first page it breaks SQLCipher's page HMAC. */
function flipBytes(file: string, from: number, count: number): void {
  const bytes = readFileSync(file);
  expect(bytes.length).toBeGreaterThan(from + count);
  for (let i = from; i < from + count; i++) bytes[i] = (bytes[i] ?? 0) ^ 0xff;
  writeFileSync(file, bytes);
}

/** From the patients screen: create a patient and wait for their screen. */
async function createPatient(page: Page): Promise<void> {
  await page.getByLabel('Full name').fill(patient.name);
  await page.getByLabel('Date of birth').fill(patient.birthDate);
  await page.getByLabel('Sex').selectOption(patient.sex);
  await page.getByRole('button', { name: 'Create patient' }).click();
}

/** Header "Backups" → "Back up now" (optionally into a typed folder); waits until it is listed or written. */
async function backUpNow(page: Page, folder?: string): Promise<void> {
  await page.getByRole('button', { name: 'Backups', exact: true }).click();
  await waitForScreen(page, 'backups');
  if (folder) await page.getByLabel('Folder (optional)').fill(folder);
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Backup written/ })).toBeVisible();
  await waitForScreen(page, 'backups');
}

/** Tries to sign in from the unlock screen; the caller waits for wherever that leads. */
async function submitUnlock(page: Page, login: string): Promise<void> {
  await waitForScreen(page, 'unlock');
  await page.getByLabel('Login', { exact: true }).fill(login);
  await page.getByLabel('Passphrase', { exact: true }).fill(testPassphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

async function expectRecovery(page: Page, code: string, heading: string): Promise<void> {
  await waitForScreen(page, 'recovery');
  await expect(page.locator('body')).toHaveAttribute('data-lantern-recovery', code);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  // Whatever went wrong, deleting is never what the app suggests.
  await expect(page.getByRole('button', { name: /delete|remove|reset/i })).toHaveCount(0);
}

test('a damaged database is restored from the listed backup and the damaged file is kept', async ({ page, startHost, dataDir }) => {
  let host = await startHost();
  await page.goto(host.launchUrl);
  const { login } = await createDatabase(page);
  await createPatient(page);
  await waitForScreen(page, 'patient');

  await backUpNow(page);
  const table = page.getByRole('table', { name: 'Backups in the backup folder' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row').nth(1)).toContainText(/event \d+/);
  await host.stop();

  // A clean stop checkpoints the WAL into the file, so the damage below is in what the app reads.
  const dbPath = join(dataDir, 'lantern.db');
  expect(existsSync(`${dbPath}-wal`) ? statSync(`${dbPath}-wal`).size : 0).toBe(0);
  flipBytes(dbPath, 1000, 64);
  const damaged = sha256(dbPath);

  host = await startHost();
  await page.goto(host.launchUrl);
  await submitUnlock(page, login);
  await expectRecovery(page, 'DATABASE_CORRUPT', 'The case database is damaged');
  await expect(page.getByText('Nothing was changed or deleted')).toBeVisible();

  const newest = page.getByRole('radio', { name: /^Backup of / });
  await expect(newest).toHaveCount(1);
  await expect(newest).toBeChecked();
  await expect(newest).toHaveAccessibleName(/audit trail up to event \d+/);
  // A wrong passphrase restores nothing.
  await page.getByLabel('Passphrase that opens the backup').fill('not the passphrase');
  await page.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'does not open this backup' })).toBeVisible();
  expect(sha256(dbPath)).toBe(damaged);

  await page.getByLabel('Passphrase that opens the backup').fill(testPassphrase);
  await page.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(page.getByRole('heading', { name: 'The backup was restored' })).toBeVisible();
  const kept = ((await page.locator('[data-restore="done"] .path').textContent()) ?? '').trim();
  expect(basename(kept)).toMatch(/^lantern\.db\.before-restore-/);
  expect(readdirSync(dataDir)).toContain(basename(kept));
  expect(sha256(join(dataDir, basename(kept)))).toBe(damaged);

  await page.getByRole('button', { name: 'Go to sign in' }).click();
  await signIn(page, login, testPassphrase, 'patients');
  await expect(page.getByRole('list', { name: 'Patients found' }).getByRole('button', { name: new RegExp(patient.name) })).toBeVisible();
});

test('a database from a newer app asks for an update and leaves the database unchanged', async ({ page, startHost, dataDir }) => {
  let host = await startHost();
  await page.goto(host.launchUrl);
  const { login } = await createDatabase(page);
  await host.stop();

  // What a newer Lantern would leave behind: the same key, a higher schema version.
  const dbPath = join(dataDir, 'lantern.db');
  const { db, masterKey } = await unlockEncryptedDatabase(dbPath, testPassphrase);
  db.pragma('user_version = 999');
  db.close();
  masterKey.fill(0);
  const before = sha256(dbPath);

  host = await startHost();
  await page.goto(host.launchUrl);
  await submitUnlock(page, login);
  await expectRecovery(page, 'DATABASE_TOO_NEW', 'This database needs a newer version of Lantern');
  await expect(page.getByText('Your database was not changed.')).toBeVisible();
  await expect(page.getByText(/^Update the app/)).toBeVisible();
  await expect(page.getByText(/schema version 999/)).toBeVisible();
  // Updating is the remedy: a restore is there only when asked for.
  await expect(page.getByRole('button', { name: 'Restore this backup' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Restore an older backup instead' }).click();
  await expect(page.getByRole('button', { name: 'Restore this backup' })).toBeVisible();
  await expect(page.getByText('No backups were found in')).toBeVisible();

  await page.getByRole('button', { name: 'Try again' }).click();
  await waitForScreen(page, 'unlock');
  await expect(page.locator('body')).not.toHaveAttribute('data-lantern-recovery', /.*/);
  await host.stop();
  expect(sha256(dbPath)).toBe(before);
});

test('a tampered model file gets its own screen; records stay readable but no diagnosis runs', async ({ page, startHost }) => {
  // A copy of models/ with one byte flipped: the real files are never touched.
  const modelsDir = mkdtempSync(join(tmpdir(), 'lantern-models-'));
  try {
    cpSync(join(projectRoot, 'models', 'artefacts'), modelsDir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(modelsDir, 'manifest.json'), 'utf8')) as { models: { id: string; artefact: string }[] };
    const entry = manifest.models.find((m) => m.id === 'symptom-differential');
    expect(entry).toBeDefined();
    const artefact = join(modelsDir, entry!.artefact);
    flipBytes(artefact, Math.floor(statSync(artefact).size / 2), 1);

    const host = await startHost({ modelsDir });
    await page.goto(host.launchUrl);
    await createDatabase(page);
    // The patient screen names symptoms from the catalogue, which needs the models.
    await createPatient(page);
    await expectRecovery(page, 'MODEL_INTEGRITY', 'A model file failed its integrity check');
    await expect(page.locator('.recovery-card')).toContainText(basename(artefact));
    await expect(page.getByText('Your patient data is untouched.')).toBeVisible();
    await expect(page.getByText(/^Reinstall Lantern/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Restore this backup' })).toHaveCount(0);

    await page.getByRole('button', { name: 'Continue without the models' }).click();
    await waitForScreen(page, 'patient');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(patient.name);
    const banner = page.locator('[data-model-integrity="failed"]');
    await expect(banner).toContainText('Models switched off.');
    await expect(banner).toContainText(basename(artefact));

    // Case entry stops before any diagnosis: no form, no "Run".
    await page.getByRole('button', { name: 'New case' }).click();
    await expect(page.locator('[data-error-code="MODEL_INTEGRITY"]')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Run' })).toHaveCount(0);
    await expect(page.locator('body')).not.toHaveAttribute('data-lantern-recovery', /.*/);
    await expect(banner).toBeVisible();
  } finally {
    rmSync(modelsDir, { recursive: true, force: true });
  }
});

test('a new computer restores from a backup folder (e.g. a USB drive) instead of setting up', async ({ page, startHost }) => {
  const usb = mkdtempSync(join(tmpdir(), 'lantern-usb-'));
  const newComputer = mkdtempSync(join(tmpdir(), 'lantern-e2e-new-'));
  try {
    const first = await startHost();
    await page.goto(first.launchUrl);
    const { login } = await createDatabase(page);
    await createPatient(page);
    await waitForScreen(page, 'patient');
    await backUpNow(page, usb);
    await expect(page.getByText('No backups yet.')).toBeVisible();
    await first.stop();
    const [folder] = readdirSync(usb);
    expect(folder).toMatch(/^lantern-backup-/);

    const second = await startHost({ dataDir: newComputer });
    await page.goto(second.launchUrl);
    await waitForScreen(page, 'setup');
    await page.getByRole('button', { name: 'Restore from a backup instead' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Restore the case database from a backup');
    await expect(page.getByRole('radio', { name: 'Another backup folder, e.g. on a USB drive' })).toBeChecked();
    await page.getByRole('textbox', { name: 'Backup folder' }).fill(join(usb, folder!));
    await page.getByLabel('Passphrase that opens the backup').fill(testPassphrase);
    await page.getByRole('button', { name: 'Restore this backup' }).click();
    await expect(page.getByRole('heading', { name: 'The backup was restored' })).toBeVisible();
    await expect(page.getByText('There was no database here before')).toBeVisible();
    await page.getByRole('button', { name: 'Go to sign in' }).click();
    await signIn(page, login, testPassphrase, 'patients');
    await expect(page.getByRole('list', { name: 'Patients found' }).getByRole('button', { name: new RegExp(patient.name) })).toBeVisible();
    await second.stop();
  } finally {
    rmSync(usb, { recursive: true, force: true });
    rmSync(newComputer, { recursive: true, force: true });
  }
});

test('a save refused for lack of disk space says why, keeps the form, and saves once there is room', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);
  await createPatient(page);
  await waitForScreen(page, 'patient');
  await page.getByRole('button', { name: 'New case' }).click();
  await waitForScreen(page, 'case-new');
  await addSymptom(page);
  // The host cannot fill a disk on demand; the service's real answer to SQLITE_FULL (checked in
  // electron/app/faultInjection.test.ts) is played back once, word for word.
  await page.route('**/api/saveCase', (route) =>
    route.fulfill({
      json: { ok: false, error: { code: 'STORAGE_FAILED', message: 'Saving failed (SQLITE_FULL): database or disk is full. Nothing was partially saved.' } },
    }),
  );
  await page.getByRole('button', { name: 'Save case' }).click();
  const alert = page.locator('[data-error-code="STORAGE_FAILED"]');
  await expect(alert).toContainText('could not write to the disk');
  await expect(alert).toContainText('Nothing was partially saved.');
  await expect(alert).toContainText('SQLITE_FULL');
  // Not a recovery screen: the form and what was typed stay.
  await expect(page.locator('body')).not.toHaveAttribute('data-lantern-recovery', /.*/);
  await page.unroute('**/api/saveCase');
  await page.getByRole('button', { name: 'Save case' }).click();
  await waitForScreen(page, 'case-detail');
  await expect(page.getByRole('list', { name: 'Present' })).toHaveText('Cough');
});

test('the loopback host says why it cannot remember a sign-in instead of hiding the option', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change your passphrase' });
  await expect(dialog.getByRole('heading', { name: 'Sign-in on this computer' })).toBeVisible();
  await expect(dialog.locator('[data-remember="unavailable"]')).toContainText('This computer cannot remember your sign-in:');
  await expect(dialog.locator('[data-remember="unavailable"]')).toContainText(/desktop app/);
  await expect(dialog.getByRole('button', { name: 'Remember me on this computer' })).toHaveCount(0);
});

test('an idle session locks itself and says so on the unlock screen', async ({ page, startHost }) => {
  const idleMinutes = 0.05;
  const host = await startHost({ env: { LANTERN_IDLE_LOCK_MINUTES: String(idleMinutes) } });
  await page.goto(host.launchUrl);
  const { login } = await createDatabase(page);
  // The app locks on the first call after the idle limit; nothing can hurry a clock that must run out.
  await page.waitForTimeout(idleMinutes * 60_000 + 300);
  await page.getByRole('button', { name: 'Surveillance', exact: true }).click();
  await waitForScreen(page, 'unlock');
  await expect(page.locator('[data-lock-reason]')).toContainText('inactivity');
  await signIn(page, login, testPassphrase, 'patients');
});
