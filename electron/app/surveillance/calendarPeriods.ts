/**
 * Calendar arithmetic for surveillance, on whole UTC days counted from 1970-01-01 ("day numbers"):
 * ISO weeks (Monday to Sunday, week 1 holds the year's first Thursday), calendar months, and ages.
 * Integers and character codes rather than Date objects, because 100,000 cases are bucketed per
 * report and the date parsing must not allocate.
 */
import { SurveillanceDataError } from './surveillanceErrors';

const msPerDay = 86_400_000;

function digitsAt(s: string, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return v;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** `YYYY-MM-DD` (or the date part of an ISO instant) → day number. */
export function dayNumber(isoDate: string): number {
  const y = digitsAt(isoDate, 0, 4);
  const m = digitsAt(isoDate, 5, 2);
  const d = digitsAt(isoDate, 8, 2);
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= 31 && y >= 0) || isoDate.charCodeAt(4) !== 45 || isoDate.charCodeAt(7) !== 45) {
    throw new SurveillanceDataError(`not a date: ${JSON.stringify(isoDate.slice(0, 30))}`);
  }
  return daysFromCivil(y, m, d);
}

export function isoDateOf(day: number): string {
  return new Date(day * msPerDay).toISOString().slice(0, 10);
}

/** Consecutive week number (Monday-based), so weeks subtract like integers. */
export const weekIndexOf = (day: number): number => Math.floor((day + 3) / 7);
export const weekStartDay = (weekIndex: number): number => weekIndex * 7 - 3;

/** `2025-W07`: the ISO year is the year of the week's Thursday. */
export function isoWeekLabel(weekIndex: number): string {
  const thursday = weekStartDay(weekIndex) + 3;
  const year = new Date(thursday * msPerDay).getUTCFullYear();
  const week = Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Consecutive month number: year × 12 + (month − 1). */
export function monthIndexOfDay(day: number): number {
  const d = new Date(day * msPerDay);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

export function monthStartDay(monthIndex: number): number {
  return daysFromCivil(Math.floor(monthIndex / 12), (monthIndex % 12) + 1, 1);
}

export function monthLabel(monthIndex: number): string {
  return `${Math.floor(monthIndex / 12)}-${String((monthIndex % 12) + 1).padStart(2, '0')}`;
}

/**
 * Whole years between a birth date and a case date (`YYYY-MM-DD…` strings); null if born after the
 * case or either date is malformed.
 */
export function ageInYears(birthDate: string, onDate: string): number | null {
  const by = digitsAt(birthDate, 0, 4);
  const oy = digitsAt(onDate, 0, 4);
  const bmd = digitsAt(birthDate, 5, 2) * 100 + digitsAt(birthDate, 8, 2);
  const omd = digitsAt(onDate, 5, 2) * 100 + digitsAt(onDate, 8, 2);
  const age = oy - by - (omd < bmd ? 1 : 0);
  return age >= 0 ? age : null;
}
