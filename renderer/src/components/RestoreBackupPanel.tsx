import { useEffect, useEffectEvent, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupVerification, ErrorPayload, RestoreResult, SessionStatus } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { formatBytes, shortHash } from '../backupView';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import { ErrorAlert } from './ErrorAlert';
import { FormActions } from './FormActions';
import { useIpcQuery } from '../useIpcQuery';
import '../styles/recovery.css';

/** The contract accepts absolute folder paths only (POSIX, drive letter or UNC). */
const absolutePath = /^(\/|[A-Za-z]:[\\/]|\\\\)/;
const OTHER = 'other';
const listBackups = () => api.listBackups({});

interface Props {
  /** After the restore: the session state (locked) to go on to sign in with. */
  onDone: (status: SessionStatus) => void;
  /** Called once the list of backups has been read (or could not be), so the screen can signal readiness. */
  onListed?: () => void;
  /** Called when the restore succeeded, before the user goes on (the screen hides ways back). */
  onRestored?: () => void;
  /**
   * In a running install: the signed-in administrator's login. The app then asks for that
   * administrator's passphrase again (re-authentication), swaps the database in place and signs out.
   */
  signedInLogin?: string;
}

/**
 * Restore from a backup: one of those in the backup folder (newest first, with date, size and the
 * audit event it ends at) or a backup folder typed in, e.g. on a USB drive. The app verifies the
 * backup before swapping it in and keeps the replaced database under a new name; this shows where.
 */
export function RestoreBackupPanel({ onDone, onListed, onRestored, signedInLogin }: Props) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const { value: list, error: listError, loading: listing } = useIpcQuery(listBackups);
  const [picked, setChoice] = useState<string | null>(null);
  // Until the user picks: the newest backup is the usual choice; with none listed (or no list), the
  // typed folder is the only one.
  const choice = picked ?? (listing ? '' : (list?.backups[0]?.folder ?? OTHER));
  const [otherPath, setOtherPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  // Asked only after the app said the backup is of another database (CONFIRMATION_REQUIRED).
  const [confirmOther, setConfirmOther] = useState(false);
  const [busy, setBusy] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [restored, setRestored] = useState<RestoreResult | null>(null);
  const [verified, setVerified] = useState<BackupVerification | null>(null);

  // `onListed` is only a signal, not an input: the list is read once per mount.
  const signalListed = useEffectEvent(() => onListed?.());
  useEffect(() => {
    if (!listing) signalListed();
  }, [listing]);

  /** The chosen folder and passphrase, or null with the reason shown. */
  function chosen(): string | null {
    setError(null);
    setVerified(null);
    const backupPath = choice === OTHER ? otherPath.trim() : choice;
    if (!backupPath) return (setLocalError(t('restore.folderRequired')), null);
    if (!absolutePath.test(backupPath)) return (setLocalError(t('restore.folderAbsolute')), null);
    if (!passphrase) return (setLocalError(t('restore.passphraseRequired')), null);
    setLocalError(null);
    return backupPath;
  }

  /** Every check a restore runs first, on the chosen backup, without restoring it. */
  async function verify() {
    const backupPath = chosen();
    if (backupPath === null) return;
    setBusy(true);
    const result = await api.verifyBackup({ backupPath, passphrase });
    setBusy(false);
    if (result.ok) setVerified(result.value);
    else setError(result.error);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const backupPath = chosen();
    if (backupPath === null) return;
    setBusy(true);
    const who = signedInLogin === undefined ? {} : { login: signedInLogin };
    const result = await api.restoreBackup(confirmOther ? { backupPath, passphrase, ...who, confirmOtherDatabase: true } : { backupPath, passphrase, ...who });
    setBusy(false);
    setPassphrase('');
    if (result.ok) {
      setRestored(result.value);
      onRestored?.();
    } else setError(result.error);
  }

  if (restored) {
    return (
      <div className="card" data-restore="done">
        <h2>{t('restore.doneHeading')}</h2>
        <p role="status">{t('restore.doneFrom', { date: fmt.dateTime(restored.createdAt) })}</p>
        {restored.previous ? (
          <p>
            {t('restore.previousKept')} <span className="path">{restored.previous}</span>
          </p>
        ) : (
          <p>{t('restore.noPrevious')}</p>
        )}
        <div className="actions">
          <button type="button" className="primary" autoFocus onClick={() => onDone(restored.status)}>
            {t('restore.goToSignIn')}
          </button>
        </div>
      </div>
    );
  }

  return (
    <form className="card form" onSubmit={submit} noValidate aria-busy={busy} aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>{t('restore.heading')}</h2>
      <p className="hint">{t('restore.intro')}</p>
      <fieldset className="backup-choices">
        <legend>{t('restore.choose')}</legend>
        {list === null && listError === null ? <p className="muted">{t('app.loading')}</p> : null}
        <ErrorAlert error={listError} />
        {list && list.backups.length === 0 ? (
          <p className="muted">
            {t('restore.noneIn')} <span className="path">{list.dir}</span>
          </p>
        ) : null}
        {list?.backups.map((b) => (
          <label key={b.folder} className="backup-choice">
            <input type="radio" name={`${ids}-backup`} value={b.folder} checked={choice === b.folder} onChange={() => setChoice(b.folder)} />
            <span>
              {t('restore.option', {
                date: fmt.dateTime(b.createdAt),
                size: formatBytes(b.bytes, fmt.locale),
                seq: b.auditHead.seq,
                hash: shortHash(b.auditHead.hash),
              })}
            </span>
          </label>
        ))}
        {list !== null || listError !== null ? (
          <label className="backup-choice">
            <input type="radio" name={`${ids}-backup`} value={OTHER} checked={choice === OTHER} onChange={() => setChoice(OTHER)} />
            <span>{t('restore.otherFolder')}</span>
          </label>
        ) : null}
      </fieldset>
      {choice === OTHER ? (
        <div className="field">
          <label htmlFor={`${ids}-folder`}>{t('restore.folder')}</label>
          <input
            id={`${ids}-folder`}
            autoComplete="off"
            spellCheck={false}
            value={otherPath}
            maxLength={1024}
            aria-describedby={`${ids}-folder-hint`}
            onChange={(e) => setOtherPath(e.target.value)}
          />
          <p id={`${ids}-folder-hint`} className="hint">
            {t('restore.folderHint')}
          </p>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${ids}-pass`}>{signedInLogin === undefined ? t('restore.passphrase') : t('restore.adminPassphrase', { login: signedInLogin })}</label>
        <input
          id={`${ids}-pass`}
          type="password"
          autoComplete="off"
          value={passphrase}
          maxLength={1024}
          aria-describedby={`${ids}-pass-hint`}
          aria-invalid={error?.code === 'WRONG_PASSPHRASE' || undefined}
          onChange={(e) => setPassphrase(e.target.value)}
        />
        <p id={`${ids}-pass-hint`} className="hint">
          {t('restore.passphraseHint')}
        </p>
      </div>
      {error?.code === 'CONFIRMATION_REQUIRED' || confirmOther ? (
        <div className="field">
          <label>
            <input type="checkbox" checked={confirmOther} onChange={(e) => setConfirmOther(e.target.checked)} /> {t('restore.confirmOther')}
          </label>
        </div>
      ) : null}
      {verified ? (
        <p role="status" data-testid="backup-verified">
          {t('restore.verified', { date: fmt.dateTime(verified.createdAt), events: verified.events, seq: verified.auditHead.seq })}
        </p>
      ) : null}
      <ErrorAlert message={localError} />
      {error?.code === 'WRONG_PASSPHRASE' ? <ErrorAlert message={t('restore.wrongPassphrase')} /> : <ErrorAlert error={error} />}
      <FormActions
        submitLabel={t('restore.submit')}
        busy={busy}
        blocked={listing}
        secondary={signedInLogin !== undefined ? { label: t('restore.verify'), onClick: () => void verify(), first: true } : undefined}
        status={busy ? t('restore.restoring') : null}
      />
    </form>
  );
}
