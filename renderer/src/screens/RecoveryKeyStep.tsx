import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFocusOnMount } from '../focus';
import '../styles/accountability.css';

interface Props {
  recoveryKey: string;
  /** The administrator's login as stored (null if it could not be read back). */
  login: string | null;
  onContinue: () => void;
}

/**
 * The recovery key is shown exactly once, straight after setup: the app keeps only a key slot
 * wrapped by it. The user must confirm they wrote it down before they can go on. (SetupScreen
 * signals readiness as `recovery-key` while this is shown.)
 */
export function RecoveryKeyStep({ recoveryKey, login, onContinue }: Props) {
  const { t } = useTranslation();
  const ids = useId();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [confirmed, setConfirmed] = useState(false);
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(recoveryKey);
      setCopied('copied');
    } catch {
      // Clipboard access can be refused; the key is still on screen to write down.
      setCopied('failed');
    }
  }

  return (
    <section className="screen narrow recovery-key-step" data-screen="recovery-key" aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`} ref={headingRef} tabIndex={-1}>
        {t('recoveryKey.heading')}
      </h1>
      <p className="intro no-print">{t('recoveryKey.intro')}</p>
      <div className="card">
        {login ? <p className="recovery-login">{t('recoveryKey.yourLogin', { login })}</p> : null}
        <p className="recovery-key-label" id={`${ids}-key-label`}>
          {t('recoveryKey.label')}
        </p>
        <p className="recovery-key" aria-labelledby={`${ids}-key-label`} role="textbox" aria-readonly="true" tabIndex={0}>
          {recoveryKey}
        </p>
        <p className="hint no-print">{t('recoveryKey.onlyOnce')}</p>
        <div className="actions no-print">
          <button type="button" className="secondary" onClick={() => void copy()}>
            {t('recoveryKey.copy')}
          </button>
          <button type="button" className="secondary" onClick={() => window.print()}>
            {t('recoveryKey.print')}
          </button>
          <span className="busy" role="status">
            {copied ? t(`recoveryKey.${copied}`) : null}
          </span>
        </div>
        <div className="no-print">
          <label className="checkbox">
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
            {t('recoveryKey.confirm')}
          </label>
          <div className="actions">
            <button type="button" className="primary" disabled={!confirmed} onClick={onContinue}>
              {t('recoveryKey.continue')}
            </button>
          </div>
        </div>
      </div>
    </section>
  );
}
