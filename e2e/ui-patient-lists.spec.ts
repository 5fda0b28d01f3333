/**
 * Allergies and current medications: entered on the patient's chart (a listed name is coded, other
 * text kept as typed and marked uncoded) and shown in the banner of every case of the patient.
 */
import { test, expect, createDatabase, waitForScreen, addPatient } from './fixtures';

test('allergies and medications entered on the chart show on the case screen, coded or marked uncoded', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);

  await addPatient(page, { name: 'Amina Bello', birthDate: '1966-05-10', sex: 'female' });
  await expect(page.getByTestId('patient-allergies')).toHaveText('Not recorded (not asked)');

  await page.getByRole('button', { name: 'Edit allergies and medications' }).click();
  await page.getByRole('button', { name: 'Add allergy' }).click();
  await page.getByRole('combobox', { name: 'Allergy to' }).fill('penicillins');
  await expect(page.getByTestId('allergies-row').first()).toContainText('ATC J01C');
  await page.getByLabel('Reaction').fill('hives');
  await page.getByRole('button', { name: 'Add allergy' }).click();
  await page.getByRole('combobox', { name: 'Allergy to' }).nth(1).fill('Peanuts');
  await expect(page.getByTestId('allergies-row').nth(1)).toContainText('uncoded');
  await page.getByRole('button', { name: 'Add medication' }).click();
  await page.getByRole('combobox', { name: 'Medication' }).fill('Metformin');
  await page.getByLabel('Dose').fill('500 mg twice daily');
  await page.getByRole('button', { name: 'Save lists' }).click();

  await expect(page.getByTestId('patient-allergies')).toHaveText('Penicillins — hives, Peanuts (uncoded)');
  await expect(page.getByTestId('patient-medications')).toHaveText('Metformin — 500 mg twice daily');

  await page.getByRole('button', { name: 'New case' }).click();
  await waitForScreen(page, 'case-new');
  const banner = page.locator('.patient-banner');
  await expect(banner.getByTestId('patient-allergies')).toHaveText('Penicillins — hives, Peanuts (uncoded)');
  await expect(banner.getByTestId('patient-medications')).toHaveText('Metformin — 500 mg twice daily');
});
