import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/lanternClient';
import { Dialog } from './Dialog';
import { ErrorAlert } from './ErrorAlert';
import { NewPassphraseFields } from './NewPassphraseFields';
import { RememberOnThisComputer } from './RememberOnThisComputer';
import { FormActions } from './FormActions';
import { useNewPassphraseForm } from '../useNewPassphraseForm';

/** Every user changes their own passphrase; only their key slot is rewrapped. */
export function ChangePassphraseDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [current, setCurrent] = useState('');
  const form = useNewPassphraseForm();
  const { busy, error } = form;
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!current) return form.fail(t('changePassphrase.currentRequired'));
    if (!form.begin()) return;
    const result = await api.changePassphrase({ currentPassphrase: current, newPassphrase: form.passphrase });
    if (form.finish(result) === null) return;
    setDone(true);
    setCurrent('');
    form.clear();
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
          <NewPassphraseFields {...form.fields} label={t('passphrase.new')} repeatLabel={t('passphrase.repeatNew')} />
          <ErrorAlert message={form.localError} />
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
