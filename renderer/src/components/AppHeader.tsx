import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../electron/contract/ipcContract';
import type { Navigate } from '../navigation';
import { canAudit, canEditClinical, canManageUsers } from '../roles';
import { LanguageSwitcher } from './LanguageSwitcher';

interface Props {
  /** Present only while the database is unlocked. */
  user: UserSummary | null;
  locking: boolean;
  onLock: () => void;
  /** Locks and forgets the login, so the next person at the shared workstation starts clean. */
  onSwitchUser: () => void;
  onChangePassphrase: () => void;
  navigate: Navigate;
}

export function AppHeader({ user, locking, onLock, onSwitchUser, onChangePassphrase, navigate }: Props) {
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
          {/* Each role sees its own work; the app refuses the rest anyway (methodAccess). */}
          {canEditClinical(user.role) ? (
            <button type="button" className="link-button" onClick={() => navigate({ screen: 'patients' })}>
              {t('header.patients')}
            </button>
          ) : null}
          {/* Aggregate counts only: every role may look. */}
          <button type="button" className="link-button" onClick={() => navigate({ screen: 'surveillance' })}>
            {t('header.surveillance')}
          </button>
          {canAudit(user.role) ? (
            <button type="button" className="link-button" onClick={() => navigate({ screen: 'audit' })}>
              {t('header.audit')}
            </button>
          ) : null}
          {canManageUsers(user.role) ? (
            <button type="button" className="link-button" onClick={() => navigate({ screen: 'users' })}>
              {t('header.users')}
            </button>
          ) : null}
          {/* Every role may protect the data: a backup changes no record and stays encrypted. */}
          <button type="button" className="link-button" onClick={() => navigate({ screen: 'backups' })}>
            {t('header.backups')}
          </button>
        </nav>
      ) : null}
      <div className="header-tools">
        {user ? (
          <span className="header-user">
            {t('header.signedInAs', { name: user.displayName })} <span className="header-role">({t(`role.${user.role}`)})</span>
          </span>
        ) : null}
        <LanguageSwitcher />
        {user ? (
          <>
            <button type="button" className="secondary" onClick={onChangePassphrase}>
              {t('header.changePassphrase')}
            </button>
            <button type="button" className="secondary" onClick={onSwitchUser} disabled={locking}>
              {t('header.switchUser')}
            </button>
            <button type="button" className="secondary" onClick={onLock} disabled={locking}>
              {locking ? t('header.locking') : t('header.lock')}
            </button>
          </>
        ) : null}
      </div>
    </header>
  );
}
