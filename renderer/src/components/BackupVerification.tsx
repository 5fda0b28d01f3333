import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupVerification as Verified, ErrorPayload } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { showsAppMessage } from '../errorDetail';

/** One backup's check: running, passed (what was checked) or failed (why); or not started for want of the passphrase. */
export type RowVerification =
  { state: 'running' } | { state: 'passed'; value: Verified } | { state: 'failed'; error: ErrorPayload } | { state: 'needs-passphrase' };

/**
 * Verifying the backups of the list one by one (an administrator's passphrase opens each; the app
 * runs a restore's checks and restores nothing, auditing pass or fail). Results are kept per
 * backup folder so each row shows its own.
 */
export function useBackupVerification() {
  const [passphrase, setPassphrase] = useState('');
  const [results, setResults] = useState<Record<string, RowVerification>>({});

  async function verify(folder: string): Promise<void> {
    if (!passphrase) {
      setResults((r) => ({ ...r, [folder]: { state: 'needs-passphrase' } }));
      return;
    }
    setResults((r) => ({ ...r, [folder]: { state: 'running' } }));
    const result = await api.verifyBackup({ backupPath: folder, passphrase });
    setResults((r) => ({ ...r, [folder]: result.ok ? { state: 'passed', value: result.value } : { state: 'failed', error: result.error } }));
  }

  return { passphrase, setPassphrase, results, verify };
}

/** The row's button and its result, in words. */
export function BackupVerifyCell({
  folder,
  date,
  result,
  onVerify,
}: {
  folder: string;
  date: string;
  result: RowVerification | undefined;
  onVerify: (folder: string) => void;
}) {
  const { t } = useTranslation();
  const reason = (error: ErrorPayload) => `${t(`errors.${error.code}`)}${showsAppMessage(error.code) && error.message ? ` ${error.message}` : ''}`;
  return (
    <div className="backup-verify">
      <button type="button" aria-label={t('backups.verifyRowLabel', { date })} disabled={result?.state === 'running'} onClick={() => onVerify(folder)}>
        {t('backups.verifyRow')}
      </button>{' '}
      <span role="status" data-verify-result={result?.state ?? 'none'}>
        {result?.state === 'running' ? t('backups.verifying') : null}
        {result?.state === 'passed' ? t('backups.verifyPassed', { events: result.value.events, seq: result.value.auditHead.seq }) : null}
        {result?.state === 'failed' ? t('backups.verifyFailed', { reason: reason(result.error) }) : null}
        {result?.state === 'needs-passphrase' ? t('backups.verifyNeedsPassphrase') : null}
      </span>
    </div>
  );
}
