import type { TFunction } from 'i18next';
import { ageInYears } from './format';

/** "59 years" / "59 岁"; an unreadable birth date shows no age rather than a wrong one. */
export function patientAge(t: TFunction, birthDate: string): string {
  const years = ageInYears(birthDate);
  return years === null ? '—' : t('patient.age', { count: years });
}
