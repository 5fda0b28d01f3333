/** Locale-aware formatting. Pure functions of (value, locale) so they can be unit-tested. */

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f as T;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A birth date is a calendar day, not an instant: format it in UTC so that no time zone can move
 * it to the previous or next day.
 */
export function formatCalendarDate(isoDate: string, locale: string): string {
  const m = ISO_DATE.exec(isoDate);
  if (!m) return isoDate;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(date.getTime())) return isoDate;
  return cached(`cd|${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })).format(date);
}

/** An instant (case creation time), shown in the user's local time zone. */
export function formatDateTime(isoInstant: string, locale: string, timeZone?: string): string {
  const date = new Date(isoInstant);
  if (Number.isNaN(date.getTime())) return isoInstant;
  return cached(`dt|${locale}|${timeZone ?? ''}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone })).format(date);
}

export function formatNumber(value: number, locale: string): string {
  return cached(`n|${locale}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })).format(value);
}

/** Probability 0..1 as a percentage with one decimal at most ("12.3%"). */
export function formatPercent(probability: number, locale: string): string {
  return cached(`p|${locale}`, () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 })).format(probability);
}

/**
 * A model's probability as shown to a clinician: formatPercent, except that anything that would read
 * "100%" reads "> 99.9%": no model here is certain (the stored and exported value stays raw). Decided
 * on the formatted text, so the cap and the rounding can never disagree.
 */
export function formatProbability(probability: number, locale: string): string {
  const shown = formatPercent(probability, locale);
  return probability >= 0.999 && shown === formatPercent(1, locale) ? `> ${formatPercent(0.999, locale)}` : shown;
}

/** A change in probability, always signed ("+4.2%", "−1%"). */
export function formatSignedPercent(delta: number, locale: string): string {
  return cached(`sp|${locale}`, () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' })).format(delta);
}

/** A signed model weight whose unit is the model's own ("+0.042", "−1.3"). */
export function formatSignedNumber(value: number, locale: string): string {
  return cached(`sn|${locale}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 3, signDisplay: 'exceptZero' })).format(value);
}

/** Today as YYYY-MM-DD in local time: the latest date a birth date input accepts. */
export function todayIsoDate(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Completed years between a birth date and today (both calendar days), or null for a bad date. */
export function ageInYears(birthDate: string, today: string = todayIsoDate()): number | null {
  const b = ISO_DATE.exec(birthDate);
  const t = ISO_DATE.exec(today);
  if (!b || !t) return null;
  const [by, bm, bd] = [Number(b[1]), Number(b[2]), Number(b[3])];
  const [ty, tm, td] = [Number(t[1]), Number(t[2]), Number(t[3])];
  const years = ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
  return years >= 0 ? years : null;
}
