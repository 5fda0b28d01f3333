/** How backups are shown: sizes, audit chain heads and the schedule, as pure functions for tests. */

const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** A file size in the largest unit that keeps it at 1 or more ("1.2 MB", "512 byte"), 1024-based. */
export function formatBytes(bytes: number, locale: string): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/** The first characters of a hash: enough to compare by eye with the audit trail and the CLI. */
export function shortHash(hash: string, length = 12): string {
  return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}

/**
 * The schedule's period in the largest whole unit: `{unit: 'day', count: 1}` for daily. The screen
 * turns it into words with a plural-aware translation.
 */
export function schedulePeriod(everyMs: number): { unit: 'day' | 'hour' | 'minute'; count: number } {
  const minute = 60_000;
  const hour = 60 * minute;
  const day = 24 * hour;
  if (everyMs >= day && everyMs % day === 0) return { unit: 'day', count: everyMs / day };
  if (everyMs >= hour && everyMs % hour === 0) return { unit: 'hour', count: everyMs / hour };
  return { unit: 'minute', count: Math.max(1, Math.round(everyMs / minute)) };
}
