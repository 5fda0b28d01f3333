import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, SessionStatus } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { ErrorAlert } from '../components/ErrorAlert';
import { LoginField } from '../components/LoginField';
import { RecoveryForm } from '../components/RecoveryForm';
import { RememberedSignIn } from '../components/RememberedSignIn';
import { SignInError } from '../components/SignInError';
import { useScreenReady } from '../readiness';
import { FormActions } from '../components/FormActions';

interface Props {
  onSession: (status: SessionStatus, login: string | null) => void;
  /** Why the app locked itself (the LOCKED error of the call that found it locked), if it did. */
  lockReason?: ErrorPayload | null;
  /** Prefilled after "Lock" so the same user signs back in quickly; empty after "Switch user". */
  initialLogin?: string;
}

export function UnlockScreen({ onSession, lockReason = null, initialLogin = '' }: Props) {
  const { t } = useTranslation();
  const ids = useId();
  const passRef = useRef<HTMLInputElement>(null);
  const [mode, setMode] = useState<'unlock' | 'recover'>('unlock');
  const [login, setLogin] = useState(initialLogin);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [error, setError] = useState<{ payload: ErrorPayload; withLogin: boolean } | null>(null);
  useScreenReady('unlock', true);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!passphrase) return setLocalError(t('unlock.required'));
    setLocalError(null);
    setBusy(true);
    // A database from before accounts had logins still opens without one (every slot is tried).
    const trimmed = login.trim().toLowerCase();
    const result = await api.unlock(trimmed ? { login: trimmed, passphrase } : { passphrase });
    setBusy(false);
    if (result.ok) {
      onSession(result.value, trimmed || null);
      return;
    }
    setError({ payload: result.error, withLogin: trimmed !== '' });
    // Do not leave a wrong passphrase sitting in the field; let the user type it afresh.
    setPassphrase('');
    passRef.current?.focus();
  }

  if (mode === 'recover') {
    return (
      <section className="screen narrow" data-screen="unlock" aria-labelledby={`${ids}-rh`}>
        <h1 id={`${ids}-rh`}>{t('recover.heading')}</h1>
        <p className="intro">{t('recover.intro')}</p>
        <RecoveryForm initialLogin={login} onSession={onSession} onCancel={() => setMode('unlock')} />
      </section>
    );
  }

  return (
    <section className="screen narrow" data-screen="unlock" aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`}>{t('unlock.heading')}</h1>
      <p className="intro">{t('unlock.intro')}</p>
      {lockReason && !error ? (
        <div className="notice" role="status" data-lock-reason>
          {t('unlock.lockedBecause', { reason: lockReason.message })}
        </div>
      ) : null}
      <RememberedSignIn onSession={onSession} />
      <form className="card form" onSubmit={submit} noValidate aria-busy={busy}>
        <LoginField label={t('unlock.login')} autoComplete="username" autoFocus={!initialLogin} value={login} onChange={setLogin} />
        <div className="field">
          <label htmlFor={`${ids}-pass`}>{t('unlock.passphrase')}</label>
          <input
            ref={passRef}
            id={`${ids}-pass`}
            type="password"
            autoComplete="current-password"
            autoFocus={!!initialLogin}
            value={passphrase}
            maxLength={1024}
            aria-invalid={error?.payload.code === 'WRONG_PASSPHRASE' || undefined}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </div>
        <ErrorAlert message={localError} />
        {error ? <SignInError error={error.payload} context={error.withLogin ? 'unlock-login' : 'unlock'} /> : null}
        <FormActions submitLabel={t('unlock.submit')} busy={busy} status={busy ? t('unlock.submitting') : null} />
        <button type="button" className="link-button" onClick={() => setMode('recover')}>
          {t('unlock.forgot')}
        </button>
      </form>
    </section>
  );
}
