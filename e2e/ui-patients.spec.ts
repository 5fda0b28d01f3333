/**
 * Patients are found the way a clinic finds them: by name, by identifier (MRN or national ID,
 * however it is punctuated) or by birth date; identifier, phone and village show on the chart.
 */
import { test, expect, createDatabase, waitForScreen, addPatient } from './fixtures';

test('a patient is created with identifier, phone and village, and found by identifier or birth date', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);

  await addPatient(
    page,
    { name: 'Amina Bello', birthDate: '1966-05-10', sex: 'female' },
    {
      'Identifier (MRN or national ID, optional)': 'MRN 12-034',
      'Phone (optional)': '+234 803 555 0101',
      'Village or address (optional)': 'Kaduna, Ward 4',
    },
  );
  await expect(page.locator('.patient-details')).toContainText('MRN 12-034');
  await expect(page.locator('.patient-details')).toContainText('+234 803 555 0101');
  await expect(page.locator('.patient-details')).toContainText('Kaduna, Ward 4');

  await page.getByRole('button', { name: 'Back to patients' }).click();
  await waitForScreen(page, 'patients');
  await addPatient(page, { name: 'Grace Okafor', birthDate: '1980-02-02', sex: 'female' });
  await page.getByRole('button', { name: 'Back to patients' }).click();
  await waitForScreen(page, 'patients');

  const found = page.getByRole('list', { name: 'Patients found' }).locator(':scope > li');
  await page.getByLabel('Search patients').fill('mrn12034');
  await expect(found).toHaveCount(1);
  await expect(found.first()).toContainText('Amina Bello');
  await expect(found.first()).toContainText('ID MRN 12-034');

  await page.getByLabel('Search patients').fill('1980-02-02');
  await expect(found).toHaveCount(1);
  await expect(found.first()).toContainText('Grace Okafor');

  await page.getByLabel('Search patients').fill('okafor');
  await expect(found).toHaveCount(1);
});
