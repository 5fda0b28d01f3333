import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';
import type { ComplaintScore } from '../../note/noteResults';
import { ComplaintRanking } from './ComplaintRanking';

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
        <ComplaintRanking ranking={complaint} labelledBy={`${ids}-h`} format={fmt.probability} />
      )}
      <p className="hint">{stale ? t('note.stale') : t('note.classifierHint')}</p>
    </section>
  );
}
