import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditChainStatus } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { markAuditChain } from '../readiness';

/**
 * Checks the audit hash chain once per sign-in and, when it is broken, keeps a banner on every
 * screen for whoever is signed in: a tampered trail is everyone's business, not only the auditor's.
 */
export function AuditChainBanner() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<AuditChainStatus | null>(null);

  useEffect(() => {
    let live = true;
    markAuditChain(null);
    void api.verifyAuditChain({}).then((result) => {
      if (!live || !result.ok) return;
      setStatus(result.value);
      markAuditChain(result.value.intact ? 'intact' : 'broken');
    });
    return () => {
      live = false;
      markAuditChain(null);
    };
  }, []);

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
