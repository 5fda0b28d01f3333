import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, SessionStatus } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { ErrorAlert } from './ErrorAlert';
import { NewPassphraseFields, newPassphraseProblem } from './NewPassphraseFields';
import { SignInError } from './SignInError';
import { FormActions } from './FormActions';

interface Props {
  initialLogin: string;
  onSession: (status: SessionStatus, login: string | null) => void;
  onCancel: () => void;
}

/** Lost passphrase: the recovery key from setup sets a new passphrase for an administrator. */
export function RecoveryForm({ initialLogin, onSession, onCancel }: Props) {
  const { t } = useTranslation();
  const ids = useId();
  const [recoveryKey, setRecoveryKey] = useState('');
  const [login, setLogin] = useState(initialLogin);
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!recoveryKey.trim()) return setLocalError(t('recover.keyRequired'));
    if (!login.trim()) return setLocalError(t('recover.loginRequired'));
    const problem = newPassphraseProblem(passphrase, repeat);
    if (problem) return setLocalError(t(problem));
    setLocalError(null);
    setBusy(true);
    const trimmedLogin = login.trim().toLowerCase();
    const result = await api.recoverWithKey({ recoveryKey: recoveryKey.trim(), login: trimmedLogin, newPassphrase: passphrase });
    setBusy(false);
    if (result.ok) onSession(result.value, trimmedLogin);
    else setError(result.error);
  }

  return (
    <form className="card form" onSubmit={submit} noValidate aria-busy={busy}>
      <div className="field">
        <label htmlFor={`${ids}-key`}>{t('recover.key')}</label>
        <input
          id={`${ids}-key`}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          autoFocus
          value={recoveryKey}
          maxLength={200}
          aria-invalid={error?.code === 'WRONG_PASSPHRASE' || undefined}
          onChange={(e) => setRecoveryKey(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-login`}>{t('recover.login')}</label>
        <input
          id={`${ids}-login`}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={login}
          maxLength={40}
          onChange={(e) => setLogin(e.target.value)}
        />
      </div>
      <NewPassphraseFields
        passphrase={passphrase}
        repeat={repeat}
        onPassphrase={setPassphrase}
        onRepeat={setRepeat}
        label={t('passphrase.new')}
        repeatLabel={t('passphrase.repeatNew')}
      />
      <ErrorAlert message={localError} />
      {error ? <SignInError error={error} context="recover" /> : null}
      <FormActions
        submitLabel={t('recover.submit')}
        busy={busy}
        secondary={{ label: t('recover.back'), onClick: onCancel, whileBusy: true }}
        status={busy ? t('unlock.submitting') : null}
      />
    </form>
  );
}
