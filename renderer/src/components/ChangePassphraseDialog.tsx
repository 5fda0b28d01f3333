import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { Dialog } from './Dialog';
import { ErrorAlert } from './ErrorAlert';
import { NewPassphraseFields, newPassphraseProblem } from './NewPassphraseFields';
import { RememberOnThisComputer } from './RememberOnThisComputer';
import { FormActions } from './FormActions';

/** Every user changes their own passphrase; only their key slot is rewrapped. */
export function ChangePassphraseDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!current) return setLocalError(t('changePassphrase.currentRequired'));
    const problem = newPassphraseProblem(next, repeat);
    if (problem) return setLocalError(t(problem));
    setLocalError(null);
    setBusy(true);
    const result = await api.changePassphrase({ currentPassphrase: current, newPassphrase: next });
    setBusy(false);
    if (result.ok) {
      setDone(true);
      setCurrent('');
      setNext('');
      setRepeat('');
    } else {
      setError(result.error);
    }
  }

  return (
    <Dialog title={t('changePassphrase.heading')} onClose={onClose}>
      {done ? (
        <>
          <p role="status">{t('changePassphrase.done')}</p>
          <div className="actions">
            <button type="button" className="primary" onClick={onClose} autoFocus>
              {t('common.close')}
            </button>
          </div>
        </>
      ) : (
        <form className="form" onSubmit={submit} noValidate aria-busy={busy}>
          <div className="field">
            <label htmlFor={`${ids}-current`}>{t('changePassphrase.current')}</label>
            <input
              id={`${ids}-current`}
              type="password"
              autoComplete="current-password"
              autoFocus
              value={current}
              maxLength={1024}
              aria-invalid={error?.code === 'WRONG_PASSPHRASE' || undefined}
              onChange={(e) => setCurrent(e.target.value)}
            />
          </div>
          <NewPassphraseFields
            passphrase={next}
            repeat={repeat}
            onPassphrase={setNext}
            onRepeat={setRepeat}
            label={t('passphrase.new')}
            repeatLabel={t('passphrase.repeatNew')}
          />
          <ErrorAlert message={localError} />
          {/* The generic wrong-passphrase text talks about opening the database; here it is the current one. */}
          {error?.code === 'WRONG_PASSPHRASE' ? <ErrorAlert message={t('changePassphrase.wrongCurrent')} /> : <ErrorAlert error={error} />}
          <FormActions
            submitLabel={t('changePassphrase.submit')}
            busy={busy}
            secondary={{ label: t('common.cancel'), onClick: onClose, whileBusy: true }}
            status={busy ? t('common.saving') : null}
          />
        </form>
      )}
      {/* Key handling in one place: the passphrase, and whether this computer remembers the key. */}
      <RememberOnThisComputer />
    </Dialog>
  );
}
