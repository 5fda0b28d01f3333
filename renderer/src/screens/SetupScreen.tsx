import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, SessionStatus, SetupResult } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { ErrorAlert } from '../components/ErrorAlert';
import { NewPassphraseFields, newPassphraseProblem } from '../components/NewPassphraseFields';
import { RestoreBackupPanel } from '../components/RestoreBackupPanel';
import { useScreenReady } from '../readiness';
import { RecoveryKeyStep } from './RecoveryKeyStep';
import { FormActions } from '../components/FormActions';

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
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  // One signal for both steps: a parent's effect runs after its child's, so a child's own signal would be cleared.
  useScreenReady(created === null ? 'setup' : 'recovery-key', true);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!displayName.trim()) return setLocalError(t('setup.nameRequired'));
    const problem = newPassphraseProblem(passphrase, repeat);
    if (problem) return setLocalError(t(problem));
    setLocalError(null);
    setBusy(true);
    const trimmedLogin = login.trim().toLowerCase();
    const result = await api.setup({ displayName: displayName.trim(), passphrase, ...(trimmedLogin ? { login: trimmedLogin } : {}) });
    if (!result.ok) {
      setBusy(false);
      return setError(result.error);
    }
    // The server makes the login from the name when none was typed: read it back to show it.
    const status = result.value.status;
    const users = status.state === 'unlocked' ? await api.listUsers({}) : null;
    const own = users?.ok && status.state === 'unlocked' ? users.value.find((u) => u.id === status.user.id) : undefined;
    setBusy(false);
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
        <div className="field">
          <label htmlFor={`${ids}-login`}>{t('setup.login')}</label>
          <input
            id={`${ids}-login`}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={login}
            maxLength={40}
            aria-describedby={`${ids}-login-hint`}
            onChange={(e) => setLogin(e.target.value)}
          />
          <p id={`${ids}-login-hint`} className="hint">
            {t('setup.loginHint')}
          </p>
        </div>
        <NewPassphraseFields
          passphrase={passphrase}
          repeat={repeat}
          onPassphrase={setPassphrase}
          onRepeat={setRepeat}
          label={t('setup.passphrase')}
          repeatLabel={t('setup.repeatPassphrase')}
        />
        <ErrorAlert message={localError} />
        <ErrorAlert error={error} />
        <FormActions submitLabel={t('setup.submit')} busy={busy} status={busy ? t('setup.submitting') : null} />
        <button type="button" className="link-button" onClick={() => setRestoring(true)} disabled={busy}>
          {t('restore.instead')}
        </button>
      </form>
    </section>
  );
}
