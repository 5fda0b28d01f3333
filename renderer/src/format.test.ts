import { describe, expect, it } from 'vitest';
import { formatCalendarDate, formatDateTime, formatNumber, formatPercent, formatProbability, formatSignedPercent, todayIsoDate } from './format';

/** ICU versions differ in which space they put before "PM"; the words are what matter. */
const spaces = (s: string) => s.replace(/[\s\u202f]+/g, ' ');

describe('format', () => {
  it('formats a birth date as the same calendar day in every locale', () => {
    expect(formatCalendarDate('1980-03-01', 'en')).toBe('Mar 1, 1980');
    expect(formatCalendarDate('1980-03-01', 'zh-CN')).toBe('1980年3月1日');
  });

  it('leaves a malformed date as written rather than inventing one', () => {
    expect(formatCalendarDate('not a date', 'en')).toBe('not a date');
  });

  it('formats instants per locale', () => {
    const iso = '2025-01-02T15:04:00Z';
    expect(spaces(formatDateTime(iso, 'en', 'UTC'))).toBe('Jan 2, 2025, 3:04 PM');
    expect(formatDateTime(iso, 'zh-CN', 'UTC')).toBe('2025年1月2日 15:04');
  });

  it('formats numbers and probabilities per locale', () => {
    expect(formatNumber(1234.567, 'en')).toBe('1,234.57');
    expect(formatPercent(0.1234, 'en')).toBe('12.3%');
    expect(formatPercent(0.5, 'zh-CN')).toBe('50%');
    expect(formatSignedPercent(0.042, 'en')).toBe('+4.2%');
    expect(formatSignedPercent(-0.01, 'en')).toBe('-1%');
  });

  it('never shows a model probability as 100% (capped at "> 99.9%"), below that as formatPercent', () => {
    for (const p of [1, 0.99999, 0.9995]) expect(formatProbability(p, 'en')).toBe('> 99.9%');
    expect(formatProbability(0.9994, 'en')).toBe('99.9%');
    expect(formatProbability(0.1234, 'en')).toBe('12.3%');
    expect(formatProbability(0.5, 'zh-CN')).toBe('50%');
    // Not a probability (zoom, coverage): formatPercent still says 100%.
    expect(formatPercent(1, 'en')).toBe('100%');
  });

  it('gives today as a local YYYY-MM-DD', () => {
    expect(todayIsoDate(new Date(2024, 1, 9))).toBe('2024-02-09');
  });
});

describe('ageInYears', async () => {
  const { ageInYears } = await import('./format');
  it('counts completed years between calendar days', () => {
    expect(ageInYears('1966-05-10', '2025-05-09')).toBe(58);
    expect(ageInYears('1966-05-10', '2025-05-10')).toBe(59);
    expect(ageInYears('2024-02-29', '2025-02-28')).toBe(0);
    expect(ageInYears('not a date', '2025-01-01')).toBeNull();
    expect(ageInYears('2030-01-01', '2025-01-01')).toBeNull();
  });
});
