import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { ErrorAlert } from './ErrorAlert';
import { useIpcQuery } from '../useIpcQuery';
import '../styles/recovery.css';

const rememberStatus = () => api.rememberStatus({});

/**
 * "Remember me on this computer": the OS keychain seals the database key for the signed-in user, so
 * they can sign in here without the passphrase; "Forget me" removes it. Where this computer cannot
 * protect a remembered key (no keychain, Linux's basic_text store, the loopback host), it says why
 * instead of offering the buttons.
 */
export function RememberOnThisComputer() {
  const { t } = useTranslation();
  const ids = useId();
  const { value: status, error: readError, update } = useIpcQuery(rememberStatus);
  const [busy, setBusy] = useState(false);
  const [changeError, setError] = useState<ErrorPayload | null>(null);
  const error = changeError ?? readError;
  const [done, setDone] = useState<'remembered' | 'forgotten' | null>(null);

  async function change(remember: boolean) {
    setError(null);
    setDone(null);
    setBusy(true);
    const result = remember ? await api.rememberOnThisComputer({}) : await api.forgetOnThisComputer({});
    setBusy(false);
    if (result.ok) {
      update(() => result.value);
      setDone(remember ? 'remembered' : 'forgotten');
    } else {
      setError(result.error);
    }
  }

  return (
    <section className="remember-section" aria-labelledby={`${ids}-h`}>
      <h3 id={`${ids}-h`}>{t('remember.heading')}</h3>
      {status === null && error === null ? <p className="muted">{t('app.loading')}</p> : null}
      {status && !status.available ? (
        <p className="notice" data-remember="unavailable">
          {t('remember.unavailable')} {status.reason}
        </p>
      ) : null}
      {status?.available ? (
        <>
          <p className="hint">{t('remember.explain')}</p>
          {status.logins.length > 0 ? <p>{t('remember.rememberedLogins', { logins: status.logins.join(t('common.listSeparator')) })}</p> : null}
          <div className="actions">
            <button type="button" className="secondary" disabled={busy} onClick={() => void change(true)}>
              {t('remember.remember')}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => void change(false)}>
              {t('remember.forget')}
            </button>
            <span className="busy" role="status">
              {done ? t(`remember.${done}`) : null}
            </span>
          </div>
        </>
      ) : null}
      <ErrorAlert error={error} />
    </section>
  );
}
