import { useTranslation } from 'react-i18next';

export type CaseEntryMode = 'form' | 'interview';

/** Form or guided interview: two toggle buttons, the chosen one pressed. */
export function CaseModeSwitch({ mode, onMode }: { mode: CaseEntryMode; onMode: (mode: CaseEntryMode) => void }) {
  const { t } = useTranslation();
  return (
    <div className="actions" role="group" aria-label={t('interview.mode')}>
      <button type="button" className={mode === 'form' ? 'primary' : 'secondary'} aria-pressed={mode === 'form'} onClick={() => onMode('form')}>
        {t('interview.form')}
      </button>
      <button type="button" className={mode === 'interview' ? 'primary' : 'secondary'} aria-pressed={mode === 'interview'} onClick={() => onMode('interview')}>
        {t('interview.tab')}
      </button>
    </div>
  );
}
