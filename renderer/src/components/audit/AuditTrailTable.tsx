import { useCallback, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/lanternClient';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';
import { ErrorAlert } from '../ErrorAlert';
import { useIpcQuery } from '../../useIpcQuery';

/** The newest events of the trail itself, as stored: who did what, when, to which case, with which model. */
export function AuditTrailTable({ limit = 100 }: { limit?: number }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const { value: events, error } = useIpcQuery(useCallback(() => api.listAuditEvents({ limit }), [limit]));

  return (
    <section className="card audit-trail" aria-labelledby={`${ids}-h`} data-events={events?.length}>
      <h2 id={`${ids}-h`}>{t('auditTrail.heading', { limit })}</h2>
      <ErrorAlert error={error} />
      {events === null ? null : events.length === 0 ? (
        <p className="muted">{t('auditTrail.none')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('auditTrail.seq')}</th>
                <th scope="col">{t('auditTrail.when')}</th>
                <th scope="col">{t('auditTrail.who')}</th>
                <th scope="col">{t('auditTrail.action')}</th>
                <th scope="col">{t('auditTrail.model')}</th>
                <th scope="col">{t('auditTrail.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.seq} data-action={e.action}>
                  <td>{e.seq}</td>
                  <td>{fmt.dateTime(e.at)}</td>
                  <td>{e.userName ?? (e.userId === null ? t('auditTrail.noUser') : e.userId.slice(0, 8))}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.modelId ? `${e.modelId}@${e.modelVersion ?? '?'}` : ''}</td>
                  <td className="detail">
                    <code>{e.detail === '{}' ? '' : e.detail.slice(0, 200)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
