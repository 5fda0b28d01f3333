/**
 * The viewer's window/level drag is scaled to the window and the image's value range (a narrow
 * window is adjusted finely, a full-range one never races), MR offers an auto window, and the
 * corner text names modality, frame and W/L. Needs ../shared/data/dicom (skipped without it).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, waitForScreen, projectRoot, openSavedCase, attachConfirmingPatient } from './fixtures';

const mrSmall = join(projectRoot, '..', 'shared', 'data', 'dicom', 'MR_small.dcm');

async function drag(page: Page, dx: number, dy: number): Promise<void> {
  const viewport = page.getByRole('application');
  await viewport.scrollIntoViewIfNeeded();
  const box = (await viewport.boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 8 });
  await page.mouse.up();
}

/** A saved case with MR_small.dcm attached, open in the viewer. */
async function openMrSmall(page: Page, launchUrl: string): Promise<void> {
  await openSavedCase(page, launchUrl);
  // MR_small.dcm names another (test) patient: the attach is confirmed, as a clinician would.
  await attachConfirmingPatient(page, mrSmall);
  await expect(page.locator('body')).toHaveAttribute('data-lantern-viewer', 'ready');
}

const num = async (page: Page, label: string) => Number((await page.getByLabel(label, { exact: true }).inputValue()).replace(/[^\d.-]/g, ''));

test('window/level drag is scaled to the window and the value range (needs shared/data/dicom)', async ({ page, startHost }) => {
  test.skip(!existsSync(mrSmall), 'needs ../shared/data/dicom/MR_small.dcm');
  await openMrSmall(page, (await startHost()).launchUrl);

  const preset = page.getByLabel('Window preset');
  await expect(preset.locator('option')).toContainText(['File default', 'Full range', 'Auto (1st–99th percentile)']);
  const overlay = page.getByTestId('viewer-overlay-text');
  await expect(overlay).toContainText('MR');
  await expect(overlay).toContainText('Frame 1 of 1');

  // Full range: 200 px right widens by at most range/1024 a pixel (OHIF's rate), not range/256.
  await preset.selectOption({ label: 'Full range' });
  const span = await num(page, 'Window width');
  await drag(page, 200, 0);
  const widened = (await num(page, 'Window width')) - span;
  expect(widened).toBeGreaterThan(0);
  expect(widened).toBeLessThanOrEqual((span / 1024) * 200 * 1.05);

  // A narrow window moves finely: 128 px right about doubles it (1/128 of its width a pixel).
  await page.getByLabel('Window width', { exact: true }).fill('50');
  await page.getByLabel('Window centre', { exact: true }).fill('300');
  await expect(overlay).toContainText('W 50 / L 300');
  await drag(page, 128, 0);
  const narrow = await num(page, 'Window width');
  expect(narrow).toBeGreaterThan(80);
  expect(narrow).toBeLessThan(120);
  await drag(page, 0, 64);
  const centre = await num(page, 'Window centre');
  expect(centre).toBeGreaterThan(300);
  expect(centre).toBeLessThan(300 + 64 * (narrow / 128) * 1.2 + 1);
  await expect(overlay).toContainText(`W ${Math.round(narrow)}`);
});

test('length and region measurements in mm from PixelSpacing, kept with the image and drawn again on reopening; invert and reset (needs shared/data/dicom)', async ({
  page,
  startHost,
}) => {
  test.skip(!existsSync(mrSmall), 'needs ../shared/data/dicom/MR_small.dcm');
  await openMrSmall(page, (await startHost()).launchUrl);

  // MR_small (pydicom's test file): 64 × 64, PixelSpacing 0.3125\0.3125 mm.
  await page.getByText(/^DICOM header \(\d+ fields?\)$/).click();
  await expect(page.locator('.dicom-header')).toContainText('0.3125');
  const canvasBox = (await page.getByTestId('viewer-image').boundingBox())!;
  const zoom = canvasBox.width / 64;

  await page.getByRole('button', { name: 'Length', exact: true }).click();
  await drag(page, 160, 0);
  const list = page.getByTestId('viewer-measurements');
  await expect(list.locator('li')).toHaveCount(1);
  const text = (await list.locator('li').first().textContent())!;
  const mm = Number(/Length ([\d.]+) mm/.exec(text)![1]);
  expect(mm).toBeCloseTo((160 / zoom) * 0.3125, 0);

  await page.getByRole('button', { name: 'Region (mean/SD)' }).click();
  await drag(page, 60, 60);
  await expect(list.locator('li')).toHaveCount(2);
  await expect(list.locator('li').nth(1)).toHaveText(/^Region mean [\d.,]+, SD [\d.,]+ \(\d+ pixels, [\d.,]+ mm²\)$/);

  // Invert changes the picture; Reset restores window and view, and the stored measurements stay.
  const before = await page.getByTestId('viewer-image').screenshot();
  await page.getByRole('button', { name: 'Invert' }).click();
  await expect.poll(async () => (await page.getByTestId('viewer-image').screenshot()).equals(before)).toBe(false);
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(list.locator('li')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Invert' })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByRole('button', { name: 'Window/level' })).toHaveAttribute('aria-pressed', 'true');
  const marks = page.locator('svg.viewer-measurements').locator('line, rect');
  const drawn = await marks.evaluateAll((els) => els.map((e) => e.outerHTML));
  expect(drawn).toHaveLength(2);

  // Kept with the image: reopening the case lists and draws them again, with the same figures.
  const listed = await list.locator('li').allTextContents();
  await page.getByRole('button', { name: 'Back to patient' }).click();
  await waitForScreen(page, 'patient');
  await page.locator('.case-list button').first().click();
  await waitForScreen(page, 'case-detail');
  await expect(page.locator('body')).toHaveAttribute('data-lantern-viewer', 'ready');
  await expect(list.locator('li')).toHaveText(listed);
  await expect.poll(() => marks.evaluateAll((els) => els.map((e) => e.outerHTML))).toEqual(drawn);

  await page.getByRole('button', { name: 'Clear measurements' }).click();
  await expect(list).toHaveCount(0);
});
