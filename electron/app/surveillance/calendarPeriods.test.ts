import { describe, expect, it } from 'vitest';
import { ageInYears, dayNumber, isoDateOf, isoWeekLabel, monthIndexOfDay, monthLabel, monthStartDay, weekIndexOf, weekStartDay } from './calendarPeriods';
import { SurveillanceDataError } from './surveillanceErrors';

const week = (iso: string) => isoWeekLabel(weekIndexOf(dayNumber(iso)));

describe('calendar periods', () => {
  it('counts days like Date does, both ways', () => {
    for (const iso of ['1970-01-01', '1969-12-31', '2000-02-29', '2024-12-31', '2100-03-01', '1900-01-01']) {
      expect(dayNumber(iso)).toBe(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
      expect(isoDateOf(dayNumber(iso))).toBe(iso);
    }
    expect(dayNumber('2025-03-04T23:59:59.999Z')).toBe(dayNumber('2025-03-04'));
  });

  it('names ISO weeks by the year of their Thursday', () => {
    expect(week('2021-01-03')).toBe('2020-W53');
    expect(week('2021-01-04')).toBe('2021-W01');
    expect(week('2024-12-30')).toBe('2025-W01');
    expect(week('2026-12-31')).toBe('2026-W53');
    expect(week('2025-05-13')).toBe('2025-W20');
    // Weeks start on Monday.
    expect(isoDateOf(weekStartDay(weekIndexOf(dayNumber('2025-05-18'))))).toBe('2025-05-12');
    expect(weekIndexOf(dayNumber('2025-05-19')) - weekIndexOf(dayNumber('2025-05-18'))).toBe(1);
  });

  it('numbers months consecutively', () => {
    const m = monthIndexOfDay(dayNumber('2024-02-29'));
    expect(monthLabel(m)).toBe('2024-02');
    expect(monthLabel(m + 11)).toBe('2025-01');
    expect(isoDateOf(monthStartDay(m + 1) - 1)).toBe('2024-02-29');
  });

  it('computes age on the case date, birthdays included', () => {
    expect(ageInYears('2020-05-10', '2025-05-09T10:00:00Z')).toBe(4);
    expect(ageInYears('2020-05-10', '2025-05-10T10:00:00Z')).toBe(5);
    expect(ageInYears('2025-06-01', '2025-05-10')).toBeNull();
    expect(ageInYears('not a date', '2025-05-10')).toBeNull();
  });

  it('refuses a malformed stored date', () => {
    expect(() => dayNumber('2025/05/10')).toThrow(SurveillanceDataError);
    expect(() => dayNumber('2025-13-01')).toThrow(SurveillanceDataError);
  });
});
