import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../electron/contract/ipcContract';
import { LanguageSwitcher } from './LanguageSwitcher';

interface Props {
  /** Present only while the database is unlocked. */
  user: UserSummary | null;
  locking: boolean;
  onLock: () => void;
  onPatients: () => void;
}

export function AppHeader({ user, locking, onLock, onPatients }: Props) {
  const { t } = useTranslation();
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <div className="brand">
        <span className="brand-name">{t('app.title')}</span>
        <span className="brand-tagline">{t('app.tagline')}</span>
      </div>
      {user ? (
        <nav className="header-nav" aria-label={t('app.title')}>
          <button type="button" className="link-button" onClick={onPatients}>
            {t('header.patients')}
          </button>
        </nav>
      ) : null}
      <div className="header-tools">
        {user ? <span className="header-user">{t('header.signedInAs', { name: user.displayName })}</span> : null}
        <LanguageSwitcher />
        {user ? (
          <button type="button" className="secondary" onClick={onLock} disabled={locking}>
            {locking ? t('header.locking') : t('header.lock')}
          </button>
        ) : null}
      </div>
    </header>
  );
}
