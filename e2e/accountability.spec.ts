/**
 * Accountability end to end: accounts on one workstation, clinician decisions and the final
 * diagnosis, the auditor's workspace (find, inspect, re-run), and a tampered audit trail that the
 * app reports to whoever signs in next.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { unlockEncryptedDatabase } from '../db/openDatabase';
import { test, expect, waitForScreen, createDatabase, openNewCase, signIn, switchUser, testPassphrase } from './fixtures';

const admin = { name: 'Dr Amina Osei', login: 'amina.osei', passphrase: testPassphrase };
const clinician = { name: 'Dr Wei Lin', login: 'wei.lin', role: 'clinician', passphrase: 'clinician passphrase 1' };
const auditor = { name: 'Ana Auditor', login: 'ana.audit', role: 'auditor', passphrase: 'auditor passphrase 1' };

/** As an administrator: add an account through the Users screen. */
async function addUser(page: Page, user: { name: string; login: string; role: string; passphrase: string }): Promise<void> {
  await page.getByRole('button', { name: 'Users' }).click();
  await waitForScreen(page, 'users');
  const form = page.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('Name', { exact: true }).fill(user.name);
  await form.getByLabel('Login', { exact: true }).fill(user.login);
  await form.getByLabel('Role').selectOption(user.role);
  await form.getByLabel('Initial passphrase', { exact: true }).fill(user.passphrase);
  await form.getByLabel('Repeat initial passphrase').fill(user.passphrase);
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('row', { name: new RegExp(user.login.replace('.', '\\.')) })).toContainText('Active');
}

test('a clinician records decisions; an auditor finds them and reproduces the model run', async ({ page, startHost }) => {
  // The chart draws on a canvas; nothing on these screens may need the CSP relaxed.
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  const host = await startHost();
  await page.goto(host.launchUrl);
  const created = await createDatabase(page, admin.passphrase, { name: admin.name, login: admin.login });
  expect(created.login).toBe(admin.login);
  expect(created.recoveryKey.length).toBeGreaterThan(20);

  await addUser(page, clinician);
  await addUser(page, auditor);

  // The clinician: patient, case, run, save.
  await switchUser(page);
  await expect(page.getByLabel('Login', { exact: true })).toHaveValue('');
  await signIn(page, clinician.login, clinician.passphrase, 'patients');
  await expect(page.getByRole('button', { name: 'Users' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Audit' })).toHaveCount(0);
  await openNewCase(page, { name: 'Kofi Mensah', birthDate: '1958-06-02', sex: 'male' });
  const find = page.getByLabel('Find symptom');
  for (const symptom of ['Chest pain', 'Breathlessness', 'Sweating', 'Vomiting']) {
    await find.fill(symptom);
    await find.press('Enter');
  }
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-lantern-differential', 'ready');
  await page.getByRole('button', { name: 'Save case' }).click();
  await waitForScreen(page, 'case-detail');

  // Accept an ordinary suggestion.
  const decisions = page.getByRole('region', { name: 'Decisions' });
  const ordinary = decisions.locator('li.decision-item:not([data-cant-miss])').first();
  const acceptedLabel = (await ordinary.getAttribute('data-label'))!;
  await ordinary.getByRole('button', { name: 'Accept' }).click();
  await expect(ordinary).toHaveAttribute('data-decision', 'accept');
  await expect(ordinary).toContainText(`Accepted by ${clinician.name}`);

  // Reject a can't-miss one: without a reason the app refuses and says why; with one it is stored.
  const cantMiss = decisions.locator('li.decision-item[data-cant-miss="true"]').first();
  const rejectedLabel = (await cantMiss.getAttribute('data-label'))!;
  await cantMiss.getByRole('button', { name: 'Reject' }).click();
  const reason = cantMiss.getByLabel("Reason for rejecting (required for a can't-miss diagnosis)");
  await expect(reason).toBeVisible();
  await cantMiss.getByRole('button', { name: 'Confirm rejection' }).click();
  await expect(cantMiss.getByRole('alert')).toContainText("can't-miss diagnosis, needs a reason");
  await expect(reason).toHaveAttribute('aria-invalid', 'true');
  await expect(cantMiss).toHaveAttribute('data-decision', 'none');
  await reason.fill('Normal ECG and troponin at 6 hours');
  await cantMiss.getByRole('button', { name: 'Confirm rejection' }).click();
  await expect(cantMiss).toHaveAttribute('data-decision', 'reject');
  const history = decisions.getByRole('table', { name: 'Decision history' });
  await expect(history.locator('tbody tr')).toHaveCount(2);
  await expect(history).toContainText('Normal ECG and troponin at 6 hours');

  // The final diagnosis, picked from the differential (name and ICD-10 filled in).
  const final = page.getByRole('region', { name: 'Final diagnosis' });
  await final.getByLabel('Choose from the differential').selectOption(acceptedLabel);
  const finalName = await final.getByLabel('Diagnosis', { exact: true }).inputValue();
  expect(finalName).not.toBe('');
  await final.getByRole('button', { name: 'Record final diagnosis' }).click();
  await expect(final).toContainText(`Recorded by ${clinician.name}`);
  await expect(final.locator('[data-final-diagnosis]')).toHaveAttribute('data-final-diagnosis', finalName);

  // The auditor: lands on the audit workspace, filters, finds the suggestion with its decisions.
  await switchUser(page);
  await signIn(page, auditor.login, auditor.passphrase, 'audit');
  await expect(page.getByRole('button', { name: 'Patients' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Audit trail' })).toHaveAttribute('data-chain', 'intact');
  await page.getByLabel('Clinician').selectOption({ label: clinician.name });
  await page.getByLabel('Decision', { exact: true }).selectOption({ label: 'Rejected' });
  await page.getByLabel('Diagnosis', { exact: true }).fill(finalName);
  await page.getByRole('button', { name: 'Search' }).click();
  await waitForScreen(page, 'audit');
  const results = page.getByRole('table', { name: 'Suggestions' });
  await expect(results.locator('tbody tr')).toHaveCount(1);
  const row = results.locator('tbody tr').first();
  await expect(row).toContainText(clinician.name);
  await expect(row).toContainText(`${acceptedLabel}: Accepted`);
  await expect(row).toContainText(`${rejectedLabel}: Rejected`);
  await expect(row).toContainText(finalName);

  // A filter that excludes it finds nothing.
  await page.getByLabel('Decision', { exact: true }).selectOption({ label: 'No decision' });
  await page.getByRole('button', { name: 'Search' }).click();
  await waitForScreen(page, 'audit');
  await expect(page.getByText('No suggestions match these filters.')).toBeVisible();
  await page.getByLabel('Decision', { exact: true }).selectOption({ label: 'Accepted' });
  await page.getByRole('button', { name: 'Search' }).click();
  await waitForScreen(page, 'audit');
  await expect(results.locator('tbody tr')).toHaveCount(1);

  // Details: the exact inputs and output, the decisions, and a re-run of the stored model version.
  await results.getByRole('button', { name: new RegExp(`Details of the suggestion .* by ${clinician.name}`) }).click();
  const detail = page.getByRole('region', { name: /^Suggestion of / });
  const inputs = detail.getByRole('region', { name: 'Inputs the model saw' });
  await expect(inputs).toContainText('chest_pain');
  await expect(inputs).toContainText('Present:');
  await expect(detail.getByRole('region', { name: 'Output of the model' })).toContainText(rejectedLabel);
  await expect(detail.getByRole('region', { name: 'Decisions' })).toContainText('Normal ECG and troponin at 6 hours');
  await detail.getByRole('button', { name: 'Re-run model' }).click();
  const rerun = detail.locator('.rerun-result');
  await expect(rerun).toHaveAttribute('data-reproduced', 'true');
  await expect(rerun).toContainText('Reproduced.');

  // Agreement: one case with a final diagnosis, which was among the suggestions; the chart is drawn.
  const agreement = page.getByRole('region', { name: 'Agreement with final diagnoses' });
  const stats = agreement.getByRole('table');
  await expect(stats.locator('tbody tr')).toHaveCount(1);
  await expect(stats.locator('tbody tr td').first()).toHaveText('1');
  await expect(agreement.getByRole('img', { name: /Bar chart of top-1 and top-3 agreement/ })).toBeVisible();
  // The trail itself: the clinician's two decisions and the failed/successful sign-ins are events.
  const trail = page.getByRole('region', { name: /^Recent events \(newest \d+\)$/ });
  await expect(trail.locator('tr[data-action="decision.record"]')).toHaveCount(2);
  await expect(trail.locator('tr[data-action="diagnosis.final"]')).toHaveCount(1);
  expect(cspViolations).toEqual([]);

  // The auditor may open the case, read only: decisions shown, no buttons to change anything.
  await detail.getByRole('button', { name: 'Open case' }).click();
  await waitForScreen(page, 'case-detail');
  const readOnly = page.getByRole('region', { name: 'Decisions' });
  await expect(readOnly).toContainText('Read only');
  await expect(readOnly.locator(`li[data-label="${rejectedLabel}"]`)).toHaveAttribute('data-decision', 'reject');
  await expect(page.getByRole('button', { name: 'Accept' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Record final diagnosis' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Replace final diagnosis' })).toHaveCount(0);
});

test('an audit row edited outside the app breaks the chain, and the app says so', async ({ page, startHost, dataDir }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page, admin.passphrase, { name: admin.name, login: admin.login });
  await expect(page.locator('body')).toHaveAttribute('data-lantern-audit-chain', 'intact');

  // Lock (the app closes its connection), then edit one row with the key, as an attacker with it would.
  await page.getByRole('button', { name: 'Lock' }).click();
  await waitForScreen(page, 'unlock');
  const { db } = await unlockEncryptedDatabase(join(dataDir, 'lantern.db'), admin.passphrase, { login: admin.login });
  let seq: number;
  try {
    seq = (db.prepare(`SELECT seq FROM audit_events WHERE action = 'recovery-key.create'`).get() as { seq: number }).seq;
    db.exec('DROP TRIGGER audit_events_no_update');
    db.prepare(`UPDATE audit_events SET detail = '{"note":"nothing happened here"}' WHERE seq = ?`).run(seq);
  } finally {
    db.close();
  }

  // "Lock" keeps the login filled in for the same user.
  await expect(page.getByLabel('Login', { exact: true })).toHaveValue(admin.login);
  await page.getByLabel('Passphrase', { exact: true }).fill(admin.passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await waitForScreen(page, 'patients');
  await expect(page.locator('body')).toHaveAttribute('data-lantern-audit-chain', 'broken');
  const banner = page.getByRole('alert').filter({ hasText: 'The audit trail has been tampered with.' });
  await expect(banner).toContainText(`The chain breaks at event #${seq}`);

  // The banner stays on every screen; the audit workspace names the same event.
  await page.getByRole('button', { name: 'Audit' }).click();
  await waitForScreen(page, 'audit');
  await expect(banner).toBeVisible();
  const chain = page.getByRole('region', { name: 'Audit trail' });
  await expect(chain).toHaveAttribute('data-chain', 'broken');
  await expect(chain).toContainText(`BROKEN. The chain breaks at event #${seq}`);
});

test('sign-in failures are named, and the recovery key resets a lost passphrase', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  const { recoveryKey } = await createDatabase(page, admin.passphrase, { name: admin.name, login: admin.login });
  await addUser(page, clinician);

  // Disabling takes effect at once (the account's key slot is gone); the database key is then changed
  // in the background, its progress shown, until the screen says it is done (no error on the way).
  await page.getByRole('button', { name: `Disable ${clinician.login}` }).click();
  await expect(page.getByRole('row', { name: /wei\.lin/ })).toContainText('Disabled');
  const rotation = page.locator('[data-key-rotation]');
  await expect(rotation).toHaveAttribute('data-key-rotation', 'done');
  await expect(rotation).toHaveText(`The database key was changed: ${clinician.login}'s old key, and copies of the old keyring, no longer open the database.`);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('button', { name: `Reset passphrase of ${clinician.login}` })).toBeEnabled();
  await switchUser(page);
  await page.getByLabel('Login', { exact: true }).fill(clinician.login);
  await page.getByLabel('Passphrase', { exact: true }).fill(clinician.passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong login or passphrase. The database was not opened.');

  // Lost admin passphrase: the recovery key sets a new one and signs the admin in.
  await page.getByRole('button', { name: 'Forgot passphrase? Use recovery key' }).click();
  await page.getByLabel('Recovery key', { exact: true }).fill('AAAA-BBBB-CCCC-DDDD');
  await page.getByLabel('Administrator login').fill(admin.login);
  await page.getByLabel('New passphrase', { exact: true }).fill('a brand new passphrase');
  await page.getByLabel('Repeat new passphrase').fill('a brand new passphrase');
  await page.getByRole('button', { name: 'Reset passphrase and sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('That recovery key does not open this database.');
  await page.getByLabel('Recovery key', { exact: true }).fill(recoveryKey);
  await page.getByRole('button', { name: 'Reset passphrase and sign in' }).click();
  await waitForScreen(page, 'patients');

  // Reset re-enables the clinician; the clinician then changes their own passphrase.
  await page.getByRole('button', { name: 'Users' }).click();
  await waitForScreen(page, 'users');
  await page.getByRole('button', { name: `Reset passphrase of ${clinician.login}` }).click();
  const reset = page.getByRole('dialog', { name: `Reset the passphrase of ${clinician.login}` });
  await reset.getByLabel('New passphrase', { exact: true }).fill('temporary passphrase');
  await reset.getByLabel('Repeat new passphrase').fill('temporary passphrase');
  await reset.getByRole('button', { name: 'Set passphrase' }).click();
  await expect(reset).toHaveCount(0);
  await expect(page.getByRole('row', { name: /wei\.lin/ })).toContainText('Active');

  await switchUser(page);
  await signIn(page, clinician.login, 'temporary passphrase', 'patients');
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  const change = page.getByRole('dialog', { name: 'Change your passphrase' });
  await change.getByLabel('Current passphrase').fill('not it at all');
  await change.getByLabel('New passphrase', { exact: true }).fill(clinician.passphrase);
  await change.getByLabel('Repeat new passphrase').fill(clinician.passphrase);
  await change.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(change.getByRole('alert')).toHaveText('The current passphrase is wrong; nothing was changed.');
  await change.getByLabel('Current passphrase').fill('temporary passphrase');
  await change.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(change.getByRole('status').first()).toHaveText('Your passphrase was changed. Use the new one from now on.');
  await change.getByRole('button', { name: 'Close' }).click();
  await switchUser(page);
  await signIn(page, clinician.login, clinician.passphrase, 'patients');
});
