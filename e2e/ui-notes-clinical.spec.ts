/**
 * Notes as clinicians write them (issue 16), against the real host: an English and a Chinese note fill the case,
 * with a negated, a historical, a family and a hypothetical finding shown as such (only present and absent ones
 * are entered); and re-analysing an edited note after accept and run shows one highlighted note, the new one.
 * Waits only on readiness signals and visible state, never on time.
 */
import { test, expect, startNewCase } from './fixtures';
import type { Page } from '@playwright/test';

const newCase = (page: Page, launchUrl: string) => startNewCase(page, launchUrl, { name: 'Wang Fang', birthDate: '1958-03-14', sex: 'female' });

async function noteAnalysed(page: Page, timeout = 60_000): Promise<void> {
  await expect(page.locator('body[data-lantern-note="ready"]').or(page.getByRole('alert'))).toBeVisible({ timeout });
  await expect(page.getByRole('alert')).toHaveCount(0);
}

const cases = [
  {
    lang: 'English',
    note: 'Past medical history: hypertension.\nPatient reports cough for three days. Denies chest pain. Mother has asthma. Return if vomiting develops.',
    marks: { hypertension: 'historical', 'chest pain': 'absent', asthma: 'family', vomiting: 'hypothetical', cough: 'present' },
  },
  {
    lang: 'Chinese',
    note: '既往史：高血压。\n患者咳嗽3天，否认胸痛。母亲有哮喘。如出现呕吐，及时就诊。',
    marks: { 高血压: 'historical', 胸痛: 'absent', 哮喘: 'family', 呕吐: 'hypothetical', 咳嗽: 'present' },
  },
];

for (const c of cases) {
  test(`an ${c.lang} note fills the case: negated, historical, family and hypothetical findings shown as such`, async ({ page, startHost }) => {
    const host = await startHost();
    await newCase(page, host.launchUrl);
    await page.getByLabel('Clinical note').fill(c.note);
    await page.getByRole('button', { name: 'Analyse note' }).click();
    await noteAnalysed(page);

    const analysed = page.getByRole('region', { name: 'Analysed note' });
    for (const [text, assertion] of Object.entries(c.marks)) {
      await expect(analysed.locator(`mark[data-assertion="${assertion}"]`, { hasText: text }).first()).toBeVisible();
    }

    const findings = page.getByRole('region', { name: 'Findings in the note' });
    await expect(findings.getByRole('checkbox', { name: 'Cough: present' })).toBeChecked();
    await expect(findings.getByRole('checkbox', { name: 'Chest pain: absent' })).toBeChecked();
    // the hypothetical vomiting is listed as such, cannot be checked, and is not entered
    const vomiting = findings.getByRole('checkbox', { name: 'Vomiting: hypothetical' });
    await expect(vomiting).toBeDisabled();
    await expect(vomiting).not.toBeChecked();

    await findings.getByRole('button', { name: 'Accept into case' }).click();
    await expect(page.getByRole('radio', { name: 'Cough: present' })).toBeChecked();
    await expect(page.getByRole('radio', { name: 'Chest pain: absent' })).toBeChecked();
    await expect(page.getByRole('radio', { name: 'Vomiting: unknown' })).toBeChecked();
  });
}

test('analyse, accept, run, edit, analyse again: one highlighted note, the new one', async ({ page, startHost }) => {
  const host = await startHost();
  await newCase(page, host.launchUrl);
  const note = page.getByLabel('Clinical note');
  await note.fill('Patient reports cough and fever. Denies chest pain.');
  await page.getByRole('button', { name: 'Analyse note' }).click();
  await noteAnalysed(page);
  await page.getByRole('region', { name: 'Findings in the note' }).getByRole('button', { name: 'Accept into case' }).click();
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-lantern-differential', 'ready');

  await note.fill('Patient reports headache. No vomiting.');
  // the edited note no longer shows the old highlights
  await expect(page.locator('.note-stale')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Analysed note' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Analyse note' }).click();
  await noteAnalysed(page);
  const analysed = page.getByRole('region', { name: 'Analysed note' });
  await expect(analysed).toHaveCount(1);
  await expect(analysed).toContainText('Patient reports headache');
  await expect(analysed).not.toContainText('cough');
  await expect(page.locator('.note-highlight')).toHaveCount(1);
});
