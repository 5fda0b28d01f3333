/**
 * The main job end to end, as a new user meets it: create the encrypted database, add a patient,
 * enter a case from the keyboard, run the differential, save, restart the app, unlock (after a
 * wrong passphrase), and reopen the saved case.
 */
import { test, expect, waitForScreen, createDatabase, openNewCase, addSymptom, testPassphrase } from './fixtures';

const passphrase = testPassphrase;

test('enter a case, run, save, restart, reopen', async ({ page, startHost }) => {
  let host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);
  await openNewCase(page, { name: 'Zhang Wei', birthDate: '1971-03-14', sex: 'male' });

  // Keyboard entry: type a symptom, Enter marks it present, Shift+Enter absent.
  const find = page.getByLabel('Find symptom');
  for (const symptom of ['Continuous sneezing', 'Shivering', 'Chills', 'Watering from eyes']) {
    await find.fill(symptom);
    await find.press('Enter');
    await expect(page.getByRole('radio', { name: `${symptom}: present` })).toBeChecked();
  }
  await find.fill('High fever');
  await find.press('Shift+Enter');
  await expect(page.getByRole('radio', { name: 'High fever: absent' })).toBeChecked();

  await page.getByLabel('Temperature (°C)').fill('37.1');
  await page.getByLabel('Heart rate (/min)').fill('88');
  await page.getByLabel('Clinical note').fill('Sneezing and watery eyes since the dust storm. 无发热。');

  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-lantern-differential', 'ready');
  const differential = page.getByRole('region', { name: 'Differential diagnosis' });
  const ranked = differential.getByRole('list', { name: 'Most likely diagnoses' }).locator(':scope > li');
  await expect(ranked).toHaveCount(10);
  await expect(ranked.first()).toContainText('Allergy');
  await expect(ranked.first()).toContainText('Supports');
  await expect(differential).toContainText('symptom-differential');

  await page.getByRole('button', { name: 'Save case' }).click();
  await waitForScreen(page, 'case-detail');
  await expect(page.getByRole('region', { name: 'Differential diagnosis' })).toContainText('Allergy');

  // Restart the app: a new host process, a new token, the same data directory.
  await host.stop();
  host = await startHost();
  await page.goto(host.launchUrl);
  await waitForScreen(page, 'unlock');
  await page.getByLabel('Passphrase').fill('not the passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong passphrase. The database was not opened.');
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await waitForScreen(page, 'patients');

  await page.getByLabel('Search patients').fill('zhang');
  await waitForScreen(page, 'patients');
  await page
    .getByRole('list', { name: 'Patients found' })
    .getByRole('button', { name: /Zhang Wei/ })
    .click();
  await waitForScreen(page, 'patient');
  const history = page.getByRole('button', { name: /Top diagnosis: Allergy/ });
  await expect(history).toHaveCount(1);
  await history.click();
  await waitForScreen(page, 'case-detail');
  await expect(page.getByText('Sneezing and watery eyes since the dust storm. 无发热。')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Differential diagnosis' })).toContainText('Allergy');
  // the free-text classifier's reading of the note was stored with the case, with its model and version
  const stored = page.getByRole('region', { name: 'Free-text classifier on the saved note' });
  await expect(stored).toContainText('symptom-text');
  await expect(stored.locator('.complaint-list > li')).toHaveCount(3);
});

test('an impossible vital sign is named and nothing is saved', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);
  await openNewCase(page, { name: 'Ana Lima', birthDate: '1990-01-01', sex: 'female' });
  await addSymptom(page);
  await page.getByLabel('Temperature (°C)').fill('93');
  await expect(page.getByText('Temperature must be between 25 and 45 °C')).toBeVisible();
  await page.getByRole('button', { name: 'Save case' }).click();
  await expect(page.getByRole('alert')).toContainText('Temperature');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await waitForScreen(page, 'patient');
  await expect(page.getByRole('button', { name: /Top diagnosis/ })).toHaveCount(0);
});

test('the interface switches to Simplified Chinese', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await waitForScreen(page, 'setup');
  await page.getByLabel('Language').selectOption('zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Create the encrypted case database');
});

test('API calls without the launch token are refused', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.url);
  const status = await page.evaluate(async () => {
    const res = await fetch('/api/sessionStatus', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    return res.status;
  });
  expect(status).toBe(401);
});
