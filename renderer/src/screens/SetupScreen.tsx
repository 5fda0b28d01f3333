import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionStatus, SetupResult } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { ErrorAlert } from '../components/ErrorAlert';
import { LoginField } from '../components/LoginField';
import { NewPassphraseFields } from '../components/NewPassphraseFields';
import { RestoreBackupPanel } from '../components/RestoreBackupPanel';
import { useScreenReady } from '../readiness';
import { RecoveryKeyStep } from './RecoveryKeyStep';
import { FormActions } from '../components/FormActions';
import { useNewPassphraseForm } from '../useNewPassphraseForm';

export function SetupScreen({ onSession }: { onSession: (status: SessionStatus, login?: string | null) => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [displayName, setDisplayName] = useState('');
  const [login, setLogin] = useState('');
  /** Set once the database exists: the recovery key step comes before the app opens. */
  const [created, setCreated] = useState<{ result: SetupResult; login: string | null } | null>(null);
  /** A new computer: bring the records over from a backup (e.g. on a USB drive) instead of starting empty. */
  const [restoring, setRestoring] = useState(false);
  const [restoreDone, setRestoreDone] = useState(false);
  const form = useNewPassphraseForm();
  const { busy } = form;
  // One signal for both steps: a parent's effect runs after its child's, so a child's own signal would be cleared.
  useScreenReady(created === null ? 'setup' : 'recovery-key', true);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!displayName.trim()) return form.fail(t('setup.nameRequired'));
    if (!form.begin()) return;
    const trimmedLogin = login.trim().toLowerCase();
    const result = await api.setup({ displayName: displayName.trim(), passphrase: form.passphrase, ...(trimmedLogin ? { login: trimmedLogin } : {}) });
    if (!result.ok) return void form.finish(result);
    // The server makes the login from the name when none was typed: read it back to show it.
    const status = result.value.status;
    const users = status.state === 'unlocked' ? await api.listUsers({}) : null;
    const own = users?.ok && status.state === 'unlocked' ? users.value.find((u) => u.id === status.user.id) : undefined;
    form.finish(result);
    setCreated({ result: result.value, login: own?.login ?? (trimmedLogin || null) });
  }

  if (created) {
    return (
      <RecoveryKeyStep recoveryKey={created.result.recoveryKey} login={created.login} onContinue={() => onSession(created.result.status, created.login)} />
    );
  }

  if (restoring) {
    return (
      <section className="screen narrow" data-screen="setup" aria-labelledby={`${ids}-rh`}>
        <h1 id={`${ids}-rh`}>{t('restore.setupHeading')}</h1>
        <p className="intro">{t('restore.setupIntro')}</p>
        <RestoreBackupPanel onDone={(status) => onSession(status)} onRestored={() => setRestoreDone(true)} />
        {/* After a restore there is a database: "create a new one" would only fail. */}
        {restoreDone ? null : (
          <button type="button" className="link-button" onClick={() => setRestoring(false)}>
            {t('restore.backToSetup')}
          </button>
        )}
      </section>
    );
  }

  return (
    <section className="screen narrow" data-screen="setup" aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`}>{t('setup.heading')}</h1>
      <p className="intro">{t('setup.intro')}</p>
      <form className="card form" onSubmit={submit} noValidate aria-busy={busy}>
        <div className="field">
          <label htmlFor={`${ids}-name`}>{t('setup.displayName')}</label>
          <input id={`${ids}-name`} autoComplete="name" autoFocus value={displayName} maxLength={200} onChange={(e) => setDisplayName(e.target.value)} />
        </div>
        <LoginField label={t('setup.login')} autoComplete="username" value={login} onChange={setLogin} hint={t('setup.loginHint')} />
        <NewPassphraseFields {...form.fields} label={t('setup.passphrase')} repeatLabel={t('setup.repeatPassphrase')} />
        <ErrorAlert message={form.localError} />
        <ErrorAlert error={form.error} />
        <FormActions submitLabel={t('setup.submit')} busy={busy} status={busy ? t('setup.submitting') : null} />
        <button type="button" className="link-button" onClick={() => setRestoring(true)} disabled={busy}>
          {t('restore.instead')}
        </button>
      </form>
    </section>
  );
}
