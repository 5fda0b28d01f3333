/**
 * Case export from the case screen: "Export PDF" and "Export FHIR" each save a file through the
 * browser's download (Blob + a[download], no inline script under the strict CSP), and the files
 * hold the case as saved, Chinese patient name included.
 */
import { readFileSync } from 'node:fs';
import { test, expect, waitForScreen, createDatabase, openNewCase } from './fixtures';

test('export a saved case as PDF and as a FHIR bundle', async ({ page, startHost }) => {
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);
  await openNewCase(page, { name: '王芳', birthDate: '1985-03-14', sex: 'female' });
  const find = page.getByLabel('Find symptom');
  for (const symptom of ['Cough', 'High fever']) {
    await find.fill(symptom);
    await find.press('Enter');
  }
  await page.getByLabel('Temperature (°C)').fill('38.6');
  await page.getByRole('button', { name: 'Save case' }).click();
  await waitForScreen(page, 'case-detail');

  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PDF' }).click()]);
  expect(pdf.suggestedFilename()).toMatch(/^lantern-case-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.pdf$/);
  const pdfBytes = readFileSync((await pdf.path())!);
  expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await expect(page.getByRole('status').filter({ hasText: pdf.suggestedFilename() })).toContainText('recorded in the audit trail');

  const [fhir] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export FHIR' }).click()]);
  expect(fhir.suggestedFilename()).toMatch(/\.fhir\.json$/);
  const bundle = JSON.parse(readFileSync((await fhir.path())!, 'utf8')) as {
    resourceType: string;
    type: string;
    entry: { resource: { resourceType: string; name?: { text: string }[] } }[];
  };
  expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
  expect(bundle.entry.find((e) => e.resource.resourceType === 'Patient')?.resource.name).toEqual([{ text: '王芳' }]);
  expect(bundle.entry.some((e) => e.resource.resourceType === 'Provenance')).toBe(true);
  expect(cspViolations).toEqual([]);
});
