import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, SessionStatus } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { SignInError } from './SignInError';
import { useIpcQuery } from '../useIpcQuery';
import '../styles/recovery.css';

const rememberStatus = () => api.rememberStatus({});

/**
 * On the unlock screen: one button per login remembered on this computer (the OS keychain holds
 * their key). Shows nothing where nobody is remembered or the computer cannot remember; the
 * passphrase form below always works.
 */
export function RememberedSignIn({ onSession }: { onSession: (status: SessionStatus, login: string | null) => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const { value: remembered } = useIpcQuery(rememberStatus);
  // A computer that cannot remember, or a failed read, offers no buttons: the passphrase form works.
  const logins = remembered?.available ? remembered.logins : [];
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);

  async function signIn(login: string) {
    setError(null);
    setBusy(login);
    const result = await api.unlockRemembered({ login });
    setBusy(null);
    if (result.ok) onSession(result.value, login);
    else setError(result.error);
  }

  if (logins.length === 0) return null;
  return (
    <div className="card remembered-sign-in" aria-labelledby={`${ids}-h`} role="group">
      <h2 id={`${ids}-h`}>{t('remember.unlockHeading')}</h2>
      <div className="actions">
        {logins.map((login) => (
          <button key={login} type="button" className="secondary" disabled={busy !== null} onClick={() => void signIn(login)}>
            {t('remember.signInAs', { login })}
          </button>
        ))}
      </div>
      <span className="busy" role="status">
        {busy ? t('unlock.submitting') : null}
      </span>
      {error ? <SignInError error={error} context="unlock" /> : null}
    </div>
  );
}
