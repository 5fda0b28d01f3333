import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';
import type { ComplaintScore } from '../../note/noteResults';

/** The free-text classifier's view of the note, shown beside (never merged into) the differential. */
export function ComplaintPanel({ complaint, stale }: { complaint: ComplaintScore[]; stale: boolean }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  return (
    <section className="complaint-panel" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>{t('note.classifierHeading')}</h2>
      {complaint.length === 0 ? (
        <p className="muted">{t('note.classifierEmpty')}</p>
      ) : (
        <ol className="complaint-list" aria-labelledby={`${ids}-h`}>
          {complaint.map((c) => (
            <li key={c.label}>
              <div className="ranked-head">
                <span className="diagnosis">{c.label}</span>
                <span className="probability">{fmt.probability(c.probability)}</span>
              </div>
              <div className="bar" aria-hidden="true">
                <div className="bar-fill complaint-fill" style={{ width: `${Math.max(0, Math.min(1, c.probability)) * 100}%` }} />
              </div>
            </li>
          ))}
        </ol>
      )}
      <p className="hint">{stale ? t('note.stale') : t('note.classifierHint')}</p>
    </section>
  );
}
