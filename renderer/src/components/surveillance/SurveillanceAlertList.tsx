import { useTranslation } from 'react-i18next';
import type { SurveillanceAlert } from '../../../../electron/contract/ipcContract';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';
import type { Navigate } from '../../navigation';

interface Props {
  alerts: SurveillanceAlert[];
  navigate: Navigate;
  label: string;
}

/**
 * Weeks above their expected range, newest first: the count against what was expected and the bar
 * it crossed, the rule that set the bar, and the confirmed cases behind it, each one click away.
 */
export function SurveillanceAlertList({ alerts, navigate, label }: Props) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  return (
    <ul className="surveillance-alerts" aria-label={label}>
      {alerts.map((a) => (
        <li key={`${a.series}@${a.week}`} className="surveillance-alert" data-series={a.series} data-week={a.week}>
          <p className="alert-line">
            <strong>
              {t('surveillance.alertSummary', {
                name: a.icd10Category ? `${a.label} (${a.icd10Category})` : a.label,
                observed: fmt.number(a.observed),
                week: a.week,
                expected: fmt.number(Math.round(a.expected * 10) / 10),
                threshold: fmt.number(Math.round(a.threshold * 10) / 10),
              })}
            </strong>{' '}
            <span className="hint">
              {t('surveillance.weekDates', { start: fmt.calendarDate(a.weekStart), end: fmt.calendarDate(a.weekEnd) })} · {t(`surveillance.rule.${a.rule}`)}
            </span>
          </p>
          <details>
            <summary>{t('surveillance.casesBehind', { count: a.cases.length })}</summary>
            <ul className="alert-cases">
              {a.cases.map((c) => (
                <li key={c.caseId}>
                  <button type="button" className="link-button" data-case-id={c.caseId} onClick={() => navigate({ screen: 'case-detail', caseId: c.caseId })}>
                    {t('surveillance.openCase', { date: fmt.dateTime(c.createdAt) })}
                  </button>
                </li>
              ))}
            </ul>
          </details>
        </li>
      ))}
    </ul>
  );
}
