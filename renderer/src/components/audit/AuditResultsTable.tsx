import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditRow, ErrorPayload } from '../../../../electron/contract/ipcContract';
import { decisionsByLabel } from '../../auditFilter';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';
import { ErrorAlert } from '../ErrorAlert';

interface Props {
  /** The found suggestions; null before the first search answered. */
  rows: readonly AuditRow[] | null;
  searching: boolean;
  error: ErrorPayload | null;
  selected: string | null;
  onSelect: (suggestionId: string) => void;
}

/** The suggestions a search found, one row each: when, who, which model, its top labels, the outcome, the decisions. */
export function AuditResultsTable({ rows: found, searching, error, selected, onSelect }: Props) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const rows = found ?? [];
  return (
    <section className="card" aria-labelledby={`${ids}-results`}>
      <h2 id={`${ids}-results`}>{t('audit.results')}</h2>
      <ErrorAlert error={error} />
      <p className="hint" role="status">
        {searching ? t('audit.searching') : found ? t('audit.resultCount', { count: rows.length }) : null}
      </p>
      {rows.length > 0 ? (
        <div className="table-scroll">
          <table className="data-table audit-table" aria-labelledby={`${ids}-results`} aria-busy={searching}>
            <thead>
              <tr>
                <th scope="col">{t('audit.date')}</th>
                <th scope="col">{t('audit.clinician')}</th>
                <th scope="col">{t('audit.model')}</th>
                <th scope="col">{t('audit.top')}</th>
                <th scope="col">{t('audit.finalDiagnosis')}</th>
                <th scope="col">{t('audit.decisions')}</th>
                <th scope="col">
                  <span className="sr-only">{t('audit.details')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.suggestionId} data-suggestion-id={r.suggestionId} data-case-id={r.caseId} aria-selected={r.suggestionId === selected}>
                  <td>{fmt.dateTime(r.createdAt)}</td>
                  <td>{r.clinicianName ?? t('decisions.unknownUser')}</td>
                  <td>{t('audit.modelAtVersion', { id: r.modelId, version: r.modelVersion })}</td>
                  <td>
                    {r.top.length === 0 ? (
                      '—'
                    ) : (
                      <ol className="compact-list">
                        {r.top.map((s) => (
                          <li key={s.label}>{t('audit.topItem', { label: s.label, probability: fmt.probability(s.probability) })}</li>
                        ))}
                      </ol>
                    )}
                  </td>
                  <td>{r.finalDiagnosis ?? '—'}</td>
                  <td>
                    {r.decisions.length === 0 ? (
                      <span className="muted">{t('audit.noDecisions')}</span>
                    ) : (
                      <ul className="compact-list">
                        {decisionsByLabel(r.decisions).map((d) => (
                          <li key={d.label}>{t('audit.decisionItem', { label: d.label, action: t(`decisions.action.${d.action}`) })}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary small"
                      aria-pressed={r.suggestionId === selected}
                      aria-label={t('audit.detailsFor', { date: fmt.dateTime(r.createdAt), clinician: r.clinicianName ?? t('decisions.unknownUser') })}
                      onClick={() => onSelect(r.suggestionId)}
                    >
                      {t('audit.details')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : found && !searching ? (
        <p className="muted">{t('audit.noResults')}</p>
      ) : null}
    </section>
  );
}
