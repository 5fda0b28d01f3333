/**
 * A seeded synthetic case history with a known signal, for tests, the benchmark and demos: several
 * years of clinician-confirmed diagnoses with documented seasonality (influenza-like illness peaks
 * in northern winter, diarrhoea in summer, dengue in the rainy season, hypertension flat) plus one
 * injected outbreak. Same options and seed → the same cases, ids included.
 *
 * Daily counts are Poisson with mean base × scale × (1 + trend)^years × (1 + amplitude × cos(2π
 * (week − peakWeek) / 52.18)) / 7; outbreak weeks add `extraPerWeek` cases of one diagnosis.
 */
import type { Sex } from '../../contract/ipcContract';
import type { CaseStore } from '../../../db/caseStore';
import type { ConfirmedCase } from './caseCounts';
import { icd10Category } from './caseCounts';
import { dayNumber, isoDateOf, isoWeekLabel, weekIndexOf } from './calendarPeriods';
import { mulberry32 } from '../../../models/runtime/common/rng';

export type AgeProfile = 'children' | 'all-ages' | 'adults' | 'older-adults';

export interface SyntheticDisease {
  diagnosis: string;
  icd10: string;
  /** Mean cases per week at the seasonal midpoint, before `scale` and trend. */
  weeklyBase: number;
  /** 0 (flat) to < 1: the peak is (1 + amplitude) × base, the trough (1 − amplitude) × base. */
  seasonalAmplitude: number;
  /** Week of the year (1–52) of the seasonal peak. */
  peakWeek: number;
  /** Relative growth per year (0.03 = 3%). */
  trendPerYear: number;
  ages: AgeProfile;
}

export interface SyntheticOutbreak {
  icd10: string;
  /** Monday of the first outbreak week. */
  start: string;
  weeks: number;
  extraPerWeek: number;
}

export interface SyntheticHistoryOptions {
  seed: number;
  /** First day (a Monday keeps weeks whole). */
  start: string;
  years: number;
  /** Multiplies every disease's rate (scale 11 gives about 100,000 cases over five years). */
  scale: number;
  diseases: SyntheticDisease[];
  outbreak: SyntheticOutbreak | null;
  /** Share of cases from a patient seen before (the rest are new patients). */
  returningShare: number;
}

export const defaultDiseases: readonly SyntheticDisease[] = [
  { diagnosis: 'Influenza-like illness', icd10: 'J11.1', weeklyBase: 14, seasonalAmplitude: 0.8, peakWeek: 3, trendPerYear: 0.02, ages: 'all-ages' },
  { diagnosis: 'Acute diarrhoea', icd10: 'A09', weeklyBase: 10, seasonalAmplitude: 0.5, peakWeek: 30, trendPerYear: 0, ages: 'children' },
  { diagnosis: 'Dengue fever', icd10: 'A90', weeklyBase: 5, seasonalAmplitude: 0.9, peakWeek: 38, trendPerYear: 0.03, ages: 'adults' },
  { diagnosis: 'Essential hypertension', icd10: 'I10', weeklyBase: 6, seasonalAmplitude: 0, peakWeek: 1, trendPerYear: 0.02, ages: 'older-adults' },
];

/** Five years from Monday 2021-01-04; a dengue outbreak in weeks 20–23 of 2024, before its season. */
export function defaultSyntheticOptions(overrides: Partial<SyntheticHistoryOptions> = {}): SyntheticHistoryOptions {
  return {
    seed: 20250808,
    start: '2021-01-04',
    years: 5,
    scale: 1,
    diseases: [...defaultDiseases],
    outbreak: { icd10: 'A90', start: '2024-05-13', weeks: 4, extraPerWeek: 15 },
    returningShare: 0.2,
    ...overrides,
  };
}

export interface SyntheticPatient {
  id: string;
  name: string;
  birthDate: string;
  sex: Sex;
  createdAt: string;
}

export interface SyntheticCase {
  id: string;
  patientId: string;
  createdAt: string;
  diagnosis: string;
  icd10: string;
}

export interface SyntheticHistory {
  options: SyntheticHistoryOptions;
  /** Last day generated (inclusive). */
  end: string;
  patients: SyntheticPatient[];
  cases: SyntheticCase[];
  /** The injected outbreak's weeks as ISO week labels and their ICD-10 category. */
  outbreak: { icd10Category: string; weeks: string[] } | null;
}

function poisson(lambda: number, rng: () => number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(rng)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng();
  while (p > limit) {
    k += 1;
    p *= rng();
  }
  return k;
}

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** A random (version 4) UUID from the seeded generator, so ids are reproducible. */
function uuidFrom(rng: () => number): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(rng() * 256));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function ageFor(profile: AgeProfile, rng: () => number): number {
  const u = rng();
  switch (profile) {
    case 'children':
      return u < 0.6 ? rng() * 5 : u < 0.85 ? 5 + rng() * 10 : 15 + rng() * 65;
    case 'all-ages':
      return rng() * 85;
    case 'adults':
      return u < 0.1 ? 5 + rng() * 10 : 15 + rng() * 50;
    case 'older-adults':
      return 40 + rng() * 50;
  }
}

function sexFor(rng: () => number): Sex {
  const u = rng();
  return u < 0.49 ? 'female' : u < 0.98 ? 'male' : u < 0.99 ? 'other' : 'unknown';
}

export function generateSyntheticHistory(options: SyntheticHistoryOptions = defaultSyntheticOptions()): SyntheticHistory {
  const rng = mulberry32(options.seed);
  const first = dayNumber(options.start);
  const last = dayNumber(`${Number(options.start.slice(0, 4)) + options.years}${options.start.slice(4, 10)}`) - 1;
  const outbreakFirstWeek = options.outbreak ? weekIndexOf(dayNumber(options.outbreak.start)) : Number.NaN;
  const patients: SyntheticPatient[] = [];
  const cases: SyntheticCase[] = [];
  for (let day = first; day <= last; day++) {
    const date = isoDateOf(day);
    const years = (day - first) / 365.25;
    // Week of the year as a real number, so the seasonal curve is smooth across days.
    const yearStart = dayNumber(`${date.slice(0, 4)}-01-01`);
    const weekOfYear = (day - yearStart) / 7 + 1;
    for (const disease of options.diseases) {
      const seasonal = 1 + disease.seasonalAmplitude * Math.cos((2 * Math.PI * (weekOfYear - disease.peakWeek)) / 52.1775);
      let lambda = (disease.weeklyBase * options.scale * (1 + disease.trendPerYear) ** years * seasonal) / 7;
      const o = options.outbreak;
      const w = weekIndexOf(day) - outbreakFirstWeek;
      if (o && o.icd10 === disease.icd10 && w >= 0 && w < o.weeks) lambda += (o.extraPerWeek * options.scale) / 7;
      const count = poisson(lambda, rng);
      for (let k = 0; k < count; k++) {
        // Clinic hours, 08:00–18:00 UTC.
        const at = new Date((day * 86_400 + 8 * 3600 + Math.floor(rng() * 10 * 3600)) * 1000).toISOString();
        let patient: SyntheticPatient;
        if (patients.length > 0 && rng() < options.returningShare) {
          patient = patients[Math.floor(rng() * patients.length)]!;
        } else {
          const birthDay = day - Math.floor(ageFor(disease.ages, rng) * 365.25) - 1;
          patient = { id: uuidFrom(rng), name: `Synthetic Patient ${patients.length + 1}`, birthDate: isoDateOf(birthDay), sex: sexFor(rng), createdAt: at };
          patients.push(patient);
        }
        cases.push({ id: uuidFrom(rng), patientId: patient.id, createdAt: at, diagnosis: disease.diagnosis, icd10: disease.icd10 });
      }
    }
  }
  cases.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  const o = options.outbreak;
  return {
    options,
    end: isoDateOf(last),
    patients,
    cases,
    outbreak: o ? { icd10Category: icd10Category(o.icd10)!, weeks: Array.from({ length: o.weeks }, (_, i) => isoWeekLabel(outbreakFirstWeek + i)) } : null,
  };
}

/** The history as the surveillance repository would read it back. */
export function toConfirmedCases(history: SyntheticHistory): ConfirmedCase[] {
  const byId = new Map(history.patients.map((p) => [p.id, p]));
  return history.cases.map((c) => {
    const p = byId.get(c.patientId)!;
    return { caseId: c.id, patientId: c.patientId, createdAt: c.createdAt, diagnosis: c.diagnosis, icd10: c.icd10, birthDate: p.birthDate, sex: p.sex };
  });
}

/** `2024-05-13` → its ISO week label (for tests naming weeks by date). */
export const isoWeekOfDate = (isoDate: string): string => isoWeekLabel(weekIndexOf(dayNumber(isoDate)));

/**
 * Writes the history through the real repositories: patients, encounters, the final diagnosis as a
 * clinician records it, and one audit event naming the generator and seed. Chunked transactions
 * keep memory flat for 100,000 cases.
 */
export function writeSyntheticHistory(store: CaseStore, history: SyntheticHistory, clinicianId: string, now = new Date()): { patients: number; cases: number } {
  const chunk = 5000;
  const patientById = new Map(history.patients.map((p) => [p.id, p]));
  const written = new Set<string>();
  for (let i = 0; i < history.cases.length; i += chunk) {
    store.transaction(() => {
      for (const c of history.cases.slice(i, i + chunk)) {
        if (!written.has(c.patientId)) {
          store.patients.insert(patientById.get(c.patientId)!, clinicianId);
          written.add(c.patientId);
        }
        store.cases.insert({
          id: c.id,
          patientId: c.patientId,
          clinicianId,
          createdAt: c.createdAt,
          findings: {},
          vitals: [],
          labs: [],
          note: '',
          modelInputs: {},
        });
        store.decisions.setFinalDiagnosis(c.id, { label: c.diagnosis, icd10: c.icd10, recordedBy: clinicianId, recordedAt: c.createdAt });
      }
    });
  }
  store.transaction(() =>
    store.audit.append({
      at: now.toISOString(),
      userId: clinicianId,
      action: 'synthetic-history.write',
      detail: { seed: history.options.seed, start: history.options.start, end: history.end, cases: history.cases.length, patients: written.size },
    }),
  );
  return { patients: written.size, cases: history.cases.length };
}
