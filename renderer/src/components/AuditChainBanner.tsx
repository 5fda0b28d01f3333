import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditChainStatus } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { markAuditChain } from '../readiness';
import { useIpcQuery } from '../useIpcQuery';

const verifyAuditChain = () => api.verifyAuditChain({});

/**
 * Checks the audit hash chain once per sign-in and, when it is broken, keeps a banner on every
 * screen for whoever is signed in: a tampered trail is everyone's business, not only the auditor's.
 */
export function AuditChainBanner() {
  const { t } = useTranslation();
  // A failed check marks nothing: no banner, and the signal stays unset (neither intact nor broken).
  const { value: status } = useIpcQuery(verifyAuditChain);
  useEffect(() => {
    markAuditChain(status ? chainMark(status) : null);
    return () => markAuditChain(null);
  }, [status]);

  if (!status || status.intact) return null;
  return (
    <div className="chain-banner" role="alert" data-audit-chain="broken">
      <strong>{t('chain.bannerTitle')}</strong>{' '}
      {status.firstBrokenSeq !== null
        ? t('chain.brokenAt', { seq: status.firstBrokenSeq, reason: status.reason ?? '' })
        : t('chain.brokenNoSeq', { reason: status.reason ?? '' })}{' '}
      {t('chain.bannerAdvice')}
    </div>
  );
}

function chainMark(status: AuditChainStatus): 'intact' | 'broken' {
  return status.intact ? 'intact' : 'broken';
}
