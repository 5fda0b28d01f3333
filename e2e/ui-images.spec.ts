/**
 * Images on a saved case against the real host: attaching (and refusing unreadable files while
 * the others stay), the viewer (canvas, window/level, zoom, frames, DICOM header), and the image
 * models' overlays. Real files come from ../shared/data; tests that need them skip without it.
 * Waits only on readiness signals and visible state, never on time.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, waitForScreen, projectRoot, openSavedCase, attachConfirmingPatient } from './fixtures';
import type { Page } from '@playwright/test';
import { chestXrayPng, makePng } from './testImages';

const data = join(projectRoot, '..', 'shared', 'data');
const dicom = (name: string) => join(data, 'dicom', name);
const haveDicom = existsSync(dicom('MR_small.dcm'));
const driveDir = join(data, 'imaging', 'drive', 'training', 'images');
const driveImage = existsSync(driveDir)
  ? readdirSync(driveDir)
      .filter((f) => /\.(png|tiff?)$/i.test(f))
      .sort((a, b) => Number(/\.png$/i.test(b)) - Number(/\.png$/i.test(a)))[0]
  : undefined;

const savedCase = (page: Page, launchUrl: string, birthDate = '1958-11-30') => openSavedCase(page, launchUrl, { name: 'Omar Haddad', birthDate, sex: 'male' });

/** A colour picture (warm gradient with a green band): not a chest X-ray. */
function photoPng(): Buffer {
  return makePng(96, 3, (x, y) => (Math.abs(y - 48) < 8 ? [40, 160, 60] : [200 + x / 2, 120 + y, 60]));
}

/** A birth date that makes the patient 3 years old today: the pneumonia model's population is children aged 1-5. */
function childBirthDate(): string {
  const d = new Date();
  return `${d.getUTCFullYear() - 3}-01-15`;
}

/** Distinct grey levels on the viewer's image canvas: more than one means a real picture was drawn. */
async function distinctLevels(page: Page): Promise<number> {
  return page.getByTestId('viewer-image').evaluate((canvas: HTMLCanvasElement) => {
    const ctx = canvas.getContext('2d')!;
    const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < px.length; i += 4) seen.add(px[i]!);
    return seen.size;
  });
}

test('another patient’s DICOM is stopped until confirmed; it opens in the viewer: window/level, zoom, header; unreadable files are refused, others stay', async ({
  page,
  startHost,
}) => {
  test.skip(!haveDicom, 'needs ../shared/data/dicom');
  const host = await startHost();
  await savedCase(page, host.launchUrl);

  // The file names another patient (CompressedSamples^MR1, female): stopped, nothing attached, until confirmed.
  await page.getByLabel('Attach image').setInputFiles(dicom('MR_small.dcm'));
  const stopped = page.locator('.patient-mismatch');
  await expect(stopped.getByRole('alert')).toHaveAttribute('data-error-code', 'PATIENT_MISMATCH');
  await expect(stopped).toContainText('PatientName in the file is "CompressedSamples^MR1", the case has "Omar Haddad"');
  await expect(stopped).toContainText('PatientSex in the file is "female", the case has "male"');
  await expect(page.getByText('No images attached.')).toBeVisible();
  await stopped.getByRole('button', { name: /Attach anyway/ }).click();
  await expect(stopped).toHaveCount(0);
  await expect(page.locator('body')).toHaveAttribute('data-lantern-viewer', 'ready');
  const images = page.getByRole('list', { name: 'Attached images' });
  await expect(images.getByRole('button', { name: /MR_small\.dcm/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText(/DICOM · 64 × 64 · 1 frame/).first()).toBeVisible();
  expect(await distinctLevels(page)).toBeGreaterThan(8);

  // Window/level: presets and typed values are the keyboard route; dragging is the mouse route.
  const status = page.getByTestId('viewer-status');
  const preset = page.getByLabel('Window preset');
  await expect(preset.locator('option')).toContainText(['File default', 'Full range']);
  await preset.selectOption({ label: 'Full range' });
  const fullRange = await status.textContent();
  const viewport = page.getByRole('application');
  await viewport.scrollIntoViewIfNeeded();
  const box = (await viewport.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 80, box.y + box.height / 2 + 40, { steps: 4 });
  await page.mouse.up();
  await expect(status).not.toHaveText(fullRange!);
  await expect(preset).toHaveValue('');
  await page.getByLabel('Window width').fill('50');
  await expect(status).toContainText('width 50');

  const zoomBefore = await page.locator('.viewer-zoom-value').textContent();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect(page.locator('.viewer-zoom-value')).not.toHaveText(zoomBefore!);
  await viewport.focus();
  await viewport.press('-');
  await expect(page.locator('.viewer-zoom-value')).toHaveText(zoomBefore!);

  await page.getByText(/^DICOM header \(\d+ fields?\)$/).click();
  const header = page.locator('.dicom-header table');
  await expect(header).toBeVisible();
  await expect(header.locator('tbody tr').first()).toBeVisible();

  // A truncated file and a DICOM without pixels: each named in an alert; the MR image stays.
  await page.getByLabel('Attach image').setInputFiles([dicom('MR_truncated.dcm'), dicom('rtplan.dcm')]);
  const alerts = page.getByRole('alert');
  await expect(alerts).toHaveCount(2);
  await expect(alerts.filter({ hasText: 'MR_truncated.dcm' })).toHaveAttribute('data-error-code', 'IMAGE_UNREADABLE');
  await expect(alerts.filter({ hasText: 'rtplan.dcm' })).toHaveAttribute('data-error-code', 'IMAGE_UNREADABLE');
  await expect(images.locator(':scope > li')).toHaveCount(1);
  await expect(page.locator('body')).toHaveAttribute('data-lantern-viewer', 'ready');

  // Reopening the case lists the image again.
  await page.getByRole('button', { name: 'Back to patient' }).click();
  await waitForScreen(page, 'patient');
  await page.getByRole('list', { name: 'Case history' }).getByRole('button').first().click();
  await waitForScreen(page, 'case-detail');
  await expect(page.getByRole('list', { name: 'Attached images' }).locator(':scope > li')).toHaveCount(1);
});

test('a multi-frame DICOM scrolls by slider and keyboard', async ({ page, startHost }) => {
  test.skip(!existsSync(dicom('rtdose.dcm')), 'needs ../shared/data/dicom');
  const host = await startHost();
  await savedCase(page, host.launchUrl);
  await attachConfirmingPatient(page, dicom('rtdose.dcm'));
  await expect(page.locator('body')).toHaveAttribute('data-lantern-viewer', 'ready');
  const frameText = page.getByTestId('viewer-frame');
  await expect(frameText).toHaveText('Frame 1 of 15');

  const viewport = page.getByRole('application');
  await viewport.focus();
  await viewport.press('PageDown');
  await expect(frameText).toHaveText('Frame 2 of 15');
  await expect(page.locator('body')).toHaveAttribute('data-lantern-viewer', 'ready');
  await viewport.press('ArrowDown');
  await expect(frameText).toHaveText('Frame 3 of 15');
  await viewport.press('End');
  await expect(frameText).toHaveText('Frame 15 of 15');
  await viewport.press('PageUp');
  await expect(frameText).toHaveText('Frame 14 of 15');

  const slider = page.getByRole('slider', { name: 'Frame' });
  await slider.focus();
  await slider.press('Home');
  await expect(frameText).toHaveText('Frame 1 of 15');
  await expect(page.locator('body')).toHaveAttribute('data-lantern-viewer', 'ready');
});

test('the pneumonia model draws a saliency overlay with probabilities and provenance on a child’s chest X-ray', async ({ page, startHost }) => {
  const host = await startHost();
  await savedCase(page, host.launchUrl, childBirthDate());
  await page.getByLabel('Attach image').setInputFiles({ name: 'chest.png', mimeType: 'image/png', buffer: chestXrayPng() });
  await expect(page.locator('body')).toHaveAttribute('data-lantern-viewer', 'ready');
  await expect(page.getByText(/PNG · 112 × 112 · 1 frame/).first()).toBeVisible();

  await page.getByRole('button', { name: 'Run pneumonia model' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-lantern-overlay', 'ready');
  const result = page.locator('.image-model-result');
  await expect(result).toHaveAttribute('data-model', 'pneumonia-xray');
  await expect(result.getByRole('list', { name: 'Model probabilities' }).locator(':scope > li')).toHaveCount(2);
  await expect(result).toContainText(/Model pneumonia-xray \S+ · SHA-256 [0-9a-f]{12} · image SHA-256 [0-9a-f]{12}/);
  await expect(result.locator('.model-population')).toHaveText(/children aged 1–5/);
  const imageSha = (await page.locator('.image-viewer .image-meta .audit').textContent())!.match(/[0-9a-f]{12}/)![0];
  await expect(result).toContainText(`image SHA-256 ${imageSha}`);
  // The clinician answers the image model's suggestion like any other; it is recorded and audited.
  const decision = result.getByRole('group', { name: /Your decision on/ });
  await decision.getByRole('button', { name: 'Accept' }).click();
  await expect(decision.getByRole('status')).toHaveText(/^Accepted: /);
  await expect(decision.getByRole('button', { name: 'Accept' })).toHaveAttribute('aria-pressed', 'true');

  const opacity = page.getByLabel('Overlay opacity');
  await opacity.fill('20');
  await expect(page.getByTestId('viewer-overlay')).toHaveCSS('opacity', '0.2');
  await expect(page.locator('.colour-bar figcaption')).toContainText('Saliency');
  await page.getByLabel('Show overlay').uncheck();
  await expect(page.getByTestId('viewer-overlay')).toHaveCount(0);
});

test('the pneumonia model refuses an MR DICOM and a photograph as not analysable, with their reasons, and draws nothing; the MR is removed from the case', async ({
  page,
  startHost,
}) => {
  test.skip(!haveDicom, 'needs ../shared/data/dicom');
  const host = await startHost();
  await savedCase(page, host.launchUrl, childBirthDate());
  await attachConfirmingPatient(page, dicom('MR_small.dcm'));
  await expect(page.locator('body')).toHaveAttribute('data-lantern-viewer', 'ready');
  await page.getByRole('button', { name: 'Run pneumonia model' }).click();
  const refused = page.locator('.image-model-abstention');
  await expect(refused).toContainText('not analysable: This is an MR image (DICOM Modality MR)');
  await expect(refused).toHaveAttribute('data-code', 'OUT_OF_SCOPE');
  await expect(refused).toContainText('Nothing was stored as a suggestion');
  await expect(page.locator('.image-model-result')).toHaveCount(0);
  await expect(page.getByTestId('viewer-overlay')).toHaveCount(0);

  await page.getByLabel('Attach image').setInputFiles({ name: 'holiday.png', mimeType: 'image/png', buffer: photoPng() });
  await expect(page.getByRole('list', { name: 'Attached images' }).getByRole('button', { name: /holiday\.png/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('body')).toHaveAttribute('data-lantern-viewer', 'ready');
  await page.getByRole('button', { name: 'Run pneumonia model' }).click();
  await expect(page.locator('.image-model-abstention')).toContainText('not analysable: This is a colour picture; chest X-rays are greyscale.');
  await expect(page.locator('.image-model-result')).toHaveCount(0);

  // The MR was attached by mistake: removed with a reason, gone from the case, the photo stays.
  const list = page.getByRole('list', { name: 'Attached images' });
  await list.getByRole('button', { name: /MR_small\.dcm/ }).click();
  await page.getByRole('button', { name: 'Remove MR_small.dcm from this case' }).click();
  await page.getByLabel(/Why is MR_small\.dcm removed/).fill('attached to the wrong patient');
  await page.getByRole('button', { name: 'Remove image' }).click();
  await expect(page.getByText('MR_small.dcm was removed from the case.')).toBeVisible();
  await expect(list.locator(':scope > li')).toHaveCount(1);
  await expect(list.getByRole('button', { name: /holiday\.png/ })).toBeVisible();
});

test('vessel segmentation draws a probability overlay on a retinal photograph', async ({ page, startHost }) => {
  test.skip(driveImage === undefined, 'needs ../shared/data/imaging/drive');
  const host = await startHost();
  await savedCase(page, host.launchUrl);
  await page.getByLabel('Attach image').setInputFiles(join(driveDir, driveImage!));
  await expect(page.locator('body')).toHaveAttribute('data-lantern-viewer', 'ready');
  await page.getByRole('button', { name: 'Run vessel segmentation' }).click();
  // A whole fundus photograph through the U-Net with its flip ensemble: seconds on 2 busy cores, beyond the default 10 s wait.
  await expect(page.locator('body')).toHaveAttribute('data-lantern-overlay', 'ready', { timeout: 45_000 });
  await expect(page.locator('.image-model-result')).toHaveAttribute('data-model', 'retina-vessels');
  await expect(page.locator('.colour-bar figcaption')).toContainText('Vessel probability: 0 to 1');
  await expect(page.locator('.colour-bar-ticks')).toContainText('0.5');
  // Some pixels are vessel, most are not: the overlay is neither empty nor solid.
  const drawn = await page.getByTestId('viewer-overlay').evaluate((canvas: HTMLCanvasElement) => {
    const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let opaque = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) opaque++;
    return opaque / (px.length / 4);
  });
  expect(drawn).toBeGreaterThan(0.01);
  expect(drawn).toBeLessThan(0.6);
});
