/**
 * Issue 8 through the dispatcher, on a real encrypted database holding the committed synthetic
 * history: counts, alerts with the cases behind them, forecasts, the audited export, roles, and a
 * cached history that notices a newly confirmed diagnosis.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { SurveillanceAlertList } from '../../contract/ipcContract';
import { makeTempDir, testKdf } from '../../../db/testing/tmpStore';
import { unlockEncryptedDatabase } from '../../../db/openDatabase';
import { createAppServices } from '../appServices';
import type { AppServices } from '../appServices';
import { dispatchTestClient } from '../testing/dispatchTestClient';
import { defaultSyntheticOptions, generateSyntheticHistory, writeSyntheticHistory } from './syntheticHistory';
import { surveillanceAlerts } from './surveillanceService';

let cleanup: () => void;
let app: AppServices;
let dbPath: string;
const synthetic = generateSyntheticHistory(defaultSyntheticOptions());
const { ok, fails } = dispatchTestClient(() => app);

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = makeTempDir());
  dbPath = join(dir, 'lantern.db');
  app = createAppServices({ dbPath, kdf: testKdf, scheduleBackups: false });
  await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
  await ok('addUser', { displayName: 'Ines Audit', login: 'ines', role: 'auditor', passphrase: 'auditor passphrase' });
  const { store, user } = app.session.require();
  writeSyntheticHistory(store, synthetic, user.id);
});
afterAll(() => {
  app.close();
  cleanup();
});

describe('surveillance over the synthetic history', () => {
  it('counts every confirmed case once, by series, week, month and stratum', async () => {
    const report = await ok('surveillanceReport', { from: synthetic.options.start, to: synthetic.end });
    expect(report.totalCases).toBe(synthetic.cases.length);
    expect(report.series.map((s) => s.key).sort()).toEqual(['A09', 'A90', 'I10', 'J11']);
    const a90 = report.series.find((s) => s.key === 'A90')!;
    const expected = synthetic.cases.filter((c) => c.icd10 === 'A90').length;
    expect(a90).toMatchObject({ label: 'Dengue fever', icd10Category: 'A90', total: expected });
    expect(a90.weekly.reduce((a, b) => a + b, 0)).toBe(expected);
    expect(a90.monthly.reduce((a, b) => a + b, 0)).toBe(expected);
    expect(report.strata.filter((s) => s.series === 'A90').reduce((a, s) => a + s.count, 0)).toBe(expected);
    expect(report.weeks).toHaveLength(a90.weekly.length);
    // 2021-01-04 to 2026-01-03 touches 61 months.
    expect(report.months).toHaveLength(61);
  });

  it('alerts in the outbreak weeks, with the cases behind them, and not in the quiet year', async () => {
    const report = await ok('surveillanceReport', { from: '2024-01-01', to: synthetic.end });
    const outbreak = report.alerts.filter((a) => a.series === 'A90' && a.week.startsWith('2024-'));
    expect(outbreak.map((a) => a.week).sort()).toEqual(expect.arrayContaining(synthetic.outbreak!.weeks));
    expect(report.alerts.filter((a) => a.week.startsWith('2025-'))).toEqual([]);
    const week21 = outbreak.find((a) => a.week === '2024-W21')!;
    expect(week21.observed).toBeGreaterThan(week21.threshold);
    expect(week21.cases).toHaveLength(week21.observed);
    const detail = await ok('getCase', { caseId: week21.cases[0]!.caseId });
    expect(detail.finalDiagnosis).toMatchObject({ label: 'Dengue fever', icd10: 'A90' });
    // The weekly threshold shown on the chart is the one the alert used.
    const a90 = report.series.find((s) => s.key === 'A90')!;
    const w = report.weeks.findIndex((p) => p.key === '2024-W21');
    expect(a90.weeklyThreshold[w]).toBe(week21.threshold);
  });

  it('forecasts next month with both methods and their backtests', async () => {
    const report = await ok('surveillanceReport', { from: '2025-01-01', to: '2025-12-31' });
    const forecast = report.series.find((s) => s.key === 'J11')!.forecast;
    expect(forecast).toMatchObject({ status: 'forecast', targetMonth: '2026-01', chosen: 'holt-winters', level: 0.95 });
    if (forecast.status !== 'forecast') return;
    expect(forecast.methods.map((m) => m.method)).toEqual(['seasonal-naive', 'holt-winters']);
    for (const m of forecast.methods) expect(m.backtest).toMatchObject({ origins: 12, points: expect.any(Array) });
  });

  it('filters by age band and sex', async () => {
    const all = await ok('surveillanceReport', { from: '2023-01-01', to: '2023-12-31' });
    const women = await ok('surveillanceReport', { from: '2023-01-01', to: '2023-12-31', sex: 'female' });
    expect(women.totalCases).toBe(all.strata.filter((s) => s.sex === 'female').reduce((a, s) => a + s.count, 0));
    expect(women.strata.every((s) => s.sex === 'female')).toBe(true);
  });

  it('lists the recent alerts for the home screen', () => {
    const list: SurveillanceAlertList = surveillanceAlerts(app.session.require(), { weeks: 4 }, new Date('2024-06-09T12:00:00Z'));
    expect(list.alerts.map((a) => [a.series, a.week])).toEqual([
      ['A90', '2024-W23'],
      ['A90', '2024-W22'],
      ['A90', '2024-W21'],
      ['A90', '2024-W20'],
    ]);
    expect(surveillanceAlerts(app.session.require(), { weeks: 8 }, new Date('2025-06-09T12:00:00Z')).alerts).toEqual([]);
  });

  it('exports CSV and a FHIR MeasureReport, each audited with its sha256', async () => {
    const csv = await ok('exportSurveillance', { from: '2025-01-01', to: '2025-03-31', granularity: 'month', format: 'csv' });
    expect(csv.sha256).toBe(createHash('sha256').update(csv.content, 'utf8').digest('hex'));
    expect(csv.content.split('\r\n')[1]).toMatch(/^month,2025-01,2025-01-01,2025-01-31,false,J11,Influenza-like illness,J11,all,all,\d+$/);
    const fhir = await ok('exportSurveillance', {
      from: '2025-01-01',
      to: '2025-03-31',
      granularity: 'week',
      format: 'fhir-measure-report',
      groupBy: 'diagnosis',
    });
    expect(JSON.parse(fhir.content)).toMatchObject({ resourceType: 'MeasureReport', type: 'summary' });
    for (const id of [synthetic.cases[0]!.id, synthetic.patients[0]!.id, synthetic.patients[0]!.name]) {
      expect(csv.content).not.toContain(id);
      expect(fhir.content).not.toContain(id);
    }
    const events = app.session
      .require()
      .store.db.prepare(`SELECT detail FROM audit_events WHERE action = 'surveillance.export' ORDER BY seq`)
      .pluck()
      .all() as string[];
    expect(events.map((d) => JSON.parse(d) as Record<string, unknown>)).toEqual([
      { format: 'csv', from: '2025-01-01', to: '2025-03-31', granularity: 'month', groupBy: 'icd10Category', rows: csv.rows, sha256: csv.sha256 },
      { format: 'fhir-measure-report', from: '2025-01-01', to: '2025-03-31', granularity: 'week', groupBy: 'diagnosis', rows: fhir.rows, sha256: fhir.sha256 },
    ]);
  });

  it('keeps its decoded history current: confirmed, changed and withdrawn diagnoses, without reading everything again', async () => {
    const range = { from: '2020-01-01', to: '2030-12-31' };
    const before = await ok('surveillanceReport', range);
    const fullReads = vi.spyOn(app.session.require().store.surveillance, 'forEachConfirmedDiagnosis');
    const patient = await ok('createPatient', { name: 'Kofi Mensah', birthDate: '1980-02-03', sex: 'male' });
    const saved = await ok('saveCase', { patientId: patient.id, case: { findings: { high_fever: 'present' }, vitals: [], labs: [], note: '' } });
    expect((await ok('surveillanceReport', range)).totalCases).toBe(before.totalCases);

    await ok('recordFinalDiagnosis', { caseId: saved.id, label: 'Malaria', icd10: 'B54' });
    const confirmed = await ok('surveillanceReport', range);
    expect(confirmed.totalCases).toBe(before.totalCases + 1);
    expect(confirmed.series.find((s) => s.key === 'B54')).toMatchObject({ label: 'Malaria', total: 1 });

    await ok('recordFinalDiagnosis', { caseId: saved.id, label: 'Dengue fever', icd10: 'A90' });
    const changed = await ok('surveillanceReport', range);
    expect(changed.totalCases).toBe(before.totalCases + 1);
    expect(changed.series.find((s) => s.key === 'B54')).toBeUndefined();
    expect(changed.series.find((s) => s.key === 'A90')!.total).toBe(before.series.find((s) => s.key === 'A90')!.total + 1);
    expect(fullReads).not.toHaveBeenCalled();

    // A write by another connection (another process) cannot be followed: the next report reads everything.
    const other = await unlockEncryptedDatabase(dbPath, 'admin passphrase', { login: 'ama' });
    other.db.prepare('UPDATE encounters SET final_diagnosis = NULL WHERE id = ?').run(saved.id);
    other.db.close();
    const withdrawn = await ok('surveillanceReport', range);
    expect(withdrawn.totalCases).toBe(before.totalCases);
    expect(fullReads).toHaveBeenCalledTimes(1);
    fullReads.mockRestore();
  });

  it('lets an auditor view and export, and refuses a range that ends before it starts', async () => {
    await ok('unlock', { login: 'ines', passphrase: 'auditor passphrase' });
    expect((await ok('surveillanceReport', { from: '2025-01-01', to: '2025-01-31' })).totalCases).toBeGreaterThan(0);
    expect((await ok('exportSurveillance', { from: '2025-01-01', to: '2025-01-31', granularity: 'week', format: 'csv' })).rows).toBeGreaterThan(0);
    expect(await fails('surveillanceReport', { from: '2025-02-01', to: '2025-01-31' })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'to' });
    expect(await fails('exportSurveillance', { from: '2025-01-01', to: '2025-01-31', granularity: 'day', format: 'csv' })).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'granularity',
    });
    await ok('lock');
    expect(await fails('surveillanceAlerts', {})).toMatchObject({ code: 'LOCKED' });
  });
});
