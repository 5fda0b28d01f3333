/**
 * Chinese renders with the app's own font, on a machine without CJK fonts (this one has only
 * DejaVu): checked by pixels, not text. Two different characters must draw different shapes
 * (missing glyphs all draw the same empty box), and the heading drawn in our font must differ
 * from the same heading drawn without it.
 */
import { PNG } from 'pngjs';
import type { Locator, Page } from '@playwright/test';
import { test, expect, waitForScreen, createDatabase, openNewCase } from './fixtures';

function inkPixels(png: Buffer): { ink: number; bits: string } {
  const img = PNG.sync.read(png);
  let ink = 0;
  let bits = '';
  for (let i = 0; i < img.data.length; i += 4) {
    const dark = img.data[i]! + img.data[i + 1]! + img.data[i + 2]! < 3 * 128;
    if (dark) ink += 1;
    bits += dark ? '1' : '0';
  }
  return { ink, bits };
}

function differingPixels(a: string, b: string): number {
  let n = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) if (a[i] !== b[i]) n += 1;
  return n;
}

/** One character, large, black on white, in the page's own font stack. */
async function glyph(page: Page, ch: string, id: string): Promise<Locator> {
  await page.evaluate(
    ([c, i]) => {
      const span = document.createElement('span');
      span.id = i!;
      span.textContent = c!;
      span.style.cssText = 'display:inline-block;font-size:64px;line-height:1;padding:4px;background:#fff;color:#000';
      document.body.prepend(span);
    },
    [ch, id],
  );
  return page.locator(`#${id}`);
}

test('zh-CN draws Chinese glyphs from the bundled Noto Sans SC, not empty boxes', async ({ page, startHost }) => {
  const host = await startHost();
  await page.addInitScript(() => localStorage.setItem('lantern-locale', 'zh-CN'));
  await page.goto(host.launchUrl);
  await waitForScreen(page, 'setup');
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText('创建加密病例数据库');
  await page.evaluate(() => document.fonts.ready);
  expect(await page.evaluate(() => document.fonts.check('16px "Lantern Noto Sans SC"', '创建'))).toBe(true);

  // Different characters, different shapes (a missing glyph is the same box for every character).
  const a = inkPixels(await (await glyph(page, '口', 'g1')).screenshot());
  const b = inkPixels(await (await glyph(page, '田', 'g2')).screenshot());
  const c = inkPixels(await (await glyph(page, '病', 'g3')).screenshot());
  expect(a.ink).toBeGreaterThan(100);
  expect(differingPixels(a.bits, b.bits)).toBeGreaterThan(50);
  expect(differingPixels(a.bits, c.bits)).toBeGreaterThan(50);

  // The real heading in our font, against the same heading with only the system's fonts.
  const withFont = inkPixels(await heading.screenshot());
  await heading.evaluate((el) => ((el as HTMLElement).style.fontFamily = 'system-ui, sans-serif'));
  await page.evaluate(() => document.fonts.ready);
  const systemOnly = inkPixels(await heading.screenshot());
  expect(withFont.ink).toBeGreaterThan(200);
  expect(differingPixels(withFont.bits, systemOnly.bits)).toBeGreaterThan(200);
});

test('zh-CN shows clinical content in Chinese: age in 岁, lab names and units', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);
  await openNewCase(page, { name: 'Li Wei', birthDate: '1966-05-10', sex: 'male' });
  await page.getByLabel('Language').selectOption('zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.locator('.patient-banner')).toContainText(/（\d+ 岁）/);
  const labOptions = await page.locator('.lab-editor select option').allTextContents();
  expect(labOptions.some((o) => o.includes('白细胞计数') && o.includes('×10³/µL'))).toBe(true);
  expect(labOptions.join('\n')).not.toMatch(/Haemoglobin|10\*3/);
});
