/**
 * The DDXPlus interview on the case screen: age and sex from the patient, chest pain chosen from the
 * complaint list, then the questions ask-next chooses, answered from a DDXPlus-like record written
 * here, until the differential leads with unstable angina or NSTEMI (within 10 questions), in
 * English and in Chinese (Chinese questions). On the way: the body map for where it hurts, the red
 * flags on top, and the interview saved to the case. Waits only on the panel's busy/answered
 * attributes and visible state.
 */
import type { Page } from '@playwright/test';
import { test, expect, createDatabase, openNewCase } from './fixtures';

/** A 66-year-old man with unstable angina, in the release's evidence format (not listed: absent / none). */
const record: Record<string, number | string | string[]> = {
  E_50: 1,
  E_53: 1,
  E_54: ['V_183', 'V_198'],
  E_55: ['V_29', 'V_101', 'V_159', 'V_160', 'V_197'],
  E_56: 6,
  E_57: ['V_30', 'V_31', 'V_33', 'V_39', 'V_194'],
  E_58: 7,
  E_59: 4,
  E_66: 1,
  E_69: 1,
  E_70: 1,
  E_71: 1,
  E_78: 1,
  E_79: 1,
  E_104: 1,
  E_105: 1,
  E_148: 1,
  E_204: 'V_10',
  E_225: 1,
};
const acs = ['Unstable angina', 'Possible NSTEMI / STEMI'];

async function settled(page: Page, answered: number): Promise<void> {
  const panel = page.locator('.interview');
  await expect(panel).toHaveAttribute('data-interview-answered', String(answered));
  await expect(panel).toHaveAttribute('data-interview-busy', 'false');
}

/**
 * The first question after pain is where it hurts (E_55): the body map's chest region, by keyboard,
 * chooses the chest locations in the checkbox list; a click takes them back off.
 */
async function tryBodyMap(page: Page): Promise<void> {
  const q = page.locator('fieldset.interview-question[data-feature="E_55"]');
  await expect(q).toBeVisible();
  const chest = q.locator('.body-map button[data-region="chest"]');
  await chest.focus();
  await page.keyboard.press('Space');
  await expect(chest).toHaveAttribute('aria-pressed', 'true');
  for (const code of ['V_29', 'V_101', 'V_159']) await expect(q.locator(`input[data-value="${code}"]`)).toBeChecked();
  await expect(q.locator('input[data-value="V_62"]')).not.toBeChecked();
  await chest.click();
  await expect(chest).toHaveAttribute('aria-pressed', 'false');
  await expect(q.locator('input[data-value="V_29"]')).not.toBeChecked();
}

async function interview(page: Page, texts: { tab: string; complaint: string; acsName: RegExp; chineseQuestions?: boolean }): Promise<void> {
  await page.getByRole('button', { name: texts.tab, exact: true }).click();
  await expect(page.locator('[data-abstained="INSUFFICIENT_INPUTS"]')).toBeVisible();
  await page.getByRole('searchbox', { name: texts.complaint }).fill('pain');
  await page.locator('.interview-complaints button[data-feature="E_53"]').click();
  let answered = 1;
  await settled(page, answered);
  await tryBodyMap(page);
  // Chinese questions (ours, pending clinical review) in zh-CN; the release's English otherwise.
  const legend = page.locator('fieldset.interview-question legend');
  if (texts.chineseQuestions === true) await expect(legend).toHaveText('您哪里感到疼痛？');
  else await expect(legend).toHaveText('Do you feel pain somewhere?');
  const top = page.locator('.interview-conditions > li').first();
  for (let i = 0; i < 10; i++) {
    if (acs.includes((await top.getAttribute('data-pathology')) ?? '')) break;
    const q = page.locator('fieldset.interview-question');
    const feature = (await q.getAttribute('data-feature'))!;
    const kind = await q.getAttribute('data-kind');
    const v = record[feature];
    if (kind === 'binary') await q.locator(`button[data-answer="${v === 1 ? 'yes' : 'no'}"]`).click();
    else if (kind === 'scale') {
      await q.locator('input[type="range"]').fill(String(v ?? 0));
      await q.locator('button[data-answer="confirm"]').click();
    } else if (kind === 'multi') {
      for (const code of (v as string[] | undefined) ?? ['V_123']) await q.locator(`input[data-value="${code}"]`).check();
      await q.locator('button[data-answer="confirm"]').click();
    } else await q.locator(`button[data-value="${String(v ?? 'V_123')}"]`).click();
    answered++;
    await settled(page, answered);
  }
  expect(answered - 1).toBeLessThanOrEqual(10);
  await expect(top).toHaveAttribute('data-pathology', /^(Unstable angina|Possible NSTEMI \/ STEMI)$/);
  await expect(top).toContainText(texts.acsName);
  await expect(top).toContainText(/ICD-10 I2[01]/);
  await expect(top).toHaveAttribute('data-cant-miss', 'true');
  await expect(top.locator('.interview-moved')).toContainText(/\+\d+%/);
}

test('a chest-pain interview reaches unstable angina / NSTEMI within 10 questions (English)', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);
  await openNewCase(page, { name: 'Li Wei', birthDate: '1960-05-04', sex: 'male' });
  await interview(page, { tab: 'Interview', complaint: 'Chief complaint', acsName: /Unstable angina|NSTEMI/ });
  // The clinician may ask another suggested question instead, or skip one (it stays unknown).
  const q = page.locator('fieldset.interview-question');
  const other = page.locator('.interview-others button').first();
  const otherFeature = (await other.getAttribute('data-feature'))!;
  await other.click();
  await expect(q).toHaveAttribute('data-feature', otherFeature);
  await q.locator('button[data-answer="skip"]').click();
  await expect(q).not.toHaveAttribute('data-feature', otherFeature);
  // Chest pain with shortness of breath and sweating: the ACS red flags are on top, above the differential.
  const flag = page.locator('[data-triage="true"] [data-flag-code="ACS_RED_FLAGS"]');
  await expect(flag).toBeVisible();
  // Worded with clinical names in the UI's language, never the rules' finding codes.
  await expect(flag.locator('.red-flag-reason')).not.toContainText('chest_pain');
  const triageBox = await page.locator('[data-triage="true"]').boundingBox();
  const diffBox = await page.locator('.interview-differential').boundingBox();
  expect(triageBox!.y).toBeLessThan(diffBox!.y);
  // Saved with the patient's record: the case screen shows the exact answers and the differential then.
  await page.locator('button[data-action="save-interview"]').click();
  const saved = page.locator('.saved-interview');
  await expect(saved).toBeVisible();
  await expect(saved.locator('.saved-interview-answers li[data-feature="E_53"]')).toBeVisible();
  await expect(saved.locator('.interview-conditions > li').first()).toHaveAttribute('data-pathology', /^(Unstable angina|Possible NSTEMI \/ STEMI)$/);
  await expect(saved.locator('[data-flag-code="ACS_RED_FLAGS"]')).toBeVisible();
});

test('the same interview in Chinese', async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);
  await openNewCase(page, { name: 'Li Wei', birthDate: '1960-05-04', sex: 'male' });
  await page.getByLabel('Language').selectOption('zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await interview(page, { tab: '问诊', complaint: '主诉', acsName: /心绞痛|心肌梗死/, chineseQuestions: true });
  await expect(page.getByText('问题的中文由本项目撰写，尚待临床审核；答案选项暂以英文显示。')).toBeVisible();
  await expect(page.locator('[data-flag-code="ACS_RED_FLAGS"]')).toContainText('急性冠脉综合征危险信号');
  await expect(page.locator('[data-flag-code="ACS_RED_FLAGS"] .red-flag-reason').first()).toHaveText(/^胸痛伴[^A-Za-z]+：立即行心电图及肌钙蛋白检查$/);
});
