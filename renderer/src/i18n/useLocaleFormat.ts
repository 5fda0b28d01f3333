import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCalendarDate, formatDateTime, formatNumber, formatPercent, formatProbability, formatSignedNumber, formatSignedPercent } from '../format';

/** The format helpers bound to the current language; re-created when the language changes. */
export function useLocaleFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return useMemo(
    () => ({
      locale,
      calendarDate: (iso: string) => formatCalendarDate(iso, locale),
      dateTime: (iso: string) => formatDateTime(iso, locale),
      number: (value: number) => formatNumber(value, locale),
      percent: (p: number) => formatPercent(p, locale),
      /** A model's probability: never "100%". */
      probability: (p: number) => formatProbability(p, locale),
      signedPercent: (d: number) => formatSignedPercent(d, locale),
      signedNumber: (d: number) => formatSignedNumber(d, locale),
    }),
    [locale],
  );
}
