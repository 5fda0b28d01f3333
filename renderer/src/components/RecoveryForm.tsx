import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionStatus } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { ErrorAlert } from './ErrorAlert';
import { NewPassphraseFields } from './NewPassphraseFields';
import { LoginField } from './LoginField';
import { useNewPassphraseForm } from '../useNewPassphraseForm';
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
  const form = useNewPassphraseForm();
  const { busy, error } = form;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!recoveryKey.trim()) return form.fail(t('recover.keyRequired'));
    if (!login.trim()) return form.fail(t('recover.loginRequired'));
    if (!form.begin()) return;
    const trimmedLogin = login.trim().toLowerCase();
    const status = form.finish(await api.recoverWithKey({ recoveryKey: recoveryKey.trim(), login: trimmedLogin, newPassphrase: form.passphrase }));
    if (status) onSession(status, trimmedLogin);
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
      <LoginField label={t('recover.login')} autoComplete="username" value={login} onChange={setLogin} />
      <NewPassphraseFields {...form.fields} label={t('passphrase.new')} repeatLabel={t('passphrase.repeatNew')} />
      <ErrorAlert message={form.localError} />
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
