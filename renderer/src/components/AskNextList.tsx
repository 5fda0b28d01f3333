import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { AskNextItem } from '../../../electron/contract/ipcContract';
import { useLocaleFormat } from '../i18n/useLocaleFormat';

interface Props {
  items: AskNextItem[];
  nameOf: (code: string) => string;
  onAnswer: (feature: string, state: 'present' | 'absent') => void;
  disabled: boolean;
}

/** The unasked findings that would best separate the leading diagnoses, answerable in one click. */
export function AskNextList({ items, nameOf, onAnswer, disabled }: Props) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  return (
    <section className="ask-next" aria-labelledby={`${ids}-h`}>
      <h3 id={`${ids}-h`}>{t('askNext.heading')}</h3>
      <p className="hint">{t('askNext.hint')}</p>
      <ol aria-labelledby={`${ids}-h`}>
        {items.map((item) => {
          const symptom = nameOf(item.feature);
          return (
            <li key={item.feature} data-feature={item.feature}>
              <span className="ask-next-symptom">{symptom}</span>
              <span className="ask-next-gain muted">{t('askNext.gain', { bits: fmt.number(item.expectedInformationGain) })}</span>
              <span className="ask-next-actions">
                <button
                  type="button"
                  className="secondary small"
                  disabled={disabled}
                  aria-label={t('askNext.markPresent', { symptom })}
                  onClick={() => onAnswer(item.feature, 'present')}
                >
                  {t('findingState.present')}
                </button>
                <button
                  type="button"
                  className="secondary small"
                  disabled={disabled}
                  aria-label={t('askNext.markAbsent', { symptom })}
                  onClick={() => onAnswer(item.feature, 'absent')}
                >
                  {t('findingState.absent')}
                </button>
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
