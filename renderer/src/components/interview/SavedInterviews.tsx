import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { StoredInterview } from '../../../../electron/contract/ipcContract';
import { TriagePanel } from '../TriagePanel';
import { localText } from './InterviewPanel';

/** An answer as the clinician gave it: yes/no, a scale value, or the V_ codes chosen. */
function answerText(value: number | string | string[], yes: string, no: string): string {
  if (Array.isArray(value)) return value.join(', ');
  if (value === 1) return yes;
  if (value === 0) return no;
  return String(value);
}

/** The interviews saved with this case: when, with which model, the exact answers and the differential then. */
export function SavedInterviews({ interviews }: { interviews: StoredInterview[] }) {
  const { t, i18n } = useTranslation();
  const ids = useId();
  const lang = i18n.language;
  return (
    <>
      {interviews.map((iv, n) => (
        <section key={iv.suggestionId} className="card saved-interview" aria-labelledby={`${ids}-${n}`} data-suggestion-id={iv.suggestionId}>
          <h2 id={`${ids}-${n}`}>{t('interview.saved')}</h2>
          <p className="muted">{t('interview.savedAt', { at: iv.createdAt, id: iv.modelId, version: iv.modelVersion })}</p>
          {/* Rules first: the red flags the answers raised, before the model's list. */}
          {iv.triage ? <TriagePanel triage={iv.triage} /> : null}
          <h3>{t('interview.answers')}</h3>
          <ul className="saved-interview-answers">
            {iv.answered.map((a) => (
              <li key={a.feature} data-feature={a.feature}>
                {localText(a.question, lang)}: <strong>{answerText(a.value, t('interview.yes'), t('interview.no'))}</strong>
              </li>
            ))}
          </ul>
          <h3>{t('interview.savedDifferential')}</h3>
          <ol className="interview-conditions">
            {iv.differential.map((d) => (
              <li key={d.pathology} data-pathology={d.pathology}>
                {localText(d.displayName, lang)} {Math.round(d.probability * 100)}% <span className="muted">{d.icd10 ? `ICD-10 ${d.icd10.code}` : null}</span>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </>
  );
}
