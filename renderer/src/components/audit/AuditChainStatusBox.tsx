import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditChainStatus, ErrorPayload } from '../../../../electron/contract/ipcContract';
import { api } from '../../api/lanternClient';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';
import { ErrorAlert } from '../ErrorAlert';

/** The hash chain of the audit trail: intact with its head, or the first event that breaks it. */
export function AuditChainStatusBox({ onLoaded }: { onLoaded?: () => void }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const [status, setStatus] = useState<AuditChainStatus | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [checking, setChecking] = useState(true);

  // `checking` starts true; a re-check sets it before asking again.
  const load = useCallback(
    () =>
      api.verifyAuditChain({}).then((result) => {
        setChecking(false);
        if (result.ok) {
          setStatus(result.value);
          setError(null);
        } else {
          setError(result.error);
        }
        onLoaded?.();
      }),
    [onLoaded],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const check = () => {
    setChecking(true);
    void load();
  };

  return (
    <section
      className={`card chain-status${status && !status.intact ? ' is-broken' : ''}`}
      aria-labelledby={`${ids}-h`}
      data-chain={status ? (status.intact ? 'intact' : 'broken') : undefined}
    >
      <h2 id={`${ids}-h`}>{t('chain.heading')}</h2>
      <ErrorAlert error={error} />
      {status ? (
        status.intact ? (
          <p className="chain-intact">
            <strong>{t('chain.intact')}</strong> {t('chain.events', { count: status.events })}
            {status.head ? (
              <>
                {' '}
                {t('chain.head', { seq: status.head.seq })} <code className="hash">{status.head.hash}</code>
              </>
            ) : null}
          </p>
        ) : (
          <p className="chain-broken">
            <strong>{t('chain.broken')}</strong>{' '}
            {status.firstBrokenSeq !== null
              ? t('chain.brokenAt', { seq: status.firstBrokenSeq, reason: status.reason ?? '' })
              : t('chain.brokenNoSeq', { reason: status.reason ?? '' })}
          </p>
        )
      ) : null}
      <div className="actions">
        <button type="button" className="secondary small" onClick={() => void check()} disabled={checking}>
          {t('chain.verifyAgain')}
        </button>
        <span className="busy" role="status">
          {checking ? t('chain.checking') : status ? t('chain.checkedAt', { when: fmt.dateTime(status.checkedAt) }) : null}
        </span>
      </div>
    </section>
  );
}
