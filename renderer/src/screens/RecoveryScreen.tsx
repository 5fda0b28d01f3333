import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, SessionStatus } from '../../../electron/contract/ipcContract';
import { RestoreBackupPanel } from '../components/RestoreBackupPanel';
import { useFocusOnMount } from '../focus';
import { markRecovery, useScreenReady } from '../readiness';
import { failedModelFile, recoveryPlan } from '../recovery';
import type { RecoveryCode } from '../recovery';
import '../styles/recovery.css';

interface Props {
  error: ErrorPayload & { code: RecoveryCode };
  /** Someone is signed in (a model file failed mid-session): they may go on reading records. */
  signedIn: boolean;
  /** Look again: a reconnected drive or a replaced file may have fixed it. */
  onRetry: () => void;
  /** A backup was restored: the app is locked, ready for sign-in. */
  onRestored: (status: SessionStatus) => void;
  /** Model files only: go on without the models (a banner stays up). */
  onContinue: () => void;
}

/**
 * One screen per kind of unusable data or model: its own heading, what happened, what to do, and
 * the app's own message for support. It offers a restore where that is the remedy and never offers
 * to delete anything. Signals readiness as `recovery` with `body[data-lantern-recovery="<code>"]`.
 */
export function RecoveryScreen({ error, signedIn, onRetry, onRestored, onContinue }: Props) {
  const { t } = useTranslation();
  const ids = useId();
  const code = error.code;
  const plan = recoveryPlan(code);
  const [restoreOpen, setRestoreOpen] = useState(plan.restore === 'offered');
  const [listed, setListed] = useState(false);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();

  useEffect(() => {
    markRecovery(code);
    return () => markRecovery(null);
  }, [code]);
  // With a restore on offer, the screen is usable once the backups are listed.
  useScreenReady('recovery', !restoreOpen || listed);

  const model = code === 'MODEL_INTEGRITY' ? failedModelFile(error) : null;
  const which = model ? (model.file ? t('recovery.modelFile', { file: model.file, model: model.modelId }) : model.modelId) : t('recovery.unknownModelFile');

  return (
    <section className="screen narrow recovery-screen" data-screen="recovery" data-recovery={code} aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`} ref={headingRef} tabIndex={-1}>
        {t(`recovery.${code}.heading`)}
      </h1>
      <div className={`card recovery-card${code === 'MODEL_INTEGRITY' ? ' is-model' : ''}`}>
        <h2>{t('recovery.whatHappened')}</h2>
        <p>{t(`recovery.${code}.happened`, { which })}</p>
        <p className="recovery-safe">{t(`recovery.${code}.safe`)}</p>
        <h2>{t('recovery.whatToDo')}</h2>
        <p>{t(`recovery.${code}.todo`)}</p>
        <h2 id={`${ids}-msg`}>{t('recovery.appMessage')}</h2>
        <p className="app-message" aria-labelledby={`${ids}-msg`}>
          {error.message}
        </p>
        <div className="actions">
          {plan.canContinue && signedIn ? (
            <button type="button" className="primary" onClick={onContinue}>
              {t('recovery.continueWithoutModels')}
            </button>
          ) : null}
          <button type="button" className="secondary" onClick={onRetry}>
            {t('recovery.retry')}
          </button>
          {plan.restore === 'on-request' && !restoreOpen ? (
            <button type="button" className="secondary" onClick={() => setRestoreOpen(true)}>
              {t('recovery.restoreAnyway')}
            </button>
          ) : null}
        </div>
      </div>
      {restoreOpen ? (
        <>
          {plan.restore === 'on-request' ? (
            <div className="notice" role="note">
              {t('recovery.restoreOlderWarning')}
            </div>
          ) : null}
          <RestoreBackupPanel onDone={onRestored} onListed={() => setListed(true)} />
        </>
      ) : null}
    </section>
  );
}
