import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/lanternClient';
import type { Navigate } from '../../navigation';
import { clearFeatureReady, markFeatureReady } from '../../readiness';
import { ErrorAlert } from '../ErrorAlert';
import { SurveillanceAlertList as AlertList } from './SurveillanceAlertList';
import { useIpcQuery } from '../../useIpcQuery';

const RECENT_WEEKS = 8;
const recentAlerts = () => api.surveillanceAlerts({ weeks: RECENT_WEEKS });

/**
 * The home screen's surveillance alerts: weeks of the last two months whose count of a confirmed
 * diagnosis exceeded its expected range. Sets `body[data-lantern-alerts="ready"]` once loaded.
 */
export function HomeAlertsPanel({ navigate }: { navigate: Navigate }) {
  const { t } = useTranslation();
  const ids = useId();
  const { value: list, error, loading } = useIpcQuery(recentAlerts);

  // Ready once answered, list or error; not ready again while away.
  useEffect(() => {
    if (loading) clearFeatureReady('alerts');
    else markFeatureReady('alerts');
    return () => clearFeatureReady('alerts');
  }, [loading]);

  const count = list?.alerts.length ?? 0;
  return (
    <section className={`card home-alerts${count > 0 ? ' has-alerts' : ''}`} aria-labelledby={`${ids}-h`} aria-busy={list === null && error === null}>
      <div className="home-alerts-head">
        <h2 id={`${ids}-h`}>{t('surveillance.homeHeading', { weeks: RECENT_WEEKS })}</h2>
        <button type="button" className="link-button" onClick={() => navigate({ screen: 'surveillance' })}>
          {t('surveillance.homeOpen')}
        </button>
      </div>
      <ErrorAlert error={error} />
      {list === null && error === null ? <p className="hint">{t('surveillance.loadingAlerts')}</p> : null}
      {list !== null && count === 0 ? <p className="muted">{t('surveillance.homeNone', { weeks: RECENT_WEEKS })}</p> : null}
      {list !== null && count > 0 ? <AlertList alerts={list.alerts} navigate={navigate} label={t('surveillance.homeListLabel')} /> : null}
    </section>
  );
}
