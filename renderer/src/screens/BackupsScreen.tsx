import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupSummary, ErrorPayload, SessionStatus } from '../../../electron/contract/ipcContract';
import { RestoreBackupPanel } from '../components/RestoreBackupPanel';
import { BackupVerifyCell, useBackupVerification } from '../components/BackupVerification';
import { useSessionUser } from '../roles';
import { api } from '../api/lanternClient';
import { formatBytes, schedulePeriod, shortHash } from '../backupView';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormActions } from '../components/FormActions';
import { useFocusOnMount } from '../focus';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import { useScreenReady } from '../readiness';
import { useIpcQuery } from '../useIpcQuery';
import '../styles/recovery.css';

/** The contract accepts absolute folder paths only (POSIX, drive letter or UNC). */
const absolutePath = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

const listBackups = () => api.listBackups({});

/** Catalogue keys of the schedule sentence: `everyDay` for 1, `everyDays` with the count for more. */
const scheduleKey = { day: 'everyDay', hour: 'everyHour', minute: 'everyMinute' } as const;

/**
 * Backups for whoever is signed in (a backup changes no record and stays encrypted): "Back up now",
 * into the backup folder or a folder typed in (a USB drive), the backups in the backup folder, the
 * schedule and the last scheduled failure. An administrator can verify each backup listed (its
 * own button and result on its row) and restore here, in the running
 * install (passphrase re-entered; the app verifies, swaps and signs everyone out), as on the
 * recovery screen and at setup on a new computer.
 */
export function BackupsScreen({ onSession }: { onSession?: (status: SessionStatus) => void }) {
  const user = useSessionUser();
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const { value: list, error: listError, loading: listing, reload } = useIpcQuery(listBackups);
  const [targetDir, setTargetDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [made, setMade] = useState<BackupSummary | null>(null);
  const verification = useBackupVerification();
  // verifyBackup is an administrator's: only they see the per-backup checks.
  const canVerify = user?.role === 'admin';
  const headingRef = useFocusOnMount<HTMLHeadingElement>(list !== null || listError !== null);

  // Ready once the list shown is the app's latest (after a backup, the list read again).
  useScreenReady('backups', !listing && !busy);

  async function backUp(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setMade(null);
    const dir = targetDir.trim();
    if (dir && !absolutePath.test(dir)) return setLocalError(t('backups.folderAbsolute'));
    setLocalError(null);
    setBusy(true);
    const result = await api.createBackup(dir ? { targetDir: dir } : {});
    if (result.ok) {
      setMade(result.value);
      reload();
    } else {
      setError(result.error);
    }
    setBusy(false);
  }

  const period = list ? schedulePeriod(list.schedule.everyMs) : null;

  return (
    <section className="screen backups-screen" data-screen="backups" aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`} ref={headingRef} tabIndex={-1}>
        {t('backups.heading')}
      </h1>
      <p className="intro">{t('backups.intro')}</p>
      <div className="screen-body">
        <form className="card form" onSubmit={backUp} noValidate aria-busy={busy} aria-labelledby={`${ids}-now`}>
          <h2 id={`${ids}-now`}>{t('backups.nowHeading')}</h2>
          <div className="field">
            <label htmlFor={`${ids}-dir`}>{t('backups.folder')}</label>
            <input
              id={`${ids}-dir`}
              autoComplete="off"
              spellCheck={false}
              value={targetDir}
              maxLength={1024}
              aria-describedby={`${ids}-dir-hint`}
              onChange={(e) => setTargetDir(e.target.value)}
            />
            <p id={`${ids}-dir-hint`} className="hint">
              {t('backups.folderHint')} {list ? <span className="path">{list.dir}</span> : null}
            </p>
          </div>
          <ErrorAlert message={localError} />
          <ErrorAlert error={error} />
          <FormActions
            submitLabel={t('backups.now')}
            busy={busy}
            status={busy ? t('backups.working') : made ? t('backups.made', { size: formatBytes(made.bytes, fmt.locale), seq: made.auditHead.seq }) : null}
          />
          {made ? (
            <p className="hint">
              {t('backups.madeIn')} <span className="path">{made.folder}</span>
            </p>
          ) : null}
        </form>

        <div className="card">
          <h2>{t('backups.scheduleHeading')}</h2>
          {list && period ? (
            <>
              <p>
                {t(`backups.${scheduleKey[period.unit]}${period.count === 1 ? '' : 's'}`, { count: period.count })}{' '}
                {t('backups.keeps', { count: list.schedule.keep })}
              </p>
              <p>
                {t('backups.scheduleDir')} <span className="path">{list.dir}</span>
              </p>
              {list.lastError ? (
                <div className="alert" role="alert" data-backup-last-error>
                  <span className="alert-title">{t('backups.lastErrorTitle')}</span> <span className="alert-detail">{list.lastError}</span>
                </div>
              ) : (
                <p className="muted">{t('backups.noScheduledError')}</p>
              )}
            </>
          ) : null}
          <ErrorAlert error={listError} />
        </div>

        <div className="card">
          <h2 id={`${ids}-list`}>{t('backups.listHeading')}</h2>
          {list && list.backups.length === 0 ? <p className="muted">{t('backups.none')}</p> : null}
          {list && list.backups.length > 0 && canVerify ? (
            <div className="field">
              <label htmlFor={`${ids}-verify-pass`}>{t('backups.verifyPassphrase', { login: user.login })}</label>
              <input
                id={`${ids}-verify-pass`}
                type="password"
                autoComplete="off"
                value={verification.passphrase}
                maxLength={1024}
                aria-describedby={`${ids}-verify-hint`}
                onChange={(e) => verification.setPassphrase(e.target.value)}
              />
              <p id={`${ids}-verify-hint`} className="hint">
                {t('backups.verifyPassphraseHint')}
              </p>
            </div>
          ) : null}
          {list && list.backups.length > 0 ? (
            <div className="table-scroll">
              <table className="data-table" aria-labelledby={`${ids}-list`}>
                <thead>
                  <tr>
                    <th scope="col">{t('backups.date')}</th>
                    <th scope="col">{t('backups.size')}</th>
                    <th scope="col">{t('backups.auditHead')}</th>
                    <th scope="col">{t('backups.folderColumn')}</th>
                    {canVerify ? <th scope="col">{t('backups.verifyColumn')}</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {list.backups.map((b) => (
                    <tr key={b.folder}>
                      <th scope="row">{fmt.dateTime(b.createdAt)}</th>
                      <td>{formatBytes(b.bytes, fmt.locale)}</td>
                      <td>
                        {t('backups.auditEvent', { seq: b.auditHead.seq })}{' '}
                        <span className="path" title={b.auditHead.hash}>
                          {shortHash(b.auditHead.hash)}
                        </span>
                      </td>
                      <td className="path">{b.folder.split(/[\\/]/).pop()}</td>
                      {canVerify ? (
                        <td>
                          <BackupVerifyCell
                            folder={b.folder}
                            date={fmt.dateTime(b.createdAt)}
                            result={verification.results[b.folder]}
                            onVerify={(folder) => void verification.verify(folder)}
                          />
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      </div>
      {user?.role === 'admin' && onSession ? (
        // After the swap the app is signed out: going on leads to sign-in on the restored database.
        <RestoreBackupPanel signedInLogin={user.login} onDone={onSession} />
      ) : null}
    </section>
  );
}
