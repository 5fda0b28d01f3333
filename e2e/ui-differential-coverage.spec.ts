/**
 * The differential is honest about thin and odd presentations: one unspecific finding is not
 * assessed (and says what to add), the meningitis triad (no disease the model knows) is answered
 * with capped probabilities and a warning that points to the red-flag rules.
 */
import { test, expect, createDatabase, openNewCase } from './fixtures';

async function enterPresent(page: import('@playwright/test').Page, symptoms: string[]): Promise<void> {
  const find = page.getByLabel('Find symptom');
  for (const symptom of symptoms) {
    await find.fill(symptom);
    await find.press('Enter');
    await expect(page.getByRole('radio', { name: `${symptom}: present` })).toBeChecked();
  }
}

test('one finding is not assessed and names what to add', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);
  await openNewCase(page, { name: 'Li Na', birthDate: '1980-05-05', sex: 'female' });
  await enterPresent(page, ['Headache']);
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-lantern-differential', 'ready');
  const differential = page.getByRole('region', { name: 'Differential diagnosis' });
  const status = differential.locator('[data-abstention="INSUFFICIENT_INPUTS"]');
  await expect(status).toContainText('Not assessed');
  await expect(status).toContainText('Most informative to add');
  await expect(differential.getByRole('list', { name: 'Most likely diagnoses' })).toHaveCount(0);
});

test('the meningitis triad is flagged as not covered, pointing to the red-flag rules', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);
  await openNewCase(page, { name: 'Tomás Ruiz', birthDate: '2001-09-09', sex: 'male' });
  await enterPresent(page, ['Headache', 'Stiff neck', 'High fever']);
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-lantern-differential', 'ready');
  const differential = page.getByRole('region', { name: 'Differential diagnosis' });
  const warning = differential.locator('[data-coverage="OUT_OF_DISTRIBUTION"]');
  await expect(warning).toContainText('Presentation not covered');
  await expect(warning).toContainText('red-flag rules');
  const ranked = differential.getByRole('list', { name: 'Most likely diagnoses' }).locator(':scope > li');
  await expect(ranked).toHaveCount(10);
  // No suggestion above 50 %: the first probability shown is at most 50 %.
  const first = await ranked.first().locator('.probability').innerText();
  expect(Number.parseFloat(first.replace(/[^0-9.]/g, ''))).toBeLessThanOrEqual(50);
});

test('a measured temperature enters as a finding from the measurement, never as entered', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);
  await openNewCase(page, { name: 'Amara Okafor', birthDate: '1975-02-02', sex: 'female' });
  await enterPresent(page, ['Sweating', 'Muscle pain']);
  await page.getByLabel('Temperature (°C)').fill('39.4');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-lantern-differential', 'ready');
  const differential = page.getByRole('region', { name: 'Differential diagnosis' });
  const measured = differential.locator('[data-measured-findings] li[data-feature="high_fever"]');
  await expect(measured).toContainText('temperature 39.4 °C');
  await expect(measured).toHaveAttribute('data-applied', 'true');
  // The finding itself stays unanswered in the findings list: the clinician did not enter it.
  await expect(page.getByRole('radio', { name: 'High fever: present', checked: true })).toHaveCount(0);
});
