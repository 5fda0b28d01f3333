/**
 * Issue 8 as a clinic meets it: three years of confirmed diagnoses (the committed synthetic
 * history, written through the real services before the app starts) with a dengue outbreak in
 * the last weeks. The home screen lists the alert and opens the cases behind it; the surveillance
 * screen shows counts, charts, forecasts with their backtests, and exports CSV and FHIR, all
 * under the strict CSP.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test, expect, projectRoot, signIn, testPassphrase, waitForScreen } from './fixtures';

const run = promisify(execFile);
const day = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
/** Monday on or before a day (UTC). */
const monday = (t: number) => {
  const d = new Date(iso(t)).getTime();
  return d - ((new Date(d).getUTCDay() + 6) % 7) * day;
};

interface SeedSummary {
  cases: number;
  from: string;
  to: string;
  outbreak: { icd10Category: string; weeks: string[] };
}

/**
 * Three years ending one to two weeks before today (so no case is in the future), the outbreak in
 * the last four whole weeks of data, which the home screen's eight weeks always include.
 */
async function seedHistory(dataDir: string): Promise<SeedSummary> {
  const now = Date.now();
  const threeYearsAgo = new Date(now);
  threeYearsAgo.setUTCFullYear(threeYearsAgo.getUTCFullYear() - 3);
  const start = monday(threeYearsAgo.getTime()) - 7 * day;
  const end = new Date(start);
  end.setUTCFullYear(end.getUTCFullYear() + 3);
  const outbreakStart = monday(end.getTime() - day - 28 * day);
  const { stdout } = await run(
    process.execPath,
    [
      join(projectRoot, 'build/electron/app/surveillance/syntheticHistoryScript.js'),
      '--data-dir',
      dataDir,
      '--start',
      iso(start),
      '--years',
      '3',
      '--outbreak-start',
      iso(outbreakStart),
      '--outbreak-extra',
      '40',
      '--name',
      'Dr Amina Osei',
      '--login',
      'amina',
    ],
    { env: { ...process.env, LANTERN_PASSPHRASE: testPassphrase } },
  );
  return JSON.parse(stdout) as SeedSummary;
}

test('alerts on the home screen, counts, forecasts and exports on the surveillance screen', async ({ page, dataDir, startHost }) => {
  const seeded = await seedHistory(dataDir);
  expect(seeded.outbreak.weeks).toHaveLength(4);

  // Record any CSP violation (inline style or script from the chart library would be one).
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const host = await startHost();
  await page.goto(host.launchUrl);
  await signIn(page, 'amina', testPassphrase, 'patients');

  // Home: the outbreak's weeks are listed with the cases behind them.
  await expect(page.locator('body')).toHaveAttribute('data-lantern-alerts', 'ready');
  const recent = page.getByRole('list', { name: 'Recent surveillance alerts' });
  const lastOutbreakWeek = seeded.outbreak.weeks.at(-1)!;
  const alert = recent.locator(`li[data-series="A90"][data-week="${lastOutbreakWeek}"]`);
  await expect(alert).toContainText(`Dengue fever (A90)`);
  await expect(alert).toContainText(`in week ${lastOutbreakWeek}`);
  await alert.getByText(/cases behind this alert/).click();
  const caseButtons = alert.getByRole('button', { name: /^Case of / });
  expect(await caseButtons.count()).toBeGreaterThan(20);
  await caseButtons.first().click();
  await waitForScreen(page, 'case-detail');
  await expect(page.locator('[data-final-diagnosis="Dengue fever"]')).toBeVisible();

  // The surveillance screen over the whole seeded range.
  await page.getByRole('button', { name: 'Surveillance', exact: true }).click();
  await waitForScreen(page, 'surveillance');
  await page.getByLabel('From', { exact: true }).fill(seeded.from);
  await page.getByLabel('To', { exact: true }).fill(seeded.to);
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await waitForScreen(page, 'surveillance');
  await expect(page.locator('[data-total-cases]')).toHaveAttribute('data-total-cases', String(seeded.cases));

  const table = page.getByRole('table', { name: 'Diagnoses' });
  const totals = await table.locator('td[data-cell="total"]').allTextContents();
  expect(totals.map((t) => Number(t.replace(/\D/g, ''))).reduce((a, b) => a + b, 0)).toBe(seeded.cases);
  await expect(table.locator('tr[data-series="A90"]')).toContainText('Dengue fever');

  await page.getByLabel('Show charts for').selectOption({ label: 'Dengue fever (A90)' });
  const weekly = page.locator('[data-chart="weekly"] canvas');
  await expect(weekly).toBeVisible();
  await expect(weekly).toHaveAttribute('aria-label', /Weekly counts of Dengue fever \(A90\) .* weeks above the alert threshold/);
  // Every outbreak week is above its threshold in the chart's own numbers.
  const weeklyTable = page.locator('table[data-table="weekly"]');
  for (const week of seeded.outbreak.weeks) {
    const row = weeklyTable.locator(`tr[data-week="${week}"]`);
    await expect(row.locator('td').nth(3)).toHaveText('yes');
    const [count, , threshold] = (await row.locator('td').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
    expect(count).toBeGreaterThan(threshold!);
  }

  // Next month's forecast by both methods, each beside its backtest.
  const methods = page.locator('table[data-forecast="methods"]');
  await expect(methods.locator('tr[data-method="seasonal-naive"] td[data-cell="mae"]')).toHaveText(/^[\d.,]+ \(over \d+ months\)$/);
  await expect(methods.locator('tr[data-method="holt-winters"] td[data-cell="mae"]')).toHaveText(/^[\d.,]+ \(over \d+ months\)$/);
  await expect(methods.locator('tr[data-method="holt-winters"] td[data-cell="coverage"]')).toHaveText(/%$/);
  await expect(page.locator('[data-chart="monthly"] canvas')).toHaveAttribute('aria-label', /forecast for \d{4}-\d{2}: [\d,]+ cases \(95% interval/);

  // Counts by age band and sex add up to the series total.
  const a90Total = Number((await table.locator('tr[data-series="A90"] td[data-cell="total"]').textContent())!.replace(/\D/g, ''));
  const bandTotals = await page.locator('table[data-table="strata"] td[data-sex="all"]').allTextContents();
  expect(bandTotals.map((t) => Number(t.replace(/\D/g, ''))).reduce((a, b) => a + b, 0)).toBe(a90Total);

  // Exports: counts only, as CSV and as a FHIR MeasureReport.
  await page.getByLabel('Periods').selectOption('week');
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
  expect(csvDownload.suggestedFilename()).toBe(`lantern-surveillance_${seeded.from}_${seeded.to}_week.csv`);
  const csv = readFileSync((await csvDownload.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('granularity,period,period_start,period_end,partial,series,diagnosis,icd10_category,age_band,sex,count');
  expect(csv).toContain(`week,${lastOutbreakWeek},`);
  expect(csv).not.toContain('Synthetic Patient');
  await expect(page.locator('[data-export-sha256]')).toHaveAttribute('data-export-sha256', /^[0-9a-f]{64}$/);

  await page.getByLabel('Format').selectOption('fhir-measure-report');
  const [fhirDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
  const report = JSON.parse(readFileSync((await fhirDownload.path())!, 'utf8')) as { resourceType: string; group: { code: { text: string } }[] };
  expect(report.resourceType).toBe('MeasureReport');
  expect(report.group.map((g) => g.code.text)).toContain('Dengue fever');

  // Nothing inline was injected or blocked along the way.
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  expect(await page.locator('style').count()).toBe(0);
});
