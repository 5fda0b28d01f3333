/**
 * Counting clinician-confirmed final diagnoses: by ISO week and calendar month, per diagnosis or
 * ICD-10 category, by age band (age on the case's date) and sex.
 *
 * Cases are held as columns (typed arrays: day, diagnosis kind, age band, sex), built once per
 * change of the data; each count is then one pass over integers. That keeps 100,000 cases well
 * inside the 200 ms budget for counts, alerts and forecasts together, and the cached history small.
 *
 * A case's date is the UTC date of `encounters.created_at` (see README.md, known limits).
 */
import type { AgeBand, Sex, SurveillanceGranularity, SurveillanceGrouping, SurveillancePeriod, SurveillanceStratum } from '../../contract/ipcContract';
import { ageBands } from '../../contract/ipcContract';
import type { ConfirmedDiagnosisRow } from '../../../db/repositories/surveillanceRepository';
import { ageInYears, dayNumber, isoDateOf, isoWeekLabel, monthIndexOfDay, monthLabel, monthStartDay, weekIndexOf, weekStartDay } from './calendarPeriods';

/** One encounter with a final diagnosis, joined to its patient: the row the repository reads. */
export type ConfirmedCase = ConfirmedDiagnosisRow;

export const sexes: readonly Sex[] = ['female', 'male', 'other', 'unknown'];
/** Series key for cases whose final diagnosis has no ICD-10 code. */
export const uncodedCategory = 'uncoded';

/** ICD-10 category: the code's first three characters (`J11.1` → `J11`). */
export function icd10Category(code: string | null): string | null {
  const c = code?.trim().toUpperCase() ?? '';
  return c.length >= 3 ? c.slice(0, 3) : null;
}

/** Bands as district reports commonly use them; `unknown` when the age cannot be known. */
export function ageBandOf(age: number | null): AgeBand {
  if (age === null) return 'unknown';
  if (age < 5) return '0-4';
  if (age < 15) return '5-14';
  if (age < 25) return '15-24';
  if (age < 45) return '25-44';
  if (age < 65) return '45-64';
  return '65+';
}

const bandIndex = new Map<AgeBand, number>(ageBands.map((b, i) => [b, i]));
const sexIndex = new Map<string, number>(sexes.map((s, i) => [s, i]));
const unknownSex = sexes.indexOf('unknown');

/** A distinct (diagnosis, ICD-10 code) pair as recorded, with how many cases carry it. */
export interface DiagnosisKind {
  diagnosis: string;
  icd10: string | null;
  cases: number;
}

/** Every confirmed case as columns; case i is (day[i], kinds[kind[i]], ageBands[band[i]], sexes[sex[i]]). */
export interface CaseHistory {
  size: number;
  day: Int32Array;
  kind: Int32Array;
  band: Uint8Array;
  sex: Uint8Array;
  kinds: DiagnosisKind[];
  /** Earliest and latest case day (NaN when empty). */
  firstDay: number;
  lastDay: number;
}

/**
 * Collects cases one at a time (straight from a query cursor) into a CaseHistory, and keeps it
 * current afterwards: a case confirmed, changed or withdrawn later is added or removed here, so the
 * whole history need not be read again (see surveillanceService.ts).
 */
export class CaseHistoryBuilder {
  private size = 0;
  private live = 0;
  private day = new Int32Array(1024);
  /** −1 marks a removed row. */
  private kind = new Int32Array(1024);
  private band = new Uint8Array(1024);
  private sex = new Uint8Array(1024);
  private readonly kinds: DiagnosisKind[] = [];
  private readonly kindIndex = new Map<string, Map<string | null, number>>();

  add(createdAt: string, diagnosis: string, icd10: string | null, birthDate: string, sex: string): void {
    if (this.size === this.day.length) this.grow();
    let byCode = this.kindIndex.get(diagnosis);
    if (byCode === undefined) this.kindIndex.set(diagnosis, (byCode = new Map()));
    let k = byCode.get(icd10);
    if (k === undefined) {
      k = this.kinds.length;
      byCode.set(icd10, k);
      this.kinds.push({ diagnosis, icd10, cases: 0 });
    }
    const i = this.size;
    this.day[i] = dayNumber(createdAt);
    this.kind[i] = k;
    this.band[i] = bandIndex.get(ageBandOf(ageInYears(birthDate, createdAt)))!;
    this.sex[i] = sexIndex.get(sex) ?? unknownSex;
    this.kinds[k]!.cases += 1;
    this.size += 1;
    this.live += 1;
  }

  /**
   * Takes back one case counted with exactly these values (rows carry no ids: any row with the same
   * day, diagnosis, code, age band and sex counts the same). False when there is none to remove.
   */
  remove(createdAt: string, diagnosis: string, icd10: string | null, birthDate: string, sex: string): boolean {
    const k = this.kindIndex.get(diagnosis)?.get(icd10);
    if (k === undefined) return false;
    const d = dayNumber(createdAt);
    const b = bandIndex.get(ageBandOf(ageInYears(birthDate, createdAt)))!;
    const x = sexIndex.get(sex) ?? unknownSex;
    for (let i = this.size - 1; i >= 0; i--) {
      if (this.kind[i] === k && this.day[i] === d && this.band[i] === b && this.sex[i] === x) {
        this.kind[i] = -1;
        this.kinds[k]!.cases -= 1;
        this.live -= 1;
        return true;
      }
    }
    return false;
  }

  private grow(): void {
    const n = this.day.length * 2;
    const widen = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.day = widen(this.day, (k) => new Int32Array(k));
    this.kind = widen(this.kind, (k) => new Int32Array(k));
    this.band = widen(this.band, (k) => new Uint8Array(k));
    this.sex = widen(this.sex, (k) => new Uint8Array(k));
  }

  /** A snapshot of the cases counted now (removed rows left out). */
  build(): CaseHistory {
    const n = this.live;
    const day = new Int32Array(n);
    const kind = new Int32Array(n);
    const band = new Uint8Array(n);
    const sex = new Uint8Array(n);
    let firstDay = Number.NaN;
    let lastDay = Number.NaN;
    let j = 0;
    for (let i = 0; i < this.size; i++) {
      if (this.kind[i]! < 0) continue;
      const d = this.day[i]!;
      day[j] = d;
      kind[j] = this.kind[i]!;
      band[j] = this.band[i]!;
      sex[j] = this.sex[i]!;
      if (!(d >= firstDay)) firstDay = d;
      if (!(d <= lastDay)) lastDay = d;
      j += 1;
    }
    return { size: n, day, kind, band, sex, kinds: this.kinds.map((k) => ({ ...k })), firstDay, lastDay };
  }
}

export function historyFromCases(cases: Iterable<ConfirmedCase>): CaseHistory {
  const b = new CaseHistoryBuilder();
  for (const c of cases) b.add(c.createdAt, c.diagnosis, c.icd10, c.birthDate, c.sex);
  return b.build();
}

export interface SeriesInfo {
  key: string;
  label: string;
  icd10Category: string | null;
}

export interface CaseFilter {
  ageBand?: AgeBand | undefined;
  sex?: Sex | undefined;
}

/** Which series a (diagnosis, code) pair belongs to under a grouping. */
export function seriesKeyOf(diagnosis: string, icd10: string | null, groupBy: SurveillanceGrouping): string {
  switch (groupBy) {
    case 'icd10Category':
      return icd10Category(icd10) ?? uncodedCategory;
    case 'diagnosis':
      return diagnosis.trim();
  }
}

export function passesFilter(band: AgeBand, sex: Sex, filter: CaseFilter): boolean {
  return (filter.ageBand === undefined || band === filter.ageBand) && (filter.sex === undefined || sex === filter.sex);
}

/** The history seen through a grouping and a filter: each case's series, or −1 when filtered out. */
export interface CaseIndex {
  history: CaseHistory;
  groupBy: SurveillanceGrouping;
  filter: CaseFilter;
  series: SeriesInfo[];
  seriesOf: Int32Array;
}

function mostFrequent(counts: Map<string, number>): string | null {
  let best: string | null = null;
  let bestCount = -1;
  for (const [k, v] of counts) if (v > bestCount || (v === bestCount && best !== null && k < best)) [best, bestCount] = [k, v];
  return best;
}

/**
 * Groups the history's diagnosis kinds into series. A category's label is the diagnosis name
 * recorded most often under it; a diagnosis' category is its most frequent code's.
 */
export function indexCases(history: CaseHistory, groupBy: SurveillanceGrouping, filter: CaseFilter = {}): CaseIndex {
  const seriesIndex = new Map<string, number>();
  const names: Map<string, number>[] = [];
  const categories: Map<string, number>[] = [];
  const seriesOfKind = history.kinds.map((k) => {
    const key = seriesKeyOf(k.diagnosis, k.icd10, groupBy);
    let s = seriesIndex.get(key);
    if (s === undefined) {
      s = names.length;
      seriesIndex.set(key, s);
      names.push(new Map());
      categories.push(new Map());
    }
    names[s]!.set(k.diagnosis, (names[s]!.get(k.diagnosis) ?? 0) + k.cases);
    const cat = icd10Category(k.icd10);
    if (cat !== null) categories[s]!.set(cat, (categories[s]!.get(cat) ?? 0) + k.cases);
    return s;
  });
  const series = [...seriesIndex.keys()].map((key, i): SeriesInfo => ({
    key,
    label: groupBy === 'diagnosis' ? key : (mostFrequent(names[i]!) ?? key),
    icd10Category: groupBy === 'icd10Category' ? (key === uncodedCategory ? null : key) : mostFrequent(categories[i]!),
  }));
  const wantBand = filter.ageBand === undefined ? -1 : bandIndex.get(filter.ageBand)!;
  const wantSex = filter.sex === undefined ? -1 : sexIndex.get(filter.sex)!;
  const seriesOf = new Int32Array(history.size);
  for (let i = 0; i < history.size; i++) {
    const keep = (wantBand < 0 || history.band[i] === wantBand) && (wantSex < 0 || history.sex[i] === wantSex);
    seriesOf[i] = keep ? seriesOfKind[history.kind[i]!]! : -1;
  }
  return { history, groupBy, filter, series, seriesOf };
}

/** The periods touching [fromDay, toDay]; partial when the range or `todayDay` cuts one. */
export function periodsBetween(granularity: SurveillanceGranularity, fromDay: number, toDay: number, todayDay: number): SurveillancePeriod[] {
  const out: SurveillancePeriod[] = [];
  const lastComplete = Math.min(toDay, todayDay);
  switch (granularity) {
    case 'week':
      for (let w = weekIndexOf(fromDay); w <= weekIndexOf(toDay); w++) {
        const start = weekStartDay(w);
        out.push({ key: isoWeekLabel(w), start: isoDateOf(start), end: isoDateOf(start + 6), partial: start < fromDay || start + 6 > lastComplete });
      }
      return out;
    case 'month':
      for (let m = monthIndexOfDay(fromDay); m <= monthIndexOfDay(toDay); m++) {
        const start = monthStartDay(m);
        const end = monthStartDay(m + 1) - 1;
        out.push({ key: monthLabel(m), start: isoDateOf(start), end: isoDateOf(end), partial: start < fromDay || end > lastComplete });
      }
      return out;
  }
}

/** Series × consecutive weeks [firstWeek, lastWeek], counting only cases within [fromDay, toDay]. */
export function weeklyCounts(index: CaseIndex, firstWeek: number, lastWeek: number, fromDay = -Infinity, toDay = Infinity): Int32Array[] {
  const width = Math.max(0, lastWeek - firstWeek + 1);
  const out = index.series.map(() => new Int32Array(width));
  const { day } = index.history;
  for (let i = 0; i < day.length; i++) {
    const s = index.seriesOf[i]!;
    const d = day[i]!;
    if (s < 0 || d < fromDay || d > toDay) continue;
    const w = weekIndexOf(d) - firstWeek;
    if (w >= 0 && w < width) out[s]![w]! += 1;
  }
  return out;
}

/** Series × consecutive months [firstMonth, lastMonth], counting only cases within [fromDay, toDay]. */
export function monthlyCounts(index: CaseIndex, firstMonth: number, lastMonth: number, fromDay = -Infinity, toDay = Infinity): Int32Array[] {
  const width = Math.max(0, lastMonth - firstMonth + 1);
  const out = index.series.map(() => new Int32Array(width));
  // Month of each day in the span as a lookup table, so the loop does no date conversion per case.
  const firstDay = monthStartDay(firstMonth);
  const monthOfDay = new Int32Array(monthStartDay(lastMonth + 1) - firstDay);
  for (let m = 0; m < width; m++) monthOfDay.fill(m, monthStartDay(firstMonth + m) - firstDay, monthStartDay(firstMonth + m + 1) - firstDay);
  const { day } = index.history;
  for (let i = 0; i < day.length; i++) {
    const s = index.seriesOf[i]!;
    const d = day[i]!;
    const offset = d - firstDay;
    if (s < 0 || d < fromDay || d > toDay || offset < 0 || offset >= monthOfDay.length) continue;
    out[s]![monthOfDay[offset]!]! += 1;
  }
  return out;
}

/** Range totals by series × age band × sex, non-zero cells only, in series, band, sex order. */
export function strataCounts(index: CaseIndex, fromDay: number, toDay: number): SurveillanceStratum[] {
  const nb = ageBands.length;
  const nx = sexes.length;
  const cells = new Int32Array(index.series.length * nb * nx);
  const { day, band, sex } = index.history;
  for (let i = 0; i < day.length; i++) {
    const s = index.seriesOf[i]!;
    const d = day[i]!;
    if (s < 0 || d < fromDay || d > toDay) continue;
    cells[(s * nb + band[i]!) * nx + sex[i]!]! += 1;
  }
  const out: SurveillanceStratum[] = [];
  index.series.forEach((series, si) => {
    ageBands.forEach((ageBand, bi) => {
      sexes.forEach((sx, xi) => {
        const count = cells[(si * nb + bi) * nx + xi]!;
        if (count > 0) out.push({ series: series.key, ageBand, sex: sx, count });
      });
    });
  });
  return out;
}

/** One cell of the exported table: period × series × age band × sex. */
export interface PeriodStratum {
  period: number;
  series: number;
  ageBand: AgeBand;
  sex: Sex;
  count: number;
}

/** Non-zero period × series × age band × sex cells; periods numbered as `periodsBetween` lists them. */
export function periodStrataCounts(index: CaseIndex, granularity: SurveillanceGranularity, fromDay: number, toDay: number): PeriodStratum[] {
  const nb = ageBands.length;
  const nx = sexes.length;
  const ns = Math.max(1, index.series.length);
  let periodOf: (d: number) => number;
  switch (granularity) {
    case 'week': {
      const first = weekIndexOf(fromDay);
      periodOf = (d) => weekIndexOf(d) - first;
      break;
    }
    case 'month': {
      const first = monthIndexOfDay(fromDay);
      periodOf = (d) => monthIndexOfDay(d) - first;
      break;
    }
  }
  const periods = periodOf(toDay) + 1;
  const cells = new Int32Array(periods * ns * nb * nx);
  const { day, band, sex } = index.history;
  for (let i = 0; i < day.length; i++) {
    const s = index.seriesOf[i]!;
    const d = day[i]!;
    if (s < 0 || d < fromDay || d > toDay) continue;
    cells[((periodOf(d) * ns + s) * nb + band[i]!) * nx + sex[i]!]! += 1;
  }
  const out: PeriodStratum[] = [];
  for (let key = 0; key < cells.length; key++) {
    const count = cells[key]!;
    if (count === 0) continue;
    out.push({
      period: Math.floor(key / (ns * nb * nx)),
      series: Math.floor(key / (nb * nx)) % ns,
      ageBand: ageBands[Math.floor(key / nx) % nb]!,
      sex: sexes[key % nx]!,
      count,
    });
  }
  return out;
}
