/**
 * Risk scores only where they hold, as a clinician sees them: an empty case runs nothing and says
 * what to enter; a child and a man (diabetes model) get "not assessed" with the reason; a creatinine
 * sweep on the kidney form shows the eGFR first and a kidney-disease reading from 3 mg/dL that never
 * falls as creatinine rises. Waits only on readiness signals and visible state, never on time.
 */
import { test, expect, startNewCase, markPresent } from './fixtures';
import type { Locator, Page } from '@playwright/test';
import { normalCkdProfileWithoutCreatinine } from '../models/training/fixtures/ckdProfiles';

async function runCase(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-lantern-differential', 'ready');
  return page.getByRole('region', { name: 'Differential diagnosis' }).getByRole('region', { name: 'Risk scores' });
}

/** Opens a risk model's form and enters the values (numbers typed, coded values selected). */
async function fillRiskForm(page: Page, modelId: string, values: Record<string, number | string>): Promise<void> {
  const group = page.getByRole('region', { name: 'Risk models' }).locator(`details[data-risk-model="${modelId}"]`);
  if ((await group.getAttribute('open')) === null) await group.locator('summary').click();
  await expect(group).toHaveAttribute('open', '');
  for (const [name, value] of Object.entries(values)) {
    const field = group.locator(`[data-risk-input="${modelId}.${name}"]`);
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(String(value));
    else await field.fill(String(value));
  }
}

/** The probability a card shows, in percent. */
async function shownPercent(card: Locator): Promise<number> {
  const text = (await card.locator('.probability').textContent()) ?? '';
  return Number(text.replace(/[^\d.]/g, ''));
}

test('an empty case runs nothing and says what to enter', async ({ page, startHost }) => {
  const host = await startHost();
  await startNewCase(page, host.launchUrl, { name: 'Ana Lima', birthDate: '1980-05-01', sex: 'female' });
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByRole('alert')).toContainText('enter at least one finding, vital sign, lab result or risk-model input');
  await expect(page.getByRole('region', { name: 'Differential diagnosis' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Early warning and red flags' })).toHaveCount(0);
  await expect(page.locator('[data-risk-model][data-status]')).toHaveCount(0);
});

test('a child: every risk card reads "not assessed", outside the population the model was trained on', async ({ page, startHost }) => {
  const host = await startHost();
  await startNewCase(page, host.launchUrl, { name: 'Tom Child', birthDate: '2023-02-10', sex: 'male' });
  await markPresent(page, ['Cough']);
  const risks = await runCase(page);
  const cards = risks.locator('[data-risk-model][data-status]');
  await expect(cards).toHaveCount(3);
  for (const card of await cards.all()) {
    await expect(card).toHaveAttribute('data-status', 'not-run');
    await expect(card.locator('[data-risk-abstention]')).toHaveAttribute('data-risk-abstention', 'OUT_OF_SCOPE');
    await expect(card).toContainText('Not assessed: Outside the population the model was trained on');
    await expect(card.locator('.probability')).toHaveCount(0);
  }
  await expect(risks.locator('[data-risk-model="heart-disease"]')).toContainText(/trained on .+aged 25–77; this patient is \d/);
});

test('a man with the diabetes model: not assessed, women only; no onset risk shown', async ({ page, startHost }) => {
  const host = await startHost();
  await startNewCase(page, host.launchUrl, { name: 'João Pereira', birthDate: '1975-03-20', sex: 'male' });
  await fillRiskForm(page, 'diabetes-onset', { plasma_glucose: 150, bmi: 31, diastolic_bp: 80 });
  const risks = await runCase(page);
  const card = risks.locator('[data-risk-model="diabetes-onset"]');
  await expect(card).toHaveAttribute('data-status', 'not-run');
  await expect(card.locator('[data-risk-abstention]')).toHaveAttribute('data-risk-abstention', 'OUT_OF_SCOPE');
  await expect(card).toContainText('Not assessed: Outside the population the model was trained on');
  await expect(card).toContainText('it does not score a male patient');
  await expect(card.locator('.probability')).toHaveCount(0);
});

test('a creatinine sweep on the kidney form: eGFR first, the CKD reading never falls and reads as kidney disease from 3 mg/dL', async ({ page, startHost }) => {
  // 23 form inputs and three runs: more than the default minute on a loaded machine.
  test.setTimeout(180_000);
  const host = await startHost();
  await startNewCase(page, host.launchUrl, { name: 'Rui Costa', birthDate: '1966-01-15', sex: 'male' });
  // A normal profile apart from the creatinine.
  await fillRiskForm(page, 'chronic-kidney-disease', {
    ...normalCkdProfileWithoutCreatinine,
  });
  const seen: { sc: number; egfr: number; percent: number }[] = [];
  for (const sc of [2, 4, 8]) {
    await fillRiskForm(page, 'chronic-kidney-disease', { sc });
    await expect(page.getByRole('region', { name: 'Risk scores' })).toHaveCount(0); // a changed input withdraws the result
    const risks = await runCase(page);
    const card = risks.locator('[data-risk-model="chronic-kidney-disease"]');
    await expect(card).toHaveAttribute('data-status', 'ran');
    await expect(card.locator('.risk-calibration')).toContainText('Calibration on patients it did not train on: out-of-fold on 320 patients');
    const kidney = risks.locator('[data-kidney-function]');
    await expect(kidney).toContainText('CKD-EPI 2021');
    await expect(kidney).toContainText(`From creatinine ${sc} mg/dL (kidney model form), age`);
    // Shown first: the equation's card comes right before the model's.
    const order = await risks
      .locator('.risk-list > li')
      .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-kidney-function') ?? li.getAttribute('data-risk-model')));
    expect(order.indexOf('chronic-kidney-disease')).toBe(order.findIndex((x) => x?.startsWith('G')) + 1);
    const egfr = Number(/eGFR (\d+)/.exec((await kidney.locator('.kidney-egfr').textContent()) ?? '')?.[1]);
    seen.push({ sc, egfr, percent: await shownPercent(card) });
  }
  // CKD-EPI 2021 for a man of 60 (by hand): 37.5, 16.3, 7.1 mL/min/1.73 m² → G3b, G4, G5.
  expect(seen.map((s) => s.egfr)).toEqual([38, 16, 7]);
  for (let i = 1; i < seen.length; i++) expect(seen[i]!.percent).toBeGreaterThanOrEqual(seen[i - 1]!.percent);
  for (const s of seen.filter((x) => x.sc >= 3)) expect(s.percent).toBeGreaterThanOrEqual(50);
});
