/**
 * A clinician's pace: a whole case from the keyboard alone, counting every key press that is not
 * the text itself (the bar: at most 40); the symptom list is one Tab stop; focus lands on
 * the extracted findings after Analyse and on the result after Run; a wrong field stops Run,
 * says why beside the field and in the alert, holds focus, and clears once fixed.
 */
import type { Page } from '@playwright/test';
import { test, expect, createDatabase, openNewCase, addSymptom } from './fixtures';

/** Presses keys and counts them; typing text (page.keyboard.type) is not counted. */
function counter(page: Page) {
  let presses = 0;
  return {
    press: async (key: string) => {
      presses += 1;
      await page.keyboard.press(key);
    },
    type: (text: string) => page.keyboard.type(text),
    get presses() {
      return presses;
    },
  };
}

const focusedLabel = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.getAttribute('aria-label') ?? (el?.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ?? el?.textContent ?? '';
  });

test('a case from the keyboard alone in at most 40 key presses beyond the text', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);
  await openNewCase(page, { name: 'Zhang Wei', birthDate: '1971-03-14', sex: 'male' });
  const keys = counter(page);

  await keys.press('Alt+Shift+S');
  await expect(page.getByLabel('Find symptom')).toBeFocused();
  for (const symptom of ['Continuous sneezing', 'Shivering', 'Chills']) {
    await keys.type(symptom);
    await keys.press('Enter');
    await expect(page.getByRole('radio', { name: `${symptom}: present` })).toBeChecked();
  }
  await keys.type('High fever');
  await keys.press('Shift+Enter');
  await expect(page.getByRole('radio', { name: 'High fever: absent' })).toBeChecked();

  // Into the list and along it with arrows; Tab leaves it at once (one tab stop, not one per symptom).
  await keys.press('ArrowDown');
  const first = await focusedLabel(page);
  await keys.press('ArrowDown');
  const second = await focusedLabel(page);
  expect(first).toMatch(/: unknown$/);
  expect(second).toMatch(/: unknown$/);
  expect(second).not.toBe(first);
  await keys.press('ArrowRight'); // marks the second symptom present
  await expect(page.getByRole('radio', { name: second.replace(/unknown$/, 'present') })).toBeChecked();
  await keys.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('.symptom-list'))).toBe(false);
  const listTabStops = await page.locator('.symptom-list input[tabindex="0"]').count();
  expect(listTabStops).toBe(1);

  await keys.press('Alt+Shift+V');
  await expect(page.getByLabel('Temperature (°C)')).toBeFocused();
  await keys.type('37.1');
  await keys.press('Tab');
  await expect(page.getByLabel('Heart rate (/min)')).toBeFocused();
  await keys.type('88');

  await keys.press('Alt+Shift+L');
  await expect(page.getByLabel('Lab test', { exact: true })).toBeFocused();
  await keys.type('White');
  await keys.press('Tab');
  await keys.type('7.2');
  await keys.press('Enter');
  await expect(page.locator('.lab-list')).toContainText('White cell count');

  await keys.press('Alt+Shift+N');
  await expect(page.getByLabel('Clinical note')).toBeFocused();
  await keys.type('Sneezing and watery eyes since the dust storm. No fever.');
  await keys.press('Tab');
  await expect(page.getByRole('button', { name: 'Analyse note' })).toBeFocused();
  await keys.press('Enter');
  await expect(page.locator('body[data-lantern-note="ready"]')).toBeAttached({ timeout: 60_000 });
  await expect(page.getByTestId('note-findings')).toBeFocused();

  await keys.press('Alt+Shift+R');
  await expect(page.locator('body')).toHaveAttribute('data-lantern-differential', 'ready');
  await expect(page.getByRole('heading', { name: 'Differential diagnosis' })).toBeFocused();

  console.log(`keyboard case: ${keys.presses} key presses beyond the text typed`);
  expect(keys.presses).toBeLessThanOrEqual(40);
});

test('Run with an impossible vital says why nothing ran, beside the field and with focus on it, and clears when fixed', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);
  await openNewCase(page, { name: 'Ana Lima', birthDate: '1990-01-01', sex: 'female' });
  await addSymptom(page);
  const temperature = page.getByLabel('Temperature (°C)');
  await temperature.fill('93');
  const besideField = page.locator('.vital-field.has-error .field-error');
  await expect(besideField).toHaveText('Temperature must be between 25 and 45 °C');
  await page.getByLabel('Clinical note').focus();

  await page.keyboard.press('Alt+Shift+R');
  await expect(page.getByRole('alert')).toContainText('Nothing was run');
  await expect(temperature).toBeFocused();
  expect(
    await temperature.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }),
  ).toBe(true);
  await expect(page.locator('body')).not.toHaveAttribute('data-lantern-differential', 'ready');

  await page.keyboard.press('Control+A');
  await page.keyboard.type('37.5');
  await expect(page.locator('.vital-field.has-error')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
