/**
 * The new-case screen's additions against the real host: risk model inputs generated from the
 * manifest, the differential's can't-miss / ask-next / risk-score panels, and clinical note
 * analysis (chunked, with progress, highlighting, accepting findings, the free-text classifier).
 * Waits only on readiness signals and visible state, never on time.
 */
import { test, expect, waitForScreen, startNewCase, markPresent } from './fixtures';
import type { Page, Request } from '@playwright/test';

const newCase = (page: Page, launchUrl: string) => startNewCase(page, launchUrl, { name: 'Li Na', birthDate: '1962-07-09', sex: 'female' });

/** Waits for the note analysis to finish (the first call may load the NLP models), failing fast on an error. */
async function noteAnalysed(page: Page, timeout = 60_000): Promise<void> {
  await expect(page.locator('body[data-lantern-note="ready"]').or(page.getByRole('alert'))).toBeVisible({ timeout });
  await expect(page.getByRole('alert')).toHaveCount(0);
}

test('risk model inputs come from the manifest, are range-checked, sent and scored', async ({ page, startHost }) => {
  const host = await startHost();
  await newCase(page, host.launchUrl);

  const section = page.getByRole('region', { name: 'Risk models' });
  await expect(section).toContainText('Age, blood pressure and labs entered above are used automatically');
  for (const id of ['heart-disease', 'chronic-kidney-disease', 'diabetes-onset']) {
    const group = section.locator(`details[data-risk-model="${id}"]`);
    await expect(group).toHaveCount(1);
    // Collapsed by default, with a count of what is filled.
    await expect(group).not.toHaveAttribute('open', '');
    await expect(group.locator('summary')).toContainText(/0 of \d+ filled/);
  }

  const heart = section.locator('details[data-risk-model="heart-disease"]');
  await heart.locator('summary').click();
  await expect(heart).toHaveAttribute('open', '');

  // A value outside an input's physiological range is named, like a vital sign's.
  const numbers = heart.locator('input[type="number"][max]');
  const first = numbers.first();
  const max = Number(await first.getAttribute('max'));
  await first.fill(String(max * 10 + 1));
  await expect(heart.locator('.field-error').filter({ hasText: /must be between/ })).toHaveCount(1);
  await first.fill('');
  await expect(heart.locator('.field-error:not(:empty)')).toHaveCount(0);

  // Fill every input: numbers a third into their range, selects with their first real value.
  const allNumbers = heart.locator('input[type="number"]');
  for (let i = 0; i < (await allNumbers.count()); i++) {
    const input = allNumbers.nth(i);
    const lo = Number((await input.getAttribute('min')) ?? 0);
    const hi = Number((await input.getAttribute('max')) ?? 3);
    await input.fill(String(Math.round((lo + (hi - lo) / 3) * 10) / 10));
  }
  const selects = heart.locator('select[data-risk-input]');
  for (let i = 0; i < (await selects.count()); i++) {
    const select = selects.nth(i);
    const value = await select.locator('option').nth(1).getAttribute('value');
    await select.selectOption(value ?? '');
  }
  const total = await heart.locator('[data-risk-input]').count();
  await expect(heart.locator('summary')).toContainText(`${total} of ${total} filled`);

  await markPresent(page, ['Chest pain', 'Breathlessness']);
  const sent: Request[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/runDiagnosis')) sent.push(r);
  });
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-lantern-differential', 'ready');
  const body = sent[0]?.postDataJSON() as { modelInputs: Record<string, Record<string, unknown>> };
  expect(Object.keys(body.modelInputs)).toEqual(['heart-disease']);
  expect(Object.keys(body.modelInputs['heart-disease'] ?? {})).toHaveLength(total);

  const differential = page.getByRole('region', { name: 'Differential diagnosis' });
  const risks = differential.getByRole('region', { name: 'Risk scores' });
  const heartScore = risks.locator('[data-risk-model="heart-disease"]');
  await expect(heartScore).toHaveAttribute('data-status', 'ran');
  await expect(heartScore).toContainText(/Probability of “.+”\s*\d/);
  await expect(heartScore).toContainText('heart-disease');
  await expect(heartScore).toContainText('Top contributions');
  // Every model reports either a score or why it did not run.
  for (const card of await risks.locator('[data-risk-model]').all()) {
    if ((await card.getAttribute('data-status')) === 'not-run') await expect(card).toContainText(/Not run:|Not assessed/);
    else await expect(card).toContainText('%');
  }

  await page.getByRole('button', { name: 'Save case' }).click();
  await waitForScreen(page, 'case-detail');
  await expect(page.getByRole('heading', { name: 'Risk model inputs' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Differential diagnosis' }).locator('[data-risk-model="heart-disease"]')).toHaveAttribute('data-status', 'ran');
});

test("the differential shows names, ICD-10 and severity, can't-miss first, and asks next", async ({ page, startHost }) => {
  const host = await startHost();
  await newCase(page, host.launchUrl);
  await markPresent(page, ['Chest pain', 'Breathlessness', 'Sweating', 'Vomiting']);
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-lantern-differential', 'ready');

  const differential = page.getByRole('region', { name: 'Differential diagnosis' });
  const ranked = differential.getByRole('list', { name: 'Most likely diagnoses' }).locator(':scope > li');
  await expect(ranked).toHaveCount(10);
  await expect(ranked.first()).toContainText(/Severity [1-5] of 5/);
  await expect(ranked.first().locator('.icd10')).toHaveText(/ICD-10 \S+ — .+|No ICD-10 code/);

  // Every can't-miss diagnosis in the ranked list is also in the warning group, which comes first.
  const flagged = differential.locator('.ranked-item[data-cant-miss="true"]');
  const group = differential.getByRole('group', { name: /Can't miss/ });
  await expect(group).toBeVisible();
  for (let i = 0; i < (await flagged.count()); i++) {
    const label = await flagged.nth(i).getAttribute('data-label');
    await expect(group.locator(`li[data-label="${label}"]`)).toHaveCount(1);
    await expect(flagged.nth(i)).toContainText("Can't miss");
  }
  const groupBox = await group.boundingBox();
  const rankedBox = await ranked.first().boundingBox();
  expect(groupBox!.y).toBeLessThan(rankedBox!.y);

  // Ask next: answering one sets it in the form and re-runs at once.
  const askNext = differential.getByRole('region', { name: 'Ask next' });
  const questions = askNext.locator('li[data-feature]');
  await expect(questions).toHaveCount(3);
  const feature = (await questions.first().getAttribute('data-feature'))!;
  const symptom = (await questions.first().locator('.ask-next-symptom').textContent())!;
  await questions
    .first()
    .getByRole('button', { name: `Absent: ${symptom}` })
    .click();
  await expect(page.getByRole('radio', { name: `${symptom}: absent`, exact: true })).toBeChecked();
  await expect(page.locator('body')).toHaveAttribute('data-lantern-differential', 'ready');
  await expect(page.getByRole('region', { name: 'Ask next' }).locator(`li[data-feature="${feature}"]`)).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Differential diagnosis' })).toBeFocused();
});

test('a note is analysed: entities highlighted, findings accepted and undone, classifier shown', async ({ page, startHost }) => {
  const host = await startHost();
  await newCase(page, host.launchUrl);
  await page.getByLabel('Clinical note').fill('Patient reports a cough and high fever for three days.\nDenies chest pain. No vomiting.');
  await page.getByRole('button', { name: 'Analyse note' }).click();
  await noteAnalysed(page);

  const analysed = page.getByRole('region', { name: 'Analysed note' });
  await expect(analysed.locator('mark').first()).toBeVisible();
  await expect(analysed).toContainText('Patient reports a cough');
  const negated = analysed.locator('mark[data-assertion="absent"]').first();
  await expect(negated).toHaveCSS('text-decoration-line', 'line-through');
  await expect(page.locator('.entity-legend')).toContainText('struck through = negated');

  const findings = page.getByRole('region', { name: 'Findings in the note' });
  const cough = findings.getByRole('checkbox', { name: 'Cough: present' });
  await expect(cough).toBeChecked();
  await expect(findings.locator('li[data-feature="cough"][data-state="present"] q')).toHaveText(/cough/i);
  await expect(findings.getByRole('checkbox', { name: 'Chest pain: absent' })).toBeChecked();

  await findings.getByRole('button', { name: 'Accept into case' }).click();
  await expect(page.getByRole('radio', { name: 'Cough: present' })).toBeChecked();
  await expect(page.getByRole('radio', { name: 'Chest pain: absent' })).toBeChecked();

  await findings.getByRole('button', { name: 'Undo Cough' }).click();
  await expect(page.getByRole('radio', { name: 'Cough: unknown' })).toBeChecked();
  await expect(page.getByRole('radio', { name: 'Chest pain: absent' })).toBeChecked();

  const classifier = page.getByRole('region', { name: 'Free-text classifier (symptom-text)' });
  const labels = classifier.getByRole('list').locator(':scope > li');
  await expect(labels.first()).toContainText('%');
  expect(await labels.count()).toBeLessThanOrEqual(3);
});

test('a 50-page note goes in chunks of at most 4,000 characters with progress, and the page stays usable', async ({ page, startHost }) => {
  // Typing 150,000 characters and analysing ~40 chunks takes a while on a busy machine.
  test.setTimeout(180_000);
  const host = await startHost();
  await newCase(page, host.launchUrl);
  const paragraph =
    'Day 3 on the ward. Patient reports cough with mucoid sputum and fatigue; denies chest pain. ' +
    'No vomiting overnight. Temperature 37.9 at 06:00, breathing comfortably on room air.\n';
  const note = paragraph.repeat(Math.ceil(150_000 / paragraph.length));
  await page.getByLabel('Clinical note').fill(note);

  // Hold the first answer until the progress bar has been seen: no timing assumptions.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const chunks: { text: string; offset: number }[] = [];
  await page.route('**/api/analyseNote', async (route) => {
    chunks.push(route.request().postDataJSON() as { text: string; offset: number });
    await gate;
    await route.continue();
  });

  await page.getByRole('button', { name: 'Analyse note' }).click();
  await expect(page.getByText(/^Analysing… 0 of \d+$/)).toBeVisible();
  await expect(page.getByRole('progressbar')).toBeVisible();
  // The page still answers while the analysis waits.
  await page.getByLabel('Find symptom').fill('Cough');
  await expect(page.getByRole('list', { name: 'Symptoms' }).locator(':scope > li')).toHaveCount(1);
  release();

  await noteAnalysed(page, 120_000);
  expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(note.length / 4000));
  let previousEnd = 0;
  for (const c of chunks) {
    expect(c.text.length).toBeLessThanOrEqual(4000);
    expect(c.offset).toBeGreaterThanOrEqual(previousEnd);
    expect(note.slice(c.offset, c.offset + c.text.length)).toBe(c.text);
    // Cut at a line or sentence end, never mid-word.
    if (c.offset + c.text.length < note.length) expect(c.text).toMatch(/[\n.;!?]\s*$/);
    previousEnd = c.offset + c.text.length;
  }
  expect(previousEnd).toBe(note.length);
  await expect(page.getByRole('region', { name: 'Analysed note' }).locator('mark').first()).toBeVisible();
});
