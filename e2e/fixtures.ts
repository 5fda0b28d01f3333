/**
 * e2e fixtures: a fresh data directory per test and a loopback host process on it that can be
 * stopped and started again (a restart), each start awaited through the host's readiness event.
 */
import { test as base, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const projectRoot = resolve(__dirname, '..');
const hostScript = join(projectRoot, 'build', 'electron', 'host', 'hostMain.js');

export interface RunningHost {
  url: string;
  launchUrl: string;
  stop(): Promise<void>;
}

/** Fault and setting options for one host start; without them the host runs on the test's data dir. */
export interface HostOptions {
  /** Another data directory (a second computer in the same test). */
  dataDir?: string;
  /** Another models folder (`--models-dir`), e.g. a copy with a tampered file. */
  modelsDir?: string;
  /** Extra environment, e.g. `LANTERN_IDLE_LOCK_MINUTES`. */
  env?: Record<string, string>;
}

export interface LanternFixtures {
  dataDir: string;
  startHost: (options?: HostOptions) => Promise<RunningHost>;
}

function waitForReady(child: ChildProcess): Promise<{ url: string; launchUrl: string }> {
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout! });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    lines.on('line', (line) => {
      try {
        const event = JSON.parse(line) as { event?: string; url: string; launchUrl: string };
        if (event.event === 'lantern:host-ready') resolvePromise(event);
      } catch {
        // Not an event line.
      }
    });
    child.once('exit', (code) => reject(new Error(`host exited with ${code} before it was ready: ${stderr}`)));
  });
}

export const test = base.extend<LanternFixtures>({
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'lantern-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  startHost: async ({ dataDir }, use) => {
    const running: ChildProcess[] = [];
    await use(async (options: HostOptions = {}) => {
      const args = [hostScript, '--data-dir', options.dataDir ?? dataDir, ...(options.modelsDir ? ['--models-dir', options.modelsDir] : [])];
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
      running.push(child);
      const ready = await waitForReady(child);
      return {
        ...ready,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      };
    });
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  },
});

export { expect };

/** Waits for the renderer's named readiness signal for a screen (never a sleep). */
export async function waitForScreen(page: Page, screen: string): Promise<void> {
  await expect(page.locator('body')).toHaveAttribute('data-lantern-ready', screen);
}

export const testPassphrase = 'correct horse battery staple';

export interface CreatedDatabase {
  /** The first administrator's login, as the recovery key step shows it. */
  login: string;
  recoveryKey: string;
}

/**
 * First run: create the encrypted database through the setup screen, confirm the one-time
 * recovery key, and arrive on the patients screen signed in as the first administrator.
 */
export async function createDatabase(page: Page, passphrase = testPassphrase, account: { name?: string; login?: string } = {}): Promise<CreatedDatabase> {
  await waitForScreen(page, 'setup');
  await page.getByLabel('Your name').fill(account.name ?? 'Dr Amina Osei');
  if (account.login) await page.getByLabel('Login (optional)').fill(account.login);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create database' }).click();
  await waitForScreen(page, 'recovery-key');
  const recoveryKey = ((await page.getByRole('textbox', { name: 'Recovery key' }).textContent()) ?? '').trim();
  const login = ((await page.getByText(/^Your login: /).textContent()) ?? '').replace(/^Your login: /, '').trim();
  await expect(page.getByRole('button', { name: 'Continue' })).toBeDisabled();
  await page.getByLabel('I have written down the recovery key and stored it safely').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await waitForScreen(page, 'patients');
  return { login, recoveryKey };
}

/** From the unlock screen: sign in and wait for the screen the role lands on. */
export async function signIn(page: Page, login: string, passphrase: string, landsOn: 'patients' | 'audit'): Promise<void> {
  await waitForScreen(page, 'unlock');
  await page.getByLabel('Login', { exact: true }).fill(login);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await waitForScreen(page, landsOn);
}

/** Header "Switch user": locks and leaves the unlock screen empty for the next person. */
export async function switchUser(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Switch user' }).click();
  await waitForScreen(page, 'unlock');
}

/** From the patients screen: create a patient (with optional fields by their labels) and land on their chart. */
export async function addPatient(page: Page, patient: { name: string; birthDate: string; sex: string }, optional: Record<string, string> = {}): Promise<void> {
  await page.getByLabel('Full name').fill(patient.name);
  await page.getByLabel('Date of birth').fill(patient.birthDate);
  await page.getByLabel('Sex').selectOption(patient.sex);
  for (const [label, value] of Object.entries(optional)) await page.getByLabel(label).fill(value);
  await page.getByRole('button', { name: 'Create patient' }).click();
  await waitForScreen(page, 'patient');
}

/** From the patients screen: create a patient and open a new case for them. */
export async function openNewCase(page: Page, patient: { name: string; birthDate: string; sex: string }): Promise<void> {
  await addPatient(page, patient);
  await page.getByRole('button', { name: 'New case' }).click();
  await waitForScreen(page, 'case-new');
}

/** Attaches a DICOM file of another (test) patient: the attach stops with PATIENT_MISMATCH until the clinician confirms. */
export async function attachConfirmingPatient(page: Page, file: string): Promise<void> {
  await page.getByLabel('Attach image').setInputFiles(file);
  const stopped = page.locator('.patient-mismatch');
  await expect(stopped.getByRole('alert')).toHaveAttribute('data-error-code', 'PATIENT_MISMATCH');
  await stopped.getByRole('button', { name: /Attach anyway/ }).click();
  await expect(stopped).toHaveCount(0);
}

/** On the new-case screen: picks a symptom from the finder (typed, then Enter). */
export async function addSymptom(page: Page, name = 'Cough'): Promise<void> {
  await page.getByLabel('Find symptom').fill(name);
  await page.getByLabel('Find symptom').press('Enter');
}

/** A new database, then the new-case screen for a new patient. */
export async function startNewCase(page: Page, launchUrl: string, patient: { name: string; birthDate: string; sex: string }): Promise<void> {
  await page.goto(launchUrl);
  await createDatabase(page);
  await openNewCase(page, patient);
}

/** On the new-case screen: marks each symptom present (found by name), checking each took. */
export async function markPresent(page: Page, symptoms: string[]): Promise<void> {
  const find = page.getByLabel('Find symptom');
  for (const symptom of symptoms) {
    await find.fill(symptom);
    await find.press('Enter');
    await expect(page.getByRole('radio', { name: `${symptom}: present` })).toBeChecked();
  }
}

/** A new database with one patient and a saved case (a cough), open on the case's detail screen. */
export async function openSavedCase(page: Page, launchUrl: string, patient = { name: 'Omar Haddad', birthDate: '1958-11-30', sex: 'male' }): Promise<void> {
  await startNewCase(page, launchUrl, patient);
  await addSymptom(page);
  await page.getByRole('button', { name: 'Save case' }).click();
  await waitForScreen(page, 'case-detail');
}
