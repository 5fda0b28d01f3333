import { useTranslation } from 'react-i18next';
import { caseSections, type CaseSection } from '../../caseSections';

/** Skip links to each section of the case form, each naming its Alt+Shift shortcut. */
export function CaseSectionLinks({ onGoTo }: { onGoTo: (section: CaseSection) => void }) {
  const { t } = useTranslation();
  return (
    <nav className="skip-links" aria-label={t('caseNew.sections')}>
      {caseSections.map((section) => (
        <button
          key={section}
          type="button"
          className="link-button"
          aria-keyshortcuts={`Alt+Shift+${t(`caseNew.shortcut.${section}`)}`}
          onClick={() => onGoTo(section)}
        >
          {t(`caseNew.section.${section}`)} <kbd>Alt+Shift+{t(`caseNew.shortcut.${section}`)}</kbd>
        </button>
      ))}
    </nav>
  );
}
