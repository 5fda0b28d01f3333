/**
 * Clinic surveillance use cases: the report (counts, forecasts, alerts), the home screen's recent
 * alerts, and the audited export. The computations live in ./surveillance/ (pure); this file reads
 * the store, keeps the decoded history while it is current, and writes the export's audit event.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ParsedRequestOf, SurveillanceAlertList, SurveillanceExport, SurveillanceReport } from '../../contract/ipcContract';
import type { CaseStore } from '../../../db/caseStore';
import type { ConfirmedDiagnosisChange } from '../../../db/repositories/surveillanceRepository';
import type { Actor } from '../actor';
import type { CaseHistory, ConfirmedCase } from './caseCounts';
import { CaseHistoryBuilder } from './caseCounts';
import { isoDateOf } from './calendarPeriods';
import type { CasesBetween } from './outbreakAlerts';
import { exportSurveillanceTable } from './surveillanceExport';
import { buildAlertList, buildSurveillanceReport, buildSurveillanceTable } from './surveillanceReport';

interface CachedHistory {
  seq: number;
  dataVersion: number;
  builder: CaseHistoryBuilder;
  history: CaseHistory;
}

/**
 * Decoding every confirmed case from the encrypted file dominates a report's cost, so the decoded
 * history is kept per open store and brought up to date from the repository's change log (a
 * confirmed diagnosis recorded, changed or withdrawn since); anything it cannot apply, or a commit
 * by another connection, means one full read.
 */
const historyCache = new WeakMap<CaseStore, CachedHistory>();

function readAll(store: CaseStore): CaseHistoryBuilder {
  const builder = new CaseHistoryBuilder();
  // Every confirmed case: ISO instants sort after '0' and before '9'.
  store.surveillance.forEachConfirmedDiagnosis('0', '9', (createdAt, diagnosis, icd10, birthDate, sex) =>
    builder.add(createdAt, diagnosis, icd10, birthDate, sex),
  );
  return builder;
}

/** Applies logged changes; false when one cannot be applied (then the caller reads everything). */
function applyChanges(builder: CaseHistoryBuilder, changes: ConfirmedDiagnosisChange[]): boolean {
  for (const c of changes) {
    if (c.change === 'reset' || c.createdAt === null || c.diagnosis === null || c.birthDate === null || c.sex === null) return false;
    switch (c.change) {
      case 'add':
        builder.add(c.createdAt, c.diagnosis, c.icd10, c.birthDate, c.sex);
        break;
      case 'remove':
        if (!builder.remove(c.createdAt, c.diagnosis, c.icd10, c.birthDate, c.sex)) return false;
        break;
    }
  }
  return true;
}

export function loadCaseHistory(store: CaseStore): CaseHistory {
  const mark = store.surveillance.changeMark();
  if (mark === null) return readAll(store).build();
  const cached = historyCache.get(store);
  if (cached && cached.dataVersion === mark.dataVersion) {
    if (cached.seq === mark.seq) return cached.history;
    if (applyChanges(cached.builder, store.surveillance.changesSince(cached.seq))) {
      cached.history = cached.builder.build();
      cached.seq = mark.seq;
      store.surveillance.forgetChangesThrough(mark.seq);
      return cached.history;
    }
  }
  const builder = readAll(store);
  const entry: CachedHistory = { seq: mark.seq, dataVersion: mark.dataVersion, builder, history: builder.build() };
  historyCache.set(store, entry);
  store.surveillance.forgetChangesThrough(mark.seq);
  return entry.history;
}

/** The cases behind an alert: a bounded window read with ids, only when a week alerts. */
function casesBetweenIn(store: CaseStore): CasesBetween {
  return (fromDay, toDay, diagnoses): ConfirmedCase[] =>
    diagnoses.flatMap((d) => store.surveillance.confirmedDiagnoses(d, isoDateOf(fromDay), isoDateOf(toDay + 1)));
}

const todayOf = (now: Date): string => now.toISOString().slice(0, 10);

export function surveillanceReport({ store }: Actor, request: ParsedRequestOf<'surveillanceReport'>, now = new Date()): SurveillanceReport {
  return buildSurveillanceReport(loadCaseHistory(store), request, todayOf(now), casesBetweenIn(store), now.toISOString());
}

export function surveillanceAlerts({ store }: Actor, request: ParsedRequestOf<'surveillanceAlerts'>, now = new Date()): SurveillanceAlertList {
  return buildAlertList(loadCaseHistory(store), request.weeks, todayOf(now), casesBetweenIn(store));
}

/**
 * The aggregate table as CSV or a FHIR MeasureReport. Audited in a transaction with what left:
 * format, range, grouping, rows and the content's sha256, so the file sent can be matched later.
 */
export function exportSurveillance({ store, user }: Actor, request: ParsedRequestOf<'exportSurveillance'>, now = new Date()): SurveillanceExport {
  const table = buildSurveillanceTable(loadCaseHistory(store), request, todayOf(now), now.toISOString());
  const exported = exportSurveillanceTable(table, request.format, randomUUID());
  const sha256 = createHash('sha256').update(exported.content, 'utf8').digest('hex');
  store.transaction(() =>
    store.audit.append({
      at: now.toISOString(),
      userId: user.id,
      action: 'surveillance.export',
      detail: {
        format: request.format,
        from: request.from,
        to: request.to,
        granularity: request.granularity,
        groupBy: request.groupBy,
        rows: exported.rows,
        sha256,
      },
    }),
  );
  return { format: request.format, fileName: exported.fileName, mediaType: exported.mediaType, content: exported.content, sha256, rows: exported.rows };
}
