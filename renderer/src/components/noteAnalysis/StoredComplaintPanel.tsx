import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ComplaintSuggestion } from '../../../../electron/contract/ipcContract';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';
import { ComplaintRanking } from './ComplaintRanking';

/** The free-text classifier's answer stored with a saved case: its ranking or its abstention, and the model that gave it. */
export function StoredComplaintPanel({ suggestion }: { suggestion: ComplaintSuggestion }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  return (
    <section className="complaint-panel" aria-labelledby={`${ids}-h`} data-suggestion-id={suggestion.suggestionId}>
      <h2 id={`${ids}-h`}>{t('caseDetail.storedClassifierHeading')}</h2>
      {suggestion.abstained ? (
        <p className="differential-abstained" role="status" data-abstention={suggestion.abstained.code}>
          {t('caseDetail.storedClassifierAbstained', { code: suggestion.abstained.code, message: suggestion.abstained.message })}
        </p>
      ) : (
        <ComplaintRanking ranking={suggestion.ranking} labelledBy={`${ids}-h`} format={fmt.probability} />
      )}
      <p className="hint">
        {t('caseDetail.storedClassifierModel', { model: suggestion.modelId, version: suggestion.modelVersion, when: fmt.dateTime(suggestion.createdAt) })}
      </p>
    </section>
  );
}
