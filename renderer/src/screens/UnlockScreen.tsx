import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, SessionStatus } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { ErrorAlert } from '../components/ErrorAlert';
import { useScreenReady } from '../readiness';

export function UnlockScreen({ onSession }: { onSession: (status: SessionStatus) => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  useScreenReady('unlock', true);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!passphrase) return setLocalError(t('unlock.required'));
    setLocalError(null);
    setBusy(true);
    const result = await api.unlock({ passphrase });
    setBusy(false);
    if (result.ok) {
      onSession(result.value);
      return;
    }
    setError(result.error);
    // Do not leave a wrong passphrase sitting in the field; let the user type it afresh.
    setPassphrase('');
    inputRef.current?.focus();
  }

  return (
    <section className="screen narrow" data-screen="unlock" aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`}>{t('unlock.heading')}</h1>
      <p className="intro">{t('unlock.intro')}</p>
      <form className="card form" onSubmit={submit} noValidate aria-busy={busy}>
        <div className="field">
          <label htmlFor={`${ids}-pass`}>{t('unlock.passphrase')}</label>
          <input
            ref={inputRef}
            id={`${ids}-pass`}
            type="password"
            autoComplete="current-password"
            autoFocus
            value={passphrase}
            maxLength={1024}
            aria-invalid={error?.code === 'WRONG_PASSPHRASE' || undefined}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </div>
        <ErrorAlert message={localError} />
        <ErrorAlert error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t('unlock.submit')}
          </button>
          <span className="busy" role="status">
            {busy ? t('unlock.submitting') : null}
          </span>
        </div>
      </form>
    </section>
  );
}
