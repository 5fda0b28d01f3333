/**
 * Early warning and red flags on the case screen: a septic patient's NEWS2, qSOFA and the sepsis
 * flag come back with the run and are shown before the differential, on the new case and on the
 * saved one; the reason with clinical names in English, and in Chinese once the UI is. Waits only on
 * readiness signals and visible state.
 */
import { test, expect, waitForScreen, createDatabase, openNewCase } from './fixtures';

test("a septic patient's NEWS2 and sepsis flag are shown first", async ({ page, startHost }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await createDatabase(page);
  await openNewCase(page, { name: 'Maria Santos', birthDate: '1949-03-02', sex: 'female' });

  const find = page.getByLabel('Find symptom');
  for (const symptom of ['Chills', 'Cough']) {
    await find.fill(symptom);
    await find.press('Enter');
    await expect(page.getByRole('radio', { name: `${symptom}: present` })).toBeChecked();
  }
  await page.getByLabel('Respiratory rate (/min)').fill('26');
  await page.getByLabel('Oxygen saturation (%)').fill('93');
  await page.getByLabel('Temperature (°C)').fill('39.4');
  await page.getByLabel('Systolic blood pressure (mmHg)').fill('92');
  await page.getByLabel('Heart rate (/min)').fill('118');

  // Without consciousness and oxygen NEWS2 is not scored, and says what to record.
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-lantern-differential', 'ready');
  const triage = page.getByRole('region', { name: 'Early warning and red flags' });
  await expect(triage.locator('[data-score="news2"]')).toContainText('Not scored: record Air or oxygen, Consciousness (ACVPU)');

  await page.getByLabel('Consciousness (ACVPU)').selectOption('new-confusion');
  await page.getByLabel('Air or oxygen').selectOption('air');
  await expect(triage).toHaveCount(0); // a changed input withdraws the result
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-lantern-differential', 'ready');

  // RR 26 (3) + SpO2 93 (2) + air (0) + SBP 92 (2) + HR 118 (2) + new confusion (3) + 39.4 °C (2) = 14
  await expect(triage.locator('[data-score="news2"]')).toContainText('14');
  await expect(triage.locator('[data-score="news2"]')).toHaveAttribute('data-risk', 'high');
  await expect(triage.locator('[data-score="qsofa"]')).toContainText('3 of 3');
  const flags = triage.getByRole('list', { name: 'Red flags' }).locator(':scope > li');
  await expect(flags.first()).toHaveAttribute('data-flag-code', 'SEPSIS_SUSPECTED');
  await expect(flags.first()).toContainText('Suspected sepsis');
  // The reason names what raised it as a clinician reads it: ACVPU in words, not the code new-confusion.
  await expect(flags.first().locator('.red-flag-reason')).toHaveText(
    'qSOFA 3 (respiratory rate 26/min, consciousness new confusion, systolic 92 mmHg); NEWS2 14 with temperature 39.4 °C and chills: assess for sepsis now',
  );
  await expect(triage.locator('[data-flag-code="NEWS2_HIGH"]')).toHaveCount(1);

  // First in the result column: the rules before any model output.
  const result = page.locator('.case-result');
  await expect(result.locator(':scope > section').first()).toHaveAttribute('data-triage', 'true');
  await expect(page.getByRole('region', { name: 'Differential diagnosis' })).toBeVisible();

  await page.getByRole('button', { name: 'Save case' }).click();
  await waitForScreen(page, 'case-detail');
  const saved = page.getByRole('region', { name: 'Early warning and red flags' });
  await expect(saved.locator('[data-score="news2"]')).toHaveAttribute('data-risk', 'high');
  await expect(saved.locator('li').first()).toHaveAttribute('data-flag-code', 'SEPSIS_SUSPECTED');
  await expect(page.locator('.case-result').locator(':scope > section').first()).toHaveAttribute('data-triage', 'true');

  // In Chinese, the saved case's reasons are Chinese too, names from the clinical-name table.
  await page.getByLabel('Language').selectOption('zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  const zh = page.getByRole('region', { name: '早期预警与危险信号' });
  await expect(zh.locator('li').first().locator('.red-flag-reason')).toHaveText(
    'qSOFA 3 分（呼吸频率 26 次/分、意识：新发意识混乱、收缩压 92 mmHg）；NEWS2 14 分伴体温 39.4 °C及发冷：立即评估是否脓毒症',
  );
  await expect(zh.locator('[data-flag-code="NEWS2_HIGH"] .red-flag-reason')).toHaveText('NEWS2 14 分：由具备重症救治能力的临床团队紧急评估');
});
